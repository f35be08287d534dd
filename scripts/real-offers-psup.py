#!/usr/bin/env python3
"""Turn the 2020 Parcoursup list of apprenticeship trainings into a BROF-layout CSV.

Sources (both from github.com/mission-apprentissage/catalogue, see
tests/fixtures/real/README.md for commits and licences):
  --psup  jobs/features/psup/src/assets/listeFormationApprentissagePsup.csv  (Mac Roman, ';')
  --mef   jobs/features/formations/trainingsUpdater/src/assets/n_mef_15072020.csv  (BCN N_MEF, Latin-1, ';')

Only values present in the sources, or derived from them by a rule written here, are
written; every other column stays empty. Usage:
  python3 scripts/real-offers-psup.py --psup PSUP.csv --mef N_MEF.csv --out tests/fixtures/real/offres-reelles.csv
"""
import argparse
import csv
import re
import sys

HEADERS = [
    "N° action", "Intitulé de la formation", "Type de diplôme", "Niveau", "Code RNCP",
    "Code diplôme (CFD)", "Codes ROME", "Domaine (Formacode / NSF)", "Description",
    "Organisme responsable", "SIRET organisme responsable", "UAI organisme responsable",
    "N° de déclaration d'activité (NDA)", "Adresse organisme responsable",
    "Code postal organisme responsable", "Commune organisme responsable",
    "Qualiopi mention apprentissage", "Habilitation certificateur", "Organisme formateur",
    "SIRET organisme formateur", "UAI lieu de formation", "Adresse lieu de formation",
    "Code postal", "Commune", "Code commune INSEE", "Latitude", "Longitude", "Téléphone",
    "Courriel", "Site web", "Contact (nom)", "Référent handicap (nom)",
    "Référent handicap (téléphone)", "Référent handicap (courriel)", "Durée du cycle (mois)",
    "Rythme de l'alternance", "Capacité d'accueil", "Entrée en 1re année en apprentissage",
    "Parcoursup", "Affelnet", "Date de début 2027", "Date de fin 2027",
]

# Parcoursup "LIBFORMATION" (family of the training) -> BROF "Type de diplôme", and the
# level of the 2019 nomenclature when the family has a single level (else None: left empty).
TYPES = {
    "BTS - Services": ("BTS", "5"),
    "BTS - Production": ("BTS", "5"),
    "BTS - Agricole": ("BTSA", "5"),
    "DUT - Production": ("DUT", "5"),
    "DUT - Service": ("DUT", "5"),
    "DEUST": ("DEUST", "5"),
    "DMA": ("DMA", "5"),
    "DN MADE": ("DN MADE", "6"),
    "DCG": ("DCG", "6"),
    "BPJEPS": ("BPJEPS", "4"),
    "DEJEPS": ("DEJEPS", "5"),
    "Mention complémentaire": ("MC", None),
    "Certificat de Spécialisation Agricole": ("CS", None),
    "D.E secteur social": ("DE", None),
    "Licence - Droit-économie-gestion": ("Licence", "6"),
    "Licence - Sciences - technologies - santé": ("Licence", "6"),
    "Formations  des écoles d'ingénieurs": ("Ingénieur", "7"),
}

SUFFIX = re.compile(r"\s*-\s*en apprentissage\s*$", re.IGNORECASE)


def load_mef(path):
    """MEF code -> (CFD, duration in years, year of the cycle) from the BCN N_MEF table."""
    mef = {}
    with open(path, encoding="latin-1", newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            mef[row["MEF"].strip()] = (
                row["FORMATION_DIPLOME"].strip(),
                row["DUREE_DISPOSITIF"].strip(),
                row["ANNEE_DISPOSITIF"].strip(),
            )
    return mef


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--psup", required=True)
    ap.add_argument("--mef", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    with open(args.psup, encoding="mac_roman", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    mef = load_mef(args.mef)

    # A responsible organisation (UAI_GES) is named, and located, only where it appears in
    # the list as a training place itself.
    places = {}
    for r in rows:
        places.setdefault(r["UAI_AFF"].strip(), (r["LIB_AFF"].strip(), r["CODEPOSTAL"].strip(), r["LIBCOMMUNE"].strip()))

    seen_rows = set()
    seen_ids = {}
    out_rows = []
    mef_hits = 0
    for r in rows:
        key = tuple(r.values())
        if key in seen_rows:  # exact duplicate line of the source
            continue
        seen_rows.add(key)
        uai_aff = r["UAI_AFF"].strip()
        uai_ges = r["UAI_GES"].strip()
        family = r["LIBFORMATION"].strip()
        dtype, level = TYPES.get(family, (family, None))
        speciality = SUFFIX.sub("", r["LIBSPÉCIALITÉ"].strip())
        title = speciality if speciality.lower().startswith(dtype.lower()) else f"{dtype} {speciality}"

        base = f"PSUP-{uai_aff}-{r['CODESPÉCIALITÉ'].strip()}"
        n = seen_ids.get(base, 0) + 1
        seen_ids[base] = n
        action = base if n == 1 else f"{base}-{n}"

        cfd, months, first_year = "", "", ""
        m = mef.get(r["CODEMEF"].strip())
        if m:
            mef_hits += 1
            cfd = m[0]
            if m[1].isdigit() and int(m[1]) > 0:
                months = str(int(m[1]) * 12)
            first_year = "Oui" if m[2] == "1" else ("Non" if m[2].isdigit() else "")

        ges = places.get(uai_ges)
        out = dict.fromkeys(HEADERS, "")
        out.update({
            "N° action": action,
            "Intitulé de la formation": title,
            "Type de diplôme": dtype,
            "Niveau": level or "",
            "Code diplôme (CFD)": cfd,
            "Organisme responsable": ges[0] if ges else "",
            "UAI organisme responsable": uai_ges,
            "Code postal organisme responsable": ges[1] if ges else "",
            "Commune organisme responsable": ges[2] if ges else "",
            "Organisme formateur": r["LIB_AFF"].strip(),
            "UAI lieu de formation": uai_aff,
            "Code postal": r["CODEPOSTAL"].strip(),
            "Commune": r["LIBCOMMUNE"].strip(),
            "Code commune INSEE": r["CODECOMMUNE"].strip(),
            "Durée du cycle (mois)": months,
            "Entrée en 1re année en apprentissage": first_year,
            "Parcoursup": "Oui",
        })
        out_rows.append(out)

    with open(args.out, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=HEADERS, delimiter=";", lineterminator="\n")
        w.writeheader()
        w.writerows(out_rows)
    print(f"{len(rows)} source rows, {len(out_rows)} offers written, MEF found for {mef_hits}", file=sys.stderr)


if __name__ == "__main__":
    main()
