#!/usr/bin/env bash
# What crossing nodes costs the tracker, side by side in one run: the load generator (bench/TrackerLoad.java)
# against one instance without Redis, and against two instances sharing swarms through a Redis, with the
# connections spread over both (so about half of all offers and answers go through Redis to the other node).
# Both set-ups get the same CPU: every server process (the one instance; or both instances and Redis) is pinned
# to CPU 0, the generator to CPU 1, so the ratio is the work per response, not extra hardware. Rounds alternate
# between the set-ups; the idle one is stopped (SIGSTOP). Needs what bench/tracker-load.sh needs plus
# redis-server (started here, on BENCH_REDIS_PORT). Prints a Markdown table, and the tracker's refusals.
# Environment: BENCH_CONNECTIONS (256), BENCH_WARMUP_SECONDS (15), BENCH_SECONDS (20), BENCH_ROUNDS (3),
# BENCH_SERVER_CPUS (0), BENCH_LOAD_CPUS (1), BENCH_REDIS_PORT (6391), BENCH_HEAP (512m), common.sh's BENCH_DATABASE_*.
#
# The peers are viewers behind a load balancer (bench/tracker-common.sh): a token and session each from
# client-config (the single instance's for its rounds, node A's for the two nodes'), fetched before each round
# and outside its measurement, and an X-Forwarded-For address per four peers, so the per-session and per-address
# limits apply as shipped. A round must end within the tokens' 10 minutes; the generator refuses a longer one.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${BENCH_CONNECTIONS:-256}
WARMUP=${BENCH_WARMUP_SECONDS:-15}
MEASURE=${BENCH_SECONDS:-20}
ROUNDS=${BENCH_ROUNDS:-3}
SERVER_CPUS=${BENCH_SERVER_CPUS:-0}
LOAD_CPUS=${BENCH_LOAD_CPUS:-1}
REDIS_PORT=${BENCH_REDIS_PORT:-6391}
HEAP=${BENCH_HEAP:-512m}
source bench/common.sh
source bench/tracker-common.sh

taskset -c "$SERVER_CPUS" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
  > target/bench-redis.log 2>&1 &
redis=$!
apps=""
trap 'kill -CONT $apps 2>/dev/null; kill $apps $redis 2>/dev/null || true' EXIT

# One signing key for every instance, so a token from either node is good on both, as behind a load balancer.
export MESHCP_SIGNALING_TOKEN_KEYS_0_ID=bench MESHCP_SIGNALING_TOKEN_KEYS_0_SECRET="bench-secret-$run-0123456789abcdef"
# As in bench/tracker-load.sh: the generator's peers wander over many swarms and send far more messages than a
# player does, so the per-socket limits are raised (they are still checked on every message).
export MESHCP_SIGNALING_MESSAGES_PER_SECOND=1000000 MESHCP_SIGNALING_MAX_SWARMS_PER_CONNECTION=100000

# instance NAME HTTP_PORT TRACKER_PORT [REDIS_URL]: starts one pinned instance; its pid ends up in $app.
instance() {
  PORT=$2 MESHCP_SIGNALING_PORT=$3 SPRING_DATA_REDIS_URL=${4:-} \
    start_app "target/bench-$1.log" "-Xms$HEAP" "-Xmx$HEAP" -XX:ActiveProcessorCount=1
  taskset -acp "$SERVER_CPUS" $app >/dev/null
  apps="$apps $app"
}
instance single 18180 18181
single=$app
curl -fs -o /dev/null -H "Authorization: Bearer $secret" -H 'Content-Type: application/json' \
  -d '{"externalId": "bench", "name": "Bench", "kind": "LIVE"}' "http://127.0.0.1:18180/api/v1/streams"
instance node-a 18190 18191 "redis://127.0.0.1:$REDIS_PORT"
node_a=$app
instance node-b 18192 18193 "redis://127.0.0.1:$REDIS_PORT"
node_b=$app

require_tokens "http://127.0.0.1:18180"
require_tokens "http://127.0.0.1:18190"
row() {
  echo "| $1 | $2 | $(field responses_per_s "$3") | $(field announce_per_s "$3") | $(field offer_per_s "$3") | $(field answer_per_s "$3") | $(field error_per_s "$3") | $(field p50_ms "$3") ms | $(field p99_ms "$3") ms |"
}
redis_cpu() { awk '{ print $14 + $15 }' "/proc/$redis/stat"; }

rows=""
ratios=""
for round in $(seq 1 "$ROUNDS"); do
  kill -STOP $node_a $node_b $redis
  kill -CONT $single
  one=$(load "ws://127.0.0.1:18181/v1/signal" "http://127.0.0.1:18180")
  kill -STOP $single
  kill -CONT $node_a $node_b $redis
  before=$(redis_cpu)
  two=$(load "ws://127.0.0.1:18191/v1/signal,ws://127.0.0.1:18193/v1/signal" "http://127.0.0.1:18190")
  redis_share=$(awk -v t="$(( $(redis_cpu) - before ))" -v s="$((WARMUP + MEASURE))" -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.0f%%", 100 * t / hz / s }')
  rows+="$(row "$round" "one instance, no Redis" "$one")"$'\n'"$(row "$round" "two instances + Redis (Redis: $redis_share of CPU 0)" "$two")"$'\n'
  ratios+="$(awk -v a="$(field responses_per_s "$two")" -v b="$(field responses_per_s "$one")" 'BEGIN { printf "%.2f", a / b }') "
done

echo
echo "| round | set-up | responses/s | announce replies/s | offers/s | answers/s | errors/s | announce p50 | p99 |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s' "$rows"
echo
echo "ratio per round (two instances with Redis / one instance, responses per second): **$ratios**"
kill -CONT $single
echo "tracker refusals: one instance: $(refusals http://127.0.0.1:18180); node A: $(refusals http://127.0.0.1:18190);" \
  "node B: $(refusals http://127.0.0.1:18192)"
