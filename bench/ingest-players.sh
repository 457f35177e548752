#!/usr/bin/env bash
# Telemetry ingest in production shape (issue 18, item 3): 100,000 players of 100 organisations and 1,000 streams
# (Zipf-distributed), each sending its heartbeats (one, sometimes two or three) in one request every 10 s, with
# live timestamps, 1% of requests replayed and 0.1% of events late (bench/IngestPlayers.java). The application runs
# with its shipped settings (limits, durability, key checks) from the jar, pinned to CPU 0; the generator is pinned to
# CPU 1; PostgreSQL is not pinned (it is the machine's). Then the peer, in the same run: the same players' rows
# inserted as the players grouped them, one multi-row INSERT per request, into the same table, over the same stretch of
# table size: what the database does with these requests without the application.
#
# Rounds, each BENCH_SECONDS (30) after BENCH_WARMUP_SECONDS (60) of warm-up: the JIT on one core is still compiling before that:
#   1. keep-alive (BENCH_CONNECTIONS pooled connections, as a load balancer keeps), the full offered rate: the
#      maximum, in committed events/s;
#   2. the same without replays;
#   3. a new connection per request, the full offered rate;
#   4. keep-alive at 25%, 50% and 75% of round 1's requests/s, for latency from when each request was due.
# Prints Markdown tables for docs/benchmarks.md.
#
# Environment: BENCH_PLAYERS (100000), BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_CONNECTIONS (256),
# BENCH_PEER_SESSIONS (10), and common.sh's BENCH_PORT. Needs a JDK 21+, psql, taskset and the local
# PostgreSQL (a fresh database, meshcp_bench_players, each run).
set -euo pipefail
cd "$(dirname "$0")/.."

PLAYERS=${BENCH_PLAYERS:-100000}
MEASURE=${BENCH_SECONDS:-30}
WARMUP=${BENCH_WARMUP_SECONDS:-60}
CONNECTIONS=${BENCH_CONNECTIONS:-256}
PEER_SESSIONS=${BENCH_PEER_SESSIONS:-10}
TENANTS=100
STREAMS=10
OFFERED=$(( PLAYERS / 10 ))

psql -h 127.0.0.1 -U postgres -qc "drop database if exists meshcp_bench_players with (force)" \
  -c "create database meshcp_bench_players"
export BENCH_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/meshcp_bench_players
PSQL_URL=postgresql://postgres@127.0.0.1:5432/meshcp_bench_players
source bench/common.sh
source bench/tracker-common.sh

start_app target/bench-players-app.log -Xmx1g -XX:ActiveProcessorCount=1
trap 'kill $app 2>/dev/null || true' EXIT
taskset -a -cp 0 "$app" > /dev/null

# The organisations, their publishable keys and streams, written as the application would (the key's SHA-256).
tenants_file=target/bench-players-tenants.txt
psql "$PSQL_URL" -qAt -v ON_ERROR_STOP=1 -F ' ' > "$tenants_file" <<SQL
insert into tenants (id, name, created_at)
  select gen_random_uuid(), 'Players bench $run ' || t, now() from generate_series(1, $TENANTS) t;
create temporary table bench_tenants as
  select id, row_number() over (order by name) as n, 'mesh_pk_players' || md5('$run' || id::text) as key
  from tenants where name like 'Players bench $run %';
insert into api_keys (id, tenant_id, kind, name, display_prefix, key_hash, created_by, created_at)
  select gen_random_uuid(), id, 'PUBLISHABLE', 'players bench', left(key, 16), sha256(convert_to(key, 'UTF8')),
    'bench', now() from bench_tenants;
insert into streams (id, tenant_id, external_id, name, kind, renditions, created_at, updated_at)
  select gen_random_uuid(), t.id, 's' || s, 'Stream ' || s, 'LIVE',
    '[{"id": "1080p", "bitrate": 6000000}, {"id": "720p", "bitrate": 3000000}, {"id": "480p", "bitrate": 1200000}]',
    now(), now()
  from bench_tenants t, generate_series(0, $STREAMS - 1) s;
select t.key, t.id, string_agg(s.id::text, ' ' order by length(s.external_id), s.external_id)
  from bench_tenants t join streams s on s.tenant_id = t.id group by t.key, t.id, t.n order by t.n;
SQL
[ "$(wc -l < "$tenants_file")" = "$TENANTS" ] || { echo "expected $TENANTS organisations in $tenants_file" >&2; exit 1; }

# The generator compiled once, so that no round pays for compiling it.
classes=target/bench-classes
mkdir -p "$classes"
"$java_home/bin/javac" -d "$classes" bench/IngestPlayers.java bench/TelemetryLoad.java
players() {
  taskset -c 1 "$java_home/bin/java" -Xmx2g -cp "$classes" IngestPlayers http "http://127.0.0.1:$PORT" "$tenants_file" \
    "$PLAYERS" "$@"
}
pg_cpu() {
  local total=0 pid
  for pid in $(pgrep -u postgres postgres); do
    total=$(awk -v t="$total" -v hz="$(getconf CLK_TCK)" '{ print t + ($14 + $15) / hz }' "/proc/$pid/stat" 2>/dev/null \
      || echo "$total")
  done
  echo "$total"
}
rows() { psql "$PSQL_URL" -tAc "select count(*) from telemetry_events"; }
# round NAME RATE REPLAYS KEEPALIVE: one measured round; prints a table row and keeps its output in $out.
# CPU is counted over the round's whole wall time (the generator's start and its last answers included), as a
# share of one core.
round() {
  local app_cpu pg_before started took
  app_cpu=$(cpu_seconds "$app")
  pg_before=$(pg_cpu)
  started=$(date +%s.%N)
  out=$(players "$2" "$MEASURE" "$3" "$4" "$CONNECTIONS")
  took=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  printf '| %s | %s | %s | %s | %s | %s / %s / %s ms | %s / %s / %s | %s | %.0f%% / %.0f%% / %.0f%% |\n' "$1" \
    "$(field offered "$out")" "$(field requests_per_s "$out")" "$(field events_per_s "$out")" \
    "$(field duplicates "$out")" "$(field p50_ms "$out")" "$(field p99_ms "$out")" "$(field p999_ms "$out")" \
    "$(field refused_503 "$out")" "$(field refused_429 "$out")" "$(field failed "$out")" "$(field unanswered "$out")" \
    "$(awk -v a="$app_cpu" -v b="$(cpu_seconds "$app")" -v s="$took" 'BEGIN { print 100 * (b - a) / s }')" \
    "$(awk -v a="$pg_before" -v b="$(pg_cpu)" -v s="$took" 'BEGIN { print 100 * (b - a) / s }')" \
    "$(awk -v c="$(field generator_cpu_s "$out")" -v s="$took" 'BEGIN { print 100 * c / s }')"
}

echo "warming up: $WARMUP s at $OFFERED requests/s" >&2
players "$OFFERED" "$WARMUP" 0.01 true "$CONNECTIONS" > /dev/null
before_max=$(rows)
{
  echo "| round | offered req/s | answered req/s | committed events/s | replayed events | ack p50 / p99 / p99.9 (from due time) | 503 / 429 / failed | unanswered at the end | CPU: application / PostgreSQL / generator |"
  echo "|---|---|---|---|---|---|---|---|---|"
}
round "keep-alive, 1% replays: maximum" "$OFFERED" 0.01 true
max_out=$out
after_max=$(rows)
round "keep-alive, no replays: maximum" "$OFFERED" 0 true
no_replays_out=$out
round "new connection per request, 1% replays: maximum" "$OFFERED" 0.01 false
max_rps=$(field requests_per_s "$max_out")
for share in 25 50 75; do
  round "keep-alive, 1% replays, ${share}% of the maximum" \
    "$(awk -v m="$max_rps" -v s="$share" 'BEGIN { printf "%.0f", m * s / 100 }')" 0.01 true
done

# The peer: as many rows as round 1 committed, one multi-row INSERT per request as the players grouped them, each
# its own transaction, from as many sessions at once as the application's connection pool holds (Hikari's 10), over
# the same stretch of table size: emptied, filled untimed with as many rows as there were before round 1, then timed.
kill "$app" && wait "$app" 2>/dev/null || true
measured=$(( after_max - before_max ))
psql "$PSQL_URL" -qc "truncate telemetry_events"
first_tenant=$(head -n 1 "$tenants_file" | cut -d ' ' -f 2)
first_stream=$(head -n 1 "$tenants_file" | cut -d ' ' -f 3)
if [ "$before_max" -gt 0 ]; then
  "$java_home/bin/java" -cp "$classes" TelemetryLoad csv "$first_tenant" "$first_stream" "$before_max" \
    > target/bench-players.csv
  psql "$PSQL_URL" -qc "\\copy telemetry_events from 'target/bench-players.csv' csv"
fi
share=$(( (measured + PEER_SESSIONS - 1) / PEER_SESSIONS ))
for part in $(seq 1 "$PEER_SESSIONS"); do
  "$java_home/bin/java" -cp "$classes" IngestPlayers sql "$tenants_file" "$PLAYERS" "$share" \
    > "target/bench-players-$part.sql"
done
started=$(date +%s.%N)
for part in $(seq 1 "$PEER_SESSIONS"); do
  psql "$PSQL_URL" -q -v ON_ERROR_STOP=1 -f "target/bench-players-$part.sql" &
done
wait
insert_rate=$(awk -v n="$(( share * PEER_SESSIONS ))" -v a="$started" -v b="$(date +%s.%N)" \
  'BEGIN { printf "%.0f", n / (b - a) }')

max_rate=$(field events_per_s "$max_out")
echo
echo "| measure | value |"
echo "|---|---|"
echo "| committed events/s, keep-alive, 1% replays (round 1) | $max_rate |"
echo "| the same without replays (round 2) | $(field events_per_s "$no_replays_out") |"
echo "| with replays / without | **$(awk -v a="$max_rate" -v b="$(field events_per_s "$no_replays_out")" 'BEGIN { printf "%.2f", a / b }')** |"
echo "| the peer: $(( share * PEER_SESSIONS )) rows, one INSERT per request, $PEER_SESSIONS sessions (after $before_max untimed): rows/s | $insert_rate |"
echo "| HTTP ingest / INSERT | **$(awk -v a="$max_rate" -v b="$insert_rate" 'BEGIN { printf "%.2f", a / b }')** |"
