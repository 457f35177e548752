#!/usr/bin/env bash
# client-config's throughput at two revisions of this repository, in one sitting on one machine: each revision is
# built in its own worktree and measured by bench/client-config.sh (its req/s against the constant /v1/ping of the
# same run), alternately, ROUNDS times each, so both see the same machine. The ratio of the two revisions'
# client-config/ping ratios is the cost of what changed between them.
#
#   bench/client-config-ab.sh <base revision> [<revision>]    # default revision: HEAD
#
# Prints one Markdown row per run for docs/benchmarks.md. Needs what bench/client-config.sh needs.
set -euo pipefail
cd "$(dirname "$0")/.."

base=${1:?usage: bench/client-config-ab.sh <base revision> [<revision>]}
head=${2:-HEAD}
rounds=${ROUNDS:-2}
work=$(mktemp -d /tmp/meshcp-ab.XXXXXX)
trap 'git worktree remove --force "$work/a" 2>/dev/null || true; git worktree remove --force "$work/b" 2>/dev/null || true; rm -rf "$work"' EXIT
git worktree add -q --detach "$work/a" "$base"
git worktree add -q --detach "$work/b" "$head"
# The generated client's inputs and the player SDK tests' modules are not needed to build the jar.
echo "| round | revision | /v1/ping req/s | client-config req/s | client-config / ping |"
echo "|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
  for side in a b; do
    rev=$([ "$side" = a ] && echo "$base" || echo "$head")
    out=$(cd "$work/$side" && BENCH_SECONDS=${BENCH_SECONDS:-20} bench/client-config.sh 2>/dev/null | tail -n 6)
    ping=$(awk -F'|' '/constant JSON \(\/v1\/ping\), max/ {gsub(/ /, "", $3); print $3}' <<< "$out")
    config=$(awk -F'|' '/client-config, max/ {gsub(/ /, "", $3); print $3}' <<< "$out")
    ratio=$(awk -v a="$config" -v b="$ping" 'BEGIN { printf "%.3f", a / b }')
    echo "| $round | $(git rev-parse --short "$rev") | $ping | $config | $ratio |"
  done
done
