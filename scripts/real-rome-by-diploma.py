#!/usr/bin/env python3
"""The ROME codes and domain of the real records' diplomas (tests/fixtures/real/rome-par-diplome.csv),
for the diploma codes (CFD) of offres-reelles.csv only, as a Carif-Oref export fills them:
- ROME codes: those Certif Info (the Carif-Oref network's table of certifications) gives the
  diploma; else those of its RNCP sheets (the "kit apprentissage" table: CFD → sheets; France
  compétences' RNCP export: sheet → codes), in the sheets' order, each once;
- domain: Certif Info's Formacode label of the diploma (empty when it has none).
Usage: scripts/real-rome-by-diploma.py Kit_apprentissage_20231218.csv \
         export_fiches_CSV_Rome_2026_02_01.csv certif_info.csv \
         tests/fixtures/real/offres-reelles.csv OUT.csv"""
import csv, re, sys

kit_file, rome_file, certif_file, offers_file, out_file = sys.argv[1:6]
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
certif = {}
with open(certif_file, encoding="utf-8-sig", newline="") as f:
    for r in csv.DictReader(f, delimiter=";"):
        cfd = r["Code_Scolarité"].strip()
        # A diploma listed more than once: its first row.
        if cfd and cfd not in certif:
            romes = [r[f"Code_Rome_{i}"].strip() for i in range(1, 6)]
            certif[cfd] = ([c for c in romes if re.fullmatch(r"[A-N]\d{4}", c)], r["Libelle_FormaCode"].strip())
with open(offers_file, encoding="utf-8-sig", newline="") as f:
    diplomas = sorted({r["Code diplôme (CFD)"].strip() for r in csv.DictReader(f, delimiter=";")} - {""})
with open(out_file, "w", encoding="utf-8", newline="") as f:
    f.write("cfd;rncp;codes_rome;domaine\n")
    for cfd in diplomas:
        with_codes = [s for s in sheets.get(cfd, []) if codes.get(s)]
        joined = []
        for s in with_codes:
            joined += [c for c in codes[s] if c not in joined]
        romes, domain = certif.get(cfd, ([], ""))
        if romes:
            joined = romes
        if joined or domain:
            f.write(f"{cfd};{' '.join(with_codes)};{' '.join(joined)};{domain.replace(';', ',')}\n")
