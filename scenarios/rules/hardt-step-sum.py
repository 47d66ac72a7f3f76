#!/usr/bin/env python3
"""Hardt et al.'s stability shape Σ_t η_t s(τ_t) / n with the step each rule really took, from a run folder of
paired-vs-plain.hocon: τ_t from staleness_histogram.csv (every applied gradient, per replicate), s(τ) each rule's step
factor with that scenario's parameters. Prints, per delay law and rule, the realised step sum, the measured
loss-form stability and twin distance, and their ratios to the step sum (constant across rules if stability is the
step sum's, as Hardt et al.'s argument says for convex smooth losses).
Usage: python3 scenarios/rules/hardt-step-sum.py RUN_FOLDER"""
import csv
import sys
from collections import defaultdict

folder = sys.argv[1]
# paired-vs-plain.hocon: rule { scale = 4, weight = polynomial, a = 0.5, beta = 0.5, max = 15, lambda = 1, size = 4 }
factor = {
    "plain": lambda t: 1.0,
    "delay-adaptive": lambda t: 4 / max(4, t),
    "staleness-weighted": lambda t: (1 + t) ** -0.5,
    "momentum": lambda t: 1 / (1 - 0.5),           # heavy ball: each gradient moves w by η/(1 − β) in the long run
    "bounded-staleness": lambda t: 1.0 if t <= 15 else 0.0,
    "delay-compensated": lambda t: 1.0,
    "buffered": lambda t: (1 + t) ** -0.5 / 4,      # the mean of K = 4, each weighted by the polynomial weight
}
summary = {r["cell"]: r for r in csv.DictReader(open(f"{folder}/summary.csv"))}
sums = defaultdict(float)
replicates = defaultdict(set)
for row in csv.DictReader(open(f"{folder}/staleness_histogram.csv")):
    kind = summary[row["cell"]]["optimizer.rule.kind"]
    sums[row["cell"]] += int(row["count"]) * factor[kind](int(row["staleness"]))
    replicates[row["cell"]].add(row["replicate"])
print("| law | rule | Σ η s(τ) / n | stability loss | ÷ step sum | twin ‖w − w′‖ | ÷ step sum |")
print("|---|---|---|---|---|---|---|")
for cell, s in summary.items():
    eta, n = float(s["eta"]), int(s["n"])
    step_sum = eta * sums[cell] / len(replicates[cell]) / n
    loss, l2 = float(s["stability_loss"]), float(s["stability_l2"])
    print(f"| {s['simulation.time.compute']} | {s['optimizer.rule.kind']} | {step_sum:.3f} | {loss:.4f} | {loss / step_sum:.4f} | {l2:.4f} | {l2 / step_sum:.4f} |")
