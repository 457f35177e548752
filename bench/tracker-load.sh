#!/usr/bin/env bash
# Tracker throughput, side by side: the same load generator (bench/TrackerLoad.java, modelled on
# aquatic_ws_load_test) against our tracker and against the npm bittorrent-tracker server, in one run
# on one machine. Each server is pinned to CPU 0 and the generator to CPU 1 (taskset), so both servers
# get the same single core and the generator never competes with them. Needs a JDK 21+, Node.js with
# `npm ci --prefix interop` done, taskset, and a PostgreSQL (BENCH_DATABASE_URL, default: the local
# server's meshcp_bench database). Prints a Markdown table for docs/benchmarks.md, and the tracker's refusals.
# Environment: BENCH_CONNECTIONS (256), BENCH_WARMUP_SECONDS (15), BENCH_SECONDS (20), BENCH_ROUNDS (3),
# BENCH_SERVER_CPUS (0), BENCH_LOAD_CPUS (1), BENCH_TRACKER_PORT, BENCH_NODE_PORT, and common.sh's BENCH_PORT and
# BENCH_DATABASE_*.
#
# The peers are viewers behind a load balancer (bench/tracker-common.sh): a token and session each from
# client-config, fetched before each of our rounds and outside its measurement, and an X-Forwarded-For address per
# four peers, so the tracker's per-session and per-address limits apply as shipped. The npm server reads neither
# (it takes no token and trusts no proxy header); the messages after the handshake are the same for both. A round
# (warm-up and measurement) must end within the tokens' 10 minutes; the generator refuses a longer one.
set -euo pipefail
cd "$(dirname "$0")/.."

TRACKER_PORT=${BENCH_TRACKER_PORT:-18081}
NODE_PORT=${BENCH_NODE_PORT:-18082}
CONNECTIONS=${BENCH_CONNECTIONS:-256}
WARMUP=${BENCH_WARMUP_SECONDS:-15}
MEASURE=${BENCH_SECONDS:-20}
ROUNDS=${BENCH_ROUNDS:-3}
SERVER_CPUS=${BENCH_SERVER_CPUS:-0}
LOAD_CPUS=${BENCH_LOAD_CPUS:-1}
[ -d interop/node_modules/bittorrent-tracker ] || npm ci --prefix interop >/dev/null
source bench/common.sh
source bench/tracker-common.sh

# The generator's peers wander over many swarms and send far more messages per second than a player
# does, as aquatic's do; the per-socket swarm and message-rate limits are raised for the run (they are
# still checked on every message).
MESHCP_SIGNALING_PORT=$TRACKER_PORT MESHCP_SIGNALING_MESSAGES_PER_SECOND=1000000 \
  MESHCP_SIGNALING_MAX_SWARMS_PER_CONNECTION=100000 \
  start_app target/bench-tracker-app.log -Xms1g -Xmx1g -XX:ActiveProcessorCount=1
taskset -acp "$SERVER_CPUS" $app >/dev/null
node_server=""
trap 'kill -CONT $app 2>/dev/null; kill $app ${node_server:-} 2>/dev/null || true' EXIT
curl -fs -o /dev/null -H "Authorization: Bearer $secret" -H 'Content-Type: application/json' \
  -d '{"externalId": "bench", "name": "Bench", "kind": "LIVE"}' "http://127.0.0.1:$PORT/api/v1/streams"
require_tokens "http://127.0.0.1:$PORT"
row() {
  echo "| $1 | $2 | $(field responses_per_s "$3") | $(field announce_per_s "$3") | $(field offer_per_s "$3") | $(field answer_per_s "$3") | $(field error_per_s "$3") | $(field p50_ms "$3") ms | $(field p90_ms "$3") ms | $(field p99_ms "$3") ms | $(field p999_ms "$3") ms |"
}

# Rounds alternate between the servers; the one not measured is stopped (SIGSTOP) or not running, so
# nothing else competes for CPU 0.
rows=""
ratios=""
for round in $(seq 1 "$ROUNDS"); do
  kill -STOP $app
  taskset -c "$SERVER_CPUS" node bench/bittorrent-tracker-server.mjs "$NODE_PORT" > target/bench-node-tracker.log 2>&1 &
  node_server=$!
  for _ in $(seq 1 50); do grep -q listening target/bench-node-tracker.log && break; sleep 0.2; done
  theirs=$(load "ws://127.0.0.1:$NODE_PORT/")
  kill $node_server
  wait $node_server 2>/dev/null || true
  node_server=""
  kill -CONT $app
  ours=$(load "ws://127.0.0.1:$TRACKER_PORT/v1/signal" "http://127.0.0.1:$PORT")
  rows+="$(row "$round" "meshcp tracker" "$ours")"$'\n'"$(row "$round" "npm bittorrent-tracker" "$theirs")"$'\n'
  ratios+="$(awk -v a="$(field responses_per_s "$ours")" -v b="$(field responses_per_s "$theirs")" 'BEGIN { printf "%.2f", a / b }') "
done

echo
echo "| round | server | responses/s | announce replies/s | offers/s | answers/s | errors/s | announce p50 | p90 | p99 | p99.9 |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s' "$rows"
echo
echo "ratio per round (meshcp / bittorrent-tracker responses per second): **$ratios**"
echo "tracker refusals: $(refusals "http://127.0.0.1:$PORT")"
