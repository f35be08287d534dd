//! What is indexed about an offer: the searchable text fields with their boosts, and the
//! stored values the results and the filters need.

use super::analyzer;
use super::facets::{self, FacetValue, Facets};
use super::postings;
use super::vocabulary::{self, Vocabulary};
use crate::communes::Communes;
use crate::model::{Coordinates, Offer, fold, level_label};
use crate::urls;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// The searchable fields, in the order the browser numbers them, with their BM25 boost.
/// `metiers`: the words of the job names of the offer's ROME codes, in one bag;
/// `sigle`: the acronym of its speciality; `famille`: the family keys of its title's
/// words (raw terms, see [`analyzer::family`]), below the title so that exact words rank
/// first, yet above one job name among the hundreds of a ROME code's ("pâtisserie": the
/// CAP Pâtissier before the cooks, whose job names include a pastry cook; at 0.4 it came
/// 18th); `synonymes`: what the Carif-Oref's synonyms say its title or domain is also
/// called (apart from the job bag: they name the offer, see [`TITLE_FIELDS`]).
pub const TEXT_FIELDS: [(&str, f32); 14] = [
    ("title", 3.0),
    ("diploma", 2.0),
    ("level", 1.0),
    ("domain", 1.5),
    ("rome", 1.0),
    ("organisation", 1.0),
    ("town", 1.5),
    ("department", 1.0),
    ("description", 0.5),
    ("metiers", 1.0),
    ("sigle", 2.5),
    ("famille", 0.8),
    ("synonymes", 1.0),
    ("noms_metiers", 1.0),
];

/// The field of family keys.
pub const FAMILY: u8 = 11;

/// The field of the ROME job words: one bag per offer, so two words found there may
/// come from two different job names (see [`query::rank`](super::query::rank)).
pub const JOBS: u8 = 9;

/// The field of the synonyms.
pub const SYNONYMS: u8 = 12;

/// The field of the whole job names of the offer's ROME codes, of two words or more
/// ([`analyzer::name_key`]): never a query word's match, it tells words of the job bag
/// that make one job name ("aide à domicile") from words of two names.
pub const NAMES: u8 = 13;

/// Fields that say what an offer is about: a word found there is not read as a town.
pub const SUBJECT_FIELDS: [u8; 6] = [0, 1, 3, JOBS, 10, SYNONYMS];

/// The field of the CFA's names (responsible and trainer).
pub const ORGANISATION: u8 = 5;

/// Fields whose match says the offer is about the word (the subject fields, the ROME
/// codes and the title's family): an offer matching a word only elsewhere (its CFA's
/// name, its town, its description) ranks after those that are about it ("comptable":
/// a BTS Comptabilité before the BTS Communication of a "CFA Expertise Comptable").
/// A query of two words or more all found in an offer's [`ORGANISATION`] names its CFA:
/// the offer is then about all of them ("cfa btp").
pub const TOPIC_FIELDS: [u8; 8] = [0, 1, 3, 4, JOBS, 10, FAMILY, SYNONYMS];

/// Fields that name or class the offer (its title, domain, speciality's acronym, their
/// word families, and what the synonyms say they are also called), not its bag of ROME
/// job names: among offers about as many
/// words, one named after them ranks before one related to them through a job of its
/// ROME codes, even further off or of another diploma than asked ("informatique
/// lille": the BTS SIO 6 km away before a BTS Technico-commercial in town, whose ROME
/// jobs include a "technico-commercial en informatique"; "cap cuisine marseille": a
/// Bac pro Cuisine before a CAP in restaurant service).
pub const TITLE_FIELDS: [u8; 5] = [0, 3, 10, FAMILY, SYNONYMS];

/// One published offer as the search sees it (built once, used by the index and the
/// static export).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchDoc {
    /// Position in the index and in the export: offers sorted by department, CFA,
    /// diploma, level, title, id — neighbours share facet values, so columns compress.
    pub ord: u32,
    pub id: String,
    pub url: String,
    pub title: String,
    pub cfa: String,
    pub town: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub coordinates: Option<Coordinates>,
    /// The text of each of [`TEXT_FIELDS`], same order.
    pub texts: Vec<String>,
    /// Facet values: `niveau`, `dep`, `diplome`, `cfa` (one or none each).
    pub facet: [Option<String>; 4],
    pub parcoursup: bool,
    pub affelnet: bool,
    /// For the result card: level, places, a training new this year (blue font).
    pub level: Option<u8>,
    pub capacity: Option<u32>,
    pub new: bool,
    /// The terms of [`Self::texts`] as the index's analyzers make them (see
    /// [`postings::analysed`]): analysed once per offer, kept with the document.
    #[serde(skip)]
    pub terms: Vec<u8>,
}

impl SearchDoc {
    /// What the search needs from an offer; `communes` fills the department and the
    /// coordinates when the export left them out.
    pub fn of(offer: &Offer, communes: &Communes, vocabulary: &Vocabulary) -> SearchDoc {
        Self::of_with(offer, communes, vocabulary, &mut JobWords::default())
    }

    /// [`SearchDoc::of`], with the job words of ROME codes already looked up.
    fn of_with(
        offer: &Offer,
        communes: &Communes,
        vocabulary: &Vocabulary,
        known: &mut JobWords,
    ) -> SearchDoc {
        let place = &offer.place.address;
        let commune = communes
            .locate(place)
            .or_else(|| communes.locate(&offer.responsible.address));
        let dep = place
            .postcode
            .as_deref()
            .and_then(facets::department_of_postcode)
            .or_else(|| commune.map(|c| c.department.to_string()))
            .or_else(|| {
                offer
                    .responsible
                    .address
                    .postcode
                    .as_deref()
                    .and_then(facets::department_of_postcode)
            });
        let town = place
            .town
            .clone()
            .or_else(|| offer.responsible.address.town.clone())
            .filter(|t| !t.trim().is_empty());
        let coordinates = offer
            .place
            .coordinates
            .or_else(|| commune.and_then(|c| c.coordinates));
        let mut diploma_text = match offer.diploma {
            Some(d) if fold(d.label()) != fold(&offer.diploma_type) => {
                format!("{} {}", offer.diploma_type, d.label())
            }
            _ => offer.diploma_type.clone(),
        };
        // What its acronym stands for ("brevet de technicien supérieur"): "technicien
        // informatique" then finds a BTS about computing.
        if let Some(name) = offer
            .diploma
            .and_then(|d| vocabulary.glossary.meaning(d.label()))
        {
            diploma_text.push(' ');
            diploma_text.push_str(name);
        }
        let mut organisation = offer.responsible.name.clone();
        if !offer.trainer.name.is_empty() && fold(&offer.trainer.name) != fold(&organisation) {
            organisation = format!("{organisation} {}", offer.trainer.name);
        }
        let department = dep
            .as_deref()
            .map(|d| format!("{} {d}", facets::department_name(d).unwrap_or("")))
            .unwrap_or_default();
        let subject = format!("{} {}", offer.title, offer.domain.as_deref().unwrap_or(""));
        // The export's ROME codes; else those of the RNCP sheet; else the jobs the
        // title names.
        let rome_codes = if offer.rome.is_empty() {
            offer
                .rncp
                .as_deref()
                .and_then(|r| vocabulary.rncp_rome.get(r))
                .cloned()
                .unwrap_or_else(|| vocabulary.rome.codes_of_title(&offer.title))
        } else {
            offer.rome.clone()
        };
        let (jobs, names) = known
            .0
            .entry(rome_codes)
            .or_insert_with_key(|codes| {
                let words = vocabulary.rome.words(codes);
                let names = vocabulary.rome.name_keys(codes);
                (
                    words.into_iter().collect::<Vec<_>>().join(" "),
                    names.into_iter().collect::<Vec<_>>().join(" "),
                )
            })
            .clone();
        let (plain, mut acronyms) = vocabulary.synonyms.of(&subject);
        acronyms.extend(vocabulary::acronym(&offer.title));
        let mut family: Vec<String> = analyzer::stems(&subject)
            .iter()
            .map(|s| analyzer::family(s))
            .collect();
        family.sort();
        family.dedup();
        let texts = vec![
            offer.title.clone(),
            diploma_text,
            offer.level.map(level_label).unwrap_or("").to_string(),
            offer.domain.clone().unwrap_or_default(),
            offer.rome.join(" "),
            organisation,
            town.clone().unwrap_or_default(),
            department,
            offer.description.clone().unwrap_or_default(),
            jobs,
            acronyms.into_iter().collect::<Vec<_>>().join(" "),
            family.join(" "),
            plain.into_iter().collect::<Vec<_>>().join(" "),
            names,
        ];
        let terms = postings::analysed(&texts);
        SearchDoc {
            ord: 0,
            terms,
            id: offer.id.clone(),
            url: urls::offer_path(offer),
            // As the offer's page shows them: a title typed in capitals in sentence case.
            title: crate::display::sentence(&offer.title).into_owned(),
            cfa: crate::display::title(&offer.responsible.name).into_owned(),
            town: town.map(|t| crate::display::title(&t).into_owned()),
            start: offer.start.map(|d| d.to_string()),
            end: offer.end.map(|d| d.to_string()),
            coordinates,
            texts,
            facet: [
                offer.level.map(|l| l.to_string()),
                dep,
                offer.diploma.map(|d| d.code().to_string()),
                Some(urls::cfa_key(offer)),
            ],
            parcoursup: offer.parcoursup == Some(true),
            affelnet: offer.affelnet == Some(true),
            level: offer.level,
            capacity: offer.capacity,
            new: offer.marks.new,
        }
    }

    /// The values of the `voie` facet.
    pub fn voies(&self) -> impl Iterator<Item = &'static str> {
        [self.parcoursup, self.affelnet]
            .into_iter()
            .zip(facets::VOIES)
            .filter(|(on, _)| *on)
            .map(|(_, (v, _))| v)
    }
}

/// The job words of ROME code lists already met (offers of one diploma share their
/// codes, and a code brings up to hundreds of words): the words, once each, joined, and
/// the keys of their names.
#[derive(Default)]
struct JobWords(rustc_hash::FxHashMap<Vec<String>, (String, String)>);

/// The published offers in index order, with `ord` set.
pub fn documents(
    published: &[&Offer],
    communes: &Communes,
    vocabulary: &Vocabulary,
) -> Vec<SearchDoc> {
    let none = vec![None; published.len()];
    in_order(made(published, none, communes, vocabulary))
}

/// The document of each offer, in the same order: `kept[i]` when there is one (made
/// by an earlier build from the same offer and tables), else made now.
pub fn made(
    published: &[&Offer],
    kept: Vec<Option<SearchDoc>>,
    communes: &Communes,
    vocabulary: &Vocabulary,
) -> Vec<SearchDoc> {
    debug_assert_eq!(published.len(), kept.len());
    published
        .par_iter()
        .zip(kept)
        .map_init(JobWords::default, |known, (o, kept)| {
            kept.unwrap_or_else(|| SearchDoc::of_with(o, communes, vocabulary, known))
        })
        .collect()
}

/// Documents in index order, with `ord` set.
pub fn in_order(mut docs: Vec<SearchDoc>) -> Vec<SearchDoc> {
    // The order of the documents' positions, by keys borrowed from them: only the
    // folded title is made (copying four facets and the id of each document was as
    // long as the sort).
    let mut order: Vec<u32> = (0..docs.len() as u32).collect();
    {
        let keys: Vec<_> = docs
            .iter()
            .map(|d| {
                (
                    &d.facet[1],
                    &d.facet[3],
                    &d.facet[2],
                    &d.facet[0],
                    fold(&d.title),
                    &d.id,
                )
            })
            .collect();
        // Stable, as `sort_by_cached_key` was: equal keys keep their offers' order.
        order.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
    }
    // Each document told its place, then put there.
    for (ord, &i) in order.iter().enumerate() {
        docs[i as usize].ord = ord as u32;
    }
    docs.sort_unstable_by_key(|d| d.ord);
    docs
}

/// Facet values, labels and counts over all documents, in display order.
pub fn facets(docs: &[SearchDoc]) -> Facets {
    let mut counts: [BTreeMap<String, (String, u32)>; 4] = Default::default();
    let mut voies = [0u32; 2];
    for d in docs {
        for (i, v) in d.facet.iter().enumerate() {
            let Some(v) = v else { continue };
            // A value already counted: no copy of it, no label made again.
            if let Some((_, count)) = counts[i].get_mut(v) {
                *count += 1;
                continue;
            }
            let label = match i {
                0 => v
                    .parse()
                    .map(|l| level_label(l).to_string())
                    .unwrap_or_default(),
                1 => match facets::department_name(v) {
                    Some(n) => format!("{n} ({v})"),
                    None => v.clone(),
                },
                2 => crate::model::Diploma::ALL
                    .iter()
                    .find(|d| d.code() == v)
                    .map(|d| d.label().to_string())
                    .unwrap_or_default(),
                _ => d.cfa.clone(),
            };
            counts[i].insert(v.clone(), (label, 1));
        }
        voies[0] += d.parcoursup as u32;
        voies[1] += d.affelnet as u32;
    }
    let list = |m: &BTreeMap<String, (String, u32)>| -> Vec<FacetValue> {
        m.iter()
            .map(|(v, (l, c))| FacetValue {
                value: v.clone(),
                label: l.clone(),
                count: *c,
            })
            .collect()
    };
    let [niveau, dep, diplome, cfa] = &counts;
    let mut diplome = list(diplome);
    diplome.sort_by_key(|v| {
        crate::model::Diploma::ALL
            .iter()
            .position(|d| d.code() == v.value)
    });
    let mut cfa = list(cfa);
    // Folded once each, not at each comparison.
    cfa.sort_by_cached_key(|c| (fold(&c.label), c.value.clone()));
    Facets {
        niveau: list(niveau),
        dep: list(dep),
        diplome,
        cfa,
        voie: facets::VOIES
            .iter()
            .zip(voies)
            .filter(|(_, c)| *c > 0)
            .map(|((v, l), c)| FacetValue {
                value: v.to_string(),
                label: l.to_string(),
                count: c,
            })
            .collect(),
    }
}

/// The tantivy schema and its field handles.
#[derive(Debug, Clone)]
pub struct Fields {
    pub schema: Schema,
    /// Handles of [`TEXT_FIELDS`], same order.
    pub text: Vec<Field>,
    pub ord: Field,
    pub id: Field,
    pub url: Field,
    pub stored_title: Field,
    pub cfa: Field,
    pub town: Field,
    pub start: Field,
    pub end: Field,
    pub lat: Field,
    pub lon: Field,
    /// `niveau`, `dep`, `diplome`, `cfa`, `voie`: raw, indexed for filters.
    pub facets: Vec<Field>,
}

impl Fields {
    /// The schema every vitrine index has.
    pub fn new() -> Fields {
        let mut b = Schema::builder();
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(analyzer::FRENCH)
            .set_index_option(IndexRecordOption::WithFreqs)
            .set_fieldnorms(true);
        let text_opts = TextOptions::default().set_indexing_options(indexing);
        let raw_opts = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer::RAW)
                .set_index_option(IndexRecordOption::WithFreqs)
                .set_fieldnorms(true),
        );
        let names_opts = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer::NAMES)
                .set_index_option(IndexRecordOption::WithFreqs)
                .set_fieldnorms(true),
        );
        let text = TEXT_FIELDS
            .iter()
            .enumerate()
            .map(|(i, (name, _))| {
                let opts = match i as u8 {
                    FAMILY => &raw_opts,
                    NAMES => &names_opts,
                    _ => &text_opts,
                };
                b.add_text_field(name, opts.clone())
            })
            .collect();
        let ord = b.add_u64_field("ord", INDEXED | STORED | tantivy::schema::FAST);
        let id = b.add_text_field("id", STRING | STORED);
        let url = b.add_text_field("url", STORED);
        let stored_title = b.add_text_field("stored_title", STORED);
        let cfa = b.add_text_field("cfa", STORED);
        let town = b.add_text_field("stored_town", STORED);
        let start = b.add_text_field("start", STORED);
        let end = b.add_text_field("end", STORED);
        let lat = b.add_f64_field("lat", STORED);
        let lon = b.add_f64_field("lon", STORED);
        let facets = facets::NAMES
            .iter()
            .map(|n| b.add_text_field(&format!("facet_{n}"), STRING | STORED))
            .collect();
        Fields {
            schema: b.build(),
            text,
            ord,
            id,
            url,
            stored_title,
            cfa,
            town,
            start,
            end,
            lat,
            lon,
            facets,
        }
    }

    /// The field handles of an existing index (same schema, looked up by name).
    pub fn of(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |n: &str| schema.get_field(n);
        Ok(Fields {
            schema: schema.clone(),
            text: TEXT_FIELDS
                .iter()
                .map(|(n, _)| f(n))
                .collect::<Result<_, _>>()?,
            ord: f("ord")?,
            id: f("id")?,
            url: f("url")?,
            stored_title: f("stored_title")?,
            cfa: f("cfa")?,
            town: f("stored_town")?,
            start: f("start")?,
            end: f("end")?,
            lat: f("lat")?,
            lon: f("lon")?,
            facets: facets::NAMES
                .iter()
                .map(|n| f(&format!("facet_{n}")))
                .collect::<Result<_, _>>()?,
        })
    }

    /// The tantivy document of a search document.
    pub fn document(&self, d: &SearchDoc) -> tantivy::TantivyDocument {
        let mut doc = tantivy::TantivyDocument::default();
        for (field, text) in self.text.iter().zip(&d.texts) {
            doc.add_text(*field, text);
        }
        doc.add_u64(self.ord, u64::from(d.ord));
        doc.add_text(self.id, &d.id);
        doc.add_text(self.url, &d.url);
        doc.add_text(self.stored_title, &d.title);
        doc.add_text(self.cfa, &d.cfa);
        if let Some(t) = &d.town {
            doc.add_text(self.town, t);
        }
        if let Some(s) = &d.start {
            doc.add_text(self.start, s);
        }
        if let Some(e) = &d.end {
            doc.add_text(self.end, e);
        }
        if let Some(c) = d.coordinates {
            doc.add_f64(self.lat, c.lat);
            doc.add_f64(self.lon, c.lon);
        }
        for (field, v) in self.facets.iter().zip(&d.facet) {
            if let Some(v) = v {
                doc.add_text(*field, v);
            }
        }
        for v in d.voies() {
            doc.add_text(self.facets[4], v);
        }
        doc
    }
}

impl Default for Fields {
    fn default() -> Self {
        Self::new()
    }
}
