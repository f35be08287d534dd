#!/usr/bin/env python3
"""Makes a real offer list usable by the relevance benchmark: public lists of trainings
(e.g. tests/fixtures/real/offres-reelles.csv, from Parcoursup's list) lack the
administrative columns the controls require (SIRET, NDA, disability referent, 2027 dates…),
so every offer would be non-compliant and unpublished. This fills ONLY empty administrative
cells with valid placeholders; titles, diplomas, levels, places, ROME codes — everything the
search reads — stay the records' own.
With a third argument (tests/fixtures/real/rome-par-diplome.csv: diploma code → its RNCP
sheets, ROME codes and Formacode domain, from Certif Info and France compétences), an offer
whose diploma code is there also gets those, as a Carif-Oref export carries them (FILL_ROME=1
in scripts/bench-relevance.sh): the search's job vocabulary and domains then come from the
codes, not only from the words of the title.
Usage: scripts/bench-relevance-fill.py IN.csv OUT.csv [ROME_BY_DIPLOMA.csv]"""
import csv, hashlib, sys
from datetime import date


def placeholder_siret(who):
    """A SIRET of 14 digits with a right Luhn key, the same for the same organisation:
    one placeholder for all would make every offer one CFA's (one page of 4,355 offers),
    which no real export looks like."""
    digits = str(int(hashlib.sha256(who.encode()).hexdigest(), 16))[:13]
    for key in "0123456789":
        total = 0
        for i, d in enumerate(reversed(digits + key)):
            x = int(d) * (2 if i % 2 else 1)
            total += x - 9 if x > 9 else x
        if total % 10 == 0:
            return digits + key


def placeholder_uai(postcode, who):
    """A UAI of the department of `postcode` with a right check letter, the same for the
    same organisation (the controls compare the UAI's department with the place's)."""
    dep = (postcode or "13")[:2]
    dep = {"20": "620"}.get(dep, "0" + dep) if not dep.startswith("97") else postcode[:3]
    digits = dep + str(int(hashlib.sha256(who.encode()).hexdigest(), 16))[:4]
    return digits + "ABCDEFGHJKLMNPRSTUVWXYZ"[int(digits) % 23]


# Usual cycle length by diploma type (shared/reference-data.md), for lists without one.
MONTHS = {"CAP": 24, "CAPA": 24, "BAC PRO": 36, "BP": 24, "BPA": 24, "BMA": 24, "MC": 12,
          "CS": 12, "BTS": 24, "BTSA": 24, "DUT": 24, "BUT": 36, "Licence pro": 12,
          "Titre pro": 12, "Master": 24, "Ingénieur": 36}

FILL = {
    "Code RNCP": "RNCP35000",
    "N° de déclaration d'activité (NDA)": "93131234513",
    "Qualiopi mention apprentissage": "Oui",
    "Habilitation certificateur": "Oui",
    "Téléphone": "0491123456",
    "Courriel": "contact@example.org",
    "Référent handicap (nom)": "Référent handicap",
    "Référent handicap (téléphone)": "0491123456",
    "Référent handicap (courriel)": "handicap@example.org",
    "Entrée en 1re année en apprentissage": "Oui",
    # Required since the export contract asks for the street of the place of training.
    "Adresse lieu de formation": "1 place de la Mairie",
}
src, dst = sys.argv[1], sys.argv[2]
by_diploma = {}
if len(sys.argv) > 3:
    with open(sys.argv[3], encoding="utf-8", newline="") as f:
        by_diploma = {r["cfd"]: r for r in csv.DictReader(f, delimiter=";")}
with open(src, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f, delimiter=";"))
fields = list(rows[0].keys())
for r in rows:
    known = by_diploma.get((r.get("Code diplôme (CFD)") or "").strip())
    if known:
        if not (r.get("Codes ROME") or "").strip():
            r["Codes ROME"] = ", ".join(known["codes_rome"].split())
        if not (r.get("Code RNCP") or "").strip() and known["rncp"]:
            r["Code RNCP"] = known["rncp"].split()[0]
        if not (r.get("Domaine (Formacode / NSF)") or "").strip():
            r["Domaine (Formacode / NSF)"] = known["domaine"]
    # The responsible organisation's town, when the list gives only the place of training.
    if not (r.get("Code postal organisme responsable") or "").strip():
        r["Code postal organisme responsable"] = r.get("Code postal", "")
        r["Commune organisme responsable"] = r.get("Commune", "")
    if not (r.get("UAI organisme responsable") or "").strip():
        r["UAI organisme responsable"] = placeholder_uai(
            r.get("Code postal organisme responsable"), r.get("SIRET organisme responsable") or "")
    if not (r.get("UAI lieu de formation") or "").strip():
        r["UAI lieu de formation"] = r.get("UAI organisme responsable", "")
    if not (r.get("Durée du cycle (mois)") or "").strip():
        r["Durée du cycle (mois)"] = str(MONTHS.get((r.get("Type de diplôme") or "").strip(), 24))
    # Each organisation its own SIRET, after its UAI (else its name and town).
    for siret, name, uai, town in (
        ("SIRET organisme responsable", "Organisme responsable", "UAI organisme responsable",
         "Commune organisme responsable"),
        ("SIRET organisme formateur", "Organisme formateur", "UAI lieu de formation", "Commune"),
    ):
        if not (r.get(siret) or "").strip():
            who = (r.get(uai) or "").strip() or f"{r.get(name) or ''}|{r.get(town) or ''}"
            r[siret] = placeholder_siret(who)
    for k, v in FILL.items():
        if not (r.get(k) or "").strip():
            r[k] = v
    months = int(r.get("Durée du cycle (mois)") or 24)
    if not (r.get("Date de début 2027") or "").strip():
        r["Date de début 2027"] = "01/09/2027"
    if not (r.get("Date de fin 2027") or "").strip():
        end_year = 2027 + max(1, round(months / 12))
        r["Date de fin 2027"] = date(end_year, 6, 30).strftime("%d/%m/%Y")
with open(dst, "w", encoding="utf-8-sig", newline="") as f:
    w = csv.DictWriter(f, fieldnames=fields, delimiter=";")
    w.writeheader()
    w.writerows(rows)
