#!/usr/bin/env bash
# Runs handoff-bench --smoke and checks that its JSON has every key the docs promise, each a
# sane number. It checks no timing against a goal: the goals are reported, never asserted.
set -euo pipefail
: "${HANDOFF_BENCH:?HANDOFF_BENCH must name the handoff-bench program}"
command -v weston >/dev/null || { echo "SKIP: weston is not installed" >&2; exit 77; }
command -v weston-debug >/dev/null || { echo "SKIP: weston-debug is not installed" >&2; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed" >&2; exit 77; }
WORK=$(mktemp -d /tmp/handoff-bench-smoke-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
"$HANDOFF_BENCH" --smoke --json "$WORK/bench.json" >"$WORK/table.md" ||
  { cat "$WORK/table.md" >&2; echo "FAIL: handoff-bench --smoke failed" >&2; exit 1; }
grep -q '^| 1080p | pixman | mailbox |' "$WORK/table.md" ||
  { cat "$WORK/table.md" >&2; echo "FAIL: the table has no headless row" >&2; exit 1; }
grep -q '^| 4 presenters | [0-9]' "$WORK/table.md" ||
  { cat "$WORK/table.md" >&2; echo "FAIL: the table has no row of one producer into 4 presenters" >&2; exit 1; }
python3 "$(dirname "$0")/check_bench_json.py" "$WORK/bench.json"
