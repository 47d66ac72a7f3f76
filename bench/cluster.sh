#!/usr/bin/env bash
# Cluster against one local core: two `delaysim node`s pinned to a core each (taskset -c 0 and -c 1, loopback
# addresses 127.0.0.1 and 127.0.0.2) and a `--coordinate-only` coordinator run a sweep; the same sweep runs locally on
# one core (`--jobs 1`, taskset -c 0), alternating. The nodes start fresh, so round 1 is a node's first run (it
# compiles the simulation code while it runs it) and later rounds are warm. Files are compared with the local run's.
# Usage: bash bench/cluster.sh [SCENARIO] [ROUNDS]   (default scenarios/paper/convex-tau-sweep.hocon, 3 rounds)
# ENGINE=direct runs both sides on the direct engine (default: actors, as a user runs it). SET="seeds=100 ..." adds
# --set overrides to both sides (more work per cell, to see how the split scales once the cells dominate).
# FRESH=1 gives every round its own master seed (--seed), so that warm nodes cannot reuse the data they drew for the
# previous round's run of the same scenario (a node keeps the last run's plan and data while the scenario is the same).
# NATIVE=1 runs the native binary of src/Host/publish.sh (Native AOT) on both sides; BIN=PATH runs that binary instead. SUBMIT=1 starts the first node with
# --accept-runs and hands it the whole run (`run --submit`) instead of joining a `--coordinate-only` coordinator.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-scenarios/paper/convex-tau-sweep.hocon}
rounds=${2:-3}
engine=${ENGINE:-actors}
extra=()
for kv in ${SET:-}; do extra+=(--set "$kv"); done
dotnet build src/Host -c Release -v quiet -nologo > /dev/null
bin=src/Host/bin/Release/net10.0/delaysim
out=$(mktemp -d)
pids=()
ratios=()
cpus0=()
cpus1=()
trap 'kill "${pids[@]}" 2> /dev/null || true; rm -rf "$out"' EXIT
if [ "${NATIVE:-}" = 1 ]; then bash src/Host/publish.sh "$out/native" > /dev/null; bin=$out/native/delaysim; fi
bin=${BIN:-$bin}

seed=akka.tcp://delaysim@127.0.0.1:4053
# Builds from before 2026-12-08 take submitted runs over Akka remoting, at the node's cluster address.
submit=127.0.0.1:4052; runs=(--runs-port 4052)
"$bin" node --help 2> /dev/null | grep -q -- --runs-port || { submit=$seed; runs=(); }
accept=(); [ "${SUBMIT:-}" = 1 ] && accept=(--accept-runs "${runs[@]}")
taskset -c 0 "$bin" node --host 127.0.0.1 --port 4053 "${accept[@]}" > "$out/node1.log" 2>&1 & pids+=($!)
taskset -c 1 "$bin" node --host 127.0.0.2 --port 4054 --seed-nodes "$seed" > "$out/node2.log" 2>&1 & pids+=($!)
sleep 3   # both nodes up and joined

seconds() { local start end; start=$(date +%s.%N); "$@" > /dev/null 2>&1; end=$(date +%s.%N); awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'; }
# A process's CPU time so far (utime + stime of /proc/PID/stat, in 1/100 s): what each node spent on a run, which shows
# how evenly the run was shared (the coordinating node also coordinates, and writes the results).
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
echo "| round | cluster, 2 single-core nodes (s) | local, one core (s) | speed-up | node CPU, first / second (s) | files |"
echo "|---|---|---|---|---|---|"
for ((r = 1; r <= rounds; r++)); do
  rm -rf "$out/cluster" "$out/local"
  fresh=(); [ "${FRESH:-}" = 1 ] && fresh=(--seed $((1000 + r)))
  if [ "${SUBMIT:-}" = 1 ]; then how=(--submit "$submit"); else how=(--cluster "$seed" --coordinate-only); fi
  cpu0=($(ticks "${pids[0]}") $(ticks "${pids[1]}"))
  c=$(seconds "$bin" run "$scenario" --engine "$engine" "${extra[@]}" "${fresh[@]}" "${how[@]}" --out "$out/cluster")
  cpu1=($(ticks "${pids[0]}") $(ticks "${pids[1]}"))
  l=$(seconds taskset -c 0 "$bin" run "$scenario" --engine "$engine" "${extra[@]}" "${fresh[@]}" --jobs 1 --out "$out/local")
  same=identical
  for f in summary.csv metrics.csv staleness.csv; do cmp -s "$out/cluster/$f" "$out/local/$f" || same="$f differs"; done
  ratio=$(awk -v a="$l" -v b="$c" 'BEGIN { printf "%.2f", a / b }'); ratios+=("$ratio")
  cpus0+=($((cpu1[0] - cpu0[0]))); cpus1+=($((cpu1[1] - cpu0[1])))
  echo "| $r | $c | $l | $ratio | $(awk -v a=$((cpu1[0] - cpu0[0])) -v b=$((cpu1[1] - cpu0[1])) 'BEGIN { printf "%.2f / %.2f", a / 100, b / 100 }') | $same |"
done
# The median speed-up of the warm rounds (round 1 is the nodes' first run), the figure docs/PERFORMANCE.md compares.
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
if [ "$rounds" -gt 1 ]; then
  echo "median speed-up of rounds 2-$rounds: $(printf '%s\n' "${ratios[@]:1}" | median)"
  echo "median node CPU per run of rounds 2-$rounds (s): $(printf '%s\n' "${cpus0[@]:1}" | median | awk '{ printf "%.2f", $1 / 100 }') / $(printf '%s\n' "${cpus1[@]:1}" | median | awk '{ printf "%.2f", $1 / 100 }')"
fi
# A standing node between runs: the CPU each used in 5 s of idling, 2 s after the last run.
sleep 2; idle0=($(ticks "${pids[0]}") $(ticks "${pids[1]}")); sleep 5; idle1=($(ticks "${pids[0]}") $(ticks "${pids[1]}"))
echo "idle nodes, share of a core over 5 s: $(awk -v a=$((idle1[0] - idle0[0])) -v b=$((idle1[1] - idle0[1])) 'BEGIN { printf "%.1f %% and %.1f %%", a / 5, b / 5 }')"
# A submitted run has the other node draw the later half of its figures (docs/CLUSTER.md): say how often it did.
[ "${SUBMIT:-}" = 1 ] && echo "rounds whose later figures were drawn on the other node: $(grep -c "Drew figures" "$out/node2.log" || true) of $rounds"
echo "node log lines at WRN or ERR (besides the runs' own advice on the stability loss): $(cat "$out"/node*.log | grep "WRN\|ERR" | grep -vc "The stability loss is noisy")"
{ cat "$out"/node*.log | grep "WRN\|ERR" | grep -v "The stability loss is noisy" | head -5 | cut -c1-300; } || true
