#!/usr/bin/env bash
# Memory per cached stream and organisation (issue 18, item 6): the heap a node holds for what client-config keeps in
# memory (publishable keys, streams, policy levels), with 500,000 streams of 1,000 organisations cached, in a heap
# capped at 1 GiB (the target). The jar runs with its shipped settings; bench/CachedStreams.java asks client-config
# once for every stream, each with a session of its own. Live heap is read from a class histogram (which collects
# first): after a warm-up organisation's streams, after the first stream of every organisation, after all of them.
# The peer, in the same run: the bytes PostgreSQL holds for the same stream rows (the table and its indexes).
#
# Environment: BENCH_TENANTS (1000), BENCH_STREAMS_PER_TENANT (495), BENCH_WARMUP_STREAMS (5000; with the defaults,
# 500,000 streams in all, the caches' size), BENCH_CONNECTIONS (32), common.sh's BENCH_PORT. Needs a JDK 21+, psql and
# the local PostgreSQL (a fresh database, meshcp_bench_cache, each run).
set -euo pipefail
cd "$(dirname "$0")/.."

TENANTS=${BENCH_TENANTS:-1000}
PER_TENANT=${BENCH_STREAMS_PER_TENANT:-495}
WARMUP=${BENCH_WARMUP_STREAMS:-5000}
CONNECTIONS=${BENCH_CONNECTIONS:-32}

psql -h 127.0.0.1 -U postgres -qc "drop database if exists meshcp_bench_cache with (force)" \
  -c "create database meshcp_bench_cache"
export BENCH_DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/meshcp_bench_cache
PSQL_URL=postgresql://postgres@127.0.0.1:5432/meshcp_bench_cache
source bench/common.sh

start_app target/bench-cache-app.log -Xmx1g -XX:+ExitOnOutOfMemoryError
trap 'kill $app 2>/dev/null || true' EXIT

# The organisations (the first one for the warm-up), their publishable keys and their streams.
keys_file=target/bench-cache-keys.txt
seed_organisations "$PSQL_URL" "Cache bench" $((TENANTS + 1)) "$WARMUP" "$PER_TENANT" > "$keys_file"
head -n 1 "$keys_file" > target/bench-cache-warmup-key.txt
tail -n +2 "$keys_file" > target/bench-cache-tenant-keys.txt
stream_rows=$(psql "$PSQL_URL" -qAtc "select count(*) from streams")
stream_bytes=$(psql "$PSQL_URL" -qAtc "select pg_total_relation_size('streams')")

classes=target/bench-classes
mkdir -p "$classes"
"$java_home/bin/javac" -d "$classes" bench/CachedStreams.java
ask() { "$java_home/bin/java" -cp "$classes" CachedStreams "http://127.0.0.1:$PORT" "$@" "$CONNECTIONS"; }
# Live bytes: the class histogram collects the whole heap first.
live_bytes() { "$java_home/bin/jcmd" "$app" GC.class_histogram | awk '/^Total/ {print $3}'; }
rss_mib() { echo $(( $(awk '/^VmRSS/ {print $2}' /proc/$app/status) / 1024 )); }

echo "warm-up: $(ask target/bench-cache-warmup-key.txt 0 "$WARMUP")"
before=$(live_bytes)
rss_before=$(rss_mib)
echo "first stream of each organisation: $(ask target/bench-cache-tenant-keys.txt 0 1)"
tenants_bytes=$(live_bytes)
echo "every other stream: $(ask target/bench-cache-tenant-keys.txt 1 $((PER_TENANT - 1)))"
after=$(live_bytes)
rss_after=$(rss_mib)
"$java_home/bin/jcmd" "$app" GC.class_histogram | head -n 15 > target/bench-cache-histogram.txt

per_tenant=$(( (tenants_bytes - before) / TENANTS ))
per_stream=$(( (after - tenants_bytes) / (TENANTS * (PER_TENANT - 1)) ))
pg_per_row=$(( stream_bytes / stream_rows ))
cached=$(( WARMUP + TENANTS * PER_TENANT ))
echo
echo "| measure | value |"
echo "|---|---|"
echo "| streams cached | $cached, of $TENANTS organisations (and the warm-up one) |"
echo "| live heap: warm, then with every stream cached | $(( before / 1048576 )) MiB, $(( after / 1048576 )) MiB (heap capped at 1 GiB) |"
echo "| RSS: warm, then with every stream cached | $rss_before MiB, $rss_after MiB |"
echo "| heap per organisation (its key, policy levels, first stream) | $per_tenant bytes |"
echo "| heap per further stream | $per_stream bytes |"
echo "| PostgreSQL per stream row (table and indexes) | $pg_per_row bytes |"
echo "| heap per stream / PostgreSQL per row | $(awk -v a="$per_stream" -v b="$pg_per_row" 'BEGIN { printf "%.2f", a / b }') |"
echo
echo "The largest classes with every stream cached (target/bench-cache-histogram.txt):"
sed -n 4,15p target/bench-cache-histogram.txt
