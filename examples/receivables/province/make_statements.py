#!/usr/bin/env python3
"""Writes statements.csv for the made-up provincial sample: each fund pays most of what the
evaluations expect, later at some hospitals than others, so the by-hospital reports show
a realistic spread. Deterministic (no randomness): a claim's fate follows its number."""
import csv, datetime, glob, json, sys

# Days from the claim date to the payment, and the share of claims paid, by hospital.
SPEED = {"10703": (45, 9), "10704": (75, 8), "10705": (150, 6)}  # (days, paid in 10)
writer = csv.writer(sys.stdout, lineterminator="\n")
writer.writerow(["statement", "claim", "payer", "paid", "paid_date", "error_code", "error_type"])
for path in sorted(glob.glob("evaluated-*.jsonl")):
    for n, line in enumerate(open(path, encoding="utf-8")):
        c = json.loads(line)
        days, share = SPEED[c["hcode"]]
        if n % 10 >= share:
            continue
        for p in c["payers"]:
            if p["status"] != "claimable" or p["payer"] == "SELF" or float(p["amount"]) == 0:
                continue
            date = datetime.date.fromisoformat(c["claim_date"]) + datetime.timedelta(days=days)
            if date > datetime.date(2025, 9, 30):
                continue
            stm = f"STM-{c['hcode']}-{date.year}{date.month:02d}"
            writer.writerow([stm, c["id"], p["payer"], p["amount"], date.isoformat(), "", ""])
