#!/usr/bin/env bash
# How the default scenario's time grows with each factor: one factor changed at a time (--set), direct engine, one
# job pinned to core 0, ROUNDS runs each (alternating over the factors). Prints the execution phase (timings.json:
# the replicates only, without start, plots and table) and the whole process, as medians and as ratios to the base.
# Usage: bash bench/scaling.sh [ROUNDS]   (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
dotnet build src/Host -c Release -v quiet -nologo > /dev/null
bin=src/Host/bin/Release/net10.0/delaysim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pin=$(command -v taskset > /dev/null && echo "taskset -c 0" || echo "")

names=(base "T = 10" "T = 2,000" "T = 4,000" "40 seeds" "16 twins" "0 twins" "14 cells" "d = 256" "n = 128")
sets=("" "optimizer.iterations=10" "optimizer.iterations=2000" "optimizer.iterations=4000" "seeds=40"
      "stability.twins=16" "stability.twins=0" "delay.tau=[0,1,2,3,4,6,8,12,16,20,24,28,32,40]"
      "data.synthetic.dimension=256" "data.synthetic.n=128")
declare -A phase whole
for ((r = 1; r <= rounds; r++)); do
  for i in "${!names[@]}"; do
    rm -rf "$out/run"
    args=(run --engine direct --jobs 1 --out "$out/run")
    [ -n "${sets[$i]}" ] && args+=(--set "${sets[$i]}")
    start=$(date +%s.%N)
    $pin "$bin" "${args[@]}" > /dev/null 2>&1
    end=$(date +%s.%N)
    whole[$i]+="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') "
    phase[$i]+="$(grep -o '"total_seconds": [0-9.]*' "$out/run/timings.json" | awk '{ printf "%.2f", $2 }') "
  done
done

median() { tr ' ' '\n' | { grep . || true; } | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
base_phase=$(echo "${phase[0]}" | median); base_whole=$(echo "${whole[0]}" | median)
echo "| change | execution (s) | ÷ base | process (s) | ÷ base |"
echo "|---|---|---|---|---|"
for i in "${!names[@]}"; do
  p=$(echo "${phase[$i]}" | median); w=$(echo "${whole[$i]}" | median)
  echo "| ${names[$i]} | $p | $(awk -v a="$p" -v b="$base_phase" 'BEGIN { printf "%.2f", a / b }') | $w | $(awk -v a="$w" -v b="$base_whole" 'BEGIN { printf "%.2f", a / b }') |"
done
