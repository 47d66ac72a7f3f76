#!/usr/bin/env bash
# End-to-end benchmark: whole `delaysim run` processes on one core (direct engine, --jobs 1; actors too) and on two (actors), with
# the vectorised NumPy script of the default scenario's work as the peer, alternating runs in one session (the
# machine's speed drifts, so only ratios measured together mean anything). Prints a Markdown table.
# Usage: bash bench/end-to-end.sh [ROUNDS]   (needs python3 with NumPy for the peer row; ijcnn1 needs ../shared/data)
# The Release build is compiled ahead of time (ReadyToRun, see docs/PERFORMANCE.md); the "-native" rows time the
# native binary of src/Host/publish.sh (Native AOT, about two minutes to build). One-core workloads and the NumPy peer
# are pinned to core 0 (taskset).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
dotnet build src/Host -c Release -v quiet -nologo > /dev/null
bin=src/Host/bin/Release/net10.0/delaysim
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The README's native build (Native AOT, about two minutes).
bash src/Host/publish.sh "$out/native" > /dev/null
native=$out/native/delaysim
python=$(command -v python3)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import numpy" 2>/dev/null && python=/usr/bin/python3

"$python" -c "import numpy" 2> /dev/null || echo "no NumPy for $python (Debian: apt-get install python3-numpy): no peer row" >&2
pin=$(command -v taskset > /dev/null && echo "taskset -c 0" || echo "")

declare -A work=(
  [default-direct-1]="run --engine direct --jobs 1"
  [default-direct-1-native]="run --engine direct --jobs 1"
  [default-actors-2]="run --jobs 2"
  [default-actors-2-native]="run --jobs 2"
  [default-actors-1]="run --jobs 1"
  [ijcnn1-ps-15-epochs]="run scenarios/paper/ijcnn1-official-budget.hocon --set optimizer.iterations=2055 --engine direct --jobs 1"
  [time-16-correlated]="run bench/scenarios/time-16-correlated.hocon --engine direct --jobs 1"
  [sweep-24-cells]="run bench/scenarios/sweep-24.hocon --engine direct --jobs 1"
)
order=(default-direct-1 default-direct-1-native default-actors-2 default-actors-2-native default-actors-1 ijcnn1-ps-15-epochs time-16-correlated sweep-24-cells)
[ -f ../shared/data/ijcnn1.tr.gz ] || { echo "ijcnn1 not found in ../shared/data: skipping that row" >&2; order=("${order[@]/ijcnn1-ps-15-epochs}"); }

seconds() { local start end; start=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; end=$(date +%s.%N); awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'; }
declare -A times
for ((r = 1; r <= rounds; r++)); do
  if "$python" -c "import numpy" 2>/dev/null; then
    times[numpy]+="$(OPENBLAS_NUM_THREADS=1 seconds $pin "$python" bench/numpy/default_scenario.py) "
  fi
  for name in "${order[@]}"; do
    [ -n "$name" ] || continue
    rm -rf "$out/run"
    cores=$([[ ${work[$name]} == *"--jobs 1"* ]] && echo "$pin" || echo "")
    exe=$([[ $name == *native ]] && echo "$native" || echo "$bin")
    times[$name]+="$(seconds $cores $exe ${work[$name]} --out "$out/run") "
  done
done

median() { tr ' ' '\n' | { grep . || true; } | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
peer=$(echo "${times[numpy]:-}" | median)
echo "| workload | median s | runs (s) | ÷ NumPy default |"
echo "|---|---|---|---|"
for name in numpy "${order[@]}"; do
  [ -n "$name" ] && [ -n "${times[$name]:-}" ] || continue
  m=$(echo "${times[$name]}" | median)
  ratio=$([ -n "$peer" ] && awk -v a="$m" -v b="$peer" 'BEGIN { printf "%.2f", a / b }' || echo "")
  echo "| $name | $m | ${times[$name]} | $ratio |"
done
