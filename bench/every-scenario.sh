#!/usr/bin/env bash
# Every shipped scenario, end to end, against an earlier build: whole `delaysim run` processes (direct engine,
# --jobs 1, pinned to core 0), the earlier build and this one alternating per scenario so that the machine's drift
# hits both. The earlier build runs its own copy of each scenario file (scenarios added since are skipped).
# AS_USER=1 runs them as a user does instead: `delaysim run FILE` with its defaults (actor engine, --jobs 2), unpinned.
# ONLY=REGEX times just the scenarios whose path matches (grep -E), e.g. ONLY='mlp-mnist|rack' to rerun the close calls
# with more rounds.
# Usage: [NATIVE=1] [AS_USER=1] [ONLY=REGEX] bash bench/every-scenario.sh [REV] [ROUNDS]   (REV defaults to a80dc47, the
# last build before issue 11's work)
# Prints a Markdown table: median seconds of each side and before / after.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-a80dc47}
rounds=${2:-1}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/before" > /dev/null 2>&1 || true; rm -rf "$work"' EXIT

git worktree add -f --detach "$work/before" "$rev" > /dev/null 2>&1
ln -s "$(cd .. && pwd)/shared" "$work/shared"   # the earlier scenarios find ../../../shared from $work/before
dotnet build "$work/before/src/Host" -c Release -v quiet -nologo > /dev/null
before=$work/before/src/Host/bin/Release/net10.0/delaysim
dotnet build src/Host -c Release -v quiet -nologo > /dev/null
after=src/Host/bin/Release/net10.0/delaysim
# NATIVE=1 times this build as src/Host/publish.sh ships it (the native binary, Native AOT) instead.
if [ "${NATIVE:-}" = 1 ]; then bash src/Host/publish.sh "$work/native" > /dev/null; after=$work/native/delaysim; fi
pin=$(command -v taskset > /dev/null && echo "taskset -c 0" || echo "")
how=(--engine direct --jobs 1)
if [ "${AS_USER:-}" = 1 ]; then pin=""; how=(); fi

seconds() { local start end; start=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; end=$(date +%s.%N); awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'; }
median() { tr ' ' '\n' | { grep . || true; } | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "| scenario | before (s) | after (s) | before / after |"
echo "|---|---|---|---|"
for file in $(cd "$work/before" && find scenarios -name '*.hocon' | sort | grep -E "${ONLY:-.}"); do
  # A scenario whose data is missing fails at once on both sides: say so instead of timing it.
  if ! $after validate "$file" > /dev/null 2>&1; then echo "| ${file#scenarios/} | | | not run: \`validate\` fails here |"; continue; fi
  b="" a=""
  for ((r = 1; r <= rounds; r++)); do
    rm -rf "$work/run"; b+="$(cd "$work/before" && seconds $pin "$before" run "$file" "${how[@]}" --out "$work/run") "
    rm -rf "$work/run"; a+="$(seconds $pin "$after" run "$file" "${how[@]}" --out "$work/run") "
  done
  mb=$(echo "$b" | median); ma=$(echo "$a" | median)
  echo "| ${file#scenarios/} | $mb | $ma | $(awk -v x="$mb" -v y="$ma" 'BEGIN { printf "%.2f", x / y }') |"
done
