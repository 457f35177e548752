#!/usr/bin/env bash
# Heap per idle tracker peer: starts the application, measures the heap after a full GC, connects N idle
# peers (each announced into one of 50 swarms), measures again, and divides. Needs a JDK 21+ (jcmd) and a
# PostgreSQL (BENCH_DATABASE_URL, default: the local server's meshcp_bench database).
# N is bounded by the open-file limit of one process (ulimit -n); BENCH_PEERS defaults to 15000.
# Environment: BENCH_PEERS, BENCH_TRACKER_PORT (18081), BENCH_TOMCAT_PORT (18083), common.sh's BENCH_PORT and
# BENCH_DATABASE_*.
#
# The peers are viewers behind a load balancer (bench/tracker-common.sh): bench/IdlePeers.java fetches a token and
# session each from client-config before the heap is first measured, and gives every four peers an X-Forwarded-For
# address, so the tracker's per-session and per-address limits apply as shipped and their per-socket bookkeeping
# is in the measurement.
set -euo pipefail
cd "$(dirname "$0")/.."

TRACKER_PORT=${BENCH_TRACKER_PORT:-18081}
PEERS=${BENCH_PEERS:-15000}
TOMCAT_PORT=${BENCH_TOMCAT_PORT:-18083}
source bench/common.sh
source bench/tracker-common.sh
# The idle peers announce once, then send nothing and answer no pings (the ping interval's third silence closes a
# socket), and all connect before the heap is measured: the idle timeout, the ping interval and the token lifetime
# must outlast the measurement, so they are 1 h instead of 300 s, 40 s and 10 min. They decide only when a socket is
# closed, not what it holds (each is one timer per socket, whatever its length).
MESHCP_SIGNALING_PORT=$TRACKER_PORT MESHCP_SIGNALING_IDLE_TIMEOUT=1h MESHCP_SIGNALING_PING_INTERVAL=1h \
  MESHCP_SIGNALING_TOKEN_TTL=1h start_app target/bench-memory-app.log -Xmx2g
peers=""
tomcat=""
trap 'kill $app ${peers:-} ${tomcat:-} 2>/dev/null || true; rm -f target/bench-idle-peers.go' EXIT
curl -fs -o /dev/null -H "Authorization: Bearer $secret" -H 'Content-Type: application/json' \
  -d '{"externalId": "bench", "name": "Bench", "kind": "LIVE"}' "http://127.0.0.1:$PORT/api/v1/streams"
require_tokens "http://127.0.0.1:$PORT"

# wait_for WORD LOG PID: waits until the client PID prints WORD to LOG; fails if it exits first.
wait_for() {
  for _ in $(seq 1 600); do
    grep -q "^$1 " "$2" && return 0
    kill -0 "$3" 2>/dev/null || break
    sleep 1
  done
  echo "the peers did not get to '$1'; see $2" >&2
  exit 1
}

# heap PID: KiB of heap in use after a full GC.
heap() {
  "$java_home/bin/jcmd" $1 GC.run >/dev/null
  sleep 2
  "$java_home/bin/jcmd" $1 GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub("K,?", "", v); print v; exit } }'
}
# The peers' tokens are fetched before the first measurement, so that what client-config leaves behind (caches,
# Tomcat's connection buffers) is not counted as the peers'; a line through the FIFO then lets them connect.
rm -f target/bench-idle-peers.go
mkfifo target/bench-idle-peers.go
"$java_home/bin/java" bench/IdlePeers.java "$TRACKER_PORT" "$PEERS" "http://127.0.0.1:$PORT" "$publishable" \
  < target/bench-idle-peers.go > target/bench-idle-peers.log 2>&1 &
peers=$!
exec 3> target/bench-idle-peers.go
wait_for tokens target/bench-idle-peers.log $peers
before=$(heap $app)
echo go >&3
exec 3>&-
wait_for ready target/bench-idle-peers.log $peers
sleep 5
after=$(heap $app)
open=$(curl -fs "http://127.0.0.1:$PORT/actuator/prometheus" | awk '/^meshcp_signaling_connections / {print int($2)}')
[ "${open:-0}" -ge "$PEERS" ] || { echo "only ${open:-0} of $PEERS peers are connected; see target/bench-idle-peers.log" >&2; exit 1; }
per_peer=$(awk -v a="$after" -v b="$before" -v n="$PEERS" 'BEGIN { printf "%.2f", (a - b) / n }')

echo
echo "| measure | value |"
echo "|---|---|"
echo "| idle peers connected and announced | $PEERS (tracker reports $open open) |"
echo "| heap used after full GC, before | ${before} KiB |"
echo "| heap used after full GC, with the peers | ${after} KiB |"
echo "| heap per idle peer | **${per_peer} KiB** |"
echo "| tracker refusals | $(refusals "http://127.0.0.1:$PORT") |"

# The same client against a minimal Jakarta WebSocket endpoint on embedded Tomcat (bench/TomcatIdlePeers.java),
# with the tracker stopped so both have the machine to themselves.
kill $peers $app
wait $peers $app 2>/dev/null || true
peers=""
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
tomcat_jars=$(tr ':' '\n' < target/bench-classpath.txt | grep -e '/tomcat-embed-' -e '/jakarta.annotation-api-' | paste -sd: -)
"$java_home/bin/java" -Xmx2g -cp "$tomcat_jars" bench/TomcatIdlePeers.java "$TOMCAT_PORT" > target/bench-tomcat.log 2>&1 &
tomcat=$!
for _ in $(seq 1 60); do grep -q listening target/bench-tomcat.log && break; sleep 1; done
grep -q listening target/bench-tomcat.log || { echo "Tomcat did not start; see target/bench-tomcat.log" >&2; exit 1; }
tomcat_before=$(heap $tomcat)
"$java_home/bin/java" bench/IdlePeers.java "$TOMCAT_PORT" "$PEERS" > target/bench-idle-peers-tomcat.log 2>&1 &
peers=$!
wait_for ready target/bench-idle-peers-tomcat.log $peers
sleep 5
tomcat_after=$(heap $tomcat)
tomcat_per_peer=$(awk -v a="$tomcat_after" -v b="$tomcat_before" -v n="$PEERS" 'BEGIN { printf "%.2f", (a - b) / n }')
ratio=$(awk -v a="$tomcat_per_peer" -v b="$per_peer" 'BEGIN { printf "%.1f", a / b }')
echo "| Tomcat WebSocket (minimal endpoint), heap after full GC before / with the peers | ${tomcat_before} / ${tomcat_after} KiB |"
echo "| Tomcat heap per idle peer | **${tomcat_per_peer} KiB** (${ratio} times the tracker's) |"
