#!/usr/bin/env bash
# Analytics latency at scale: a tenant with 20 million heartbeats over 30 days (BENCH_EVENTS), then the
# dashboard overview, the analytics page's data for each range and every REST analytics query, each
# measured with sequential requests from one client (bench/AnalyticsQueries.java). The peer, in the same
# run: the summary question answered from the raw heartbeats by one SQL statement, timed with psql.
#
# The tenant is the bootstrapped one; its streams and live events go through the REST API, its heartbeats
# and their minute, hour and reason sums straight into PostgreSQL (bench/analytics-data.sql: minutes, not
# the hours ingest would take). BENCH_REUSE=1 keeps an earlier fill of the same size that is less than
# BENCH_REUSE_MAX_AGE_HOURS (12) old; otherwise the previous fill's telemetry is removed and the tenant is
# made anew. Needs a JDK 21+, psql, and a PostgreSQL (BENCH_DATABASE_URL, default: the local server's
# meshcp_bench database) with room for about 8 GB. Prints Markdown tables for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${BENCH_EVENTS:-20000000}
WARMUP=${BENCH_WARMUP:-20}
REQUESTS=${BENCH_REQUESTS:-100}
MAX_SECONDS=${BENCH_MAX_SECONDS:-120}
RAW_WARMUP=${BENCH_RAW_WARMUP:-1}
RAW_REQUESTS=${BENCH_RAW_REQUESTS:-5}
FILL_JOBS=${BENCH_FILL_JOBS:-$(nproc)}
REUSE=${BENCH_REUSE:-0}
REUSE_MAX_AGE_HOURS=${BENCH_REUSE_MAX_AGE_HOURS:-12}
PSQL_URL=${BENCH_PSQL_URL:-postgresql://postgres@127.0.0.1:5432/meshcp_bench}
source bench/common.sh
# A copy, so that a build running meanwhile cannot swap the application under test.
cp "$jar" target/bench-analytics-app.jar
jar=target/bench-analytics-app.jar

sql() { psql "$PSQL_URL" -qAtX -v ON_ERROR_STOP=1 "$@"; }

# bench_analytics_fill names the tenant that holds the fill and its bootstrap identity, so that a later run
# can sign in as it again. It is made once the application has migrated the database (Flyway refuses to
# start on a schema that has tables but no history).
marked=$(sql -c "select to_regclass('bench_analytics_fill') is not null")
reused=""
if [ "$REUSE" = 1 ] && [ "$marked" = t ]; then
  echo "checking the previous fill (counts its heartbeats)..." >&2
  reused=$(sql -F ' ' -c "select run, secret, publishable, password from bench_analytics_fill f
    where events = $EVENTS and filled_at > now() - make_interval(hours => $REUSE_MAX_AGE_HOURS)
      and (select count(*) from telemetry_events e where e.tenant_id = f.tenant_id) = events")
fi
if [ -n "$reused" ]; then
  read -r run secret publishable password <<< "$reused"
else
  previous=$([ "$marked" = f ] || sql -c "select tenant_id from bench_analytics_fill")
  if [ -n "$previous" ]; then
    echo "removing the previous fill's telemetry (tenant $previous)..." >&2
    # A day partition that holds nobody else's rows is emptied at once; the others row by row. Each is
    # locked first, so that nobody's rows arrive between the look and the truncate.
    sql -v tenant="$previous" <<'EOF'
select set_config('bench.tenant', :'tenant', false) \g /dev/null
do $$
declare
    part text;
    others boolean;
begin
    for part in select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                where i.inhparent = 'telemetry_events_r30'::regclass loop
        execute format('lock table %I in access exclusive mode', part);
        execute format('select exists (select 1 from %I where tenant_id <> $1)', part)
            using current_setting('bench.tenant')::uuid into others;
        if others then
            execute format('delete from %I where tenant_id = $1', part) using current_setting('bench.tenant')::uuid;
        else
            execute format('truncate %I', part);
        end if;
    end loop;
end $$;
delete from telemetry_events where tenant_id = :'tenant';
delete from telemetry_minute where tenant_id = :'tenant';
delete from telemetry_hour where tenant_id = :'tenant';
delete from telemetry_reasons_hour where tenant_id = :'tenant';
delete from telemetry_sessions where tenant_id = :'tenant';
select telemetry_rebuild_coarser_sums(:'tenant');
delete from bench_analytics_fill;
EOF
  fi
  password="bench-$(tr -d - < /proc/sys/kernel/random/uuid)"
fi
export MESHCP_BOOTSTRAP_OWNER_PASSWORD=$password
# The tracker is not measured here; a free port keeps it clear of another application on this machine.
export MESHCP_SIGNALING_PORT=0
# One key sends every query back to back, thousands a minute: far past the shipped 600 a minute per key, which is
# sized for automation, not for a latency benchmark. Raised so that what is timed is the query, not the 429.
export MESHCP_API_RATE_LIMIT_REQUESTS=1000000
app=""
trap 'kill $app 2>/dev/null || true' EXIT
start_app target/bench-analytics-app.log -Xmx1g
base="http://127.0.0.1:$PORT"
at() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
tenant_id=$(sql -c "select id from tenants where name = 'Bench $run'")
[ "$marked" = t ] || sql -c "create table bench_analytics_fill (tenant_id uuid primary key, run text not null,
  secret text not null, publishable text not null, password text not null, events bigint not null,
  filled_at timestamptz not null, fill_seconds integer not null, vacuum_seconds integer not null)"

api() {
  curl -fsS -H "Authorization: Bearer $secret" -H 'Content-Type: application/json' -d "$2" "$base$1"
}
id_of() { sed -n 's/^{"id":"\([^"]*\)".*/\1/p'; }

if [ -z "$reused" ]; then
  # Most popular first: the fill gives the n-th stream a 1/n share of the audience.
  renditions() {
    local json="" r
    for r in "$@"; do
      case $r in
        1080p) json+='{"id": "1080p", "bitrate": 6000000, "resolution": "1920x1080"},' ;;
        720p) json+='{"id": "720p", "bitrate": 3000000, "resolution": "1280x720"},' ;;
        480p) json+='{"id": "480p", "bitrate": 1200000, "resolution": "854x480"},' ;;
        360p) json+='{"id": "360p", "bitrate": 700000, "resolution": "640x360"},' ;;
      esac
    done
    echo "[${json%,}]"
  }
  declare -A stream
  while read -r external kind name renditions_list; do
    # shellcheck disable=SC2086
    stream[$external]=$(api /api/v1/streams "{\"externalId\": \"$external\", \"name\": \"${name//_/ }\",
      \"kind\": \"$kind\", \"renditions\": $(renditions $renditions_list)}" | id_of)
  done <<'EOF'
sports-1 LIVE Sports_channel_1 1080p 720p 480p 360p
news-24 LIVE News_24 720p 480p 360p
movie-blockbuster VOD Blockbuster_movie 1080p 720p 480p 360p
sports-2 LIVE Sports_channel_2 1080p 720p 480p
music-live LIVE Music_live 1080p 720p 480p
series-s01e01 VOD Series_S01E01 1080p 720p 480p
esports LIVE Esports_arena 1080p 720p 480p 360p
documentary VOD Documentary 1080p 720p 480p
kids-show VOD Kids_show 720p 480p 360p
regional-news LIVE Regional_news 720p 480p 360p
concert-replay VOD Concert_replay 1080p 720p 480p 360p
archive-classic VOD Archive_classic 720p 480p 360p
EOF

  # The final is on now. The API schedules only events that end in the future, so the past ones are
  # scheduled ahead (a day apart, never overlapping) and then moved to their real window in the database.
  api /api/v1/live-events "{\"streamId\": \"${stream[sports-1]}\", \"name\": \"Cup final\",
    \"startsAt\": \"$(at '2 hours ago')\", \"endsAt\": \"$(at '1 hour')\",
    \"overrides\": {\"latencyBudgetMs\": 2000}}" > /dev/null
  moves=""
  ahead=40
  while read -r external name days_ago start minutes budget; do
    id=$(api /api/v1/live-events "{\"streamId\": \"${stream[$external]}\", \"name\": \"${name//_/ }\",
      \"startsAt\": \"$(at "$ahead days")\", \"endsAt\": \"$(at "$ahead days $minutes minutes")\",
      \"overrides\": {\"latencyBudgetMs\": $budget}}" | id_of)
    ahead=$((ahead + 1))
    moves+="('$id'::uuid, $days_ago, time '$start', $minutes),"
  done <<'EOF'
sports-1 Semi-final 3 19:00 120 2500
sports-1 Quarter-final 10 19:00 120 3000
sports-1 League_match 17 18:30 120 4000
sports-2 Derby 6 17:00 120 2000
esports Championship_finals 12 14:00 480 3000
music-live Festival_headliner 8 20:00 150 5000
news-24 Election_night 20 18:00 360 6000
EOF
  sql -c "update live_events e set starts_at = date_trunc('day', now()) - make_interval(days => m.days_ago) + m.start,
      ends_at = date_trunc('day', now()) - make_interval(days => m.days_ago) + m.start + make_interval(mins => m.minutes)
    from (values ${moves%,}) m(id, days_ago, start, minutes) where e.id = m.id"

  df -h "$(sql -c 'show data_directory')" 2>/dev/null | tail -n 1 | awk '{print "disk before the fill: " $4 " free"}' >&2 || true
  echo "filling tenant $tenant_id with $EVENTS heartbeats..." >&2
  fill_start=$(date +%s)
  sql -v tenant="$tenant_id" -v events="$EVENTS" -f bench/analytics-data.sql >&2
  # Every day's heartbeats first, then every day's sums: a day's battery drain looks back into the day before.
  for step in heartbeats sums; do
    sql -c "select day from bench_fill.bench_days order by day" \
      | xargs -P "$FILL_JOBS" -I{} psql "$PSQL_URL" -qAtX -v ON_ERROR_STOP=1 \
          -c "select bench_fill.$step('$tenant_id', '{}')" >&2
  done
  # The coarser sums, from the full ones, as ingest would have kept them.
  sql -c "select telemetry_rebuild_coarser_sums('$tenant_id')" > /dev/null
  sql -c "set client_min_messages = warning" -c "drop schema bench_fill cascade"
  fill_seconds=$(( $(date +%s) - fill_start ))
  vacuum_start=$(date +%s)
  # Autovacuum would get to the new rows during the measurement; do its work now, and give the planner
  # its statistics.
  for table in telemetry_events telemetry_minute telemetry_hour telemetry_reasons_hour telemetry_reasons_hour_tenant \
      telemetry_minute_tenant telemetry_minute_stream telemetry_minute_audience telemetry_hour_total \
      telemetry_hour_stream telemetry_hour_audience; do
    sql -c "vacuum (analyze) $table"
  done
  vacuum_seconds=$(( $(date +%s) - vacuum_start ))
  sql -c "insert into bench_analytics_fill values ('$tenant_id', '$run', '$secret', '$publishable', '$password',
    $EVENTS, now(), $fill_seconds, $vacuum_seconds)"
  filled="filled now"
else
  read -r fill_seconds vacuum_seconds filled_at < <(sql -F ' ' -c "select fill_seconds, vacuum_seconds,
    to_char(filled_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI \"UTC\"') from bench_analytics_fill")
  filled="filled $filled_at, reused"
  echo "reusing the fill of tenant $tenant_id ($filled_at)" >&2
fi

top_stream=$(sql -c "select id from streams where tenant_id = '$tenant_id' and external_id = 'sports-1'")
tail_stream=$(sql -c "select id from streams where tenant_id = '$tenant_id' and external_id = 'archive-classic'")
echo "measuring the queries..." >&2
table=$("$java_home/bin/java" bench/AnalyticsQueries.java "$base" "$secret" "bench-$run@example.com" "$password" \
  "$top_stream" "$tail_stream" "$WARMUP" "$REQUESTS" "$MAX_SECONDS" target/bench-analytics-latencies.tsv)

# time_raw FROM TO: the raw summary RAW_WARMUP + RAW_REQUESTS times in one psql session; the measured
# times in ms, one a line.
time_raw() {
  { echo '\timing on'; for _ in $(seq $((RAW_WARMUP + RAW_REQUESTS))); do echo '\i bench/analytics-raw-summary.sql'; done; } \
    | sql -v tenant="$tenant_id" -v from="$1" -v to="$2" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' \
    | tail -n +$((RAW_WARMUP + 1))
}
# percentiles: p50 p95 p99 (nearest rank) of the numbers on stdin.
percentiles() {
  sort -n | awk '{ v[NR] = $1 } END { split("0.50 0.95 0.99", p, " ");
    for (i = 1; i <= 3; i++) { r = int(p[i] * NR); if (r < p[i] * NR) r++; if (r < 1) r = 1; printf "%.1f ", v[r] } print "" }'
}
to=$(date -u -d '1 minute' +%Y-%m-%dT%H:%M:00Z)
raw_rows=""
for range in "24 h:24 hours:summary 24 h" "30 d:30 days:summary 30 d"; do
  IFS=: read -r label span query <<< "$range"
  echo "timing the raw summary over $label..." >&2
  read -r raw50 raw95 raw99 < <(time_raw "$(date -u -d "$to $span ago" +%Y-%m-%dT%H:%M:%SZ)" "$to" | percentiles)
  IFS=$'\t' read -r _ n app50 app95 app99 < <(grep -F "$query"$'\t' target/bench-analytics-latencies.tsv)
  raw_rows+="| $label | $raw50 / $raw95 / $raw99 ms ($RAW_REQUESTS) | $app50 / $app95 / $app99 ms ($n) | **$(awk -v a="$raw50" -v b="$app50" 'BEGIN { printf "%.1f", a / b }')** | $(awk -v a="$raw95" -v b="$app95" 'BEGIN { printf "%.1f", a / b }') |"$'\n'
done

echo
echo "Tenant $tenant_id: $EVENTS heartbeats ($filled): heartbeats and sums written in $fill_seconds s, vacuum and analyze $vacuum_seconds s."
sql -c "select format('| %s | %s |', t, n) from (
  select 'telemetry_minute rows' t, count(*) n from telemetry_minute where tenant_id = '$tenant_id'
  union all select 'telemetry_hour rows', count(*) from telemetry_hour where tenant_id = '$tenant_id'
  union all select 'telemetry_reasons_hour rows', count(*) from telemetry_reasons_hour where tenant_id = '$tenant_id'
  union all select 'telemetry_reasons_hour_tenant rows', count(*) from telemetry_reasons_hour_tenant
    where tenant_id = '$tenant_id') c" \
  | { echo "| sums | rows |"; echo "|---|---|"; cat; }
echo
echo "$table"
echo
echo "| summary over | raw heartbeats, one SQL statement (psql): p50 / p95 / p99 | summary endpoint (HTTP) | raw / sums, p50 | raw / sums, p95 |"
echo "|---|---|---|---|---|"
printf '%s' "$raw_rows"
