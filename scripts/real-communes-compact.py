#!/usr/bin/env python3
"""Make data/communes-france.csv (the table compiled into the binary) from the full
shared table (shared/data/communes-france.csv, see data/README.md for its sources).

Kept: code_insee, nom, departement, codes_postaux, latitude, longitude (rounded to 4
decimals, about 11 m), population, type (empty for an ordinary commune, COM), code_parent.
Dropped: coord_source. Rows and order unchanged.
  python3 scripts/real-communes-compact.py SRC.csv data/communes-france.csv
"""
import csv
import sys

src, dst = sys.argv[1], sys.argv[2]
cols = ["code_insee", "nom", "departement", "codes_postaux", "latitude", "longitude",
        "population", "type", "code_parent"]
with open(src, encoding="utf-8", newline="") as f, open(dst, "w", encoding="utf-8", newline="") as o:
    w = csv.writer(o, lineterminator="\n")
    w.writerow(cols)
    n = 0
    for r in csv.DictReader(f):
        for c in ("latitude", "longitude"):
            if r[c]:
                r[c] = f"{float(r[c]):.4f}".rstrip("0").rstrip(".")
        if r["type"] == "COM":
            r["type"] = ""
        w.writerow([r[c] for c in cols])
        n += 1
print(f"{n} rows", file=sys.stderr)
