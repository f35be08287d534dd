//! End-to-end checks of the search stage on a generated catalogue: the index answers
//! like tantivy's own boolean query, and the static export, decoded and ranked the way
//! the browser does, gives the same results bit for bit.

use super::export::{self, B, K1};
use super::query::{self, Filters, Lexicon};
use super::*;
use crate::model::{Coordinates, Diploma};
use crate::search::vocabulary;
use chrono::NaiveDate;
use serde_json::Value;
use std::collections::HashMap;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

/// A catalogue with realistic words, repeated titles (ties) and several towns.
pub(crate) fn catalogue(n: usize) -> Vec<Offer> {
    let titles = [
        (
            "CAP Métiers de la coiffure",
            "CAP",
            3,
            "Coiffure, esthétique",
        ),
        ("BP Coiffure", "BP", 4, "Coiffure, esthétique"),
        ("CAP Boulanger", "CAP", 3, "Alimentation"),
        (
            "Mention complémentaire Boulangerie spécialisée",
            "MC",
            3,
            "Alimentation",
        ),
        (
            "BTS Management commercial opérationnel",
            "BTS",
            5,
            "Commerce",
        ),
        (
            "Bac pro Métiers du commerce et de la vente",
            "BAC PRO",
            4,
            "Commerce",
        ),
        ("CAP Pâtissier", "CAP", 3, "Alimentation"),
        (
            "BTS Services informatiques aux organisations",
            "BTS",
            5,
            "Informatique",
        ),
        (
            "Titre professionnel Développeur web et web mobile",
            "TP",
            5,
            "Informatique",
        ),
        ("CAP Électricien", "CAP", 3, "Électricité"),
        (
            "Licence pro Métiers de l'électricité et de l'énergie",
            "LP",
            6,
            "Électricité",
        ),
        ("CAP Cuisine", "CAP", 3, "Hôtellerie, restauration"),
        ("BP Arts de la cuisine", "BP", 4, "Hôtellerie, restauration"),
        (
            "Diplôme d'ingénieur Génie mécanique",
            "Diplôme d'ingénieur",
            7,
            "Mécanique",
        ),
        (
            "CAP Maintenance des véhicules option voitures particulières",
            "CAP",
            3,
            "Mécanique",
        ),
    ];
    let places = [
        ("Nice", "06000", 43.70313, 7.26608),
        ("Marseille", "13001", 43.29695, 5.38107),
        ("Avignon", "84000", 43.94834, 4.80892),
        ("Toulon", "83000", 43.12442, 5.92836),
        ("Gap", "05000", 44.55858, 6.07868),
    ];
    let cfas = [
        "CFA des métiers de l'artisanat",
        "CFA Régional de la coiffure",
        "Faculté des métiers",
        "CFA Interprofessionnel Formaposte",
        "Institut de formation commerciale",
        "CFA Hôtellerie Restauration Méditerranée",
    ];
    (0..n)
        .map(|i| {
            let (title, dtype, level, domain) = titles[(i * 7 + i / 5) % titles.len()];
            let (town, cp, lat, lon) = places[(i / 3) % places.len()];
            let cfa = cfas[(i * 5 / 3) % cfas.len()];
            let mut o = Offer {
                id: format!("AF_{:06}", 1000 + i),
                row: i as u32 + 2,
                title: title.into(),
                diploma_type: dtype.into(),
                diploma: Diploma::parse(dtype),
                level: Some(level),
                domain: Some(domain.into()),
                rome: vec![format!("D{}", 1100 + i % 9)],
                description: Some(format!(
                    "Formation en apprentissage à {town}. {} Les apprentis alternent \
                     entre le centre et l'entreprise ; {}.",
                    if i % 4 == 0 {
                        "Accès aux métiers de la coiffure et de l'esthétique."
                    } else {
                        ""
                    },
                    ["cours pratiques", "ateliers", "stages", "projets tutorés"][i % 4]
                )),
                parcoursup: Some(level == 5),
                affelnet: Some(level == 3 && i % 2 == 0),
                start: NaiveDate::from_ymd_opt(2027, 9, 1 + (i % 28) as u32),
                end: NaiveDate::from_ymd_opt(2029, 6, 30),
                ..Offer::default()
            };
            o.responsible.name = cfa.into();
            o.responsible.siret = Some(format!(
                "{:014}",
                13_000_000_000_000u64 + (i as u64 * 5 / 3) % 6
            ));
            o.trainer.name = if i % 3 == 0 {
                "Lycée Les Palmiers".into()
            } else {
                cfa.into()
            };
            o.place.address.town = Some(town.into());
            o.place.address.postcode = Some(cp.into());
            o.place.coordinates = Some(Coordinates { lat, lon });
            o
        })
        .collect()
}

/// Builds the search stage of [`catalogue`]`(n)` into a temporary folder.
pub(crate) fn built(n: usize) -> (tempfile::TempDir, std::path::PathBuf, SearchAssets) {
    built_of(&catalogue(n))
}

/// Builds the search stage of `offers` into a temporary folder.
fn built_of(offers: &[Offer]) -> (tempfile::TempDir, std::path::PathBuf, SearchAssets) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("index");
    let communes = crate::inputs::load_communes(&crate::config::Config::default()).unwrap();
    let published: Vec<&Offer> = offers.iter().collect();
    let assets = build(
        &dir,
        &communes,
        &published,
        &super::vocabulary::Vocabulary::builtin(),
    )
    .unwrap();
    (tmp, dir, assets)
}

pub(crate) const QUERIES: [&str; 24] = [
    "coiffure",
    "Coiffure Nice",
    "coif",
    "boulanger",
    "boulangerie",
    "pâtissier",
    "patissier",
    "PATISSIER",
    "cuisine marseille",
    "électricité",
    "electricite energie",
    "bts commerce",
    "commercial op",
    "developpeur web",
    "informatique avignon",
    "métiers de la coiffure",
    "coifure",
    "boulamger",
    "mecanique",
    "cap",
    "ingénieur",
    "vente gap",
    "art",
    "xyzzy",
];

/// Where a term's postings are: pack, offset, then per field (field, df, byte length).
type Place = (usize, usize, Vec<(u8, u32, usize)>);

/// The exported files, decoded the way the browser reads them.
struct Decoded {
    manifest: Value,
    lexicon: Lexicon,
    /// term → (pack, offset, [(field, df, length)])
    places: HashMap<String, Place>,
    packs: Vec<Vec<u8>>,
}

fn read_varint(b: &[u8], pos: &mut usize) -> u64 {
    let (mut v, mut shift) = (0u64, 0);
    loop {
        let byte = b[*pos];
        *pos += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return v;
        }
        shift += 7;
    }
}

fn decode(assets: &SearchAssets) -> Decoded {
    let file = |name: &str| {
        assets
            .files
            .get(&format!("{}{name}", export::DIR))
            .unwrap_or_else(|| panic!("{name} missing"))
            .to_vec()
    };
    let manifest_name = assets.manifest.rsplit('/').next().unwrap();
    let manifest: Value = serde_json::from_slice(&file(manifest_name)).unwrap();
    let dir = manifest["packs"]["dir"].as_str().unwrap().to_string();
    let packs = (0..manifest["packs"]["count"].as_u64().unwrap())
        .map(|i| file(&format!("{dir}/{i}.bin")))
        .collect();
    let mut lexicon = Lexicon::default();
    let mut places = HashMap::new();
    for shard in manifest["dict"].as_array().unwrap() {
        let bytes = file(shard[1].as_str().unwrap());
        let mut pos = 0;
        let mut prev: Vec<u8> = Vec::new();
        let mut first = true;
        while pos < bytes.len() {
            let shared = read_varint(&bytes, &mut pos) as usize;
            let len = read_varint(&bytes, &mut pos) as usize;
            let mut term = prev[..shared].to_vec();
            term.extend_from_slice(&bytes[pos..pos + len]);
            pos += len;
            let pack = read_varint(&bytes, &mut pos) as usize;
            let offset = read_varint(&bytes, &mut pos) as usize;
            let k = bytes[pos] as usize;
            pos += 1;
            let mut fields = Vec::new();
            for _ in 0..k {
                let f = bytes[pos];
                pos += 1;
                let df = read_varint(&bytes, &mut pos) as u32;
                let blen = read_varint(&bytes, &mut pos) as usize;
                fields.push((f, df, blen));
            }
            let term = String::from_utf8(term.clone()).unwrap();
            if first {
                assert_eq!(term, shard[0].as_str().unwrap(), "shard key");
                first = false;
            }
            // No query word stands for a whole job name (`Lexicon::of`).
            let wordly: Vec<(u8, u32)> = fields
                .iter()
                .filter(|(f, _, _)| *f != schema::NAMES)
                .map(|(f, df, _)| (*f, *df))
                .collect();
            // A known word no offer has: no list at all.
            if fields.is_empty() || !wordly.is_empty() {
                lexicon.terms.insert(term.clone(), wordly);
            }
            prev = term.clone().into_bytes();
            places.insert(term, (pack, offset, fields));
        }
    }
    Decoded {
        manifest,
        lexicon,
        places,
        packs,
    }
}

/// tantivy's field-norm table (`FieldNormReader::id_to_fieldnorm`).
fn fieldnorm(id: u8) -> u32 {
    tantivy::fieldnorm::FieldNormReader::id_to_fieldnorm(id)
}

impl Decoded {
    fn postings(&self, term: &str, field: u8) -> Vec<(u32, u32, u8)> {
        let (pack, offset, fields) = &self.places[term];
        let mut offset = *offset;
        for (f, df, len) in fields {
            if *f == field {
                let b = &self.packs[*pack];
                let mut pos = offset;
                let mut ord = 0u32;
                let mut out = Vec::new();
                for _ in 0..*df {
                    let v = read_varint(b, &mut pos);
                    ord += (v >> 1) as u32;
                    let fid = b[pos];
                    pos += 1;
                    let tf = if v & 1 == 1 {
                        read_varint(b, &mut pos) as u32
                    } else {
                        1
                    };
                    out.push((ord, tf, fid));
                }
                assert_eq!(pos, offset + len);
                return out;
            }
            offset += len;
        }
        panic!("{term} not in field {field}");
    }

    /// BM25 as the browser computes it: single-precision steps, tantivy's formulas.
    fn score(&self, df: u32, field: u8, boost: f32, tf: u32, fid: u8) -> f32 {
        let n = self.manifest["docs"].as_u64().unwrap();
        let tokens = self.manifest["fields"][field as usize]["tokens"]
            .as_u64()
            .unwrap();
        let idf = match self.manifest["idf"].get(df.to_string()) {
            Some(bits) => f32::from_bits(bits.as_u64().unwrap() as u32),
            None => export::idf_as_browser(u64::from(df), n),
        };
        let avg = tokens as f32 / n as f32;
        let mut weight = idf * (1.0 + K1);
        if boost != 1.0 {
            weight *= boost;
        }
        let norm = K1 * (1.0 - B + B * fieldnorm(fid) as f32 / avg);
        let tf = tf as f32;
        weight * (tf / (tf + norm))
    }

    /// The browser's ranking of the words of a query (no place, no filter): every word
    /// required, else the offers matching the most words; then score, then order.
    fn search(&self, words: &[crate::search::analyzer::Word], limit: usize) -> Vec<(u32, f32)> {
        let plan = query::plan(words, &self.lexicon);
        let mut total: HashMap<u32, (usize, f32)> = HashMap::new();
        for (word, clauses) in words.iter().zip(&plan.words) {
            let mut acc: HashMap<u32, f32> = HashMap::new();
            for c in clauses {
                let df = self.lexicon.terms[&c.term]
                    .iter()
                    .find(|(f, _)| *f == c.field)
                    .unwrap()
                    .1;
                let boost = query::clause_boost(c, word);
                for (ord, tf, fid) in self.postings(&c.term, c.field) {
                    *acc.entry(ord).or_insert(0.0) += self.score(df, c.field, boost, tf, fid);
                }
            }
            for (o, v) in acc {
                let e = total.entry(o).or_insert((0, 0.0));
                e.1 = if e.0 == 0 { v } else { e.1 + v };
                e.0 += 1;
            }
        }
        let n = words.len();
        if total.values().any(|(m, _)| *m == n) {
            total.retain(|_, (m, _)| *m == n);
        } else if n < 2 {
            total.clear();
        }
        let mut v: Vec<(u32, usize, f32)> =
            total.into_iter().map(|(o, (m, s))| (o, m, s)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
        v.truncate(limit);
        v.into_iter().map(|(o, _, s)| (o, s)).collect()
    }
}

fn ask(opened: &index::Opened, q: &str, f: &Filters, limit: usize) -> (usize, Vec<query::Hit>) {
    let a = opened.answer(q, f, limit).unwrap();
    (a.count, a.hits)
}

#[test]
fn the_decoded_export_ranks_exactly_like_the_index() {
    let (_tmp, dir, assets) = built(400);
    let opened = index::Opened::open(&dir).unwrap();
    let searcher = opened.searcher();
    let decoded = decode(&assets);
    assert_eq!(decoded.lexicon, opened.lexicon);
    let mut non_empty = 0;
    let _ = &searcher;
    for q in QUERIES {
        let understood = query::understand(q, &opened.lexicon, &opened.places);
        if understood.place.is_some()
            || understood.department.is_some()
            || understood.diploma.is_some()
        {
            continue;
        }
        let (_, hits) = ask(&opened, q, &Filters::new(), 10);
        let from_index: Vec<(u32, u32)> = hits.iter().map(|h| (h.ord, h.score.to_bits())).collect();
        let from_export: Vec<(u32, u32)> = decoded
            .search(&understood.words, 10)
            .into_iter()
            .map(|(o, s)| (o, s.to_bits()))
            .collect();
        assert_eq!(from_index, from_export, "query {q:?}");
        non_empty += usize::from(!hits.is_empty());
    }
    assert!(non_empty >= 12, "{non_empty}");
}

#[test]
fn scores_agree_with_tantivys_own_boolean_query() {
    let (_tmp, dir, _) = built(400);
    let opened = index::Opened::open(&dir).unwrap();
    let searcher = opened.searcher();
    for q in [
        "coiffure",
        "cuisine arts",
        "commercial",
        "patissier",
        "informatique",
    ] {
        let words = query::query_words(q);
        let plan = query::plan(&words, &opened.lexicon);
        let musts: Vec<(Occur, Box<dyn Query>)> = plan
            .words
            .iter()
            .zip(&words)
            .map(|(clauses, word)| {
                let shoulds: Vec<(Occur, Box<dyn Query>)> = clauses
                    .iter()
                    .map(|c| {
                        let field = opened.fields.text[c.field as usize];
                        let tq = TermQuery::new(
                            tantivy::Term::from_field_text(field, &c.term),
                            IndexRecordOption::WithFreqs,
                        );
                        let boosted: Box<dyn Query> =
                            Box::new(BoostQuery::new(Box::new(tq), query::clause_boost(c, word)));
                        (Occur::Should, boosted)
                    })
                    .collect();
                let q: Box<dyn Query> = Box::new(BooleanQuery::new(shoulds));
                (Occur::Must, q)
            })
            .collect();
        let bq = BooleanQuery::new(musts);
        let top = searcher
            .search(
                &bq,
                &tantivy::collector::TopDocs::with_limit(1000).order_by_score(),
            )
            .unwrap();
        let (count, hits) = ask(&opened, q, &Filters::new(), 1000);
        assert_eq!(top.len(), count, "{q}");
        let theirs: HashMap<u32, f32> = top
            .iter()
            .map(|(s, addr)| {
                let ord = searcher
                    .segment_reader(addr.segment_ord)
                    .fast_fields()
                    .u64("ord")
                    .unwrap()
                    .first(addr.doc_id)
                    .unwrap() as u32;
                (ord, *s)
            })
            .collect();
        for h in &hits {
            let t = theirs[&h.ord];
            assert!(
                (t - h.score).abs() <= 1e-5 * t.abs(),
                "{q}: {t} vs {}",
                h.score
            );
        }
    }
}

#[test]
fn filters_keep_only_matching_offers() {
    let (_tmp, dir, assets) = built(200);
    let opened = index::Opened::open(&dir).unwrap();
    let searcher = opened.searcher();
    let mut f = Filters::new();
    f.insert("dep".into(), "06".into());
    let _ = &searcher;
    let (count, hits) = ask(&opened, "cap", &f, 500);
    assert!(count > 0);
    assert!(hits.iter().all(|h| h.town.as_deref() == Some("Nice")));
    let dep06 = assets.facets["dep"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["value"] == "06")
        .unwrap()["count"]
        .as_u64()
        .unwrap();
    let (all06, _) = ask(&opened, "", &f, 0);
    assert_eq!(
        all06 as u64, dep06,
        "an empty query lists what the filter keeps"
    );
}

fn titles(hits: &[query::Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.title.as_str()).collect()
}

#[test]
fn a_job_word_finds_the_offers_of_its_rome_codes() {
    let (_tmp, dir, _) = built(120);
    let opened = index::Opened::open(&dir).unwrap();
    let offers = catalogue(120);
    // A job name of D1104 that no title, domain or description carries.
    let word = "confiseur";
    assert!(
        vocabulary::Rome::builtin()
            .words(&["D1104".into()])
            .contains(word)
    );
    let (count, hits) = ask(&opened, word, &Filters::new(), 200);
    let expected = offers.iter().filter(|o| o.rome == ["D1104"]).count();
    assert_eq!(count, expected);
    for h in &hits {
        let o = offers.iter().find(|o| o.id == h.id).unwrap();
        assert_eq!(o.rome, ["D1104"], "{}", h.title);
    }
}

#[test]
fn an_acronym_puts_its_speciality_first() {
    let (_tmp, dir, _) = built(120);
    let opened = index::Opened::open(&dir).unwrap();
    let (_, hits) = ask(&opened, "bts sio", &Filters::new(), 10);
    assert_eq!(
        hits[0].title,
        "BTS Services informatiques aux organisations"
    );
    let (_, hits) = ask(&opened, "BTS MCO", &Filters::new(), 10);
    assert_eq!(hits[0].title, "BTS Management commercial opérationnel");
}

#[test]
fn word_families_match_below_the_exact_word() {
    let (_tmp, dir, _) = built(120);
    let opened = index::Opened::open(&dir).unwrap();
    let (_, hits) = ask(&opened, "informaticien", &Filters::new(), 50);
    assert!(
        titles(&hits).iter().any(|t| t.contains("informatiques")),
        "{:?}",
        titles(&hits)
    );
    // électricité: the title that has the word comes before the électricien family.
    let (_, hits) = ask(&opened, "électricité", &Filters::new(), 50);
    let t = titles(&hits);
    let exact = t.iter().position(|t| t.contains("électricité")).unwrap();
    let family = t
        .iter()
        .position(|t| *t == "CAP Électricien")
        .expect("family match");
    assert!(exact < family, "{t:?}");
    // A transposition is one typo.
    let (count, hits) = ask(&opened, "coiffrue", &Filters::new(), 50);
    let (exact, exact_hits) = ask(&opened, "coiffure", &Filters::new(), 50);
    assert_eq!(count, exact);
    assert_eq!(hits[0].id, exact_hits[0].id);
}

#[test]
fn when_not_every_word_matches_the_closest_offers_come_flagged() {
    let (_tmp, dir, _) = built(120);
    let opened = index::Opened::open(&dir).unwrap();
    let a = opened
        .answer("coiffure astronaute", &Filters::new(), 10)
        .unwrap();
    assert!(a.approx && a.count > 0);
    assert!(
        a.hits
            .iter()
            .all(|h| h.title.to_lowercase().contains("coiffure") && h.matched == 1)
    );
    let a = opened.answer("coiffure", &Filters::new(), 10).unwrap();
    assert!(!a.approx);
    let a = opened.answer("astronaute", &Filters::new(), 10).unwrap();
    assert_eq!((a.approx, a.count), (false, 0));
}

#[test]
fn an_old_acronym_finds_the_diploma_that_replaced_it_not_words_it_begins() {
    let mut offers = catalogue(6);
    for (i, o) in offers.iter_mut().enumerate() {
        o.title = match i {
            0..3 => "BTS Support à l'action managériale",
            _ => "BTS Aménagement finition",
        }
        .into();
        o.rome = Vec::new();
        o.description = None;
    }
    let (_tmp, dir, _) = built_of(&offers);
    let opened = index::Opened::open(&dir).unwrap();
    // "AM" (assistant de manager) became SAM: not the first letters of "aménagement".
    for q in ["bts am", "AM", "sam"] {
        let a = opened.answer(q, &Filters::new(), 10).unwrap();
        assert_eq!(a.count, 3, "{q}");
        assert!(
            a.hits.iter().all(|h| h.title.contains("managériale")),
            "{q}"
        );
    }
    // Three letters are completed as they are typed.
    let a = opened.answer("amé", &Filters::new(), 10).unwrap();
    assert!(a.count > 0 && a.hits.iter().all(|h| h.title.contains("Aménagement")));
}

/// `n` offers of the [`catalogue`], each given the title and diploma type `of(i)` and no
/// ROME codes.
fn retitled(n: usize, of: impl Fn(usize) -> (&'static str, &'static str)) -> Vec<Offer> {
    let mut offers = catalogue(n);
    for (i, o) in offers.iter_mut().enumerate() {
        let (title, dtype) = of(i);
        o.title = title.into();
        o.diploma_type = dtype.into();
        o.diploma = Diploma::parse(dtype);
        o.rome = Vec::new();
    }
    offers
}

#[test]
fn a_short_acronym_is_not_completed_from_a_shorter_stem() {
    let mut offers = retitled(7, |i| match i {
        0..3 => ("DUT Gestion des entreprises et des administrations", "DUT"),
        3..5 => ("BTSA Génie des équipements agricoles", "BTSA"),
        _ => ("DUT Génie électrique et informatique industrielle", "DUT"),
    });
    for o in &mut offers {
        o.description = None;
    }
    let (_tmp, dir, _) = built_of(&offers);
    let opened = index::Opened::open(&dir).unwrap();
    // "gea" stems to "ge": completed from that, it was génie, GEII, gestion…
    let a = opened.answer("gea", &Filters::new(), 10).unwrap();
    assert_eq!(a.count, 5, "{:?}", titles(&a.hits));
    assert!(!titles(&a.hits).iter().any(|t| t.contains("électrique")));
    let a = opened.answer("dut gea", &Filters::new(), 10).unwrap();
    assert!(
        titles(&a.hits)[..3]
            .iter()
            .all(|t| t.starts_with("DUT Gestion"))
    );
    // Longer stems still complete: "équip" → équipements.
    let a = opened.answer("équip", &Filters::new(), 10).unwrap();
    assert_eq!(a.count, 2);
}

#[test]
fn a_diploma_asked_for_by_its_other_name_is_the_one_the_catalogue_lists() {
    let offers = retitled(6, |i| match i {
        0..3 => ("DUT Gestion des entreprises et des administrations", "DUT"),
        _ => ("BTSA Génie des équipements agricoles", "BTSA"),
    });
    let (_tmp, dir, _) = built_of(&offers);
    let opened = index::Opened::open(&dir).unwrap();
    // The BUT replaced the DUT: a catalogue of DUTs answers "but" with them.
    for q in ["but gea", "BUT"] {
        let a = opened.answer(q, &Filters::new(), 10).unwrap();
        assert_eq!(a.understood.diploma.as_deref(), Some("dut"), "{q}");
        assert!(
            titles(&a.hits)[..3].iter().all(|t| t.starts_with("DUT")),
            "{q}"
        );
    }
    assert_eq!(opened.answer("but", &Filters::new(), 10).unwrap().count, 3);
    // A diploma the catalogue lists is the one asked for.
    let a = opened.answer("btsa", &Filters::new(), 10).unwrap();
    assert_eq!(a.understood.diploma.as_deref(), Some("btsa"));
}

#[test]
fn words_that_match_nothing_leave_what_else_the_query_asked_for() {
    let (_tmp, dir, _) = built(120);
    let opened = index::Opened::open(&dir).unwrap();
    // An acronym the site does not know: the CAPs, flagged approaching.
    let a = opened.answer("cap xyzt", &Filters::new(), 500).unwrap();
    let caps = opened.answer("cap", &Filters::new(), 500).unwrap();
    assert!(a.approx);
    assert!(a.count > 0 && a.count == caps.count);
    assert!(
        a.hits
            .iter()
            .all(|h| h.matched == 0 && h.title.starts_with("CAP"))
    );
    // And a place: its offers, nearest first.
    let a = opened.answer("xyzt nice", &Filters::new(), 500).unwrap();
    assert!(a.approx && a.count > 0 && a.radius.is_some());
    assert_eq!(a.hits[0].town.as_deref(), Some("Nice"));
    // Words found, but not within the filters chosen: nothing, as the filters' counts say.
    let mut f = Filters::new();
    f.insert("niveau".into(), "3".into());
    assert!(
        opened
            .answer("organisations", &Filters::new(), 5)
            .unwrap()
            .count
            > 0
    );
    let a = opened.answer("cap organisations", &f, 500).unwrap();
    assert_eq!((a.approx, a.count), (false, 0));
}

#[test]
fn a_town_a_postcode_or_a_department_in_the_query_is_a_place() {
    let (_tmp, dir, _) = built(120);
    let opened = index::Opened::open(&dir).unwrap();
    let a = opened.answer("cap nice", &Filters::new(), 100).unwrap();
    assert_eq!(a.understood.place.as_ref().unwrap().name, "Nice");
    assert_eq!(a.understood.diploma.as_deref(), Some("cap"));
    assert_eq!(a.radius, Some(20.0));
    assert!(a.count > 0 && a.hits.iter().all(|h| h.town.as_deref() == Some("Nice")));
    let a = opened
        .answer("coiffure 84000", &Filters::new(), 100)
        .unwrap();
    assert_eq!(a.understood.place.as_ref().unwrap().name, "Avignon");
    // Nearest first among the offers as much about the words: Avignon's, then those of
    // the next towns (fewer than a page of them in Avignon).
    assert_eq!(a.hits[0].town.as_deref(), Some("Avignon"), "{:?}", a.hits);
    for w in a.hits.windows(2) {
        if (w[0].matched, w[0].topic) == (w[1].matched, w[1].topic) {
            assert!(w[0].distance <= w[1].distance, "{:?}", a.hits);
        }
    }
    let d = opened.answer("Vaucluse", &Filters::new(), 500).unwrap();
    assert_eq!(d.understood.department.as_deref(), Some("84"));
    assert!(d.count > 0 && d.hits.iter().all(|h| h.town.as_deref() == Some("Avignon")));
    // Distances grow down the list; the "près de" field takes a name without accents.
    let mut f = Filters::new();
    f.insert("ville".into(), "TOULON".into());
    let a = opened.answer("cuisine", &f, 100).unwrap();
    let km: Vec<f64> = a.hits.iter().map(|h| h.distance.unwrap()).collect();
    assert!(
        !km.is_empty() && km.windows(2).all(|w| w[0] <= w[1]),
        "{km:?}"
    );
}

#[test]
fn a_town_typed_with_its_accents_is_the_town_even_where_a_job_has_its_letters() {
    let mut offers = catalogue(3);
    offers[0].title = "CAP Maçon".into();
    place(&mut offers[0], "Dijon", "21000", 47.32160, 5.04150);
    offers[1].title = "BTS Comptabilité et gestion".into();
    place(&mut offers[1], "Mâcon", "71000", 46.30690, 4.82870);
    offers[2].title = "Titre professionnel Chargé de clientèle".into();
    place(&mut offers[2], "Mâcon", "71000", 46.30690, 4.82870);
    let (_tmp, dir, _) = built_of(&offers);
    let opened = index::Opened::open(&dir).unwrap();
    let town = |q: &str| {
        let a = opened.answer(q, &Filters::new(), 10).unwrap();
        a.understood.place.map(|p| p.name.to_string())
    };
    // The town's own spelling names the town; the mason's, or none, the mason.
    assert_eq!(town("mâcon").as_deref(), Some("Mâcon"));
    assert_eq!(town("BTS MÂCON").as_deref(), Some("Mâcon"));
    for q in ["maçon", "macon", "cap macon"] {
        assert_eq!(town(q), None, "{q}");
        let a = opened.answer(q, &Filters::new(), 10).unwrap();
        assert_eq!(a.hits[0].title, "CAP Maçon", "{q}");
    }
    // Chargé (Indre-et-Loire) is spelt as the job names spell "chargé": the job.
    assert_eq!(town("chargé de clientèle"), None);
}

/// Hits of equal rank before the score (words matched, words matched in a topic field,
/// then the distance or the start date asked for) in score order: the better match
/// first, the index order only last.
fn ties_go_by_score(hits: &[query::Hit], tie: impl Fn(&query::Hit) -> String) -> usize {
    let mut compared = 0;
    for w in hits.windows(2) {
        let rank = |h: &query::Hit| (h.matched, h.topic, tie(h));
        if rank(&w[0]) == rank(&w[1]) {
            assert!(
                w[0].score >= w[1].score,
                "{} before {}",
                w[0].title,
                w[1].title
            );
            compared += usize::from(w[0].score != w[1].score);
        }
    }
    compared
}

#[test]
fn at_the_same_distance_or_date_the_better_match_comes_first() {
    let (_tmp, dir, _) = built(400);
    let opened = index::Opened::open(&dir).unwrap();
    // Offers of one town share its point: many hits at the same distance.
    let mut f = Filters::new();
    f.insert("ville".into(), "toulon".into());
    let a = opened.answer("coiffure", &f, 500).unwrap();
    let compared = ties_go_by_score(&a.hits, |h| format!("{:?}", h.distance));
    assert!(compared > 0, "some ties of unequal scores were ordered");
    f.insert("tri".into(), "date".into());
    let a = opened.answer("coiffure", &f, 500).unwrap();
    let compared = ties_go_by_score(&a.hits, |h| format!("{:?}", h.start));
    assert!(compared > 0, "some ties of unequal scores were ordered");
}

#[test]
fn a_diploma_type_is_preferred_not_required() {
    let (_tmp, dir, _) = built(120);
    let opened = index::Opened::open(&dir).unwrap();
    let a = opened.answer("bp coiffure", &Filters::new(), 200).unwrap();
    let all = opened.answer("coiffure", &Filters::new(), 200).unwrap();
    assert_eq!(a.count, all.count, "other diplomas stay");
    let first_cap = titles(&a.hits)
        .iter()
        .position(|t| t.starts_with("CAP"))
        .unwrap();
    assert!(
        titles(&a.hits)[..first_cap]
            .iter()
            .all(|t| t.starts_with("BP"))
    );
    assert!(first_cap > 0);
    // Alone, the diploma type is a filter.
    let a = opened.answer("bts", &Filters::new(), 500).unwrap();
    assert!(a.count > 0 && titles(&a.hits).iter().all(|t| t.starts_with("BTS")));
}

#[test]
fn offers_about_the_word_come_before_those_whose_cfa_is_named_after_it() {
    let mut offers = catalogue(60);
    for o in &mut offers {
        o.responsible.name = "CFA Interprofessionnel Formaposte".into();
        o.trainer.name = o.responsible.name.clone();
        o.description = None;
    }
    // Offers about accounting, matched by the family of their title's words
    // (comptable → comptabilité, a low boost); a CFA named "Expertise Comptable" that
    // teaches communication, matched by its name: a rare term in a short field, which
    // BM25 scores above them.
    for o in &mut offers[1..4] {
        o.title = "BTS Comptabilité et gestion".into();
        o.domain = Some("Gestion".into());
    }
    offers[0].title = "BTS Communication".into();
    offers[0].domain = Some("Communication".into());
    offers[0].responsible.name = "CFA Expertise Comptable".into();
    offers[0].trainer.name = offers[0].responsible.name.clone();
    let (_tmp, dir, _) = built_of(&offers);
    let opened = index::Opened::open(&dir).unwrap();
    let a = opened.answer("comptable", &Filters::new(), 100).unwrap();
    let scores: Vec<_> = a
        .hits
        .iter()
        .map(|h| (&h.title, h.topic, h.score))
        .collect();
    assert_eq!(a.count, 4, "{scores:?}");
    let last = &a.hits[3];
    assert_eq!((last.title.as_str(), last.topic), ("BTS Communication", 0));
    assert!(
        a.hits[..3]
            .iter()
            .all(|h| h.title == "BTS Comptabilité et gestion" && h.topic == 1)
    );
    assert!(
        a.hits[..3].iter().all(|h| h.score < last.score),
        "the CFA's name outscores the offers about accounting, yet comes after: {scores:?}"
    );
    // Every word of a longer query in the CFA's name: the query names the CFA, whose
    // offers come first.
    let a = opened
        .answer("cfa comptable", &Filters::new(), 100)
        .unwrap();
    let order: Vec<_> = a.hits.iter().map(|h| (h.title.as_str(), h.topic)).collect();
    assert_eq!(a.count, 4, "{order:?}");
    assert_eq!(order[0], ("BTS Communication", 2), "{order:?}");
    assert!(order[1..].iter().all(|&(_, topic)| topic == 1), "{order:?}");
}

/// Puts an offer in a town, at a point.
fn place(o: &mut Offer, town: &str, cp: &str, lat: f64, lon: f64) {
    o.place.address.town = Some(town.into());
    o.place.address.postcode = Some(cp.into());
    o.place.coordinates = Some(Coordinates { lat, lon });
}

#[test]
fn near_a_town_the_radius_is_the_one_that_finds_offers_about_the_words() {
    let mut offers = catalogue(3);
    // In Gap, an offer whose CFA only is named after coiffure.
    offers[0].title = "BTS Comptabilité et gestion".into();
    offers[0].domain = Some("Gestion".into());
    offers[0].responsible.name = "CFA Régional de la coiffure".into();
    place(&mut offers[0], "Gap", "05000", 44.55858, 6.07868);
    // 40 km away, Sisteron; far away, Nice: offers about coiffure.
    for (o, (town, cp, lat, lon)) in offers[1..].iter_mut().zip([
        ("Sisteron", "04200", 44.19613, 5.94310),
        ("Nice", "06000", 43.70313, 7.26608),
    ]) {
        o.title = "CAP Métiers de la coiffure".into();
        o.domain = Some("Coiffure, esthétique".into());
        o.responsible.name = "CFA des métiers de l'artisanat".into();
        place(o, town, cp, lat, lon);
    }
    for o in &mut offers {
        o.trainer.name = o.responsible.name.clone();
        o.description = None;
    }
    let (_tmp, dir, _) = built_of(&offers);
    let opened = index::Opened::open(&dir).unwrap();
    let mut f = Filters::new();
    f.insert("ville".into(), "gap".into());
    let a = opened.answer("coiffure", &f, 10).unwrap();
    // Not 20 km (only the CFA's name there): 50 km, which finds Sisteron's CAP.
    assert_eq!(a.radius, Some(50.0));
    let towns: Vec<_> = a.hits.iter().map(|h| h.town.as_deref().unwrap()).collect();
    assert_eq!(towns, ["Sisteron", "Gap"]);
    assert_eq!(a.hits[0].topic, 1);
    assert_eq!(a.hits[1].topic, 0);
}

#[test]
fn near_a_town_the_list_goes_on_until_a_page_of_offers_about_the_words() {
    let mut offers = catalogue(2 + query::FEW);
    // One CAP coiffure in Gap; the others in Sisteron, 40 km away, and one in Nice, 140.
    for (i, o) in offers.iter_mut().enumerate() {
        o.title = "CAP Métiers de la coiffure".into();
        o.domain = Some("Coiffure, esthétique".into());
        o.responsible.name = "CFA des métiers de l'artisanat".into();
        o.trainer.name = o.responsible.name.clone();
        o.description = None;
        match i {
            0 => place(o, "Gap", "05000", 44.55858, 6.07868),
            1 => place(o, "Nice", "06000", 43.70313, 7.26608),
            _ => place(o, "Sisteron", "04200", 44.19613, 5.94310),
        }
    }
    let (_tmp, dir, _) = built_of(&offers);
    let opened = index::Opened::open(&dir).unwrap();
    let a = opened.answer("coiffure gap", &Filters::new(), 50).unwrap();
    // Not 20 km (one offer there): 50 km, Gap's offer first, then Sisteron's.
    assert_eq!(a.radius, Some(50.0));
    let towns: Vec<_> = a.hits.iter().map(|h| h.town.as_deref().unwrap()).collect();
    assert_eq!(towns[0], "Gap");
    assert_eq!(towns[1..], vec!["Sisteron"; query::FEW]);
}

#[test]
fn a_diploma_is_found_by_the_words_of_its_full_name() {
    let (_tmp, dir, _) = built(60);
    let opened = index::Opened::open(&dir).unwrap();
    // "technicien": the BTS (brevet de technicien supérieur) about commerce.
    let a = opened
        .answer("technicien commercial", &Filters::new(), 5)
        .unwrap();
    assert!(!a.hits.is_empty());
    for h in &a.hits {
        assert_eq!(h.title, "BTS Management commercial opérationnel");
        assert_eq!(h.matched, 2);
    }
}

#[test]
fn near_a_town_an_offer_named_after_the_words_comes_before_one_related_to_them() {
    let mut offers = catalogue(1 + query::FEW);
    // In Gap, a CAP about beauty whose ROME code is the hairdresser's (job names with
    // "coiffure"); CAP coiffure in Sisteron, 40 km away.
    for (i, o) in offers.iter_mut().enumerate() {
        o.responsible.name = "CFA des métiers de l'artisanat".into();
        o.trainer.name = o.responsible.name.clone();
        o.description = None;
        o.domain = Some("Coiffure, esthétique".into());
        if i == 0 {
            o.title = "CAP Esthétique cosmétique parfumerie".into();
            o.domain = Some("Esthétique".into());
            o.rome = vec!["D1202".into()];
            place(o, "Gap", "05000", 44.55858, 6.07868);
        } else {
            o.title = "CAP Métiers de la coiffure".into();
            place(o, "Sisteron", "04200", 44.19613, 5.94310);
        }
    }
    let (_tmp, dir, _) = built_of(&offers);
    let opened = index::Opened::open(&dir).unwrap();
    let a = opened.answer("coiffure gap", &Filters::new(), 50).unwrap();
    assert_eq!(a.radius, Some(50.0));
    let titles: Vec<_> = a.hits.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(
        titles[..query::FEW],
        vec!["CAP Métiers de la coiffure"; query::FEW]
    );
    assert_eq!(
        titles[query::FEW..],
        ["CAP Esthétique cosmétique parfumerie"]
    );
}

#[test]
fn when_few_offers_have_every_word_those_about_some_follow() {
    let with = |full: usize, filters: &Filters| {
        let mut offers = catalogue(full + 6);
        for (i, o) in offers.iter_mut().enumerate() {
            // Two of the offers with both words, and those with one, at bac +3.
            o.level = Some(if i < 2 || (full..full + 5).contains(&i) {
                6
            } else {
                5
            });
            o.responsible.name = "CFA des métiers de l'industrie".into();
            o.description = None;
            o.rome = Vec::new();
            // (No BTS: "technicien" is a word of its full name.)
            let (title, domain, diploma) = match i {
                i if i < full => (
                    "Titre pro Technicien de maintenance industrielle",
                    "Industrie",
                    "Titre professionnel",
                ),
                i if i < full + 5 => ("CAP Maintenance des matériels", "Industrie", "CAP"),
                // Only its CFA is named after one of the words: not about it.
                _ => {
                    o.responsible.name = "Institut des techniciens".into();
                    ("CAP Boulanger", "Alimentation", "CAP")
                }
            };
            o.diploma_type = diploma.into();
            o.diploma = Diploma::parse(diploma);
            o.title = title.into();
            o.domain = Some(domain.into());
            o.trainer.name = o.responsible.name.clone();
        }
        let (tmp, dir, _) = built_of(&offers);
        let opened = index::Opened::open(&dir).unwrap();
        let a = opened
            .answer("technicien de maintenance", filters, 50)
            .unwrap();
        drop(tmp);
        a
    };
    let none = Filters::new();
    let bac3 = Filters::from([("niveau".to_string(), "6".to_string())]);
    // Two offers with both words: they come first, then the five about maintenance,
    // flagged approaching; not the offer whose CFA only has "technicien".
    let a = with(2, &none);
    let titles: Vec<_> = a
        .hits
        .iter()
        .map(|h| (h.title.as_str(), h.matched))
        .collect();
    assert!(a.approx);
    assert_eq!(a.count, 7, "{titles:?}");
    assert!(titles[..2].iter().all(|&(_, m)| m == 2), "{titles:?}");
    assert!(
        titles[2..]
            .iter()
            .all(|&t| t == ("CAP Maintenance des matériels", 1)),
        "{titles:?}"
    );
    // A page of offers with both words: those alone.
    let a = with(query::FEW, &none);
    assert!(!a.approx);
    assert_eq!(a.count, query::FEW);
    assert!(a.hits.iter().all(|h| h.matched == 2));
    // Counted before the filters: at bac +3, the two with both words, not the others
    // (what the level's count said before it was chosen).
    let a = with(query::FEW, &bac3);
    assert!(!a.approx);
    assert_eq!(a.count, 2);
}

#[test]
fn a_word_of_the_titles_family_ranks_above_one_job_name_among_many() {
    let (_tmp, dir, _) = built(120);
    let opened = index::Opened::open(&dir).unwrap();
    // "pâtisserie" is in no title: CAP Pâtissier has a word of its family, other offers
    // have it among the job names of their ROME code.
    let a = opened.answer("pâtisserie", &Filters::new(), 200).unwrap();
    let t = titles(&a.hits);
    let pastry = t.iter().filter(|t| **t == "CAP Pâtissier").count();
    assert!(pastry > 0 && t.len() > pastry, "{t:?}");
    assert!(t[..pastry].iter().all(|t| *t == "CAP Pâtissier"), "{t:?}");
}

/// An offer of CFA `cfa` (responsible and trainer) without a description: only its
/// title, domain and ROME codes say what it is about.
fn of_cfa(o: &mut Offer, cfa: &str) {
    o.description = None;
    o.responsible.name = cfa.into();
    o.trainer.name = cfa.into();
}

#[test]
fn two_words_found_only_in_the_job_bag_count_as_one() {
    // A1313's job names hold "chargé" (de mission) and "communication" (responsable
    // communication et médiation), never in one name: a page of nature offers has both
    // words in its bag, the BTS Communication has one in its title.
    let mut offers = catalogue(1 + query::FEW);
    for (i, o) in offers.iter_mut().enumerate() {
        of_cfa(o, "CFA agricole");
        if i == 0 {
            o.title = "BTS Communication".into();
            o.domain = Some("Communication".into());
            o.rome = Vec::new();
        } else {
            o.title = "BTSA Gestion et protection de la nature".into();
            o.domain = Some("Environnement".into());
            o.rome = vec!["A1313".into()];
        }
    }
    let words = vocabulary::Rome::builtin().words(&["A1313".into()]);
    assert!(words.contains("charge") && words.contains("communication"));
    let (_tmp, dir, _) = built_of(&offers);
    let opened = index::Opened::open(&dir).unwrap();
    let a = opened
        .answer("chargé de communication", &Filters::new(), 50)
        .unwrap();
    assert_eq!(a.hits[0].title, "BTS Communication");
    assert_eq!(a.hits.len(), offers.len());
    // The nature offers follow as approaching: one word each, as far as a job name says.
    assert!(a.approx);
    assert!(a.hits[1..].iter().all(|h| h.matched == 1));
}

#[test]
fn words_of_the_job_bag_that_make_one_job_name_count_each() {
    // K1304 has "Aide à domicile"; D1102 (aide-boulanger) and D1202 (coiffeur à
    // domicile) have the two words in two names only.
    let mut offers = catalogue(1 + query::FEW);
    for (i, o) in offers.iter_mut().enumerate() {
        o.domain = None;
        o.description = None;
        if i == 0 {
            o.title = "Titre professionnel Assistant de vie aux familles".into();
            o.rome = vec!["K1304".into()];
        } else {
            o.title = "CAP Métiers de la coiffure".into();
            o.rome = vec!["D1102".into(), "D1202".into()];
        }
    }
    let (_tmp, dir, _) = built_of(&offers);
    let opened = index::Opened::open(&dir).unwrap();
    for q in ["aide à domicile", "domicile aide", "cap aide domicile"] {
        let a = opened.answer(q, &Filters::new(), 50).unwrap();
        assert_eq!(a.hits[0].title, offers[0].title, "{q}");
        assert_eq!(a.hits[0].matched, 2, "{q}");
        // The others have the words from two names: one each, approaching.
        assert!(a.approx, "{q}");
        assert!(a.hits[1..].iter().all(|h| h.matched == 1), "{q}");
    }
}

#[test]
fn what_the_synonyms_call_an_offer_names_it() {
    // "assistant de direction" is what the synonyms call the BTS SAM; the BTS ATI has
    // "assistance" in its title and "direction" in a job name of its ROME code.
    let mut offers = catalogue(2);
    for (i, o) in offers.iter_mut().enumerate() {
        of_cfa(o, "CFA tertiaire");
        o.domain = Some("Secrétariat".into());
        (o.title, o.rome) = match i {
            0 => (
                "BTS Assistance technique d'ingénieur".into(),
                vec!["M1604".into()],
            ),
            _ => ("BTS Support à l'action managériale".into(), Vec::new()),
        };
    }
    let (_tmp, dir, _) = built_of(&offers);
    let opened = index::Opened::open(&dir).unwrap();
    let a = opened
        .answer("assistante de direction", &Filters::new(), 5)
        .unwrap();
    assert_eq!(
        titles(&a.hits),
        [
            "BTS Support à l'action managériale",
            "BTS Assistance technique d'ingénieur"
        ]
    );
}

#[test]
fn a_completion_of_the_word_to_a_synonym_does_not_name_the_offer() {
    // In Gap, a CAP in restaurant service, which the synonyms also call "cuisinier"; the
    // CAP Cuisine in Sisteron, 40 km away. "cuisine" completes to "cuisinier" but is not
    // it: the offer named after the word comes first, though further.
    let mut offers = catalogue(2);
    for (i, o) in offers.iter_mut().enumerate() {
        of_cfa(o, "CFA hôtelier");
        o.rome = Vec::new();
        if i == 0 {
            o.title = "CAP Commercialisation et services en hôtel-café-restaurant".into();
            o.domain = Some("Restauration".into());
            place(o, "Gap", "05000", 44.55858, 6.07868);
        } else {
            o.title = "CAP Cuisine".into();
            o.domain = Some("Hôtellerie".into());
            place(o, "Sisteron", "04200", 44.19613, 5.94310);
        }
    }
    let (_tmp, dir, _) = built_of(&offers);
    let opened = index::Opened::open(&dir).unwrap();
    let a = opened.answer("cuisine gap", &Filters::new(), 5).unwrap();
    assert_eq!(
        titles(&a.hits),
        [
            "CAP Cuisine",
            "CAP Commercialisation et services en hôtel-café-restaurant"
        ]
    );
}

#[test]
fn words_every_apprenticeship_could_say_do_not_narrow_the_query() {
    // One description says "alternance": it must not make its offer the only one about
    // "coiffure en alternance", nor the others approaching.
    let mut offers = catalogue(40);
    for o in &mut offers {
        o.description = None;
    }
    let i = offers
        .iter()
        .rposition(|o| o.title.contains("coiffure"))
        .unwrap();
    offers[i].description = Some("Coiffure en alternance, deux jours par semaine.".into());
    let (_tmp, dir, _) = built_of(&offers);
    let opened = index::Opened::open(&dir).unwrap();
    let ids = |q: &str| {
        let a = opened.answer(q, &Filters::new(), 50).unwrap();
        let ids: Vec<String> = a.hits.iter().map(|h| h.id.clone()).collect();
        (a.count, a.approx, ids)
    };
    let coiffure = ids("coiffure");
    assert!(coiffure.0 > 1 && !coiffure.1);
    for q in [
        "coiffure en alternance",
        "apprentissage coiffure",
        "coiffure apprentie",
    ] {
        assert_eq!(ids(q), coiffure, "{q}");
    }
    // Alone, the word is still looked for.
    assert_eq!(ids("alternance").2, vec![offers[i].id.clone()]);
}

#[test]
fn a_job_no_offer_trains_for_is_not_read_as_a_typo_of_another() {
    // "infirmier" (stem "infirmi") is two edits from "inform…": a job word of the ROME
    // table that no offer has, it finds nothing rather than the computing offers; a
    // word no job has is still corrected.
    let mut offers = catalogue(10);
    offers[0].title = "BTS Services informatiques aux organisations".into();
    offers[1].title = "BTS Notariat".into();
    let (_tmp, dir, assets) = built_of(&offers);
    let opened = index::Opened::open(&dir).unwrap();
    let stems = vocabulary::Rome::builtin().stems();
    assert!(stems.contains("infirmi") && stems.contains("notair"));
    assert_eq!(ask(&opened, "infirmier", &Filters::new(), 10).0, 0);
    assert_eq!(ask(&opened, "infirmière", &Filters::new(), 10).0, 0);
    let (n, hits) = ask(&opened, "infomatique", &Filters::new(), 10);
    assert!(n >= 1 && hits[0].title == offers[0].title);
    // Within its ending, a known word is still corrected: the notary's training.
    let (n, hits) = ask(&opened, "notaire", &Filters::new(), 10);
    assert!(n >= 1 && hits[0].title == "BTS Notariat");
    // The browser reads it the same way: a term of the export with no list.
    let decoded = decode(&assets);
    assert_eq!(decoded.lexicon.terms.get("infirmi"), Some(&Vec::new()));
    assert!(opened.lexicon.terms["infirmi"].is_empty());
}

#[test]
fn two_words_typed_without_a_space_are_read_as_both() {
    let (_tmp, dir, _) = built(120);
    let opened = index::Opened::open(&dir).unwrap();
    let f = Filters::new();
    let glued = opened.answer("boulangerpatissier", &f, 500).unwrap();
    let spaced = opened.answer("boulanger patissier", &f, 500).unwrap();
    assert!(glued.count > 0);
    assert_eq!(glued.count, spaced.count);
    assert_eq!(titles(&glued.hits), titles(&spaced.hits));
    // Then read as any two words: a town is a place.
    let glued = opened.answer("cuisinemarseille", &f, 500).unwrap();
    let spaced = opened.answer("cuisine marseille", &f, 500).unwrap();
    assert!(glued.count > 0 && glued.radius.is_some());
    assert_eq!(glued.understood, spaced.understood);
    assert_eq!(titles(&glued.hits), titles(&spaced.hits));
    // A word a typo away from a word of the index is read as that word, not split.
    let typo = opened.answer("boulamger", &f, 500).unwrap();
    assert_eq!(
        typo.count,
        opened.answer("boulanger", &f, 500).unwrap().count
    );
    // Both halves must be words of the index: one of gibberish finds nothing.
    assert_eq!(opened.answer("qzwxboulanger", &f, 500).unwrap().count, 0);
}

#[test]
fn a_title_typed_in_capitals_is_shown_as_on_its_page() {
    // A BCN label, as some Carif-Oref exports carry it: found by its words, shown as
    // the offer's page shows it.
    let mut offers = catalogue(3);
    offers[0].title = "MACON (CAP)".into();
    offers[0].responsible.name = "LYCEE DES METIERS DU BATIMENT".into();
    let (_tmp, dir, _) = built_of(&offers);
    let opened = index::Opened::open(&dir).unwrap();
    let a = opened.answer("maçon", &Filters::new(), 10).unwrap();
    assert_eq!(a.hits[0].title, "Maçon (CAP)");
    assert_eq!(a.hits[0].cfa, "Lycée des Métiers du Bâtiment");
}
