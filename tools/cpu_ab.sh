#!/usr/bin/env bash
# Paired CPU cost of test files on two checkouts (session 37, helper ci37): for each of ROUNDS
# rounds, each FILE's tests run in BASE (A), then in this checkout (B), one file at a time
# (tools/test_times.ts: a `deno test` of its own with the test task's permissions, CPU = user +
# system seconds of the process and its children), the load (`uptime`) printed before each pair.
# Turns (ABAB) keep a loaded machine's drift out of the difference. BASE: a worktree of the other
# revision, e.g. `git worktree add --detach /tmp/base main`.
#
#     nice -n 5 tools/cpu_ab.sh BASE ROUNDS FILE_test.ts...
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
base="$(cd "$1" && pwd)"
rounds="$2"
shift 2
times() { (cd "$1" && deno run --allow-read --allow-run --allow-write=/tmp tools/test_times.ts "$2" | grep -F -- "$2"); }
for ((r = 1; r <= rounds; r++)); do
  for f in "$@"; do
    echo "round $r: $(uptime | sed 's/.*load/load/')"
    echo "A $(times "$base" "$f")"
    echo "B $(times "$here" "$f")"
  done
done
