#!/usr/bin/env bash
# How the default scenario's time grows with each factor, against the NumPy script doing the same work: one factor
# changed at a time (delaysim --set, the script's matching option), direct engine, one job, both pinned to core 0,
# ROUNDS runs each (alternating over the factors and the two programs). Prints, as medians: DelaySim's execution phase
# (timings.json: the replicates only, without start, plots and table) and whole process, the script's compute (its
# own timer: data and cells, without Python's start) and whole process, and the ratios.
# Usage: bash bench/scaling.sh [ROUNDS]   (default 2; needs python3 with NumPy for the peer columns)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
dotnet build src/Host -c Release -v quiet -nologo > /dev/null
bin=src/Host/bin/Release/net10.0/delaysim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pin=$(command -v taskset > /dev/null && echo "taskset -c 0" || echo "")
python=$(command -v python3)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import numpy" 2>/dev/null && python=/usr/bin/python3
numpy=yes
"$python" -c "import numpy" 2> /dev/null || { numpy=; echo "no NumPy for $python (Debian: apt-get install python3-numpy): no peer columns" >&2; }

names=(base "T = 10" "T = 2,000" "T = 4,000" "40 seeds" "16 twins" "0 twins" "14 cells" "d = 256" "n = 128")
sets=("" "optimizer.iterations=10" "optimizer.iterations=2000" "optimizer.iterations=4000" "seeds=40"
      "stability.twins=16" "stability.twins=0" "delay.tau=[0,1,2,3,4,6,8,12,16,20,24,28,32,40]"
      "data.synthetic.dimension=256" "data.synthetic.n=128")
peer=("" "--iterations 10" "--iterations 2000" "--iterations 4000" "--seeds 40"
      "--twins 16" "--twins 0" "--taus 0,1,2,3,4,6,8,12,16,20,24,28,32,40"
      "--dimension 256" "--n 128")
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
declare -A phase whole compute script
for ((r = 1; r <= rounds; r++)); do
  for i in "${!names[@]}"; do
    rm -rf "$out/run"
    args=(run --engine direct --jobs 1 --out "$out/run")
    [ -n "${sets[$i]}" ] && args+=(--set "${sets[$i]}")
    start=$(date +%s.%N)
    $pin "$bin" "${args[@]}" > /dev/null 2>&1
    end=$(date +%s.%N)
    whole[$i]+="$(elapsed "$start" "$end") "
    phase[$i]+="$(grep -o '"total_seconds": [0-9.]*' "$out/run/timings.json" | awk '{ printf "%.2f", $2 }') "
    [ -n "$numpy" ] || continue
    start=$(date +%s.%N)
    # shellcheck disable=SC2086 # the options are words
    OPENBLAS_NUM_THREADS=1 $pin "$python" bench/numpy/default_scenario.py ${peer[$i]} > "$out/peer.txt" 2> /dev/null
    end=$(date +%s.%N)
    script[$i]+="$(elapsed "$start" "$end") "
    compute[$i]+="$(awk '/^compute/ { print $2 }' "$out/peer.txt") "
  done
done

median() { tr ' ' '\n' | { grep . || true; } | sort -g | awk '{a[NR]=$1} END {if (NR == 0) exit; print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "–" }'; }
base_whole=$(echo "${whole[0]}" | median)
echo "| change | DelaySim execution (s) | DelaySim process (s) | process ÷ base | NumPy compute (s) | NumPy process (s) | execution ÷ NumPy compute | process ÷ NumPy process |"
echo "|---|---|---|---|---|---|---|---|"
for i in "${!names[@]}"; do
  p=$(echo "${phase[$i]}" | median); w=$(echo "${whole[$i]}" | median)
  c=$(echo "${compute[$i]:-}" | median); s=$(echo "${script[$i]:-}" | median)
  echo "| ${names[$i]} | $p | $w | $(ratio "$w" "$base_whole") | ${c:-–} | ${s:-–} | $(ratio "$p" "${c:-0}") | $(ratio "$w" "${s:-0}") |"
done
