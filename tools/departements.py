#!/usr/bin/env python3
"""Makes data/departements.geojson, the department outlines the site's maps are drawn from.

Input: `departements-avec-outre-mer.geojson` of github.com/gregoiredavid/france-geojson
(IGN Admin Express COG 2018, Licence Ouverte; already simplified at 25 % by its author).
Output: the same 101 departments, each ring simplified with Douglas-Peucker at TOLERANCE
degrees (~300 m: far below a pixel of a region drawn 600 px wide), coordinates rounded to
3 decimals (~100 m), islets smaller than MIN_AREA dropped, one feature per line so a diff
of the file stays readable.

    python3 tools/departements.py departements-avec-outre-mer.geojson data/departements.geojson
"""
import json
import sys

TOLERANCE = 0.003
MIN_AREA = 0.0004  # square degrees (~3 km²): rocks and islets vanish at map scale


def dp(points, tol):
    """Douglas-Peucker on a list of (x, y); keeps both ends."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, at = -1.0, None
        for i in range(a + 1, b):
            px, py = points[i]
            if norm == 0:
                d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                d = abs(dy * px - dx * py + bx * ay - by * ax) / norm
            if d > best:
                best, at = d, i
        if at is not None and best > tol:
            keep[at] = True
            stack.append((a, at))
            stack.append((at, b))
    return [p for p, k in zip(points, keep) if k]


def area(ring):
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        s += x1 * y2 - x2 * y1
    return abs(s) / 2


def ring_out(ring):
    pts = [(round(x, 3), round(y, 3)) for x, y in dp([tuple(p[:2]) for p in ring], TOLERANCE)]
    dedup = [pts[0]]
    for p in pts[1:]:
        if p != dedup[-1]:
            dedup.append(p)
    if dedup[0] != dedup[-1]:
        dedup.append(dedup[0])
    return [list(p) for p in dedup] if len(dedup) >= 4 else None


def main(src, dst):
    data = json.load(open(src, encoding="utf-8"))
    out = []
    for f in sorted(data["features"], key=lambda f: f["properties"]["code"]):
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        polys = sorted(polys, key=lambda p: -area(p[0]))
        kept = []
        for i, poly in enumerate(polys):
            if i > 0 and area(poly[0]) < MIN_AREA:
                continue
            outer = ring_out(poly[0])
            if outer is None:
                continue
            holes = [h for h in (ring_out(r) for r in poly[1:] if area(r) >= MIN_AREA) if h]
            kept.append([outer] + holes)
        out.append({
            "type": "Feature",
            "properties": {"code": f["properties"]["code"], "nom": f["properties"]["nom"]},
            "geometry": {"type": "MultiPolygon", "coordinates": kept},
        })
    with open(dst, "w", encoding="utf-8") as w:
        w.write('{"type":"FeatureCollection","features":[\n')
        w.write(",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in out))
        w.write("\n]}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
