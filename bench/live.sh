#!/usr/bin/env bash
# Live runs on loopback: two runner nodes and a coordinator on this machine.
#   bash bench/live.sh            # updates/s at d = 22 and 5,000 with 4 and 8 workers; sleep error for 1, 5, 20 ms
# Prints one line per run; the figures go to docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=src/Host/bin/Release/net10.0/delaysim
out=$(mktemp -d)
"$bin" node --port 4171 >"$out/node1.log" 2>&1 &
n1=$!
"$bin" node --port 4172 --seed-nodes akka.tcp://delaysim@127.0.0.1:4171 >"$out/node2.log" 2>&1 &
n2=$!
trap 'kill $n1 $n2 2>/dev/null || true' EXIT
sleep 4
live() { # name, then --set arguments
  local name=$1; shift
  "$bin" live bench/scenarios/live-throughput.hocon --cluster akka.tcp://delaysim@127.0.0.1:4171 --nodes 2 --out "$out/$name" "$@" >/dev/null 2>"$out/$name.log"
}
for d in 22 5000; do
  for m in 4 8; do
    live "d$d-m$m" --set data.synthetic.dimension=$d --set simulation.time.workers=$m --set optimizer.iterations=$((d > 1000 ? 2000 : 4000))
    python3 - "$out/d$d-m$m" "$d" "$m" <<'PY'
import json, sys
t = json.load(open(sys.argv[1] + "/timings.json"))
print(f"throughput d={sys.argv[2]} workers={sys.argv[3]}: {t['updates_per_second']:.0f} updates/s ({t['updates']} in {t['total_seconds']:.2f} s)")
PY
  done
done
for ms in 1 5 20; do
  live "sleep$ms" --set "live.inject=[compute]" --set "simulation.time.compute.value=0.$(printf %03d $ms)" --set optimizer.iterations=$((4000 / ms))
  python3 - "$out/sleep$ms" "$ms" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1] + "/measured-delays.csv")) if r["quantity"] == "sleep-error-compute"]
n = sum(int(r["n"]) for r in rows)
mean = sum(float(r["mean"]) * int(r["n"]) for r in rows) / n
p50 = sorted(float(r["p50"]) for r in rows)[len(rows) // 2]
p95 = max(float(r["p95"]) for r in rows)
print(f"sleep {sys.argv[2]} ms: error mean {mean*1e3:.3f} ms, median of workers' p50 {p50*1e3:.3f} ms, largest p95 {p95*1e3:.3f} ms ({n} sleeps)")
PY
done
