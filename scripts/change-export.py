#!/usr/bin/env python3
"""Copies an export with the description of one offer in a hundred changed, as a CFA's
small batch of corrections would (benchmark of incremental rebuilds): an xlsx export
(its shared strings), or a `;`-separated CSV in the BROF layout (its `Description`
column; an empty description gets one).

    scripts/change-export.py IN.xlsx|IN.csv OUT.xlsx|OUT.csv [PERCENT]
"""
import csv
import re
import sys
import zipfile

# The sentence a changed description gets.
ADDED = " Mise à jour du CFA."


def change_csv(src, dst, every):
    """The `Description` column of one row in `every`; returns how many changed."""
    with open(src, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    col = rows[0].index("Description")
    changed = 0
    for n, row in enumerate(rows[1:], start=1):
        if n % every == 0 and len(row) > col:
            row[col] = (row[col] + ADDED).strip()
            changed += 1
    with open(dst, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    return changed


def change_xlsx(src, dst, every):
    """One description in `every` among the shared strings; returns how many changed."""
    seen = changed = 0

    def touch(m):
        nonlocal seen, changed
        text = m.group(0)
        # Descriptions are the long shared strings.
        if "Formation en apprentissage" in text:
            seen += 1
            if seen % every == 0:
                changed += 1
                return text.replace("</t>", ADDED + "</t>", 1)
        return text

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                data = re.sub(r"<si>.*?</si>", touch, data.decode("utf-8"), flags=re.S).encode("utf-8")
            zout.writestr(item, data)
    return changed


src, dst = sys.argv[1], sys.argv[2]
every = max(1, round(100 / float(sys.argv[3]))) if len(sys.argv) > 3 else 100
change = change_csv if src.endswith(".csv") else change_xlsx
print(f"{change(src, dst, every)} descriptions changed", file=sys.stderr)
