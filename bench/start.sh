#!/usr/bin/env bash
# Start and footprint (issue 18, item 6): how long the jar takes from launch to ready (readiness UP, which needs
# PostgreSQL, the caches' first reads and the tracker's port), warm and cold, and the resident memory of a ready,
# idle node. The peer, in the same run: the JDK's own web server (jwebserver) from launch to its first answer, the
# floor any Java HTTP service starts from on this machine. Then the same jar extracted (java -Djarmode=tools) and
# started with a JDK 25 AOT cache made by one training run (JEP 483/514): what a deployment that ships the cache gets.
#
#   bench/start.sh            # BENCH_ROUNDS (5 warm, as many cold when run as root, as many with the AOT cache)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh

ROUNDS=${BENCH_ROUNDS:-5}
PEER_PORT=$((PORT + 1))
out=$(mktemp -d)

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# ready_after URL PID: milliseconds from now until URL answers 2xx, polled every 20 ms.
ready_after() {
  local url=$1 pid=$2 started
  started=$(now_ms)
  until curl -fs -o /dev/null "$url" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "process $pid ended before $url answered" >&2; exit 1; }
    sleep 0.02
  done
  echo $(( $(now_ms) - started ))
}

launch_app() {
  local options=("$@")
  SERVER_PORT=$PORT SPRING_DATASOURCE_URL=$DB_URL SPRING_DATASOURCE_USERNAME=$APP_DB_USER \
    SPRING_DATASOURCE_PASSWORD=$APP_DB_PASSWORD SPRING_FLYWAY_USER=$DB_USER SPRING_FLYWAY_PASSWORD=$DB_PASSWORD \
    MESHCP_BOOTSTRAP_TENANT_NAME="Bench $run" MESHCP_BOOTSTRAP_OWNER_EMAIL="bench-$run@example.com" \
    MESHCP_BOOTSTRAP_SECRET_KEY=$secret MESHCP_BOOTSTRAP_PUBLISHABLE_KEY=$publishable LOGGING_LEVEL_ROOT=warn \
    "$java_home/bin/java" "${options[@]}" -jar "${run_jar:-$jar}" > "$out/app.log" 2>&1 &
  app=$!
}

stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

drop_caches() {
  sync
  echo 3 > /proc/sys/vm/drop_caches
}

# A first start migrates a new database and makes the bootstrap tenant: not measured.
launch_app
ready_after "http://127.0.0.1:$PORT/actuator/health/readiness" $app > /dev/null
stop $app

# The extracted jar and its AOT cache, from a training run that stops once the context is refreshed.
"$java_home/bin/java" -Djarmode=tools -jar "$jar" extract --destination "$out/extracted" > /dev/null
extracted=$(ls "$out"/extracted/*.jar)
run_jar=$extracted launch_app -XX:AOTCacheOutput="$out/app.aot" -Dspring.context.exit=onRefresh
wait $app || true
[ -f "$out/app.aot" ] || { echo "no AOT cache was made; see $out/app.log" >&2; exit 1; }

modes=(warm)
[ "$(id -u)" = 0 ] && modes+=(cold) || echo "not root: cold starts (OS page cache dropped) skipped" >&2
modes+=(aot)
for mode in "${modes[@]}"; do
  for round in $(seq 1 "$ROUNDS"); do
    [ "$mode" = cold ] && drop_caches
    "$java_home/bin/jwebserver" -b 127.0.0.1 -p $PEER_PORT -d "$out" > /dev/null 2>&1 &
    peer=$!
    peer_ms=$(ready_after "http://127.0.0.1:$PEER_PORT/" $peer)
    stop $peer
    [ "$mode" = cold ] && drop_caches
    if [ "$mode" = aot ]; then
      run_jar=$extracted launch_app -XX:AOTCache="$out/app.aot"
    else
      launch_app
    fi
    app_ms=$(ready_after "http://127.0.0.1:$PORT/actuator/health/readiness" $app)
    # Idle once ready: what a node holds before its first player.
    rss_kib=$(awk '/^VmRSS/ {print $2}' /proc/$app/status)
    heap=$("$java_home/bin/jcmd" $app GC.heap_info 2>/dev/null | awk '/used/ {print; exit}' | sed 's/^ *//')
    stop $app
    printf '%s round %d: app ready %d ms, jwebserver %d ms (%.1fx), RSS %d MiB; %s\n' "$mode" "$round" \
      "$app_ms" "$peer_ms" "$(echo "$app_ms / $peer_ms" | bc -l)" $((rss_kib / 1024)) "$heap"
  done
done
rm -rf "$out"
