#!/usr/bin/env python3
"""Makes data/rome-metiers.tsv from the shared ROME 4.0 table (rome-appellations.csv, see
data/README.md): one line per ROME 4.0 code, `code<TAB>v3 parent<TAB>fiche label<TAB>
appellations joined by ' | '`, sorted by code. The parent column is France Travail's own
ROME v3 -> 4.0 correspondence (a v3 code stands for itself and the codes it is parent of).
Usage: scripts/rome-metiers.py SHARED/rome-appellations.csv > data/rome-metiers.tsv"""
import csv, sys
from collections import OrderedDict

codes = OrderedDict()
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        c = codes.setdefault(row["code_rome"], [row["code_rome_parent"], row["libelle_rome"], []])
        if row["appellation"] not in c[2]:
            c[2].append(row["appellation"])
out = sys.stdout
out.write("# ROME 4.0 v60 (France Travail, Licence Ouverte 2.0): code, ROME v3 parent, fiche, appellations\n")
for code in sorted(codes):
    parent, label, apps = codes[code]
    clean = lambda s: " ".join(s.replace("\t", " ").replace("|", "/").split())
    out.write("\t".join([code, parent, clean(label), " | ".join(clean(a) for a in apps)]) + "\n")
