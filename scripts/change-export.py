#!/usr/bin/env python3
"""Copies an xlsx export with the description of one offer in a hundred changed, as a
CFA's small batch of corrections would (benchmark of incremental rebuilds).

    scripts/change-export.py IN.xlsx OUT.xlsx [PERCENT]
"""
import re
import sys
import zipfile

src, dst = sys.argv[1], sys.argv[2]
every = max(1, round(100 / float(sys.argv[3]))) if len(sys.argv) > 3 else 100
changed = 0


def touch(m):
    global changed
    text = m.group(0)
    # Descriptions are the long shared strings; one in `every` gets a new sentence.
    if "Formation en apprentissage" in text:
        touch.n = getattr(touch, "n", 0) + 1
        if touch.n % every == 0:
            changed += 1
            return text.replace("</t>", " Mise à jour du CFA.</t>", 1)
    return text


with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "xl/sharedStrings.xml":
            data = re.sub(r"<si>.*?</si>", touch, data.decode("utf-8"), flags=re.S).encode("utf-8")
        zout.writestr(item, data)
print(f"{changed} descriptions changed", file=sys.stderr)
