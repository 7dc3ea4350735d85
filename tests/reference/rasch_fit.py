#!/usr/bin/env python3
"""Independent reference values for labcert's Rasch calibration fit statistics
(src/instructor/calibration.rs: JML difficulties, infit and outfit mean-squares).

Simulates a class of 25 candidates answering the same 12 items (numpy, fixed seed;
a draw is kept only when no candidate and no item has all answers right or all wrong,
so nothing is left out), writes the answers as a labcert export
(tests/fixtures/responses/fit.csv), and computes with scipy, independently of labcert:

- the joint maximum-likelihood Rasch estimates: theta for each candidate and b for each
  item, maximising sum x log P + (1 - x) log(1 - P), P = 1 / (1 + exp(b - theta)), with
  the difficulties centred (sum b = 0), by scipy.optimize.minimize (BFGS, analytic
  gradient, gradient tolerance 1e-12);
- b_centred: those difficulties times the JML bias correction (L - 1)/L, L = 12 items
  per candidate (what labcert reports, before it shifts the scale to its anchors);
- infit  = sum (x - P)^2 / sum P(1 - P) over the item's answers;
- outfit = mean of (x - P)^2 / (P(1 - P)) over the item's answers.

Run:  python3 tests/reference/rasch_fit.py
It rewrites fit.csv and rasch_fit.json; tests/instructor.rs reads them.
"""
import csv
import json
import os

import numpy as np
from scipy.optimize import minimize

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "fixtures", "responses", "fit.csv")
OUT = os.path.join(HERE, "rasch_fit.json")

PERSONS, ITEMS = 25, 12


def draw():
    rng = np.random.default_rng(20261130)
    b_true = np.linspace(-2.0, 2.0, ITEMS)
    while True:
        theta = rng.normal(0.0, 1.0, PERSONS)
        p = 1.0 / (1.0 + np.exp(b_true[None, :] - theta[:, None]))
        x = (rng.random((PERSONS, ITEMS)) < p).astype(float)
        rows, cols = x.sum(axis=1), x.sum(axis=0)
        if (rows > 0).all() and (rows < ITEMS).all() and (cols > 0).all() and (cols < PERSONS).all():
            return x


def jml(x):
    def unpack(v):
        theta = v[:PERSONS]
        b = np.append(v[PERSONS:], -v[PERSONS:].sum())
        return theta, b

    def negative_log_likelihood(v):
        theta, b = unpack(v)
        eta = theta[:, None] - b[None, :]
        ll = (x * eta - np.logaddexp(0.0, eta)).sum()
        p = 1.0 / (1.0 + np.exp(-eta))
        r = x - p
        g_theta = r.sum(axis=1)
        g_b = -r.sum(axis=0)
        # d/dv_j of b_j and of b_last = -sum(v): the last item's gradient enters negated.
        g_free = g_b[:-1] - g_b[-1]
        return -ll, -np.concatenate([g_theta, g_free])

    start = np.zeros(PERSONS + ITEMS - 1)
    res = minimize(negative_log_likelihood, start, jac=True, method="BFGS",
                   options={"gtol": 1e-12, "maxiter": 10000})
    theta, b = unpack(res.x)
    return theta, b


def main():
    x = draw()
    theta, b = jml(x)
    p = 1.0 / (1.0 + np.exp(b[None, :] - theta[:, None]))
    w = p * (1.0 - p)
    infit = ((x - p) ** 2).sum(axis=0) / w.sum(axis=0)
    outfit = ((x - p) ** 2 / w).mean(axis=0)
    factor = (ITEMS - 1) / ITEMS
    b_centred = b * factor

    with open(FIXTURE, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["profile", "answered_at", "mode", "exam_id", "bank_id", "item_id",
                      "content_hash", "area", "topic", "response", "correct", "seconds",
                      "a", "b", "c"])
        for n in range(PERSONS):
            for j in range(ITEMS):
                right = int(x[n, j])
                out.writerow([f"s{n + 1:02}", f"2026-11-20T10:{j:02}:00Z", "exam", "1", "fit",
                              f"fit-{j + 1}", "0000000000000000", "hematology", "anemias",
                              "A" if right else "B", right, "30.0", "1", "0", "0"])

    items = {f"fit-{j + 1}": {"b_centred": b_centred[j], "infit": infit[j], "outfit": outfit[j]}
             for j in range(ITEMS)}
    with open(OUT, "w") as f:
        json.dump({"candidates": PERSONS, "items": items}, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
