#!/usr/bin/env python3
"""Independent reference values for labcert's item analysis (src/instructor/analysis.rs
and statistics.rs), computed with numpy and scipy from the fixture exports.

Analyses (keys of item_analysis.json):

- "class": tests/fixtures/responses/class.csv, every answer. Not a fixed form: fay did
  not answer fx-5, so the test statistics are over the other five candidates.
- "quiz": tests/fixtures/responses/quiz.csv with --blueprint fixture-quiz: a fixed form,
  15 candidates who all answered the same 8 items (qz-4 is miskeyed on purpose).
- "quiz_exam": quiz.csv with --mode exam: the fixture quiz plus two candidates who took
  another quiz of 3 of the items, so not a fixed form.

For each, reading the CSV with Python's csv module and keeping each candidate's first
answer (earliest answered_at) among the selected answers:

Items
- n, p; facility = 100 p; sd = 100 * numpy.std(item scores, ddof=1);
- r: numpy.corrcoef of the item score (0/1) against the candidate's proportion right on
  the *other* items they answered (candidates with no other item left out);
  discrimination_index = 100 r;
- discriminative_efficiency = 100 * cov(x, rest) / cov(sorted x, sorted rest), with
  numpy.cov (Moodle's definition: the covariance over the largest it could be);
- random_guess_score: 100 / k (single best of k), 100 / (2^k - 1) (select-all of k,
  every non-empty set equally likely), 0 (numeric); k from the fixture banks, written
  out below;
- upper / lower 27% groups: g = 27% of the candidates rounded half up; the upper group
  is every candidate whose proportion right (an exact fraction) is at least the g-th
  best, the lower at most the g-th worst; per item the candidates of each group who
  answered it and how many were right; d = p(upper) - p(lower);
- choices (letters counted), numeric values (counted as numbers), mean_seconds.

Test (over the candidates who answered every item of the selection)
- mean, median (numpy.median), sd (ddof=1) of the number right;
- skewness = scipy.stats.skew(bias=False), kurtosis = scipy.stats.kurtosis(bias=False)
  (Fisher, so 0 for a normal distribution): the k-statistic forms Moodle uses;
- alpha by the textbook KR-20, k/(k-1) * (1 - sum(p q) / population variance of the
  totals) (equal to Moodle's form with n - 1 variances); cic = 100 alpha; error_ratio =
  100 sqrt(1 - alpha); sem = sd sqrt(1 - alpha);
- percent_right: mean, median and sd (ddof=1) of every candidate's 100 * proportion
  right.

Run:  python3 tests/reference/item_analysis.py   (needs numpy and scipy)
It rewrites item_analysis.json beside this file; tests/instructor.rs reads that file.
"""
import csv
import json
import math
import os
from collections import Counter, defaultdict
from datetime import datetime
from fractions import Fraction

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
RESPONSES = os.path.join(HERE, "..", "fixtures", "responses")

# The number of choices and kind of each fixture item (class-bank.ron, quiz-bank.ron).
KINDS = {
    "fx-1": ("single", 4),
    "fx-2": ("single", 4),
    "fx-3": ("select", 5),
    "fx-4": ("single", 4),
    "fx-5": ("single", 3),
    "qz-1": ("single", 4),
    "qz-2": ("single", 5),
    "qz-3": ("select", 4),
    "qz-4": ("numeric", 0),
    "qz-5": ("numeric", 0),
    "qz-6": ("single", 4),
    "qz-7": ("single", 3),
    "qz-8": ("single", 4),
}


def when(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def candidate(row):
    install = row.get("install_id", "")
    return f"{row['profile']}@{install}" if install else row["profile"]


def first_answers(path, keep):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    selected = [r for r in rows if keep(r)]
    first = {}
    for row in selected:
        key = (candidate(row), row["bank_id"], row["item_id"])
        if key not in first or when(row["answered_at"]) < when(first[key]["answered_at"]):
            first[key] = row
    return rows, selected, list(first.values())


def guess_score(item_id):
    kind, k = KINDS[item_id]
    if kind == "single":
        return 100.0 / k
    if kind == "select":
        return 100.0 / (2**k - 1)
    return 0.0


def groups(proportion):
    """Upper and lower 27% groups by exact proportion right, ties joining."""
    n = len(proportion)
    g = max(1, math.floor(0.27 * n + 0.5))
    ranked = sorted(proportion.values())
    lower_cut, upper_cut = ranked[g - 1], ranked[n - g]
    assert upper_cut > lower_cut, "groups meet"
    upper = {c for c, s in proportion.items() if s >= upper_cut}
    lower = {c for c, s in proportion.items() if s <= lower_cut}
    return g, upper, lower


def analyse(path, keep):
    rows, selected, answers = first_answers(path, keep)
    right = defaultdict(int)
    count = defaultdict(int)
    for a in answers:
        count[candidate(a)] += 1
        right[candidate(a)] += int(a["correct"])
    proportion = {c: Fraction(right[c], count[c]) for c in count}
    g, upper, lower = groups(proportion)

    item_ids = sorted({a["item_id"] for a in answers})
    items = {}
    for item_id in item_ids:
        mine = [a for a in answers if a["item_id"] == item_id]
        x = np.array([int(a["correct"]) for a in mine], dtype=float)
        others = [a for a in mine if count[candidate(a)] > 1]
        xo = np.array([int(a["correct"]) for a in others], dtype=float)
        rest = np.array(
            [
                (right[candidate(a)] - int(a["correct"])) / (count[candidate(a)] - 1)
                for a in others
            ]
        )
        r = float(np.corrcoef(xo, rest)[0, 1])
        covariance = np.cov(xo, rest)[0, 1]
        best = np.cov(np.sort(xo), np.sort(rest))[0, 1]
        kind = KINDS[item_id][0]
        letters = defaultdict(int)
        values = Counter()
        for a in mine:
            if kind == "numeric":
                values[float(a["response"])] += 1
            else:
                for letter in a["response"].split(","):
                    letters[letter.strip()] += 1

        def group(members):
            theirs = [a for a in mine if candidate(a) in members]
            return len(theirs), sum(int(a["correct"]) for a in theirs)

        (un, ur), (ln, lr) = group(upper), group(lower)
        items[item_id] = {
            "n": len(mine),
            "p": float(x.mean()),
            "facility": 100 * float(x.mean()),
            "sd": 100 * float(np.std(x, ddof=1)),
            "random_guess_score": guess_score(item_id),
            "r": r,
            "discrimination_index": 100 * r,
            "discriminative_efficiency": 100 * float(covariance / best),
            "upper": {"candidates": un, "correct": ur},
            "lower": {"candidates": ln, "correct": lr},
            "d": ur / un - lr / ln,
            "choices": dict(sorted(letters.items())),
            "values": [[v, c] for v, c in sorted(values.items())],
            "mean_seconds": float(np.mean([float(a["seconds"]) for a in mine])),
        }

    complete = sorted(c for c in count if count[c] == len(item_ids))
    matrix = np.array(
        [
            [
                next(int(a["correct"]) for a in answers if candidate(a) == c and a["item_id"] == i)
                for i in item_ids
            ]
            for c in complete
        ],
        dtype=float,
    )
    k = len(item_ids)
    totals = matrix.sum(axis=1)
    p = matrix.mean(axis=0)
    alpha = k / (k - 1) * (1 - float((p * (1 - p)).sum()) / float(np.var(totals)))
    sd = float(np.std(totals, ddof=1))
    percent = np.array([100 * float(s) for s in proportion.values()])
    test = {
        "items": k,
        "candidates": len(count),
        "complete_candidates": len(complete),
        "fixed_form": len(complete) == len(count),
        "mean": float(totals.mean()),
        "median": float(np.median(totals)),
        "sd": sd,
        "skewness": float(stats.skew(totals, bias=False)),
        "kurtosis": float(stats.kurtosis(totals, bias=False)),
        "alpha": alpha,
        "cic": 100 * alpha,
        "error_ratio": 100 * math.sqrt(1 - alpha),
        "sem": sd * math.sqrt(1 - alpha),
        "percent_right": {
            "mean": float(percent.mean()),
            "median": float(np.median(percent)),
            "sd": float(np.std(percent, ddof=1)),
        },
    }
    return {
        "candidates": len(count),
        "answers": len(answers),
        "outside": len(rows) - len(selected),
        "repeats_ignored": len(selected) - len(answers),
        "groups": {"target": g, "upper": len(upper), "lower": len(lower)},
        "test": test,
        "items": items,
    }


def main():
    class_csv = os.path.join(RESPONSES, "class.csv")
    quiz_csv = os.path.join(RESPONSES, "quiz.csv")
    out = {
        "class": analyse(class_csv, lambda r: True),
        "quiz": analyse(quiz_csv, lambda r: r["blueprint_id"] == "fixture-quiz"),
        "quiz_exam": analyse(quiz_csv, lambda r: r["mode"] == "exam"),
    }
    with open(os.path.join(HERE, "item_analysis.json"), "w") as f:
        json.dump(out, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
