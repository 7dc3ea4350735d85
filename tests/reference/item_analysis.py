#!/usr/bin/env python3
"""Independent reference values for labcert's item analysis (src/instructor/analysis.rs).

Reads the fixture export tests/fixtures/responses/class.csv with Python's csv module,
keeps each candidate's first answer to each item (earliest answered_at), and computes
with numpy, item by item:

- n: candidates who answered; p: proportion right;
- r: the corrected point-biserial, numpy.corrcoef of the item score (0/1) against the
  candidate's proportion right on the *other* items they answered (candidates with no
  other item left out);
- choices: how often each letter was chosen (every letter of a select-all answer);
- mean_seconds.

Run:  python3 tests/reference/item_analysis.py
It rewrites item_analysis.json beside this file; tests/instructor.rs reads that file.
"""
import csv
import json
import os
from collections import defaultdict
from datetime import datetime

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "fixtures", "responses", "class.csv")


def when(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def main():
    with open(FIXTURE, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    first = {}
    for row in rows:
        key = (row["profile"], row["bank_id"], row["item_id"])
        if key not in first or when(row["answered_at"]) < when(first[key]["answered_at"]):
            first[key] = row
    answers = list(first.values())

    right = defaultdict(int)
    count = defaultdict(int)
    for a in answers:
        count[a["profile"]] += 1
        right[a["profile"]] += int(a["correct"])

    items = {}
    for item_id in sorted({a["item_id"] for a in answers}):
        mine = [a for a in answers if a["item_id"] == item_id]
        x = np.array([int(a["correct"]) for a in mine], dtype=float)
        rest = np.array(
            [
                (right[a["profile"]] - int(a["correct"])) / (count[a["profile"]] - 1)
                for a in mine
            ]
        )
        r = float(np.corrcoef(x, rest)[0, 1])
        letters = defaultdict(int)
        for a in mine:
            for letter in a["response"].split(","):
                letters[letter.strip()] += 1
        items[item_id] = {
            "n": len(mine),
            "p": float(x.mean()),
            "r": r,
            "choices": dict(sorted(letters.items())),
            "mean_seconds": float(np.mean([float(a["seconds"]) for a in mine])),
        }
    out = {"candidates": len(count), "answers": len(answers), "items": items}
    with open(os.path.join(HERE, "item_analysis.json"), "w") as f:
        json.dump(out, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
