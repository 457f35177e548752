#!/usr/bin/env bash
# Tracker throughput, side by side: the same load generator (bench/TrackerLoad.java, modelled on
# aquatic_ws_load_test) against our tracker and against the npm bittorrent-tracker server, in one run
# on one machine. Each server is pinned to CPU 0 and the generator to CPU 1 (taskset), so both servers
# get the same single core and the generator never competes with them. Needs a JDK 21+, Node.js with
# `npm ci --prefix interop` done, taskset, and a PostgreSQL (BENCH_DATABASE_URL, default: the local
# server's meshcp_bench database). Prints Markdown tables for docs/benchmarks.md, and the tracker's refusals.
#
# BENCH_MODE=shipped (the default): the tracker runs with its shipped limits (20 messages a second and 10 swarms
# per socket, 4 sockets per session, 500 per address). Its peers are paced as players are: each announces once a
# second (open loop; latency from when an announce was due), answers every offer it is relayed, and stays in at
# most 4 swarms, leaving the oldest with a stopped announce before it joins another, so each sends at most
# about 12 messages a second. First BENCH_ROUNDS rounds offer more announces than either server can take
# (BENCH_CONNECTIONS peers, 8,000 by default): what each answers is its maximum. Then each server is offered 25%,
# 50% and 75% of its own maximum (the median of its rounds) for its latency at those loads.
#
# BENCH_MODE=raised: the earlier shape, for comparison with the runs recorded before issue 18: a closed loop (one
# announce in flight per peer, the next sent when its reply arrives), peers that never leave a swarm, and the
# tracker's per-socket limits on message rate and swarms raised so that 256 peers can saturate it.
#
# Environment: BENCH_MODE, BENCH_CONNECTIONS, BENCH_WARMUP_SECONDS (15), BENCH_SECONDS (20), BENCH_ROUNDS (2 shipped,
# 3 raised), BENCH_SERVER_CPUS (0), BENCH_LOAD_CPUS (1), BENCH_TRACKER_PORT, BENCH_NODE_PORT, and common.sh's
# BENCH_PORT and BENCH_DATABASE_*.
#
# The peers are viewers behind a load balancer (bench/tracker-common.sh): a token and session each from
# client-config, fetched before each of our runs and outside its measurement, and an X-Forwarded-For address per
# four peers. The npm server reads neither (it takes no token and trusts no proxy header); the messages after the
# handshake are the same for both. A run (connecting, warm-up and measurement) must end within the tokens'
# 10 minutes; the generator refuses a longer one.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=${BENCH_MODE:-shipped}
TRACKER_PORT=${BENCH_TRACKER_PORT:-18081}
NODE_PORT=${BENCH_NODE_PORT:-18082}
WARMUP=${BENCH_WARMUP_SECONDS:-15}
MEASURE=${BENCH_SECONDS:-20}
SERVER_CPUS=${BENCH_SERVER_CPUS:-0}
LOAD_CPUS=${BENCH_LOAD_CPUS:-1}
case "$MODE" in
  shipped)
    CONNECTIONS=${BENCH_CONNECTIONS:-8000}
    ROUNDS=${BENCH_ROUNDS:-2}
    export LOAD_PACE=1 LOAD_MAX_SWARMS=4
    ;;
  raised)
    CONNECTIONS=${BENCH_CONNECTIONS:-256}
    ROUNDS=${BENCH_ROUNDS:-3}
    # The generator's peers wander over many swarms and send far more messages per second than a player
    # does, as aquatic's do; the per-socket swarm and message-rate limits are raised for the run (they are
    # still checked on every message).
    export MESHCP_SIGNALING_MESSAGES_PER_SECOND=1000000 MESHCP_SIGNALING_MAX_SWARMS_PER_CONNECTION=100000
    ;;
  *) echo "BENCH_MODE is shipped or raised" >&2; exit 1 ;;
esac
[ -d interop/node_modules/bittorrent-tracker ] || npm ci --prefix interop >/dev/null
source bench/common.sh
source bench/tracker-common.sh

MESHCP_SIGNALING_PORT=$TRACKER_PORT start_app target/bench-tracker-app.log -Xms1g -Xmx1g -XX:ActiveProcessorCount=1
taskset -acp "$SERVER_CPUS" $app >/dev/null
node_server=""
trap 'kill -CONT $app 2>/dev/null; kill $app ${node_server:-} 2>/dev/null || true' EXIT
curl -fs -o /dev/null -H "Authorization: Bearer $secret" -H 'Content-Type: application/json' \
  -d '{"externalId": "bench", "name": "Bench", "kind": "LIVE"}' "http://127.0.0.1:$PORT/api/v1/streams"
require_tokens "http://127.0.0.1:$PORT"

# measure SERVER: one load run against "ours" or "theirs" (the npm server, started for it and stopped after), with
# the server's CPU use over the run (connecting, warm-up and measurement) appended as server_cpu=.
measure() {
  local out pid start cpu
  if [ "$1" = theirs ]; then
    kill -STOP $app
    taskset -c "$SERVER_CPUS" node bench/bittorrent-tracker-server.mjs "$NODE_PORT" > target/bench-node-tracker.log 2>&1 &
    node_server=$!
    for _ in $(seq 1 50); do grep -q listening target/bench-node-tracker.log && break; sleep 0.2; done
    pid=$node_server
  else
    pid=$app
  fi
  start=$(date +%s.%N)
  cpu=$(cpu_seconds "$pid")
  if [ "$1" = theirs ]; then
    out=$(load "ws://127.0.0.1:$NODE_PORT/") || return
  else
    out=$(load "ws://127.0.0.1:$TRACKER_PORT/v1/signal" "http://127.0.0.1:$PORT") || return
  fi
  out+=" server_cpu=$(awk -v a="$cpu" -v b="$(cpu_seconds "$pid")" -v s="$start" -v e="$(date +%s.%N)" \
    'BEGIN { printf "%.2f", (b - a) / (e - s) }')"
  if [ "$1" = theirs ]; then
    kill $node_server
    wait $node_server 2>/dev/null || true
    node_server=""
    kill -CONT $app
  fi
  echo "$out"
}

name() { [ "$1" = ours ] && echo "meshcp tracker" || echo "npm bittorrent-tracker"; }

row() {
  echo "| $1 | $(name "$2") | $(field offered_announce_per_s "$3") | $(field announce_per_s "$3") | $(field stop_per_s "$3") | $(field offer_per_s "$3") | $(field answer_per_s "$3") | $(field error_per_s "$3") | $(field p50_ms "$3") ms | $(field p99_ms "$3") ms | $(field p999_ms "$3") ms | $(field server_cpu "$3") | $(field load_cpu "$3") | $(field late_per_s "$3") | $(field dropped_per_s "$3") |"
}

header="| run | server | offered announces/s | announce replies/s | stops/s | offers/s | answers/s | errors/s | announce p50 | p99 | p99.9 | server CPU | generator CPU | sent late/s | offers dropped/s |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"

# Rounds alternate between the servers; the one not measured is stopped (SIGSTOP) or not running, so
# nothing else competes for CPU 0.
rows=""
ratios=""
ours_max=""
theirs_max=""
for round in $(seq 1 "$ROUNDS"); do
  theirs=$(measure theirs) || exit 1
  ours=$(measure ours) || exit 1
  rows+="$(row "$round" ours "$ours")"$'\n'"$(row "$round" theirs "$theirs")"$'\n'
  ours_max+="$(field announce_per_s "$ours") "
  theirs_max+="$(field announce_per_s "$theirs") "
  ratios+="$(awk -v a="$(field announce_per_s "$ours")" -v b="$(field announce_per_s "$theirs")" 'BEGIN { printf "%.2f", a / b }') "
done

echo
echo "$header"
printf '%s' "$rows"
echo
echo "ratio per round (meshcp / bittorrent-tracker announce replies per second): **$ratios**"

if [ "$MODE" = shipped ]; then
  median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
  rows=""
  for server in theirs ours; do
    [ "$server" = ours ] && max=$(median "$ours_max") || max=$(median "$theirs_max")
    for share in 25 50 75; do
      # One announce a second per peer: the offered rate is the number of peers.
      CONNECTIONS=$(awk -v m="$max" -v s="$share" 'BEGIN { printf "%d", m * s / 100 }')
      out=$(measure "$server") || exit 1
      rows+="$(row "$share% of its maximum" "$server" "$out")"$'\n'
    done
  done
  echo
  echo "$header"
  printf '%s' "$rows"
fi
echo "tracker refusals: $(refusals "http://127.0.0.1:$PORT")"
