#!/usr/bin/env python3
"""Official durations of apprenticeship diplomas by CFD, from the BCN tables.

Reads N_MEF (one row per year of a training scheme: FORMATION_DIPLOME, DUREE_DISPOSITIF)
and V_FORMATION_DIPLOME (the diplomas that may be prepared by apprenticeship), both as
the BCN exports them (semicolon CSV, Latin-1), and writes, for each diploma code of
V_FORMATION_DIPLOME still open at the date of the export, the durations in years of its
MEFs still open then:

    cfd;durees;libelle
    32033105;3;PODO-ORTHESISTE (BTS)

usage: bcn_durees.py N_MEF.csv V_FORMATION_DIPLOME.csv SNAPSHOT_DATE(YYYY-MM-DD) > out.csv
"""
import csv
import datetime
import sys


def date(text):
    text = text.strip()
    if not text:
        return None
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


def main(n_mef, v_formation, snapshot):
    snapshot = datetime.date.fromisoformat(snapshot)
    open_at = lambda r: (date(r["DATE_FERMETURE"]) or datetime.date.max) >= snapshot
    diplomas = {}
    with open(v_formation, encoding="latin-1", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            if open_at(r):
                diplomas[r["FORMATION_DIPLOME"].strip()] = r["LIBELLE_LONG_200"].strip()
    durations = {}
    with open(n_mef, encoding="latin-1", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            cfd = r["FORMATION_DIPLOME"].strip()
            years = r["DUREE_DISPOSITIF"].strip()
            # 9 means "undetermined" in the BCN; only 1 to 4 years are durations.
            if cfd in diplomas and open_at(r) and years in ("1", "2", "3", "4"):
                durations.setdefault(cfd, set()).add(int(years))
    out = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    out.writerow(["cfd", "durees", "libelle"])
    for cfd in sorted(durations):
        label = " ".join(diplomas[cfd].replace(";", ",").split())
        out.writerow([cfd, " ".join(str(y) for y in sorted(durations[cfd])), label])


if __name__ == "__main__":
    main(*sys.argv[1:4])
