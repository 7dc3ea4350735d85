#!/usr/bin/env python3
"""Independent reference values for labcert's IRT code (src/irt/).

Computed with numpy and scipy by direct formulas and adaptive quadrature over the whole
real line (scipy.integrate.quad), not with labcert's grid, so the Rust tests compare
against the converged values. Run:  python3 tests/reference/irt_reference.py
It rewrites irt_reference.json beside this file; the Rust test reads that file.
"""
import json
import os

import numpy as np
from scipy import integrate, optimize, stats


def prob(theta, a, b, c):
    return c + (1 - c) / (1 + np.exp(-a * (theta - b)))


def info(theta, a, b, c):
    p = prob(theta, a, b, c)
    q = 1 - p
    return a**2 * (q / p) * ((p - c) / (1 - c)) ** 2


def likelihood(theta, pattern):
    out = 1.0
    for (a, b, c), u in pattern:
        p = prob(theta, a, b, c)
        out *= p if u else (1 - p)
    return out


def posterior_moments(pattern, mean=0.0, sd=1.0):
    f = lambda t: likelihood(t, pattern) * stats.norm.pdf(t, mean, sd)
    opts = dict(limit=400, epsabs=0, epsrel=1e-12)
    # Integrate over a range wide enough to hold all the mass (|theta| <= 12).
    z = integrate.quad(f, -12, 12, **opts)[0]
    m = integrate.quad(lambda t: t * f(t), -12, 12, **opts)[0] / z
    v = integrate.quad(lambda t: (t - m) ** 2 * f(t), -12, 12, **opts)[0] / z
    return z, m, np.sqrt(v), f


def mle(pattern):
    nll = lambda t: -sum(np.log(prob(t, a, b, c) if u else 1 - prob(t, a, b, c)) for (a, b, c), u in pattern)
    res = optimize.minimize_scalar(nll, bounds=(-6, 6), method="bounded", options=dict(xatol=1e-10))
    t = res.x
    i = sum(info(t, a, b, c) for (a, b, c), _ in pattern)
    return t, 1 / np.sqrt(i)


items = [(1.0, 0.0, 0.0), (1.0, -1.5, 0.0), (1.7, 0.3, 0.2), (0.6, 1.2, 0.0), (2.2, -0.4, 0.25)]
thetas = [-3.0, -1.0, 0.0, 0.5, 2.0, 4.0]
point_values = [
    dict(a=a, b=b, c=c, theta=t, prob=float(prob(t, a, b, c)), info=float(info(t, a, b, c)))
    for (a, b, c) in items
    for t in thetas
]

rng = np.random.default_rng(20261121)


def rasch_pattern(bs, us):
    return [((1.0, float(b), 0.0), bool(u)) for b, u in zip(bs, us)]


patterns = {}
patterns["rasch_mixed_10"] = rasch_pattern(
    [-1.2, -0.5, 0.0, 0.3, 0.8, -2.0, 1.5, 0.1, -0.7, 1.1], [1, 1, 0, 1, 0, 1, 0, 1, 1, 0]
)
patterns["rasch_all_right_30"] = rasch_pattern(np.linspace(-1, 2, 30), [1] * 30)
patterns["rasch_all_wrong_30"] = rasch_pattern(np.linspace(-2, 1, 30), [0] * 30)
patterns["rasch_all_right_100"] = rasch_pattern([0.0] * 100, [1] * 100)
bs = rng.normal(0, 1, 60)
us = rng.random(60) < 1 / (1 + np.exp(-(0.7 - bs)))
patterns["rasch_random_60"] = rasch_pattern(bs, us)
three = []
for k in range(40):
    a, b, c = float(rng.uniform(0.6, 2.0)), float(rng.normal(0, 1)), float(rng.uniform(0, 0.25))
    u = bool(rng.random() < prob(-0.4, a, b, c))
    three.append(((a, b, c), u))
patterns["three_pl_random_40"] = three
patterns["two_pl_short_5"] = [((1.8, -0.5, 0.0), True), ((0.7, 0.4, 0.0), False), ((1.2, 1.0, 0.0), True),
                              ((2.0, 0.0, 0.0), False), ((0.9, -1.0, 0.0), True)]

cuts = [-1.0, 0.0, 0.37, 1.5]
estimates = []
for name, pattern in patterns.items():
    z, m, s, f = posterior_moments(pattern)
    prob_above = {str(cut): integrate.quad(f, cut, 12, limit=400, epsabs=0, epsrel=1e-12)[0] / z for cut in cuts}
    entry = dict(
        name=name,
        items=[dict(a=a, b=b, c=c, correct=u) for (a, b, c), u in pattern],
        eap=m,
        eap_se=s,
        prob_above=prob_above,
        test_info_at_0=float(sum(info(0.0, a, b, c) for (a, b, c), _ in pattern)),
    )
    mixed = any(u for _, u in pattern) and not all(u for _, u in pattern)
    if mixed:
        t, se = mle(pattern)
        entry["mle"] = float(t)
        entry["mle_se"] = float(se)
    estimates.append(entry)

out = dict(
    generated_by="tests/reference/irt_reference.py",
    numpy=np.__version__,
    point_values=point_values,
    estimates=estimates,
)
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "irt_reference.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=1)
print("wrote", path)
