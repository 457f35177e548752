#!/usr/bin/env bash
# Telemetry ingest against a raw COPY, in one run on one machine: HTTP batches of 100 heartbeats through
# POST /v1/telemetry to committed rows (with the minute, hour, reason and session sums the application
# keeps), then a PostgreSQL COPY of as many rows of the same shape into the same partitioned table (no
# sums, no dedupe). Needs a JDK 21+, psql, and a PostgreSQL (BENCH_DATABASE_URL, default: a
# fresh meshcp_bench_ingest database on the local server). Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${BENCH_CONNECTIONS:-16}
WARMUP=${BENCH_WARMUP_SECONDS:-60}
MEASURE=${BENCH_SECONDS:-30}
# A fresh database each run: a table grown by earlier runs makes both sides slower, and not equally.
if [ -z "${BENCH_DATABASE_URL:-}" ]; then
  psql -h 127.0.0.1 -U postgres -qc "drop database if exists meshcp_bench_ingest with (force)" \
    -c "create database meshcp_bench_ingest"
  export BENCH_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/meshcp_bench_ingest
  PSQL_URL=postgresql://postgres@127.0.0.1:5432/meshcp_bench_ingest
fi
PSQL_URL=${BENCH_PSQL_URL:-${PSQL_URL:-postgresql://postgres@127.0.0.1:5432/meshcp_bench}}
source bench/common.sh
start_app target/bench-telemetry-app.log -Xmx1g
trap 'kill $app 2>/dev/null || true' EXIT
stream_id=$(curl -fs -H "Authorization: Bearer $secret" -H 'Content-Type: application/json' \
  -d '{"externalId": "bench", "name": "Bench", "kind": "LIVE"}' "http://127.0.0.1:$PORT/api/v1/streams" \
  | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
tenant_id=$(psql "$PSQL_URL" -tAc "select tenant_id from streams where id = '$stream_id'")

http=$("$java_home/bin/java" bench/TelemetryLoad.java http "http://127.0.0.1:$PORT" "$publishable" bench \
  "$CONNECTIONS" "$WARMUP" "$MEASURE")
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<< "$2"; }
http_rate=$(field events_per_s "$http")

# COPY as many rows as the HTTP run stored in its measured seconds (at least 200,000), timed by psql, over
# the same stretch of table size: the table is emptied, filled untimed with as many rows as the HTTP
# warm-up left (an index that has grown takes each row more slowly), then the timed COPY runs.
rows=$(awk -v r="$http_rate" -v s="$MEASURE" 'BEGIN { n = int(r * s); print (n < 200000 ? 200000 : n) }')
# The application is stopped first, so the COPY has the machine to itself.
kill $app && wait $app 2>/dev/null || true
stored=$(psql "$PSQL_URL" -tAc "select count(*) from telemetry_events")
before=$(( stored > rows ? stored - rows : 0 ))
psql "$PSQL_URL" -qc "truncate telemetry_events"
if [ "$before" -gt 0 ]; then
  "$java_home/bin/java" bench/TelemetryLoad.java csv "$tenant_id" "$stream_id" "$before" > target/bench-telemetry.csv
  psql "$PSQL_URL" -qc "\\copy telemetry_events from 'target/bench-telemetry.csv' csv"
fi
"$java_home/bin/java" bench/TelemetryLoad.java csv "$tenant_id" "$stream_id" "$rows" > target/bench-telemetry.csv
copy_ms=$( { psql "$PSQL_URL" -qc '\timing on' -c "\\copy telemetry_events from 'target/bench-telemetry.csv' csv" ; } \
  | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -n 1)
copy_rate=$(awk -v n="$rows" -v ms="$copy_ms" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
ratio=$(awk -v a="$http_rate" -v b="$copy_rate" 'BEGIN { printf "%.2f", a / b }')

echo
echo "| measure | value |"
echo "|---|---|"
echo "| HTTP ingest, batches of 100, $CONNECTIONS connections: committed events/s | $http_rate |"
echo "| HTTP ingest: requests/s, p50, p99 | $(field requests_per_s "$http") req/s, $(field p50_ms "$http") ms, $(field p99_ms "$http") ms ($(field unavailable "$http") answered 503/429) |"
echo "| raw COPY of $rows rows into telemetry_events (after $before untimed, as the HTTP warm-up left): rows/s | $copy_rate |"
echo "| HTTP / COPY | **$ratio** |"
