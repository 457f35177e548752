#!/usr/bin/env bash
# Client-config across many organisations and streams (issue 18, item 4): 1,000 organisations with 1,000 streams
# each (1,000,000 in all), players reconnecting at BENCH_RATE a second (1,667: 100,000 in 60 s) to streams picked by a
# Zipf popularity, each with a new session, open loop (bench/ClientConfigAtScale.java), while a flood of requests with
# keys that do not exist (BENCH_FLOOD a second) runs or not. The jar runs with its shipped settings, pinned to CPU 0;
# the generator to CPU 1; PostgreSQL is not pinned.
#
# Rounds, BENCH_SECONDS (60) each:
#   1. cold: the application just started (its caches empty), with the flood;
#   2. cold again after a restart, without the flood;
#   3. warm (what rounds 1 and 2 loaded), without the flood; 4. warm, with the flood;
#   5. the peer in the same run: the constant endpoint GET /v1/ping at the same rate, with the flood.
# Database transactions per request (players' and flood's together) are read from pg_stat_database over each round
# (every transaction of the database: background work such as telemetry flushes counts too, so it is an upper bound).
#
# Environment: BENCH_RATE (1667), BENCH_FLOOD (1000), BENCH_SECONDS (60), BENCH_TENANTS (1000),
# BENCH_STREAMS_PER_TENANT (1000), common.sh's BENCH_PORT. Needs a JDK 21+, psql, taskset and the local PostgreSQL
# (a fresh database, meshcp_bench_scale, each run).
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${BENCH_RATE:-1667}
FLOOD=${BENCH_FLOOD:-1000}
MEASURE=${BENCH_SECONDS:-60}
TENANTS=${BENCH_TENANTS:-1000}
PER_TENANT=${BENCH_STREAMS_PER_TENANT:-1000}

psql -h 127.0.0.1 -U postgres -qc "drop database if exists meshcp_bench_scale with (force)" \
  -c "create database meshcp_bench_scale"
export BENCH_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/meshcp_bench_scale
PSQL_URL=postgresql://postgres@127.0.0.1:5432/meshcp_bench_scale
source bench/common.sh

start_app target/bench-scale-app.log
taskset -a -cp 0 "$app" > /dev/null
trap 'kill $app 2>/dev/null || true' EXIT

keys_file=target/bench-scale-keys.txt
seed_organisations "$PSQL_URL" "Scale bench" "$TENANTS" "$PER_TENANT" "$PER_TENANT" > "$keys_file"

classes=target/bench-classes
mkdir -p "$classes"
"$java_home/bin/javac" -d "$classes" bench/ClientConfigAtScale.java
transactions() { psql "$PSQL_URL" -qAtc "select xact_commit + xact_rollback from pg_stat_database where datname = current_database()"; }
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"; }
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<< "$2"; }

rows=""
# round NAME FLOOD [ping]
round() {
  local before cpu_before out started
  before=$(transactions)
  cpu_before=$(cpu_seconds "$app")
  started=$(date +%s%N)
  out=$(taskset -c 1 "$java_home/bin/java" -Xmx1g -cp "$classes" ClientConfigAtScale "http://127.0.0.1:$PORT" \
    "$keys_file" $((TENANTS * PER_TENANT)) "$RATE" "$2" "$MEASURE" ${3:-})
  echo "$1: $out" >&2
  local requests per_request cpu
  requests=$(( $(field requests "$out") + $(field flood "$out") ))
  per_request=$(awk -v t="$(( $(transactions) - before ))" -v r="$requests" 'BEGIN { printf "%.3f", t / r }')
  # Over the whole round, its tail of late answers included.
  cpu=$(awk -v a="$(cpu_seconds "$app")" -v b="$cpu_before" -v s="$(( $(date +%s%N) - started ))" \
    'BEGIN { printf "%.2f", (a - b) / (s / 1e9) }')
  rows+="| $1 | $RATE/s | $2/s | $(field ok "$out") of $(field requests "$out") | $(field p50_ms "$out") ms | $(field p99_ms "$out") ms | $(field p999_ms "$out") ms | $(field max_ms "$out") ms | $per_request | $(field flood_p99_ms "$out") ms | $cpu | $(field late "$out") |"$'\n'
}
restart() {
  kill "$app"
  wait "$app" || true
  start_app target/bench-scale-app-restarted.log
  taskset -a -cp 0 "$app" > /dev/null
}

round "1. cold, with the flood" "$FLOOD"
restart
round "2. cold, no flood" 0
round "3. warm, no flood" 0
round "4. warm, with the flood" "$FLOOD"
round "5. peer: GET /v1/ping, with the flood" "$FLOOD" ping

echo
echo "| round | offered | flood | answered 200 | p50 | p99 | p99.9 | max | database transactions per request (players' and flood's) | flood p99 | application CPU (cores) | sends > 10 ms late |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s' "$rows"
