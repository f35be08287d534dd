#!/usr/bin/env python3
"""Turn the Carif-Oref network's 2020 extract of apprenticeship trainings (Bourgogne-
Franche-Comté) into a BROF-layout CSV: every level (CAP, Bac pro, BP, MC, BTS, titres
professionnels…), the identifiers as the Carif-Oref database holds them.

Sources (see tests/fixtures/real/README.md for commits and licences):
  --rco     formations_apprentissage_csv_ponctuel_20200910.csv  (mission-apprentissage/catalogue,
            jobs/fixes/rco_analytic/src/assets; Latin-1, ';'): SIRETs, place, CFD, RNCP, sessions
  --certif  Certif Info (Réseau des Carif-Oref): CFD (Code_Scolarité) -> title, type, level,
            Formacode label, ROME codes
  --bcn     BCN N_FORMATION_DIPLOME (same repository, trainingsUpdater assets; Latin-1):
            CFD -> long label, for diplomas Certif Info no longer lists
  --levels  BCN N_NIVEAU_FORMATION_DIPLOME (same place): diploma family -> short name
  --communes data/communes-france.csv: INSEE code -> commune name

Rows kept: those with a 2021 session (the later of the extract's two years), one BROF row
per source row, in source order, duplicates included (they are the source's). Identifiers
are written as the source has them: CFDs that lost their leading zero (7 digits), RNCP
numbers without their "RNCP" prefix, a trainer SIRET of "0". Only values present in the
sources, or derived from them by a rule written here, are written; the administrative
columns the extract lacks stay empty (scripts/bench-relevance-fill.py fills them for the
benchmarks). The extract has no organisation names: each is named after its SIRET.
Usage:
  python3 scripts/real-offers-rco.py --rco RCO.csv --certif CERTIF_INFO.csv --bcn N_FORMATION_DIPLOME.csv \
      --levels N_NIVEAU_FORMATION_DIPLOME.csv --communes data/communes-france.csv --out OUT.csv
"""
import argparse
import csv
import importlib.util
import os

# The BROF header, shared with the Parcoursup fixture's script.
_spec = importlib.util.spec_from_file_location(
    "psup", os.path.join(os.path.dirname(__file__), "real-offers-psup.py"))
_psup = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_psup)
HEADERS = _psup.HEADERS

# Leading words of a Certif Info title -> BROF "Type de diplôme" (longest first).
TYPE_PREFIXES = [
    ("licence professionnelle", "Licence pro"), ("licence pro", "Licence pro"),
    ("bac pro", "BAC PRO"), ("btsa", "BTSA"), ("bts", "BTS"), ("capa", "CAPA"),
    ("cap", "CAP"), ("bpjeps", "BPJEPS"), ("bpa", "BPA"), ("bp", "BP"), ("bma", "BMA"),
    ("mc", "MC"), ("tp", "Titre pro"), ("titre professionnel", "Titre pro"),
    ("dut", "DUT"), ("but", "BUT"), ("deust", "DEUST"), ("dejeps", "DEJEPS"),
    ("cs", "CS"), ("de", "DE"), ("diplôme d'ingénieur", "Ingénieur"), ("master", "Master"),
    ("licence", "Licence"), ("cqp", "CQP"), ("dn made", "DN MADE"),
]
# BCN interministerial level (1969 nomenclature) -> level of the 2019 nomenclature.
OLD_LEVEL = {"5": "3", "4": "4", "3": "5", "2": "6", "1": "7"}


def read(path, encoding):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def diploma_type(title):
    low = title.lower()
    for prefix, short in TYPE_PREFIXES:
        if low == prefix or low.startswith(prefix + " "):
            return short
    return ""


def main():
    ap = argparse.ArgumentParser()
    for a in ("rco", "certif", "bcn", "levels", "communes", "out"):
        ap.add_argument("--" + a, required=True)
    args = ap.parse_args()

    certif = {}
    for r in read(args.certif, "utf-8-sig"):
        cfd = r["Code_Scolarité"].strip()
        # Several Certif Info lines per CFD (options, renewals): the first active one.
        if cfd and (cfd not in certif or (r["Etat"] == "1" and certif[cfd]["Etat"] != "1")):
            certif[cfd] = r
    bcn = {r["FORMATION_DIPLOME"]: r for r in read(args.bcn, "latin-1")}
    levels = {r["NIVEAU_FORMATION_DIPLOME"]: r for r in read(args.levels, "latin-1")}
    with open(args.communes, encoding="utf-8", newline="") as f:
        towns = {r["code_insee"]: r["nom"] for r in csv.DictReader(f)}

    out = []
    for n, r in enumerate(read(args.rco, "latin-1"), start=2):
        if "2021" not in r["debut_sessions"]:
            continue
        cfd = r["cfd"].strip()
        # The lookups know the CFD with its leading zero; the row keeps it as written.
        key = cfd.zfill(8) if cfd.isdigit() else cfd
        ci, b = certif.get(key), bcn.get(key)
        title = (ci or {}).get("Libelle_Diplome", "").strip() or (b or {}).get("LIBELLE_LONG_200", "").strip()
        # The title's leading abbreviation, else Certif Info's type as it names it.
        kind = (diploma_type(title) or ci["Libelle_Type_Diplome"].strip()) if ci else ""
        if not kind and b:
            kind = levels.get(b["NIVEAU_FORMATION_DIPLOME"], {}).get("LIBELLE_COURT", "").strip()
        level = (ci or {}).get("Code_Niveau_Europeen", "").strip()
        if not level and b:
            old = levels.get(b["NIVEAU_FORMATION_DIPLOME"], {}).get("NIVEAU_INTERMINISTERIEL", "")
            level = OLD_LEVEL.get(old.strip(), "")
        rome = [ci[f"Code_Rome_{i}"].strip() for i in range(1, 6)] if ci else []
        responsible, trainer = r["etablissement_gestionnaire_siret"].strip(), r["etablissement_formateur_siret"].strip()
        place_insee = r["etablissement_lieu_formation_code_insee"].strip()
        row = dict.fromkeys(HEADERS, "")
        row.update({
            "N° action": f"RCO-2020-{n:05d}",
            "Intitulé de la formation": title,
            "Type de diplôme": kind,
            "Niveau": level,
            "Code RNCP": r["rncp_code"].strip(),
            "Code diplôme (CFD)": cfd,
            "Codes ROME": ", ".join(c for c in rome if c),
            "Domaine (Formacode / NSF)": (ci or {}).get("Libelle_FormaCode", "").strip(),
            "Organisme responsable": f"Organisme {responsible}" if responsible else "",
            "SIRET organisme responsable": responsible,
            "Adresse organisme responsable": " ".join(r["etablissement_gestionnaire_adresse"].split()),
            "Code postal organisme responsable": r["etablissement_gestionnaire_code_postal"].strip(),
            "Commune organisme responsable": towns.get(r["etablissement_gestionnaire_code_insee"].strip(), ""),
            "Organisme formateur": f"Organisme {trainer}" if trainer else "",
            "SIRET organisme formateur": trainer,
            "Adresse lieu de formation": " ".join(r["etablissement_lieu_formation_adresse"].split()),
            "Code postal": r["etablissement_lieu_formation_code_postal"].strip(),
            "Commune": towns.get(place_insee, ""),
            "Code commune INSEE": place_insee,
        })
        out.append(row)
    with open(args.out, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=HEADERS, delimiter=";")
        w.writeheader()
        w.writerows(out)
    print(f"{len(out)} rows -> {args.out}")


if __name__ == "__main__":
    main()
