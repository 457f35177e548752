#!/usr/bin/env bash
# A rolling restart (issue 18, item 6): how long a node's viewers take to be back on another node after it is told to
# stop. Two instances share swarms through Redis, with one signing key, as behind a load balancer; both run with
# their shipped settings and limits. bench/DrainPeers.java connects BENCH_PEERS (15,000) peers to node A's tracker,
# each with its own session and token from client-config, then node A gets SIGTERM, and each peer does what the
# player SDK does when its tracker goes away (a jittered pause, a fresh token from client-config, which the load
# balancer now sends to node B, a new socket to B's tracker, the same announce). Target: all of them announced on
# node B within 30 s of the SIGTERM. Prints a Markdown table and node B's refusals.
#
# The peer, in the same run: the same peers leaving node A on their own at one instant (node A stays up) and coming
# back to node B the same way: what node B takes to let in that many players at once, the floor for any drain onto
# it. Rounds: such a move (node B's warm-up, shown), the drain, the move again (the peer).
#
# Environment: BENCH_PEERS (15000), BENCH_CONFIG_CONNECTIONS (256; the load balancer's connections to
# client-config), BENCH_REDIS_PORT (6391), common.sh's BENCH_DATABASE_*. Needs a JDK 21+, redis-server, psql and
# 20,000 open files per process (set here; run as root or with a high enough hard limit).
set -euo pipefail
cd "$(dirname "$0")/.."

PEERS=${BENCH_PEERS:-15000}
CONFIG_CONNECTIONS=${BENCH_CONFIG_CONNECTIONS:-256}
REDIS_PORT=${BENCH_REDIS_PORT:-6391}
ulimit -n 20000
source bench/common.sh

redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no > target/bench-redis.log 2>&1 &
redis=$!
apps=""
trap 'kill $apps $redis ${GEN_PID:-} 2>/dev/null || true' EXIT
# One signing key for both instances, so a token from either node is good on both.
export MESHCP_SIGNALING_TOKEN_KEYS_0_ID=bench MESHCP_SIGNALING_TOKEN_KEYS_0_SECRET="bench-secret-$run-0123456789abcdef"
instance() {
  if curl -fs -o /dev/null "http://127.0.0.1:$2/actuator/health"; then
    echo "something already answers on port $2" >&2
    exit 1
  fi
  PORT=$2 MESHCP_SIGNALING_PORT=$3 SPRING_DATA_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
    start_app "target/bench-drain-$1.log"
  apps="$apps $app"
}
instance node-b 18192 18193
node_b=$app
curl -fs -o /dev/null -H "Authorization: Bearer $secret" -H 'Content-Type: application/json' \
  -d '{"externalId": "bench", "name": "Bench", "kind": "LIVE"}' "http://127.0.0.1:18192/api/v1/streams"

classes=target/bench-classes
mkdir -p "$classes"
"$java_home/bin/javac" -d "$classes" bench/DrainPeers.java
now_ms() { date +%s%3N; }

# run MODE: node A up, the peers on it, then at one instant either SIGTERM to node A (drain) or every peer leaving A
# on its own (move); the peers go back to node B. Sets result: the generator's line and, for a drain, node A's exit
# time. Runs in this shell, not a subshell, so that the exit trap stops whatever it started.
run() {
  instance node-a 18190 18191
  local node_a=$app line term exited=-1
  coproc GEN { "$java_home/bin/java" -cp "$classes" DrainPeers 127.0.0.1:18191 127.0.0.1:18193 \
    http://127.0.0.1:18190 http://127.0.0.1:18192 "$publishable" "$PEERS" "$CONFIG_CONNECTIONS" "$1"; }
  read -r line <&"${GEN[0]}"
  [[ "$line" == ready* ]] || { echo "the peers did not all join node A: $line" >&2; exit 1; }
  term=$(now_ms)
  [ "$1" = drain ] && kill -TERM "$node_a"
  echo "$term" >&"${GEN[1]}"
  if [ "$1" = drain ]; then
    wait "$node_a" || true
    exited=$(( $(now_ms) - term ))
  fi
  read -r result <&"${GEN[0]}"
  wait "$GEN_PID" || true
  kill "$node_a" 2>/dev/null && wait "$node_a" || true
  result="$result node_a_exit_ms=$exited"
}

field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<< "$2"; }
row() {
  echo "| $1 | $(field peers "$2") | $(field back "$2") | $(field first_told_ms "$2") ms | $(field p50_back_ms "$2") ms | $(field p99_back_ms "$2") ms | $(field last_back_ms "$2") ms | $(field retries "$2") | $(field mean_token_ms "$2") / $(field mean_handshake_ms "$2") / $(field mean_announce_ms "$2") ms | $(field node_a_exit_ms "$2") ms | $(grep -o 'refused\[[^ ]*' <<< "$2" | tr '\n' ' ')|"
}
# The first round warms node B up (its JIT, its caches); it is shown, not compared.
run move
first=$result
echo "move (warm-up): $first" >&2
run drain
drained=$result
echo "drain: $drained" >&2
run move
moved=$result
echo "move: $moved" >&2
echo
echo "| round | peers on node A | back on node B | first told | p50 back | p99 back | last back | retries | mean client-config / handshake / announce | node A exited | refused on B |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
row "1: peers leave node A on their own (node B's warm-up)" "$first"
row "2: node A drained (SIGTERM)" "$drained"
row "3: peers leave node A on their own (the peer)" "$moved"
echo
echo "last back, drain / move (rounds 2 and 3): $(awk -v a="$(field last_back_ms "$drained")" -v b="$(field last_back_ms "$moved")" 'BEGIN { printf "%.2f", a / b }')"
echo
echo "node B's tracker refusals: $(curl -fs http://127.0.0.1:18192/actuator/prometheus | awk '/^meshcp_signaling_refusals_total\{/ && $2 > 0' | tr '\n' ' ')"
