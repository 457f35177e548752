#!/usr/bin/env bash
# Client-config against a constant-JSON endpoint of the same application, in one run on one machine.
# Needs wrk (apt-get install wrk), a JDK 21+ and a PostgreSQL (BENCH_DATABASE_URL, default: the local
# server's meshcp_bench database, created if missing). Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=${BENCH_SECONDS:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
source bench/common.sh
start_app target/bench-app.log
trap 'kill $app 2>/dev/null || true' EXIT
curl -fs -o /dev/null -H "Authorization: Bearer $secret" -H 'Content-Type: application/json' \
  -d '{"externalId": "bench", "name": "Bench", "kind": "LIVE", "renditions": [{"id": "720p"}]}' \
  "http://127.0.0.1:$PORT/api/v1/streams"

ping="http://127.0.0.1:$PORT/v1/ping"
config="http://127.0.0.1:$PORT/v1/client-config?key=$publishable&stream=bench&rendition=720p&device=mobile&network=wifi&battery=0.8&nat=port-restricted&session=benchsession0001"
curl -fs "$config" >/dev/null

rps() { wrk -t2 -c"$CONNECTIONS" -d"$1"s --latency "$2" | tee -a target/bench-wrk.log | awk '/Requests\/sec/ {print $2}'; }
: > target/bench-wrk.log
rps 10 "$ping" >/dev/null
rps 10 "$config" >/dev/null
ping_rps=$(rps "$SECONDS_PER_RUN" "$ping")
config_rps=$(rps "$SECONDS_PER_RUN" "$config")
ratio=$(awk -v a="$config_rps" -v b="$ping_rps" 'BEGIN { printf "%.2f", a / b }')
half=$(awk -v a="$config_rps" 'BEGIN { printf "%d", a / 2 }')
# Paced load: each connection waits a fixed delay between requests (wrk's delay() hook), so the total
# rate sits near half the maximum; wrk's latency is then the service time at that rate.
paced_connections=$(( half / 250 > 2 ? half / 250 : 2 ))
delay_ms=$(( paced_connections * 1000 / half ))
printf 'function delay() return %d end\n' "$delay_ms" > target/bench-paced.lua
wrk -t2 -c"$paced_connections" -d"$SECONDS_PER_RUN"s --latency -s target/bench-paced.lua "$config" \
  > target/bench-paced.log
paced_rps=$(awk '/Requests\/sec/ {print $2}' target/bench-paced.log)
paced_p50=$(awk '/ 50%/ {print $2}' target/bench-paced.log)
paced_p99=$(awk '/ 99%/ {print $2}' target/bench-paced.log)
fixed="$paced_rps req/s: p50 $paced_p50, p99 $paced_p99"

echo
echo "| measure | value |"
echo "|---|---|"
echo "| constant JSON (/v1/ping), max req/s | $ping_rps |"
echo "| client-config, max req/s | $config_rps |"
echo "| client-config / constant JSON | $ratio |"
echo "| client-config paced near half its max (target $half req/s) | $fixed |"
