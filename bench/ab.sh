#!/usr/bin/env bash
# One benchmark script, this checkout against another commit, in one run on one machine: the other commit is
# checked out into target/ab-<commit> (a git worktree, built by its own script), and the two take turns,
# BENCH_ROUNDS times each (default 2), the other commit first. BENCH_* settings reach both. Each run prints its
# own table, under a heading that says whose it is.
#   bench/ab.sh d7eb078 telemetry-ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -eq 2 ] || { echo "usage: bench/ab.sh COMMIT SCRIPT" >&2; exit 2; }
commit=$(git rev-parse --short "$1")
script=$2
other=target/ab-$commit
[ -d "$other" ] || git worktree add --force --detach "$other" "$commit" >/dev/null
for round in $(seq 1 "${BENCH_ROUNDS:-2}"); do
  echo "### round $round: $commit"
  (cd "$other" && "bench/$script")
  echo "### round $round: this checkout ($(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ', changed'))"
  "bench/$script"
done
