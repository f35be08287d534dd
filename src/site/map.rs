//! Maps drawn at build time: department outlines of open data (IGN Admin Express via
//! `data/departements.geojson`) projected and simplified into one small SVG file per
//! build (the base map, cached by the browser), and, per page, a few lines of inline SVG
//! that lay links on it (the places of a CFA, the place of an offer, search results).
//!
//! No tile server, no script, no request outside the site: the base map is an `<image>`
//! of the site's own `/assets/`. An operator who accepts a third party may add a raster
//! tile layer ([`TileLayer`]); its tiles are then `<image>`s under the outlines.
//!
//! The projection is Web Mercator at an integer zoom (the tiles' own), so a point lands
//! at the same pixel on the outlines, on the tiles and in the search page's script (see
//! [`Projection`]).

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::f64::consts::PI;
use std::fmt::Write as _;

/// The department outlines shipped with the tool.
const BUILTIN: &str = "departements.geojson";

/// Largest side of the base map, in pixels of its zoom level.
const MAX_SIDE: f64 = 640.0;
/// A base map wider than this (degrees of longitude) mixes the mainland and an overseas
/// department: only the zone with the most places is drawn.
const MAX_SPAN_DEG: f64 = 20.0;
/// Douglas-Peucker tolerance in map pixels: below what an eye tells apart.
const TOLERANCE_PX: f64 = 0.6;

/// The outlines file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error("department outlines: not GeoJSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("department outlines, feature {index} ({code}): {message}")]
    Feature {
        index: usize,
        code: String,
        message: String,
    },
}

/// One department: its code (`06`, `2A`, `974`), its name and its polygons (outer ring
/// first, then holes), as `[longitude, latitude]`.
#[derive(Debug, Clone)]
pub struct Department {
    pub code: String,
    pub name: String,
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    pub bbox: [f64; 4],
}

/// Every department outline.
#[derive(Debug, Clone)]
pub struct Outlines {
    pub departments: Vec<Department>,
}

#[derive(Deserialize)]
struct FeatureCollection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: Properties,
    geometry: Geometry,
}

#[derive(Deserialize)]
struct Properties {
    code: String,
    nom: String,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Vec<Vec<Vec<f64>>>),
    MultiPolygon(Vec<Vec<Vec<Vec<f64>>>>),
}

impl Outlines {
    /// Reads a GeoJSON FeatureCollection of (Multi)Polygons whose properties hold `code`
    /// and `nom` (the shape of france-geojson's files).
    pub fn parse(text: &str) -> Result<Outlines, MapError> {
        let fc: FeatureCollection = serde_json::from_str(text)?;
        let mut departments = Vec::with_capacity(fc.features.len());
        for (index, f) in fc.features.into_iter().enumerate() {
            let code = f.properties.code.trim().to_string();
            let bad = |message: &str| MapError::Feature {
                index,
                code: code.clone(),
                message: message.to_string(),
            };
            let raw = match f.geometry {
                Geometry::Polygon(p) => vec![p],
                Geometry::MultiPolygon(m) => m,
            };
            let mut polygons = Vec::with_capacity(raw.len());
            let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
            for poly in raw {
                let mut rings = Vec::with_capacity(poly.len());
                for ring in poly {
                    let mut pts = Vec::with_capacity(ring.len());
                    for p in ring {
                        let (lon, lat) = match p.as_slice() {
                            [lon, lat, ..] => (*lon, *lat),
                            _ => return Err(bad("a position needs a longitude and a latitude")),
                        };
                        if !(-180.0..=180.0).contains(&lon) || !(-85.0..=85.0).contains(&lat) {
                            return Err(bad("a position is out of range"));
                        }
                        bbox = [
                            bbox[0].min(lon),
                            bbox[1].min(lat),
                            bbox[2].max(lon),
                            bbox[3].max(lat),
                        ];
                        pts.push([lon, lat]);
                    }
                    if pts.len() < 4 {
                        return Err(bad("a ring needs at least four positions"));
                    }
                    rings.push(pts);
                }
                if !rings.is_empty() {
                    polygons.push(rings);
                }
            }
            if polygons.is_empty() || code.is_empty() {
                return Err(bad("no polygon or no code"));
            }
            departments.push(Department {
                code,
                name: f.properties.nom,
                polygons,
                bbox,
            });
        }
        Ok(Outlines { departments })
    }

    /// The outlines compiled into the tool (`data/departements.geojson`).
    pub fn builtin() -> Outlines {
        Outlines::parse(crate::builtin::text(BUILTIN)).expect("the shipped outlines parse (tested)")
    }

    fn get(&self, code: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.code == code)
    }
}

/// Web Mercator at zoom `zoom`, shifted so that the map's top-left corner is (0, 0):
/// `x = (lon + 180) / 360 · 256 · 2^zoom − x0`,
/// `y = (1 − ln(tan φ + sec φ) / π) / 2 · 256 · 2^zoom − y0` (φ the latitude in radians).
/// The search page's script uses the same numbers to place its results.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Projection {
    pub zoom: u8,
    pub x0: f64,
    pub y0: f64,
    pub width: f64,
    pub height: f64,
}

fn world_px(zoom: u8) -> f64 {
    256.0 * f64::from(1u32 << zoom)
}

fn mercator(lon: f64, lat: f64, zoom: u8) -> (f64, f64) {
    let s = world_px(zoom);
    let phi = lat.clamp(-85.0511, 85.0511).to_radians();
    let x = (lon + 180.0) / 360.0 * s;
    let y = (1.0 - (phi.tan() + 1.0 / phi.cos()).ln() / PI) / 2.0 * s;
    (x, y)
}

impl Projection {
    /// Map pixel of a point.
    pub fn project(&self, lat: f64, lon: f64) -> (f64, f64) {
        let (x, y) = mercator(lon, lat, self.zoom);
        (x - self.x0, y - self.y0)
    }

    /// Whether a point falls on the map.
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        let (x, y) = self.project(lat, lon);
        (0.0..=self.width).contains(&x) && (0.0..=self.height).contains(&y)
    }

    /// Map pixels per kilometre at a latitude.
    pub fn px_per_km(&self, lat: f64) -> f64 {
        let metres_per_px = 40_075_016.686 * lat.to_radians().cos() / world_px(self.zoom);
        1000.0 / metres_per_px
    }

    /// The largest zoom at which a box fits in [`MAX_SIDE`] pixels, with a margin.
    fn fit(bbox: [f64; 4]) -> Projection {
        let mut zoom = 12u8;
        loop {
            let (x1, y1) = mercator(bbox[0], bbox[3], zoom);
            let (x2, y2) = mercator(bbox[2], bbox[1], zoom);
            let (w, h) = (x2 - x1, y2 - y1);
            if (w.max(h) * 1.08 <= MAX_SIDE) || zoom == 1 {
                let m = (w.max(h) * 0.04).max(4.0);
                return Projection {
                    zoom,
                    x0: (x1 - m).floor(),
                    y0: (y1 - m).floor(),
                    width: (w + 2.0 * m).ceil(),
                    height: (h + 2.0 * m).ceil(),
                };
            }
            zoom -= 1;
        }
    }
}

/// A raster tile layer an operator chose (`[map] tiles` of `vitrine.toml`). Its host
/// must also be allowed by the site's Content-Security-Policy (`img-src`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TileLayer {
    /// `https://…/{z}/{x}/{y}.png`.
    pub url: String,
    /// Shown under the map (for OpenStreetMap: "© les contributeurs d'OpenStreetMap").
    pub attribution: String,
}

impl TileLayer {
    /// A layer from a URL template: https only, with `{z}`, `{x}` and `{y}`, and no
    /// character that could leave an attribute.
    pub fn new(url: &str, attribution: &str) -> Result<TileLayer, String> {
        let ok = url.starts_with("https://")
            && ["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p))
            && url
                .chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && !"<>\"'`\\".contains(c));
        if !ok {
            return Err(format!(
                "tile URL `{url}` must be https://… with {{z}}, {{x}} and {{y}}"
            ));
        }
        if attribution.trim().is_empty() {
            return Err("a tile layer needs its attribution".into());
        }
        Ok(TileLayer {
            url: url.to_string(),
            attribution: attribution.trim().to_string(),
        })
    }
}

/// A point laid on a map.
#[derive(Debug, Clone)]
pub struct MapPoint {
    pub lat: f64,
    pub lon: f64,
    /// The accessible name of the point (also its tooltip).
    pub label: String,
    /// Where the point leads; a point without a link is drawn but not focusable.
    pub href: Option<String>,
    /// The page's own subject (drawn larger).
    pub current: bool,
}

/// A circle laid on a map (the search page's "within N km of a town").
#[derive(Debug, Clone, Copy)]
pub struct Circle {
    pub lat: f64,
    pub lon: f64,
    pub km: f64,
}

/// The base map of a build: the departments where the offers are, and their neighbours.
#[derive(Debug, Clone)]
pub struct BaseMap {
    pub projection: Projection,
    /// The base map file (`image/svg+xml`), to publish under [`BaseMap::file_name`].
    pub svg: Vec<u8>,
    /// Departments drawn as the region, by code.
    pub region: BTreeSet<String>,
    pub tiles: Option<TileLayer>,
    /// URL path of the published file (`/assets/carte.1a2b3c4d.svg`).
    pub url: String,
}

/// Land, sea and lines of the base map (fixed presentation attributes: an SVG shown as
/// an image takes no style from the page).
const SEA: &str = "#dcebf5";
const REGION_FILL: &str = "#ffffff";
const OTHER_FILL: &str = "#e6e6e6";
const LINE: &str = "#7a8591";

impl BaseMap {
    /// The key of everything an overlay is drawn from besides its points.
    pub fn key(&self) -> crate::output::Key {
        crate::output::key_of(&[
            &self.svg,
            self.url.as_bytes(),
            &crate::output::key_of_serialized(&(&self.projection, &self.region, &self.tiles))
                .to_le_bytes(),
        ])
    }

    /// The base map for places given as (department code, optional coordinates): the
    /// departments holding at least one place are the region. `None` when no place has a
    /// department the outlines know.
    pub fn build<'p>(
        outlines: &Outlines,
        places: impl IntoIterator<Item = &'p str>,
        tiles: Option<TileLayer>,
    ) -> Option<BaseMap> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for code in places {
            if outlines.get(code).is_some() {
                *counts.entry(code).or_default() += 1;
            }
        }
        // Mainland and each overseas department are zones; far apart, only the busiest
        // zone is drawn (its points stay in the list beside the map).
        let zone = |c: &str| {
            if c.len() == 3 {
                c.to_string()
            } else {
                "fr".into()
            }
        };
        let mut by_zone: BTreeMap<String, usize> = BTreeMap::new();
        for (c, n) in &counts {
            *by_zone.entry(zone(c)).or_default() += n;
        }
        let bbox_of = |codes: &mut dyn Iterator<Item = &str>| {
            codes.filter_map(|c| outlines.get(c)).fold(
                [f64::MAX, f64::MAX, f64::MIN, f64::MIN],
                |b, d| {
                    [
                        b[0].min(d.bbox[0]),
                        b[1].min(d.bbox[1]),
                        b[2].max(d.bbox[2]),
                        b[3].max(d.bbox[3]),
                    ]
                },
            )
        };
        let mut region: BTreeSet<String> = counts.keys().map(|c| c.to_string()).collect();
        let mut bbox = bbox_of(&mut region.iter().map(String::as_str));
        if region.is_empty() {
            return None;
        }
        if bbox[2] - bbox[0] > MAX_SPAN_DEG {
            let busiest = by_zone
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(z, _)| z.clone())?;
            region.retain(|c| zone(c) == busiest);
            bbox = bbox_of(&mut region.iter().map(String::as_str));
        }
        let projection = Projection::fit(bbox);
        let svg = base_svg(outlines, &region, &projection, tiles.is_some());
        Some(BaseMap {
            projection,
            svg,
            region,
            tiles,
            url: String::new(),
        })
    }

    /// Logical name of the base map file (fingerprinted by the site).
    pub const FILE_NAME: &'static str = "carte.svg";

    /// The inline SVG of a page's map: the base map, the tiles if any, an optional
    /// circle, and the points that fall on the map (as links with accessible names).
    /// `label` names the whole map (`Carte des lieux de formation de …`).
    pub fn overlay(&self, label: &str, points: &[MapPoint], circle: Option<Circle>) -> String {
        let p = &self.projection;
        let esc = super::theme::escape_html;
        let mut s = String::with_capacity(512 + points.len() * 200);
        let _ = write!(
            s,
            // Names as <title> text, not attributes: the minifier writes attribute
            // values with the fewest escapes (a raw `<` is legal there), text keeps `&lt;`.
            r#"<svg class="map-svg" viewBox="0 0 {w} {h}" role="group" xmlns="http://www.w3.org/2000/svg"><title>{label}</title>"#,
            w = p.width,
            h = p.height,
            label = esc(label),
        );
        if let Some(t) = &self.tiles {
            tiles_svg(&mut s, t, p);
        }
        let _ = write!(
            s,
            r#"<image href="{url}" x="0" y="0" width="{w}" height="{h}" aria-hidden="true"/>"#,
            url = esc(&self.url),
            w = p.width,
            h = p.height,
        );
        if let Some(c) = circle {
            let (x, y) = p.project(c.lat, c.lon);
            let r = c.km * p.px_per_km(c.lat);
            let _ = write!(
                s,
                r#"<circle class="map-radius" cx="{x:.1}" cy="{y:.1}" r="{r:.1}" aria-hidden="true"/>"#
            );
        }
        // The current point last, so it is drawn on top.
        let mut order: Vec<&MapPoint> = points.iter().filter(|m| !m.current).collect();
        order.extend(points.iter().filter(|m| m.current));
        for m in order {
            if !p.contains(m.lat, m.lon) {
                continue;
            }
            let (x, y) = p.project(m.lat, m.lon);
            let class = if m.current {
                "map-point current"
            } else {
                "map-point"
            };
            let r = if m.current { 7.0 } else { 5.5 };
            let dot = format!(
                r#"<circle class="map-hit" cx="{x:.1}" cy="{y:.1}" r="12"/><circle class="{class}" cx="{x:.1}" cy="{y:.1}" r="{r}"/><title>{t}</title>"#,
                t = esc(&m.label)
            );
            match &m.href {
                Some(href) => {
                    let _ = write!(s, r#"<a href="{h}">{dot}</a>"#, h = esc(href),);
                }
                None => {
                    let _ = write!(s, r#"<g aria-hidden="true">{dot}</g>"#);
                }
            }
        }
        s.push_str("</svg>");
        s
    }
}

/// Tiles covering the map, under the outlines.
fn tiles_svg(s: &mut String, t: &TileLayer, p: &Projection) {
    let n = 1i64 << p.zoom;
    let (tx0, ty0) = ((p.x0 / 256.0).floor() as i64, (p.y0 / 256.0).floor() as i64);
    let (tx1, ty1) = (
        ((p.x0 + p.width) / 256.0).floor() as i64,
        ((p.y0 + p.height) / 256.0).floor() as i64,
    );
    for ty in ty0.max(0)..=ty1.min(n - 1) {
        for tx in tx0..=tx1 {
            let wrapped = tx.rem_euclid(n);
            let url = t
                .url
                .replace("{z}", &p.zoom.to_string())
                .replace("{x}", &wrapped.to_string())
                .replace("{y}", &ty.to_string());
            let _ = write!(
                s,
                r#"<image href="{u}" x="{x}" y="{y}" width="256" height="256" aria-hidden="true"/>"#,
                u = super::theme::escape_html(&url),
                x = tx as f64 * 256.0 - p.x0,
                y = ty as f64 * 256.0 - p.y0,
            );
        }
    }
}

/// The base map file: sea, every department touching the map (the region's in white),
/// each ring projected and simplified to the pixel.
fn base_svg(
    outlines: &Outlines,
    region: &BTreeSet<String>,
    p: &Projection,
    over_tiles: bool,
) -> Vec<u8> {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}">"#,
        w = p.width,
        h = p.height
    );
    if !over_tiles {
        let _ = write!(
            s,
            r#"<rect width="{}" height="{}" fill="{SEA}"/>"#,
            p.width, p.height
        );
    }
    // Neighbours first, the region on top (its borders then read whole).
    let mut drawn: Vec<&Department> = outlines
        .departments
        .iter()
        .filter(|d| {
            let (x1, y1) = p.project(d.bbox[3], d.bbox[0]);
            let (x2, y2) = p.project(d.bbox[1], d.bbox[2]);
            x2 >= 0.0 && y2 >= 0.0 && x1 <= p.width && y1 <= p.height
        })
        .collect();
    drawn.sort_by_key(|d| (region.contains(&d.code), d.code.clone()));
    for d in drawn {
        let mut path = String::new();
        for poly in &d.polygons {
            for ring in poly {
                let pts: Vec<(f64, f64)> = ring.iter().map(|q| p.project(q[1], q[0])).collect();
                let simple = simplify(&pts, TOLERANCE_PX);
                if simple.len() < 4 {
                    continue;
                }
                path_ring(&mut path, &simple);
            }
        }
        if path.is_empty() {
            continue;
        }
        let fill = match (over_tiles, region.contains(&d.code)) {
            (true, true) => "none",
            (true, false) => "#ffffff\" fill-opacity=\"0.45",
            (false, true) => REGION_FILL,
            (false, false) => OTHER_FILL,
        };
        let width = if region.contains(&d.code) { 1.0 } else { 0.6 };
        let _ = write!(
            s,
            r#"<path d="{path}" fill="{fill}" stroke="{LINE}" stroke-width="{width}" stroke-linejoin="round"/>"#
        );
    }
    s.push_str("</svg>\n");
    s.into_bytes()
}

/// One closed ring in path syntax, tenths of a pixel, repeated points dropped.
fn path_ring(out: &mut String, pts: &[(f64, f64)]) {
    let mut last = None;
    for (i, (x, y)) in pts.iter().enumerate() {
        let q = ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
        if last == Some(q) {
            continue;
        }
        last = Some(q);
        let sep = if i == 0 { "M" } else { " " };
        let _ = write!(out, "{sep}{} {}", tenths(q.0), tenths(q.1));
    }
    out.push('Z');
}

fn tenths(v: i64) -> String {
    if v % 10 == 0 {
        (v / 10).to_string()
    } else {
        format!("{:.1}", v as f64 / 10.0)
    }
}

/// Douglas-Peucker simplification (iterative; both ends kept). Hand-written rather than
/// the `geo` crate: twenty lines against a dependency tree of a dozen crates.
pub fn simplify(pts: &[(f64, f64)], tolerance: f64) -> Vec<(f64, f64)> {
    if pts.len() < 3 {
        return pts.to_vec();
    }
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[pts.len() - 1] = true;
    let mut stack = vec![(0usize, pts.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (ax, ay) = pts[a];
        let (bx, by) = pts[b];
        let (dx, dy) = (bx - ax, by - ay);
        let norm = dx.hypot(dy);
        let mut best = (0.0, 0);
        for (i, &(px, py)) in pts.iter().enumerate().take(b).skip(a + 1) {
            let d = if norm == 0.0 {
                (px - ax).hypot(py - ay)
            } else {
                (dy * px - dx * py + bx * ay - by * ax).abs() / norm
            };
            if d > best.0 {
                best = (d, i);
            }
        }
        if best.0 > tolerance {
            keep[best.1] = true;
            stack.push((a, best.1));
            stack.push((best.1, b));
        }
    }
    pts.iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paca() -> BaseMap {
        let places = ["13", "13", "83", "06", "84", "04", "05"];
        BaseMap::build(&Outlines::builtin(), places, None).unwrap()
    }

    #[test]
    fn the_shipped_outlines_hold_every_department() {
        let o = Outlines::builtin();
        assert_eq!(o.departments.len(), 101);
        for code in [
            "01", "06", "13", "2A", "2B", "83", "95", "971", "974", "976",
        ] {
            assert!(o.get(code).is_some(), "{code}");
        }
        assert_eq!(o.get("13").unwrap().name, "Bouches-du-Rhône");
    }

    #[test]
    fn a_region_map_is_small_and_centred_on_its_departments() {
        let m = paca();
        assert_eq!(m.region.len(), 6);
        assert!(m.projection.width <= MAX_SIDE && m.projection.height <= MAX_SIDE);
        assert!(m.projection.width > 300.0, "{:?}", m.projection);
        // Marseille, Nice and Gap are on it; Paris and Lyon are not.
        assert!(m.projection.contains(43.2965, 5.3698));
        assert!(m.projection.contains(43.7031, 7.2661));
        assert!(m.projection.contains(44.5594, 6.0786));
        assert!(!m.projection.contains(48.8566, 2.3522));
        assert!(!m.projection.contains(45.764, 4.8357));
        // Simplified to the pixel: a few tens of kilobytes, not the 540 of the source.
        assert!(m.svg.len() < 60_000, "{} bytes", m.svg.len());
        let text = String::from_utf8(m.svg.clone()).unwrap();
        assert!(text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(!text.contains("http://") || text.matches("http://").count() == 1);
    }

    #[test]
    fn projected_points_keep_their_geography() {
        let p = paca().projection;
        let (mx, my) = p.project(43.2965, 5.3698); // Marseille
        let (nx, ny) = p.project(43.7031, 7.2661); // Nice
        let (_, gy) = p.project(44.5594, 6.0786); // Gap
        assert!(nx > mx && ny < my, "Nice is east and north of Marseille");
        assert!(gy < ny && gy < my, "Gap is north of both");
        // Marseille–Nice is about 159 km.
        let km = (nx - mx).hypot(ny - my) / p.px_per_km(43.5);
        assert!((150.0..170.0).contains(&km), "{km}");
    }

    #[test]
    fn an_overseas_place_does_not_shrink_the_mainland_map() {
        let m = BaseMap::build(&Outlines::builtin(), ["13", "13", "83", "974"], None).unwrap();
        assert!(!m.region.contains("974"));
        assert!(m.projection.zoom >= 6);
        let reunion = BaseMap::build(&Outlines::builtin(), ["974"], None).unwrap();
        assert!(reunion.projection.contains(-20.8821, 55.4504)); // Saint-Denis
    }

    #[test]
    fn unknown_departments_give_no_map() {
        assert!(BaseMap::build(&Outlines::builtin(), ["99", ""], None).is_none());
    }

    #[test]
    fn points_are_links_with_accessible_names_and_text_is_escaped() {
        let mut m = paca();
        m.url = "/assets/carte.12345678.svg".into();
        let svg = m.overlay(
            "Carte des lieux de <CFA>",
            &[
                MapPoint {
                    lat: 43.2965,
                    lon: 5.3698,
                    label: "Marseille \"<script>\"".into(),
                    href: Some("#lieu-1".into()),
                    current: false,
                },
                MapPoint {
                    lat: 48.8566,
                    lon: 2.3522,
                    label: "Paris".into(),
                    href: Some("#lieu-2".into()),
                    current: false,
                },
            ],
            None,
        );
        assert!(svg.contains(r#"<title>Carte des lieux de &lt;CFA&gt;</title>"#));
        assert!(svg.contains(r##"<a href="#lieu-1"><circle"##));
        assert!(svg.contains(r#"<title>Marseille &quot;&lt;script&gt;&quot;</title>"#));
        assert!(!svg.contains("<script>"));
        assert!(
            !svg.contains("Paris"),
            "a point off the map is left to the list"
        );
        assert!(svg.contains(r#"<image href="/assets/carte.12345678.svg""#));
        assert!(!svg.contains("https://"), "no request outside the site");
    }

    #[test]
    fn a_radius_is_drawn_to_scale() {
        let mut m = paca();
        m.url = "/assets/carte.svg".into();
        let svg = m.overlay(
            "x",
            &[],
            Some(Circle {
                lat: 43.1242,
                lon: 5.928,
                km: 20.0,
            }),
        );
        let r: f64 = svg
            .split("class=\"map-radius\"")
            .nth(1)
            .and_then(|t| t.split(" r=\"").nth(1))
            .and_then(|t| t.split('"').next())
            .unwrap()
            .parse()
            .unwrap();
        let expected = 20.0 * m.projection.px_per_km(43.1242);
        assert!((r - expected).abs() < 0.1);
    }

    #[test]
    fn tiles_are_only_https_templates_and_cover_the_map() {
        assert!(TileLayer::new("http://t/{z}/{x}/{y}.png", "x").is_err());
        assert!(TileLayer::new("https://t/{z}/{x}.png", "x").is_err());
        assert!(TileLayer::new("https://t/{z}/{x}/{y}.png\" onload=\"x", "x").is_err());
        assert!(TileLayer::new("https://t/{z}/{x}/{y}.png", " ").is_err());
        let t = TileLayer::new("https://tile.example.org/{z}/{x}/{y}.png", "© OSM").unwrap();
        let places = ["13", "83", "06", "84", "04", "05"];
        let mut m = BaseMap::build(&Outlines::builtin(), places, Some(t)).unwrap();
        m.url = "/assets/carte.svg".into();
        let svg = m.overlay("x", &[], None);
        let z = m.projection.zoom;
        assert!(svg.contains(&format!("https://tile.example.org/{z}/")));
        let tiles = svg.matches("tile.example.org").count() as f64;
        let needed = (m.projection.width / 256.0).ceil() * (m.projection.height / 256.0).ceil();
        assert!(tiles >= needed && tiles <= needed * 4.0, "{tiles} tiles");
    }

    /// Ray casting in longitude/latitude (fine at this scale).
    fn inside(d: &Department, lat: f64, lon: f64) -> bool {
        d.polygons.iter().any(|poly| {
            let crossings = poly
                .iter()
                .map(|ring| {
                    ring.windows(2)
                        .filter(|w| {
                            let ([x1, y1], [x2, y2]) = (w[0], w[1]);
                            (y1 > lat) != (y2 > lat)
                                && lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1
                        })
                        .count()
                })
                .sum::<usize>();
            crossings % 2 == 1
        })
    }

    #[test]
    fn real_towns_fall_in_their_own_department_on_the_map() {
        // The communes of Provence-Alpes-Côte d'Azur in the national table (La Poste
        // points): the shipped outlines, simplified, still put each town in its department.
        let communes = crate::communes::Communes::builtin();
        let outlines = Outlines::builtin();
        let map = paca();
        let (mut placed, mut right) = (0, 0);
        let mut wrong = Vec::new();
        let paca = ["04", "05", "06", "13", "83", "84"];
        for c in communes
            .all()
            .iter()
            .filter(|c| paca.contains(&c.department.as_str()))
        {
            let Some(p) = c.coordinates else { continue };
            placed += 1;
            assert!(
                map.projection.contains(p.lat, p.lon),
                "{} is off the map",
                c.name
            );
            let dept = outlines.get(&c.department).unwrap();
            if inside(dept, p.lat, p.lon) {
                right += 1;
            } else {
                wrong.push(c.name.clone());
            }
        }
        assert!(placed > 400, "{placed} communes with a point");
        // A town on a border may land a few hundred metres across once simplified.
        assert!(
            right * 100 >= placed * 99,
            "{right}/{placed}; outside: {wrong:?}"
        );
    }

    #[test]
    fn simplification_keeps_corners_and_drops_collinear_points() {
        let line = [(0.0, 0.0), (1.0, 0.01), (2.0, 0.0), (2.0, 5.0)];
        assert_eq!(
            simplify(&line, 0.5),
            vec![(0.0, 0.0), (2.0, 0.0), (2.0, 5.0)]
        );
    }

    #[test]
    fn bad_outlines_are_refused_with_the_feature_named() {
        let bad = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"13","nom":"B"},"geometry":{"type":"Polygon","coordinates":[[[5,43],[6,43],[5,44]]]}}]}"#;
        let e = Outlines::parse(bad).unwrap_err().to_string();
        assert!(
            e.contains("feature 0 (13)") && e.contains("four positions"),
            "{e}"
        );
        assert!(Outlines::parse("{").is_err());
    }
}
