#!/usr/bin/env python3
"""The ROME codes of the real records' diplomas (tests/fixtures/real/rome-par-diplome.csv):
diploma code (CFD) → RNCP sheets (the "kit apprentissage" table) → the sheets' ROME codes
(France compétences' RNCP export), for the diploma codes of offres-reelles.csv only.
Codes in the order the sheets give them, each once; sheets without codes left out.
Usage: scripts/real-rome-by-diploma.py Kit_apprentissage_20231218.csv \
         export_fiches_CSV_Rome_2026_02_01.csv tests/fixtures/real/offres-reelles.csv OUT.csv"""
import csv, re, sys

kit_file, rome_file, offers_file, out_file = sys.argv[1:5]
sheets = {}
with open(kit_file, encoding="utf-8-sig", newline="") as f:
    for r in csv.DictReader(f, delimiter=";"):
        cfd, rncp = r["Code_Diplome"].strip(), r["Code_RNCP"].strip()
        if rncp and rncp not in sheets.setdefault(cfd, []):
            sheets[cfd].append(rncp)
codes = {}
with open(rome_file, encoding="utf-8-sig", newline="") as f:
    for r in csv.DictReader(f, delimiter=";"):
        code = r["Codes_Rome_Code"].strip()
        # The export holds a few cut codes ("A12"): left out.
        if re.fullmatch(r"[A-N]\d{4}", code) and code not in codes.setdefault(r["Numero_Fiche"].strip(), []):
            codes[r["Numero_Fiche"].strip()].append(code)
with open(offers_file, encoding="utf-8-sig", newline="") as f:
    diplomas = sorted({r["Code diplôme (CFD)"].strip() for r in csv.DictReader(f, delimiter=";")} - {""})
with open(out_file, "w", encoding="utf-8", newline="") as f:
    f.write("cfd;rncp;codes_rome\n")
    for cfd in diplomas:
        with_codes = [s for s in sheets.get(cfd, []) if codes.get(s)]
        if not with_codes:
            continue
        joined = []
        for s in with_codes:
            joined += [c for c in codes[s] if c not in joined]
        f.write(f"{cfd};{' '.join(with_codes)};{' '.join(joined)}\n")
