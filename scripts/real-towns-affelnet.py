#!/usr/bin/env python3
"""Towns as written in a real national list: the distinct (town, postcode, INSEE code)
triples of the 2020 Affelnet list of vocational trainings, for testing how towns are
located (upper case, `ST`, `CEDEX 4`, CEDEX postcodes, truncated names).

Source: github.com/mission-apprentissage/catalogue,
jobs/features/formations/trainingsUpdater/src/assets/2020_05_12_AFFELNET.csv (Mac Roman,
';', padded cells); see tests/fixtures/real/README.md.
  python3 scripts/real-towns-affelnet.py 2020_05_12_AFFELNET.csv tests/fixtures/real/communes-affelnet.csv
"""
import csv
import sys

src, dst = sys.argv[1], sys.argv[2]
with open(src, encoding="mac_roman", newline="") as f:
    rows = [[c.strip() for c in r] for r in csv.reader(f, delimiter=";")]
head = rows[0]
i_town, i_cp, i_insee = head.index("COMMUNE"), head.index("CODE_POSTAL"), head.index("CODE_COMMUNE_INSEE")
triples = sorted({(r[i_town], r[i_cp], r[i_insee]) for r in rows[1:] if len(r) == len(head)})
with open(dst, "w", encoding="utf-8", newline="") as o:
    w = csv.writer(o, delimiter=";", lineterminator="\n")
    w.writerow(["commune", "code_postal", "code_insee"])
    w.writerows(triples)
print(f"{len(rows) - 1} rows, {len(triples)} distinct towns", file=sys.stderr)
