//! The static form of the index for the browser, from the documents and their
//! [`Inverted`] index (what tantivy's index holds for the text fields):
//! content-hashed files under `recherche/index/`, each loaded only when a query needs it.
//!
//! - `manifest-*.json` (small): document count, per-field boost and token total (BM25
//!   average lengths), the first term of each dictionary shard, the file lists.
//! - `t-*.bin` dictionary shards, by term order: front-coded terms, each with its
//!   postings location and, per field, document frequency and byte length.
//! - `p-*/N.bin` postings packs: per (term, field), entries `varint(Δord·2 | tf>1)`,
//!   `u8 fieldnorm id`, then `varint(tf)` when tf > 1.
//! - `r-*/N.json` result records by blocks of [`RECORDS_PER_FILE`] documents.
//! - `f-*.bin` facet columns, one file per facet (run-length; loaded for filters,
//!   preferences and counts),
//!   `d-*.bin` start dates and `g-*.bin` coordinates (a table of points, then each
//!   offer's point; loaded to sort by date, or for "near a town"), `communes-*.json` the towns for "near a town".
//!
//! Packs and records are many small files: each family lives in a folder named after
//! the hash of all its files, so the manifest lists a folder and a count, not names.

use super::analyzer::{FAMILY_SUFFIXES, NAME_MAX_WORDS};
use super::facets::{self, Facets};
use super::places::Places;
use super::postings::Inverted;
use super::query::{
    DIPLOMA_WORDS, EXPANSION_BOOST, FEW, KNOWN_ENDING_CHARS, MAX_EXPANSIONS, NEAR_WORDS, RADII,
    RENAMED_DIPLOMAS, SPLIT_MIN_CHARS, STEM_PREFIX_MIN_CHARS, STOP_WORDS, TYPO_MIN_CHARS,
    TYPO2_MIN_CHARS,
};
use super::schema::{
    FAMILY, JOBS, NAMES, ORGANISATION, SUBJECT_FIELDS, SYNONYMS, SearchDoc, TEXT_FIELDS,
    TITLE_FIELDS, TOPIC_FIELDS,
};
use crate::communes::{Communes, Kind};
use crate::output::Files;
use crate::safe::json_bytes;
use serde_json::json;
use std::collections::BTreeMap;

/// Folder of the export under the public root.
pub const DIR: &str = "recherche/index/";
/// Result records per file: small, for the ten results of a query sorted by distance
/// come from as many places in the index order.
pub const RECORDS_PER_FILE: usize = 16;
/// Postings packs are cut after this many bytes (a list is never split).
const PACK_BYTES: usize = 8 * 1024;
/// Dictionary shards are cut after this many bytes.
const SHARD_BYTES: usize = 4 * 1024;

/// Offers' coordinates are exported to 1e-3° (about 100 m, plenty for "within 20 km"):
/// the file "near a town" loads stays small.
pub const GEO_SCALE: f64 = 1e3;

/// BM25 constants, as tantivy has them.
pub const K1: f32 = 1.2;
/// BM25 length normalisation, as tantivy has it.
pub const B: f32 = 0.75;

/// What the export takes from the [`Places`]: the shards of the places a query can
/// name (JSON, by the first two letters of their key) and the departments. Made from the
/// tables alone, so a build with the tables of the previous one reads these back rather
/// than the 40,000 places they come from (`cache::place_files`).
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceFiles {
    pub shards: Vec<Vec<u8>>,
    pub departments: BTreeMap<String, String>,
    pub namesakes: std::collections::BTreeSet<String>,
}

impl PlaceFiles {
    pub fn of(places: &Places) -> PlaceFiles {
        let shard_count = places.shard_count();
        type Row<'p> = (&'p str, &'p str, f64, f64);
        let mut shards: Vec<BTreeMap<&str, Row<'_>>> = vec![BTreeMap::new(); shard_count];
        for (k, p) in &places.towns {
            shards[Places::shard_of(k, shard_count)].insert(k, (&p.name, &p.dep, p.lat, p.lon));
        }
        PlaceFiles {
            shards: shards.iter().map(json_bytes).collect(),
            departments: places.departments.clone(),
            namesakes: places.namesakes.clone(),
        }
    }
}

/// The export and the URL of its manifest.
pub struct Export {
    pub files: Files,
    pub manifest: String,
}

/// Builds every file of the export.
pub fn export(
    inverted: &Inverted,
    docs: &[SearchDoc],
    facets: &Facets,
    communes: &Communes,
    places: PlaceFiles,
) -> Export {
    let mut files = Files::new();
    let put = |files: &mut Files, kind: &str, ext: &str, bytes: Vec<u8>| -> String {
        let name = format!("{kind}-{}.{ext}", hash(&bytes));
        files.insert(format!("{DIR}{name}"), bytes);
        name
    };

    // Postings, encoded as the inverted index was made (by term, then field).
    let mut packs: Vec<Vec<u8>> = vec![Vec::new()];
    let mut shards: Vec<(String, Vec<u8>)> = Vec::new();
    let mut prev_term: Vec<u8> = Vec::new();
    for (term, lists) in &inverted.terms {
        let lists: Vec<(u8, u32, &[u8])> = lists
            .iter()
            .map(|l| (l.field, l.df, l.bytes.as_slice()))
            .collect();
        let size: usize = lists.iter().map(|l| l.2.len()).sum();
        if !packs.last().unwrap().is_empty() && packs.last().unwrap().len() + size > PACK_BYTES {
            packs.push(Vec::new());
        }
        let pack = packs.len() - 1;
        let offset = packs[pack].len();
        for l in &lists {
            packs[pack].extend_from_slice(l.2);
        }

        // Dictionary entry.
        if shards.is_empty() || shards.last().unwrap().1.len() >= SHARD_BYTES {
            shards.push((term.clone(), Vec::new()));
            prev_term.clear();
        }
        let out = &mut shards.last_mut().unwrap().1;
        let bytes = term.as_bytes();
        let shared = bytes
            .iter()
            .zip(&prev_term)
            .take_while(|(a, b)| a == b)
            .count();
        varint(out, shared as u64);
        varint(out, (bytes.len() - shared) as u64);
        out.extend_from_slice(&bytes[shared..]);
        varint(out, pack as u64);
        varint(out, offset as u64);
        out.push(lists.len() as u8);
        for (f, df, b) in &lists {
            out.push(*f);
            varint(out, u64::from(*df));
            varint(out, b.len() as u64);
        }
        prev_term = bytes.to_vec();
    }
    let pack_count = packs.len();
    let packs_dir = put_family(&mut files, "p", "bin", packs);
    let dict: Vec<(String, String)> = shards
        .into_iter()
        .map(|(first, bytes)| (first, put(&mut files, "t", "bin", bytes)))
        .collect();

    // Facet columns, run-length encoded (documents are sorted so that runs are long):
    // each document's value by its number in the facet's list plus one (0: none),
    // looked up in a map (a search of the list per document was a twentieth of a
    // rebuild at 10,000 offers: hundreds of diplomas).
    let mut columns: Vec<String> = Vec::new();
    for (i, name) in facets::NAMES.iter().enumerate() {
        let list = facets.get(name).unwrap_or(&[]);
        let mut number: std::collections::HashMap<&str, u64> =
            std::collections::HashMap::with_capacity(list.len());
        for (n, x) in list.iter().enumerate() {
            number.entry(x.value.as_str()).or_insert(n as u64 + 1);
        }
        let index_of = |v: &Option<String>| -> u64 {
            v.as_deref()
                .and_then(|v| number.get(v).copied())
                .unwrap_or(0)
        };
        let values: Vec<u64> = docs
            .iter()
            .map(|d| {
                if i < 4 {
                    index_of(&d.facet[i])
                } else {
                    u64::from(d.parcoursup) | u64::from(d.affelnet) << 1
                }
            })
            .collect();
        // One file per facet: a filter or a preference loads only its own.
        let mut bytes = Vec::new();
        run_length(&mut bytes, &values);
        columns.push(put(&mut files, "f", "bin", bytes));
    }

    // Start dates (for sorting) and coordinates (for "near a town"), apart: each is
    // loaded only by the feature that needs it. Offers share few places: the
    // coordinates are a table of distinct points (sorted, delta-coded), then per offer
    // its point's number plus one (0: unknown).
    let mut dates = Vec::new();
    let mut p_day = 0i64;
    let point = |d: &SearchDoc| {
        d.coordinates.map(|c| {
            (
                ((c.lat + 90.0) * GEO_SCALE).round() as i64,
                ((c.lon + 180.0) * GEO_SCALE).round() as i64,
            )
        })
    };
    let points: Vec<(i64, i64)> = docs
        .iter()
        .filter_map(point)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut geo = Vec::new();
    varint(&mut geo, points.len() as u64);
    let (mut p_lat, mut p_lon) = (0i64, 0i64);
    for &(lat, lon) in &points {
        varint(&mut geo, zigzag(lat - p_lat));
        varint(&mut geo, zigzag(lon - p_lon));
        (p_lat, p_lon) = (lat, lon);
    }
    for d in docs {
        let day = d
            .start
            .as_deref()
            .and_then(|s| s.parse::<chrono::NaiveDate>().ok())
            .map_or(0, |s| {
                (s - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days() + 1
            });
        varint(&mut dates, zigzag(day - p_day));
        p_day = day;
        let n = point(d).map_or(0, |p| points.binary_search(&p).map_or(0, |i| i as u64 + 1));
        varint(&mut geo, n);
    }
    let dates = put(&mut files, "d", "bin", dates);
    let geo = put(&mut files, "g", "bin", geo);

    // Result records.
    let records: Vec<Vec<u8>> = docs
        .chunks(RECORDS_PER_FILE)
        .map(|chunk| {
            let rows: Vec<_> = chunk
                .iter()
                .map(|d| {
                    let voies = u8::from(d.parcoursup) | u8::from(d.affelnet) << 1;
                    // A tuple is written as the JSON array it would make, without it.
                    (
                        &d.id, &d.title, &d.cfa, &d.town, &d.start, &d.end, &d.url, d.level,
                        d.capacity, voies, d.new,
                    )
                })
                .collect();
            json_bytes(&rows)
        })
        .collect();
    let record_count = records.len();
    let records_dir = put_family(&mut files, "r", "json", records);

    // Towns with coordinates, for the "near a town" picker: those of the departments
    // the offers are in (the national table would make it 1.4 MB), without the
    // delegated and associated communes, which repeat their commune's point.
    let departments: std::collections::BTreeSet<&str> =
        docs.iter().filter_map(|d| d.facet[1].as_deref()).collect();
    let towns: Vec<_> = communes
        .all()
        .iter()
        .filter(|c| {
            departments.contains(c.department.as_str())
                && matches!(c.kind, Kind::Commune | Kind::Arrondissement)
        })
        .filter_map(|c| {
            let p = c.coordinates?;
            Some((&c.name, &c.department, round5(p.lat), round5(p.lon)))
        })
        .collect();
    let towns = put(&mut files, "communes", "json", json_bytes(&towns));

    // Places a query can name, in shards by the first two letters of their key: a query
    // loads the shard of each of its words only.
    let PlaceFiles {
        shards: place_files,
        departments,
        namesakes,
    } = places;
    let shard_count = place_files.len();
    let places_dir = put_family(&mut files, "l", "json", place_files);

    // BM25 statistics: tantivy's averages come from these totals.
    let n = u64::from(inverted.docs);
    let mut field_meta = Vec::new();
    for (i, (name, boost)) in TEXT_FIELDS.iter().enumerate() {
        let tokens = inverted.tokens.get(i).copied().unwrap_or(0);
        field_meta.push(json!({"name": name, "boost": boost, "tokens": tokens}));
    }
    let mut overrides = BTreeMap::new();
    for df in inverted
        .terms
        .iter()
        .flat_map(|(_, lists)| lists)
        .map(|l| u64::from(l.df))
    {
        let exact = idf(df, n);
        if idf_as_browser(df, n).to_bits() != exact.to_bits() {
            overrides.insert(df.to_string(), exact.to_bits());
        }
    }
    let manifest = json!({
        "version": 1,
        "docs": n,
        "fields": field_meta,
        "idf": overrides,
        "dict": dict,
        "packs": {"dir": packs_dir, "count": pack_count},
        "records": {"per": RECORDS_PER_FILE, "dir": records_dir, "count": record_count},
        "columns": columns,
        "facets": facets::NAMES,
        "dates": dates,
        "geo": geo,
        "communes": towns,
        "expansions": MAX_EXPANSIONS,
        "typo": TYPO_MIN_CHARS,
        "splitMin": SPLIT_MIN_CHARS,
        "stemPrefix": STEM_PREFIX_MIN_CHARS,
        "typo2": TYPO2_MIN_CHARS,
        "knownEnding": KNOWN_ENDING_CHARS,
        "stop": STOP_WORDS,
        "places": {"dir": places_dir, "count": shard_count},
        "departments": departments,
        "namesakes": namesakes,
        "family": {"field": FAMILY, "suffixes": FAMILY_SUFFIXES},
        "names": {"field": NAMES, "max": NAME_MAX_WORDS},
        "subject": SUBJECT_FIELDS,
        "topic": TOPIC_FIELDS,
        "title": TITLE_FIELDS,
        "jobs": JOBS,
        "synonyms": SYNONYMS,
        "organisation": ORGANISATION,
        "diplomas": DIPLOMA_WORDS,
        "renamed": RENAMED_DIPLOMAS,
        "near": NEAR_WORDS,
        "radii": RADII,
        "few": FEW,
        "expansionBoost": EXPANSION_BOOST,
        "geoScale": GEO_SCALE,
    });
    let name = put(&mut files, "manifest", "json", json_bytes(&manifest));
    Export {
        files,
        manifest: format!("/{DIR}{name}"),
    }
}

/// Puts numbered files (`0.bin`, `1.bin`…) in a folder named after the hash of them all.
fn put_family(files: &mut Files, kind: &str, ext: &str, family: Vec<Vec<u8>>) -> String {
    let dir = format!("{kind}-{}", family_hash(&family));
    for (i, bytes) in family.into_iter().enumerate() {
        files.insert(format!("{DIR}{dir}/{i}.{ext}"), bytes);
    }
    dir
}

/// The hash naming a family folder: of the files' hashes, in order.
pub fn family_hash(family: &[Vec<u8>]) -> String {
    hash(
        family
            .iter()
            .map(|b| hash(b))
            .collect::<Vec<_>>()
            .join("\n")
            .as_bytes(),
    )
}

fn round5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

/// tantivy's idf: `ln(1 + (N - n + 0.5) / (n + 0.5))` in single precision.
pub fn idf(df: u64, n: u64) -> f32 {
    let x = ((n - df) as f32 + 0.5) / (df as f32 + 0.5);
    (1.0 + x).ln()
}

/// The same as the browser computes it (double-precision log, rounded to single);
/// where the two differ by an ulp, the manifest carries tantivy's value.
pub fn idf_as_browser(df: u64, n: u64) -> f32 {
    let x = ((n - df) as f32 + 0.5) / (df as f32 + 0.5);
    f64::from(1.0f32 + x).ln() as f32
}

fn run_length(out: &mut Vec<u8>, values: &[u64]) {
    let mut runs: Vec<(u64, u64)> = Vec::new();
    for &v in values {
        match runs.last_mut() {
            Some((last, len)) if *last == v => *len += 1,
            _ => runs.push((v, 1)),
        }
    }
    varint(out, runs.len() as u64);
    for (v, len) in runs {
        varint(out, v);
        varint(out, len);
    }
}

pub(super) fn varint(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(crate::output::varint(v, &mut [0; 10]));
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// A stable 64-bit content hash (XXH3), in hex: file names change with their bytes.
/// (FNV-1a, a byte at a time, took 7 ms of a build over the export's megabytes.)
pub fn hash(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_zigzag() {
        let mut out = Vec::new();
        varint(&mut out, 300);
        assert_eq!(out, [0xac, 0x02]);
        assert_eq!(zigzag(-1), 1);
        assert_eq!(zigzag(1), 2);
        assert_eq!(zigzag(-3), 5);
    }
}
