#!/usr/bin/env python3
"""The largest stable η table of docs/UPDATE-RULES.md from a run folder (format 2: swept columns in summary.csv).

    python3 scenarios/rules/largest-stable-eta.py RUN_FOLDER [ROW_KEY] [COLUMN_KEY]

A cell trains when none of its seeds diverged and its final train loss is below the initial one (replicate 0's at
step 0); the table gives, per row and column value, the largest swept optimizer.eta below which every η trains, with
the test loss there ("≥" when that is the top of the grid). ROW_KEY defaults to optimizer.rule.kind, COLUMN_KEY to
simulation.time.compute.
"""
import collections
import csv
import sys

folder = sys.argv[1]
row_key = sys.argv[2] if len(sys.argv) > 2 else "optimizer.rule.kind"
column_key = sys.argv[3] if len(sys.argv) > 3 else "simulation.time.compute"
initial = {r["cell"]: float(r["train_loss"]) for r in csv.DictReader(open(f"{folder}/metrics.csv"))
           if r["iteration"] == "0" and r["replicate"] == "0"}
rows, columns, cells = [], [], collections.defaultdict(list)
for r in csv.DictReader(open(f"{folder}/summary.csv")):
    row, column = r[row_key], r[column_key]
    rows += [row] if row not in rows else []
    columns += [column] if column not in columns else []
    trains = r["diverged"] == "0" and float(r["train_loss"]) < initial[r["cell"]]
    cells[(row, column)].append((float(r["optimizer.eta"]), trains, float(r["test_loss"])))
print("| " + row_key + " | " + " | ".join(columns) + " |")
print("|---" * (len(columns) + 1) + "|")
for row in rows:
    shown = []
    for column in columns:
        grid = sorted(cells[(row, column)])
        best = None
        for eta, trains, test in grid:
            if not trains:
                break
            best = (eta, test)
        shown.append("none" if best is None else ("≥ " if best[0] == grid[-1][0] else "") + f"{best[0]:g} ({best[1]:.3f})")
    print(f"| {row} | " + " | ".join(shown) + " |")
