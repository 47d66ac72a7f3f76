#!/usr/bin/env bash
# Two builds' clusters against each other, run by run: a change to a submitted run's speed of a few per cent is below
# what blocks of rounds resolve on a VM whose speed drifts within minutes, but a pair of runs made seconds apart sees
# the same machine. Starts two standing clusters side by side (build A's nodes on ports 4053/4054 and its runs port
# 4052, build B's on 4063/4064 and 4062; each cluster's first node on core 0 and second on core 1, as in bench/cluster.sh), then submits the
# sweep to A and B alternately, the order swapped every round, each round on its own seed (new data). An idle
# cluster costs the other about 3 % of a core. Prints the median wall time of each, the median ratio B/A over the
# warm rounds, and in how many B was faster; files of each pair are compared.
# Usage: bash bench/cluster-ab.sh BIN_A BIN_B [SCENARIO] [ROUNDS]   (BIN: a delaysim binary, e.g. from src/Host/publish.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
a=$1 b=$2
scenario=${3:-scenarios/paper/convex-tau-sweep.hocon}
rounds=${4:-30}
out=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2> /dev/null || true; rm -rf "$out"' EXIT
# Builds from before 2026-12-08 take runs over Akka remoting, at the node's cluster address; later ones on a runs port.
tcp() { "$1" node --help 2> /dev/null | grep -q -- --runs-port; }
cluster() { # BIN PORT1 PORT2: runs go to PORT1 - 1
  local runs=(); tcp "$1" && runs=(--runs-port $(($2 - 1)))
  taskset -c 0 "$1" node --host 127.0.0.1 --port "$2" --accept-runs "${runs[@]}" > "$out/node$2.log" 2>&1 & pids+=($!)
  taskset -c 1 "$1" node --host 127.0.0.2 --port "$3" --seed-nodes "akka.tcp://delaysim@127.0.0.1:$2" > "$out/node$3.log" 2>&1 & pids+=($!)
}
cluster "$a" 4053 4054
cluster "$b" 4063 4064
sleep 4   # all four up and joined
run() { # BIN PORT SEED -> seconds
  local start end
  rm -rf "$out/run$2"
  start=$(date +%s.%N)
  local to="akka.tcp://delaysim@127.0.0.1:$2"; tcp "$1" && to="127.0.0.1:$(($2 - 1))"
  "$1" run "$scenario" --seed "$3" --submit "$to" --out "$out/run$2" > /dev/null 2>&1
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }'
}
echo "| round | A (s) | B (s) | B / A | files |"
echo "|---|---|---|---|---|"
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then ta=$(run "$a" 4053 $((5000 + r))); tb=$(run "$b" 4063 $((5000 + r)))
  else tb=$(run "$b" 4063 $((5000 + r))); ta=$(run "$a" 4053 $((5000 + r))); fi
  same=identical
  for f in summary.csv metrics.csv staleness.csv; do cmp -s "$out/run4053/$f" "$out/run4063/$f" || same="$f differs"; done
  echo "| $r | $ta | $tb | $(awk -v x="$ta" -v y="$tb" 'BEGIN { printf "%.3f", y / x }') | $same |"
done | tee "$out/rounds.md"
# Rounds 1 and 2 are each cluster's first runs (compiled code warms, fonts load): left out.
warm=$(tail -n +3 "$out/rounds.md")
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
column() { awk -F'|' -v c="$1" '{ gsub(/ /, "", $c); print $c }' <<< "$warm"; }
echo "warm rounds $(wc -l <<< "$warm"): median A $(column 3 | median) s, median B $(column 4 | median) s, median B/A $(column 5 | median)," \
  "B faster in $(column 5 | awk '$1 < 1' | wc -l) of $(wc -l <<< "$warm")"
