//! Query semantics, shared by `vitrine search`, `vitrine serve` and (ported to
//! JavaScript) the browser. A town, postcode, arrondissement or department named in the
//! query becomes a place (results nearest first, within 20 km widened up to 100 km), a
//! diploma type a preference (under the name the catalogue lists it by: "DUT" finds the
//! BUTs); every other word must match (AND) — when no offer has them all, the offers
//! matching the most words come, flagged as approaching. The last word also matches as a
//! prefix (of its stem when that has three letters or more); a word of five letters or
//! more that matches nothing forgives one typo (Damerau–Levenshtein); a word also matches
//! its derivational family in a low-boost field. Each word matches in any field, scored
//! with tantivy's BM25 and the field's boost; offers about the words (matched in the
//! title, diploma, domain, ROME codes, jobs, acronyms or the title's family) come before
//! those that only have them elsewhere (the CFA's name, the town, the description).
//! Words found only among the offer's job names count as one, unless they make one of
//! those names whole ("aide à domicile").
//!
//! The combination is written out here rather than left to tantivy's `BooleanQuery`, so
//! that the order of the floating-point additions is fixed and the browser can repeat it
//! bit for bit: per word, clauses in (term, field) order; then words in query order.

use super::analyzer::{self, Word};
use super::places::{self, Place, Places};
use super::schema::{
    FAMILY, Fields, JOBS, NAMES, ORGANISATION, SUBJECT_FIELDS, SYNONYMS, TEXT_FIELDS, TITLE_FIELDS,
    TOPIC_FIELDS,
};
use chrono::Datelike;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tantivy::query::{BoostQuery, EnableScoring, Query as _, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED, TantivyDocument, Term};

/// At most this many index terms stand for one query word (prefix or typo expansion).
pub const MAX_EXPANSIONS: usize = 50;
/// Typos are forgiven in words of at least this many letters.
pub const TYPO_MIN_CHARS: usize = 5;
/// Two typos are forgiven in words of at least this many letters ("pattisier").
pub const TYPO2_MIN_CHARS: usize = 8;
/// Words left out of a query unless it has nothing else (folded forms): little words,
/// and words every offer could say ("métiers de la vente" is about selling; every offer
/// of the catalogue is one of apprenticeship, so "bts en alternance rennes" is about a
/// BTS in Rennes, not about the few descriptions that say "alternance").
pub const STOP_WORDS: &[&str] = &[
    "a",
    "au",
    "aux",
    "avec",
    "ce",
    "ces",
    "d",
    "dans",
    "de",
    "des",
    "du",
    "en",
    "et",
    "l",
    "la",
    "le",
    "les",
    "leur",
    "ou",
    "par",
    "pour",
    "qu",
    "que",
    "sur",
    "un",
    "une",
    "y",
    "metier",
    "metiers",
    "formation",
    "formations",
    "alternance",
    "alternant",
    "alternante",
    "apprentissage",
    "apprenti",
    "apprentie",
    "apprentis",
    "apprenties",
];

/// Boost factor of the terms a word stands for besides its own stem (completions of the
/// word being typed, typo corrections): the word as typed ranks first.
pub const EXPANSION_BOOST: f32 = 0.5;

/// Every term of the index with, per text field, its document frequency; and, with no
/// field, the known words no offer has: the stems of the job names of the ROME table
/// that the catalogue lacks (a family asking for a job the region does not train for
/// is told nothing matches, not shown another job one or two letters away).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexicon {
    pub terms: BTreeMap<String, Vec<(u8, u32)>>,
}

impl Lexicon {
    /// Reads every term of the text fields from the index's term dictionaries (not the
    /// whole job names: no word of a query stands for one).
    pub fn of(searcher: &Searcher, fields: &Fields) -> tantivy::Result<Lexicon> {
        let mut terms: BTreeMap<String, BTreeMap<u8, u32>> = BTreeMap::new();
        for reader in searcher.segment_readers() {
            for (i, field) in fields.text.iter().enumerate() {
                if i == NAMES as usize {
                    continue;
                }
                let inverted = reader.inverted_index(*field)?;
                let mut stream = inverted.terms().stream()?;
                while stream.advance() {
                    let term = String::from_utf8_lossy(stream.key()).into_owned();
                    *terms.entry(term).or_default().entry(i as u8).or_default() +=
                        stream.value().doc_freq;
                }
            }
        }
        Ok(Lexicon {
            terms: terms
                .into_iter()
                .map(|(t, f)| (t, f.into_iter().collect()))
                .collect(),
        })
    }

    fn total_df(&self, term: &str) -> u64 {
        self.terms
            .get(term)
            .map(|f| f.iter().map(|(_, df)| u64::from(*df)).sum())
            .unwrap_or(0)
    }

    /// The terms starting with `prefix` that some offer has (not the known words no
    /// offer has).
    fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.terms
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(t, _)| t.starts_with(prefix))
            .filter(|(_, fields)| !fields.is_empty())
            .map(|(t, _)| t.as_str())
    }

    /// Adds known words (stems) that no offer has, with no field.
    pub fn with_known(mut self, known: impl IntoIterator<Item = String>) -> Lexicon {
        for stem in known {
            self.terms.entry(stem).or_default();
        }
        self
    }
}

/// One (field, term) pair a word stands for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Clause {
    pub term: String,
    pub field: u8,
}

/// What a query means against one index: per text word, its clauses in scoring order
/// (empty when the word matches nothing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub words: Vec<Vec<Clause>>,
}

/// The words a query is made of, stop words left out unless nothing else is left.
pub fn query_words(query: &str) -> Vec<Word> {
    let all = analyzer::words(query);
    let kept: Vec<Word> = all
        .iter()
        .filter(|w| !STOP_WORDS.contains(&w.folded.as_str()))
        .cloned()
        .collect();
    if kept.is_empty() { all } else { kept }
}

/// Chooses the index terms each word stands for.
pub fn plan(words: &[Word], lexicon: &Lexicon) -> Plan {
    let n = words.len();
    Plan {
        words: words
            .iter()
            .enumerate()
            .map(|(i, w)| word_clauses(w, i + 1 == n, lexicon))
            .collect(),
    }
}

/// The clauses of one word (empty: it matches nothing).
fn word_clauses(w: &Word, last: bool, lexicon: &Lexicon) -> Vec<Clause> {
    let terms = word_terms(w, last, lexicon);
    let mut clauses: Vec<Clause> = terms
        .iter()
        .flat_map(|t| {
            lexicon.terms[t.as_str()].iter().map(|(f, _)| Clause {
                term: t.clone(),
                field: *f,
            })
        })
        .collect();
    // The word's family (informaticien → informatique), in its own low-boost field.
    let key = analyzer::family(&w.stem);
    if !terms.contains(&key)
        && lexicon
            .terms
            .get(&key)
            .is_some_and(|f| f.iter().any(|(f, _)| *f == FAMILY))
    {
        clauses.push(Clause {
            term: key,
            field: FAMILY,
        });
    }
    clauses.sort();
    clauses
}

/// The words of a query, each that matches nothing (not even as a prefix or with a
/// typo) and names no place nor diploma split in two if it is two glued together
/// ("webdesigner", "btssio", "cuisinemarseille"): then read as any two words.
fn unglued(words: Vec<Word>, lexicon: &Lexicon, places: &Places) -> Vec<Word> {
    let named = |w: &Word| {
        let key = places::key(&[w.folded.as_str()]);
        places.departments.contains_key(&key)
            || places.towns.contains_key(key.as_str())
            || DIPLOMA_WORDS.iter().any(|(d, _)| *d == w.folded)
    };
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        // The split first: it looks up a few exact terms, where the typo scan of
        // `word_clauses` (which `plan` runs again) reads every term of the first letter.
        let halves = (!lexicon.terms.contains_key(&w.stem) && !named(&w))
            .then(|| split(&w, lexicon))
            .flatten()
            .filter(|_| word_clauses(&w, true, lexicon).is_empty());
        match halves {
            Some(halves) => out.extend(halves),
            None => out.push(w),
        }
    }
    out
}

/// The last word is completed from its stem when the stem has at least this many
/// letters (from the word as typed in any case).
pub const STEM_PREFIX_MIN_CHARS: usize = 3;

/// A known word no offer has ([`Lexicon`]) is corrected in at most this many last
/// letters of its stem.
pub const KNOWN_ENDING_CHARS: usize = 2;

/// A word split in two has halves of at least this many letters ("web|designer").
pub const SPLIT_MIN_CHARS: usize = 3;

/// A word that matches nothing may be two typed without a space ("webdesigner",
/// "btssio"): the two words, when each is a term of the index as typed (neither a stop
/// word). Of several such splits, the most even, then the longer first word.
fn split(w: &Word, lexicon: &Lexicon) -> Option<[Word; 2]> {
    let word = |part: &[char]| {
        let folded: String = part.iter().collect();
        let mut stem = String::new();
        analyzer::stem_word(&folded, &mut stem);
        Word { folded, stem }
    };
    let known =
        |x: &Word| !STOP_WORDS.contains(&x.folded.as_str()) && lexicon.terms.contains_key(&x.stem);
    let chars: Vec<char> = w.folded.chars().collect();
    let n = chars.len();
    (SPLIT_MIN_CHARS..=n.saturating_sub(SPLIT_MIN_CHARS))
        .map(|i| ((i.min(n - i), i), [word(&chars[..i]), word(&chars[i..])]))
        .filter(|(_, [a, b])| known(a) && known(b))
        .max_by_key(|(rank, _)| *rank)
        .map(|(_, halves)| halves)
}

fn word_terms(w: &Word, last: bool, lexicon: &Lexicon) -> Vec<String> {
    let letters = w.folded.chars().count();
    let mut terms: Vec<String> = Vec::new();
    let own = lexicon.terms.get(&w.stem);
    if own.is_some_and(|fields| !fields.is_empty()) {
        terms.push(w.stem.clone());
    }
    // The last word is completed (the query may be typed still), unless it is two
    // letters and a term itself: an acronym ("bts am"), whose hundreds of completions
    // (aménagement…) would outscore it across their fields.
    if last && (letters >= 3 || (letters == 2 && terms.is_empty())) {
        // From its stem too ("boulanger" → boulangerie), unless the stem is shorter
        // than the completions it could stand for: "gea" (an acronym) stems to "ge",
        // whose completions (génie, gestion…) are not what was typed.
        let stem = (w.stem.chars().count() >= STEM_PREFIX_MIN_CHARS).then_some(w.stem.as_str());
        for t in stem
            .into_iter()
            .flat_map(|s| lexicon.with_prefix(s))
            .chain(lexicon.with_prefix(&w.folded))
        {
            if !terms.iter().any(|x| x == t) {
                terms.push(t.to_string());
            }
        }
    }
    if terms.is_empty() && letters >= TYPO_MIN_CHARS {
        let first: String = w.stem.chars().take(1).collect();
        let known = own.is_some().then(|| w.stem.chars().count());
        for t in lexicon.with_prefix(&first) {
            // A job word no offer has is not another word mistyped ("infirmier" is not
            // "informatique"): it is corrected within its ending only ("notaire" →
            // notariat, "électricité" → électricien).
            if known.is_some_and(|n| {
                w.stem
                    .chars()
                    .zip(t.chars())
                    .take_while(|(a, b)| a == b)
                    .count()
                    + KNOWN_ENDING_CHARS
                    < n
            }) {
                continue;
            }
            let d = if last {
                prefix_distance(&w.stem, t)
            } else {
                distance(&w.stem, t)
            };
            // "mecanqiue" is "mécanique" with its ending mistyped: a term of five
            // letters or more within one edit of the word less up to four last letters.
            let max = if letters >= TYPO2_MIN_CHARS { 2 } else { 1 };
            if d <= max || (t.chars().count() >= 5 && suffix_tolerant(t, &w.folded)) {
                terms.push(t.to_string());
            }
        }
    }
    cap(terms, &w.stem, lexicon)
}

/// Keeps the word's own stem, then the most frequent expansions (ties: term order).
fn cap(mut terms: Vec<String>, stem: &str, lexicon: &Lexicon) -> Vec<String> {
    if terms.len() > MAX_EXPANSIONS {
        terms.sort_by(|a, b| {
            (b == stem)
                .cmp(&(a == stem))
                .then(lexicon.total_df(b).cmp(&lexicon.total_df(a)))
                .then(a.cmp(b))
        });
        terms.truncate(MAX_EXPANSIONS);
    }
    terms.sort();
    terms
}

/// Damerau–Levenshtein distance (insertions, deletions, substitutions, and
/// transpositions of two neighbours, each edited once), on characters.
pub fn distance(a: &str, b: &str) -> usize {
    let row = dp_last_row(a, b);
    row[row.len() - 1]
}

/// Smallest distance between `a` and a prefix of `b` (for the word being typed).
pub fn prefix_distance(a: &str, b: &str) -> usize {
    dp_last_row(a, b).into_iter().min().unwrap_or(0)
}

/// Whether `term` is within one edit of `word` less at most its four last letters.
pub fn suffix_tolerant(term: &str, word: &str) -> bool {
    let row = dp_last_row(term, word);
    let n = row.len() - 1;
    row[n.saturating_sub(4)..].iter().any(|d| *d <= 1)
}

/// The boost of a clause: its field's, halved for a term that is not the word's own stem
/// (nor its family key).
pub fn clause_boost(c: &Clause, word: &Word) -> f32 {
    let field = TEXT_FIELDS[c.field as usize].1;
    if c.term != word.stem && c.field != FAMILY {
        field * EXPANSION_BOOST
    } else {
        field
    }
}

/// Last row of the edit-distance table of `a` (rows) against `b` (columns).
fn dp_last_row(a: &str, b: &str) -> Vec<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 0..a.len() {
        let mut cur = vec![i + 1; b.len() + 1];
        for j in 0..b.len() {
            let sub = prev[j] + usize::from(a[i] != b[j]);
            let mut best = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                best = best.min(before[j - 1] + 1);
            }
            cur[j + 1] = best;
        }
        before = std::mem::replace(&mut prev, cur);
    }
    prev
}

/// Facet filters (`niveau`, `dep`, `diplome`, `cfa`, `voie` → value), plus the page's
/// `ville` ("near a town") and `tri` (`date`, `distance`) parameters.
pub type Filters = BTreeMap<String, String>;

/// Parameters of the search page that are not facets.
pub const PARAMS: [&str; 2] = ["ville", "tri"];

/// Radii tried in turn around a town until a page of offers is found (km).
pub const RADII: [f64; 5] = [20.0, 30.0, 50.0, 75.0, 100.0];

/// A page of results (the search page shows this many at first). When fewer offers than
/// this match every word of two or more, those matching some follow; around a town, the
/// radius grows until it holds this many offers about the words, or all there are
/// within the largest.
pub const FEW: usize = 10;

/// Diploma words, longest first, and the `diplome` facet value they mean.
pub const DIPLOMA_WORDS: [(&str, &str); 19] = [
    ("bac pro", "bac_pro"),
    ("licence pro", "licence_pro"),
    ("licence professionnelle", "licence_pro"),
    ("titre pro", "titre_pro"),
    ("titre professionnel", "titre_pro"),
    ("mention complementaire", "mc"),
    ("cap", "cap"),
    ("capa", "capa"),
    ("bp", "bp"),
    ("bpa", "bpa"),
    ("bts", "bts"),
    ("btsa", "btsa"),
    ("but", "but"),
    ("dut", "dut"),
    ("mc", "mc"),
    ("bma", "bma"),
    ("cqp", "cqp"),
    ("deust", "deust"),
    ("master", "master"),
];

/// Diplomas renamed, as `diplome` facet values (old, new): a catalogue that lists one
/// but not the other answers the name asked for with the one it has. The BUT replaced
/// the DUT in 2021, and families still say "DUT" (as an export may still list one).
pub const RENAMED_DIPLOMAS: [(&str, &str); 1] = [("dut", "but")];

/// The diploma a query asks for, as the catalogue calls it: its other name (see
/// [`RENAMED_DIPLOMAS`]) when the catalogue has no offer of the one asked for and some
/// of the other.
pub fn diploma_listed(asked: &str, listed: impl Fn(&str) -> bool) -> String {
    if !listed(asked) {
        for (old, new) in RENAMED_DIPLOMAS {
            let other = if asked == old {
                new
            } else if asked == new {
                old
            } else {
                continue;
            };
            if listed(other) {
                return other.to_string();
            }
        }
    }
    asked.to_string()
}

/// Words that only say "near" once a place is understood ("près de Toulon").
pub const NEAR_WORDS: [&str; 4] = ["pres", "proche", "autour", "vers"];

/// What the query says beside its text: a place, a department, a diploma type.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Understood {
    /// The words left to match in the offers' text.
    #[serde(skip)]
    pub words: Vec<Word>,
    /// A town (by name, postcode or arrondissement): results by distance from it.
    pub place: Option<Place>,
    /// A department (by name or code): a filter.
    pub department: Option<String>,
    /// A diploma type: a preference (a filter when the query says nothing else).
    pub diploma: Option<String>,
}

/// Whether a word is part of what offers are about (title, diploma, domain, jobs,
/// acronyms): then it stays a word even if a town has that name.
fn is_subject(w: &Word, lexicon: &Lexicon) -> bool {
    lexicon
        .terms
        .get(&w.stem)
        .is_some_and(|f| f.iter().any(|(f, _)| SUBJECT_FIELDS.contains(f)))
}

/// Reads a place, a department and a diploma type out of a query; the browser does the
/// same, word for word.
pub fn understand(query: &str, lexicon: &Lexicon, places: &Places) -> Understood {
    let all = unglued(analyzer::words(query), lexicon, places);
    let n = all.len();
    let mut used = vec![false; n];
    let mut out = Understood::default();
    let folded: Vec<&str> = all.iter().map(|w| w.folded.as_str()).collect();
    'diploma: for i in 0..n {
        for (words, code) in DIPLOMA_WORDS {
            let seq: Vec<&str> = words.split(' ').collect();
            if i + seq.len() <= n && folded[i..i + seq.len()] == seq[..] {
                out.diploma = Some(code.to_string());
                used[i..i + seq.len()].fill(true);
                break 'diploma;
            }
        }
    }
    let typed = places::typed_words(query);
    'place: for i in 0..n {
        for len in (1..=4.min(n - i)).rev() {
            if used[i..i + len].iter().any(|u| *u) {
                continue;
            }
            let key = places::key(&folded[i..i + len]);
            if len == 1
                && (folded[i].len() < 2
                    || is_subject(&all[i], lexicon) && !places.spelled_as_town(&key, &typed))
            {
                continue;
            }
            if let Some(code) = places.departments.get(&key) {
                out.department = Some(code.clone());
            } else if let Some(p) = places.towns.get(key.as_str()) {
                out.place = Some(p.clone());
                // "marseille 5" when the table has no arrondissements: the number goes too.
                if i + len < n
                    && !used[i + len]
                    && places::arrondissement(folded[i + len]).is_some()
                {
                    used[i + len] = true;
                }
            } else {
                continue;
            }
            used[i..i + len].fill(true);
            break 'place;
        }
    }
    let located = out.place.is_some() || out.department.is_some();
    let rest: Vec<Word> = all
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(w, _)| w.clone())
        .collect();
    let kept: Vec<Word> = rest
        .iter()
        .filter(|w| {
            let near = located && NEAR_WORDS.contains(&w.folded.as_str());
            !(STOP_WORDS.contains(&w.folded.as_str()) || near)
        })
        .cloned()
        .collect();
    out.words = if kept.is_empty() && !located && out.diploma.is_none() {
        rest
    } else {
        kept
    };
    out
}

/// The place of the "près de" field: `lat,lon` (the browser's "près de moi"), or a
/// town's name, postcode or arrondissement, with or without accents or capitals — a
/// trailing word is dropped if the whole is unknown ("Toulon (83)").
pub fn near_town(text: &str, places: &Places) -> Option<Place> {
    if let Some((a, b)) = text.split_once(',')
        && let (Ok(lat), Ok(lon)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>())
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
    {
        return Some(Place {
            name: "votre position".into(),
            dep: Default::default(),
            lat,
            lon,
        });
    }
    let words = analyzer::words(text);
    let folded: Vec<&str> = words.iter().map(|w| w.folded.as_str()).collect();
    places
        .towns
        .get(places::key(&folded).as_str())
        .cloned()
        .or_else(|| {
            (folded.len() > 1)
                .then(|| {
                    places
                        .towns
                        .get(places::key(&folded[..folded.len() - 1]).as_str())
                        .cloned()
                })
                .flatten()
        })
}

/// A result, best first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub url: String,
    pub score: f32,
    /// Position in the index (and in the browser's export): the tie-breaker.
    pub ord: u32,
    pub cfa: String,
    pub town: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    /// Kilometres from the place asked for, when both are known.
    pub distance: Option<f64>,
    /// How many of the query's words the offer matches (below all of them: an
    /// approaching result), two or more found only in its bag of job words counting as
    /// one (see [`rank`]).
    pub matched: usize,
    /// How many of them it is about (matched in a [`TOPIC_FIELDS`] field).
    pub topic: usize,
}

/// A ranked offer, before its stored fields are read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankedDoc {
    pub ord: u32,
    pub score: f32,
    /// Words matched.
    pub matched: usize,
    /// Words matched in a topic field.
    pub topic: usize,
    /// Words matched in a field that names the offer ([`TITLE_FIELDS`]).
    pub titled: usize,
    /// Kilometres from the place asked for, when both are known.
    pub distance: Option<f64>,
}

/// What a query's words found in one document, in word order.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    /// Words matched.
    matched: usize,
    /// BM25 summed in word order (the browser adds in the same order).
    score: f32,
    /// Words matched in a [`TOPIC_FIELDS`] field.
    topic: usize,
    /// Words matched in a [`TITLE_FIELDS`] field.
    titled: usize,
    /// Words matched in the CFA's names ([`ORGANISATION`]).
    named: usize,
    /// Words the offer is about only through its bag of ROME job words ([`JOBS`]).
    bagged: usize,
    /// Those words, by position in the query (the first 32).
    bag: u32,
    /// Those of them that, with the words around them in the query, make a whole job
    /// name of the offer's ROME codes ([`NAMES`]).
    paired: u32,
}

impl Tally {
    /// Two words found only in the bag of job words may come from two job names ("chargé
    /// de communication": "chargé" of a mission, "communication" of an agricultural
    /// adviser): together they count as one, the one a job name vouches for; those that
    /// make one job name together ("aide à domicile") count each.
    fn vouched(mut self) -> Tally {
        let unvouched = self
            .bagged
            .saturating_sub((self.paired.count_ones() as usize).max(1));
        self.matched -= unvouched;
        self.topic -= unvouched;
        self
    }
}

/// What one word found in one document: its BM25 over the word's clauses, and the kinds
/// of field it was found in.
#[derive(Debug, Clone, Copy, Default)]
struct Found {
    score: f32,
    topic: bool,
    titled: bool,
    named: bool,
    /// In a topic field other than the job bag.
    vouched: bool,
}

/// Marks the words of the job bag that make a whole job name of the offer: per run of
/// two or more neighbouring words of the query (the first 32), by their stems, the
/// offers having that name. Only the offers with two words or more in the bag alone can
/// change, so only the runs holding some of their bag words are looked up (in the
/// browser, each lookup may fetch a dictionary shard).
fn name_jobs(
    searcher: &Searcher,
    fields: &Fields,
    words: &[Word],
    scored: &mut HashMap<DocAddress, Tally>,
) -> tantivy::Result<()> {
    let field = fields.text[NAMES as usize];
    let wanted = scored
        .values()
        .filter(|t| t.bagged > 1)
        .fold(0u32, |bits, t| bits | t.bag);
    if wanted == 0 {
        return Ok(());
    }
    let n = words.len().min(32);
    for i in 0..n {
        for j in i + 1..n {
            let bits = (u32::MAX >> (31 - j)) & (u32::MAX << i);
            let stems: BTreeSet<&str> = words[i..=j].iter().map(|w| w.stem.as_str()).collect();
            // A longer run only adds stems: none of its names is indexed.
            if stems.len() > analyzer::NAME_MAX_WORDS {
                break;
            }
            if wanted & bits == 0 {
                continue;
            }
            let Some(key) = analyzer::name_key(stems) else {
                continue;
            };
            let term = Term::from_field_text(field, &key);
            for (s, reader) in searcher.segment_readers().iter().enumerate() {
                let Some(mut postings) = reader
                    .inverted_index(field)?
                    .read_postings(&term, IndexRecordOption::Basic)?
                else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if let Some(t) = scored.get_mut(&DocAddress::new(s as u32, doc)) {
                        t.paired |= t.bag & bits;
                    }
                    doc = postings.advance();
                }
            }
        }
    }
    Ok(())
}

/// The ranked matches of a query, before their stored fields are read.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Ranked {
    pub understood: Understood,
    /// Not every word matched any one offer: these match some of them.
    pub approx: bool,
    /// The radius (km) around the place within which the results are.
    pub radius: Option<f64>,
    /// Nothing within 100 km of the place: the results are from anywhere.
    pub elsewhere: bool,
    /// Best first.
    #[serde(skip)]
    pub docs: Vec<RankedDoc>,
}

/// What ranking needs of each document beside its score, by ord: where it is in the
/// index, its coordinates (as the browser decodes them), facet values, start day.
pub struct Columns {
    /// segment → doc id → ord
    pub ords: Vec<Vec<u32>>,
    pub address: Vec<DocAddress>,
    pub geo: Vec<Option<(f64, f64)>>,
    /// `niveau`, `dep`, `diplome`, `cfa`, then the `voie` values space-separated.
    pub facets: Vec<[Option<String>; 5]>,
    pub start: Vec<Option<i32>>,
    /// The `diplome` facet values of the offers.
    pub diplomas: std::collections::BTreeSet<String>,
}

impl Columns {
    /// Reads the columns of every segment.
    pub fn of(searcher: &Searcher, fields: &Fields) -> tantivy::Result<Columns> {
        let n = searcher.num_docs() as usize;
        let mut c = Columns {
            ords: Vec::new(),
            address: vec![DocAddress::new(0, 0); n],
            geo: vec![None; n],
            facets: vec![Default::default(); n],
            start: vec![None; n],
            diplomas: Default::default(),
        };
        // Quantised as the export stores them, so that distances agree.
        let scale = super::export::GEO_SCALE;
        let q = |x: f64, off: f64| ((x + off) * scale).round() / scale - off;
        for (s, reader) in searcher.segment_readers().iter().enumerate() {
            let fast = reader.fast_fields().u64("ord")?;
            let store = reader.get_store_reader(64)?;
            let mut ords = Vec::with_capacity(reader.max_doc() as usize);
            for d in 0..reader.max_doc() {
                let ord = fast.first(d).unwrap_or(0) as usize;
                ords.push(ord as u32);
                if ord >= n {
                    continue;
                }
                c.address[ord] = DocAddress::new(s as u32, d);
                let doc: TantivyDocument = store.get(d)?;
                let num = |f| doc.get_first(f).and_then(|v| v.as_f64());
                if let (Some(a), Some(b)) = (num(fields.lat), num(fields.lon)) {
                    c.geo[ord] = Some((q(a, 90.0), q(b, 180.0)));
                }
                for (i, f) in fields.facets.iter().enumerate().take(4) {
                    c.facets[ord][i] = doc
                        .get_first(*f)
                        .and_then(|v| v.as_str())
                        .map(str::to_string);
                }
                let voies: Vec<&str> = doc
                    .get_all(fields.facets[4])
                    .filter_map(|v| v.as_str())
                    .collect();
                c.facets[ord][4] = Some(voies.join(" "));
                c.start[ord] = doc
                    .get_first(fields.start)
                    .and_then(|v| v.as_str())
                    .and_then(|s| s.parse::<chrono::NaiveDate>().ok())
                    .map(|d| d.num_days_from_ce());
            }
            c.ords.push(ords);
        }
        c.diplomas = c.facets.iter().filter_map(|f| f[2].clone()).collect();
        Ok(c)
    }
}

/// Great-circle distance in km, as the browser computes it.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    crate::communes::distance_km(
        crate::model::Coordinates {
            lat: lat1,
            lon: lon1,
        },
        crate::model::Coordinates {
            lat: lat2,
            lon: lon2,
        },
    )
}

/// Ranks the offers for a query: the words understood, every text word required (else
/// the offers matching the most words, flagged approaching; words an offer has only in
/// its bag of ROME job words count as one, as a job name may hold one of them but not
/// the others), the filters, the offers about the words first (matched in a
/// [`TOPIC_FIELDS`] field), then those named after them ([`TITLE_FIELDS`]), the diploma
/// type preferred, the place (nearest first within the smallest radius that finds
/// something), then BM25 score, then index order.
#[allow(clippy::too_many_arguments)]
pub fn rank(
    searcher: &Searcher,
    fields: &Fields,
    lexicon: &Lexicon,
    places: &Places,
    columns: &Columns,
    query: &str,
    filters: &Filters,
) -> tantivy::Result<Ranked> {
    let mut understood = understand(query, lexicon, places);
    if let Some(d) = &understood.diploma {
        understood.diploma = Some(diploma_listed(d, |v| columns.diplomas.contains(v)));
    }
    let mut out = Ranked {
        understood: understood.clone(),
        ..Ranked::default()
    };
    let near = match filters.get("ville").filter(|v| !v.trim().is_empty()) {
        Some(v) => near_town(v, places),
        None => understood.place.clone(),
    };
    if filters.contains_key("ville") && near.is_none() && !filters["ville"].trim().is_empty() {
        return Ok(out);
    }
    let words = &understood.words;
    let mut facet_filters: Vec<(usize, String)> = filters
        .iter()
        .filter_map(|(k, v)| {
            let i = super::facets::NAMES.iter().position(|n| n == k)?;
            (!v.is_empty()).then(|| (i, v.clone()))
        })
        .collect();
    if let Some(d) = &understood.department
        && !filters.contains_key("dep")
    {
        facet_filters.push((1, d.clone()));
    }
    let prefer = understood.diploma.clone();
    // The diploma asked for, as a filter (unless one is chosen): when no word is left to
    // prefer it among.
    let diploma_filter = |facet_filters: &mut Vec<(usize, String)>| {
        if let Some(d) = &prefer
            && !filters.contains_key("diplome")
        {
            facet_filters.push((2, d.clone()));
        }
    };
    if words.is_empty() {
        diploma_filter(&mut facet_filters);
        if facet_filters.is_empty() && near.is_none() {
            return Ok(out);
        }
    }
    let keeps = |facet_filters: &[(usize, String)], ord: u32| -> bool {
        let vals = &columns.facets[ord as usize];
        facet_filters.iter().all(|(i, v)| match i {
            4 => vals[4]
                .as_deref()
                .is_some_and(|s| s.split(' ').any(|x| x == v)),
            i => vals[*i].as_deref() == Some(v.as_str()),
        })
    };
    let all_docs = || {
        searcher
            .segment_readers()
            .iter()
            .enumerate()
            .flat_map(|(s, reader)| {
                (0..reader.max_doc()).map(move |d| DocAddress::new(s as u32, d))
            })
    };

    let mut scored: HashMap<DocAddress, Tally> = HashMap::new();
    if words.is_empty() {
        scored.extend(all_docs().map(|a| (a, Tally::default())));
    } else {
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        for (k, (word, clauses)) in words.iter().zip(plan(words, lexicon).words).enumerate() {
            let mut acc: HashMap<DocAddress, Found> = HashMap::new();
            for c in &clauses {
                let field = fields.text[c.field as usize];
                let term = Term::from_field_text(field, &c.term);
                let q = BoostQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    clause_boost(c, word),
                );
                let weight = q.weight(scoring)?;
                let topic = TOPIC_FIELDS.contains(&c.field);
                // A synonym names the offer when it is the word itself, not a
                // completion or a correction of it ("cuisine" is not "cuisinier").
                let titled =
                    TITLE_FIELDS.contains(&c.field) && (c.field != SYNONYMS || c.term == word.stem);
                let named = c.field == ORGANISATION;
                for (s, reader) in searcher.segment_readers().iter().enumerate() {
                    let mut scorer = weight.scorer(reader, 1.0)?;
                    let mut doc = scorer.doc();
                    while doc != TERMINATED {
                        let e = acc.entry(DocAddress::new(s as u32, doc)).or_default();
                        e.score += scorer.score();
                        e.topic |= topic;
                        e.titled |= titled;
                        e.named |= named;
                        e.vouched |= topic && c.field != JOBS;
                        doc = scorer.advance();
                    }
                }
            }
            for (addr, f) in acc {
                let t = scored.entry(addr).or_default();
                t.score = if t.matched == 0 {
                    f.score
                } else {
                    t.score + f.score
                };
                t.matched += 1;
                t.topic += usize::from(f.topic);
                t.titled += usize::from(f.titled);
                t.named += usize::from(f.named);
                if f.topic && !f.vouched {
                    t.bagged += 1;
                    t.bag |= 1u32.checked_shl(k as u32).unwrap_or(0);
                }
            }
        }
        if words.len() > 1 {
            name_jobs(searcher, fields, words, &mut scored)?;
            for t in scored.values_mut() {
                *t = t.vouched();
            }
        }
    }
    // No offer at all has any of the words, but the query also asked for a diploma or a
    // place: the offers of those, flagged approaching, rather than an empty page ("bts
    // nrc"). Words found only outside the filters chosen find nothing, as the filters'
    // counts say.
    let n = words.len();
    let unmatched = n > 0
        && scored.is_empty()
        && (prefer.is_some() || understood.department.is_some() || near.is_some());
    // Offers with every word, in the whole catalogue: whether those with some follow is
    // decided before the filters, so that a filter's count is what choosing it gives.
    let full = scored.values().filter(|t| t.matched == n).count();
    let ord_of = |addr: &DocAddress| columns.ords[addr.segment_ord as usize][addr.doc_id as usize];
    scored.retain(|addr, _| keeps(&facet_filters, ord_of(addr)));
    if unmatched {
        diploma_filter(&mut facet_filters);
        scored.extend(
            all_docs()
                .filter(|a| keeps(&facet_filters, ord_of(a)))
                .map(|a| (a, Tally::default())),
        );
    }
    let mut docs: Vec<RankedDoc> = scored
        .iter()
        .map(|(addr, t)| {
            // Every word of two or more in the CFA's names: the query names the CFA.
            let topic = if n >= 2 && t.named == n { n } else { t.topic };
            let ord = ord_of(addr);
            let distance = near.as_ref().and_then(|p| {
                columns.geo[ord as usize].map(|(lat, lon)| distance_km(p.lat, p.lon, lat, lon))
            });
            RankedDoc {
                ord,
                score: t.score,
                matched: t.matched,
                topic,
                titled: t.titled,
                distance,
            }
        })
        .collect();
    let mut by_distance = false;
    if near.is_some() && !docs.is_empty() {
        // The smallest radius that holds a page of the offers most about the words (the
        // most words matched, then in a topic field), or all of them within the largest;
        // else the smallest that finds any offer. An offer whose CFA's name has the word
        // does not keep those about it a few kilometres further out, and one offer in
        // town does not hide the next ones: nearest first, the list goes on.
        let best = docs.iter().map(|d| (d.matched, d.topic, d.titled)).max();
        let within = |d: &RankedDoc, r: f64| d.distance.is_some_and(|x| x <= r);
        let about = |r: f64| {
            docs.iter()
                .filter(|d| Some((d.matched, d.topic, d.titled)) == best && within(d, r))
                .count()
        };
        let target = about(RADII[RADII.len() - 1]).min(FEW);
        let radius = RADII
            .into_iter()
            .find(|&r| target > 0 && about(r) >= target)
            .or_else(|| {
                RADII
                    .into_iter()
                    .find(|&r| docs.iter().any(|d| within(d, r)))
            });
        if let Some(r) = radius {
            docs.retain(|d| within(d, r));
            out.radius = Some(r);
            by_distance = filters.get("tri").map(String::as_str) != Some("date");
        } else {
            out.elsewhere = true;
            for d in &mut docs {
                d.distance = None;
            }
        }
    }
    if n >= 2 {
        // Every word required, unless fewer than a page of offers (in the catalogue) have
        // them all: then those about some of the words (in a topic field) follow, flagged
        // approaching, so that one word found in few offers does not hide the many about
        // the others (and a word of every CFA's name, such as "cfa", does not bring them
        // all). With no offer having them all, those with the most words, as they are.
        if full >= FEW {
            docs.retain(|d| d.matched == n);
        } else if full > 0 {
            docs.retain(|d| d.matched == n || d.topic > 0);
        }
        out.approx = docs.iter().any(|d| d.matched < n);
    }
    out.approx |= unmatched && !docs.is_empty();
    let by_date = filters.get("tri").map(String::as_str) == Some("date");
    let preferred =
        |ord: u32| -> bool { prefer.is_some() && columns.facets[ord as usize][2] == prefer };
    let mut keyed: Vec<(bool, RankedDoc)> =
        docs.into_iter().map(|d| (preferred(d.ord), d)).collect();
    keyed.sort_by(|(pa, a), (pb, b)| {
        b.matched
            .cmp(&a.matched)
            .then(b.topic.cmp(&a.topic))
            .then(b.titled.cmp(&a.titled))
            .then(pb.cmp(pa))
            .then_with(|| {
                if by_date {
                    let day = |o: u32| columns.start[o as usize].unwrap_or(i32::MAX);
                    day(a.ord).cmp(&day(b.ord))
                } else if by_distance {
                    let km = |d: &RankedDoc| d.distance.unwrap_or(f64::MAX);
                    km(a).total_cmp(&km(b))
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            // Offers of one town share its point, and many start the same day: among
            // them the better match first.
            .then_with(|| b.score.total_cmp(&a.score))
            .then(a.ord.cmp(&b.ord))
    });
    out.docs = keyed.into_iter().map(|(_, d)| d).collect();
    Ok(out)
}

/// Runs a query against the tantivy index (see [`rank`]) and reads the first `limit`
/// results.
#[allow(clippy::too_many_arguments)]
pub fn search(
    searcher: &Searcher,
    fields: &Fields,
    lexicon: &Lexicon,
    places: &Places,
    columns: &Columns,
    query: &str,
    filters: &Filters,
    limit: usize,
) -> tantivy::Result<(Ranked, Vec<Hit>)> {
    let ranked = rank(searcher, fields, lexicon, places, columns, query, filters)?;
    let hits = ranked
        .docs
        .iter()
        .take(limit)
        .map(
            |&RankedDoc {
                 ord,
                 score,
                 matched,
                 topic,
                 distance,
                 ..
             }| {
                let doc: TantivyDocument = searcher.doc(columns.address[ord as usize])?;
                let text = |f| {
                    doc.get_first(f)
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                };
                Ok(Hit {
                    id: text(fields.id).unwrap_or_default(),
                    title: text(fields.stored_title).unwrap_or_default(),
                    url: text(fields.url).unwrap_or_default(),
                    score,
                    ord,
                    cfa: text(fields.cfa).unwrap_or_default(),
                    town: text(fields.town),
                    start: text(fields.start),
                    end: text(fields.end),
                    distance,
                    matched,
                    topic,
                })
            },
        )
        .collect::<tantivy::Result<Vec<_>>>()?;
    Ok((ranked, hits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(terms: &[(&str, u32)]) -> Lexicon {
        Lexicon {
            terms: terms
                .iter()
                .map(|(t, df)| (t.to_string(), vec![(0u8, *df)]))
                .collect(),
        }
    }

    fn plan(q: &str, lex: &Lexicon) -> Plan {
        super::plan(&query_words(q), lex)
    }

    /// Whether some word of the plan matches nothing.
    fn some_word_unmatched(p: &Plan) -> bool {
        p.words.iter().any(Vec::is_empty)
    }

    fn terms_of(plan: &Plan) -> Vec<Vec<String>> {
        plan.words
            .iter()
            .map(|cs| cs.iter().map(|c| c.term.clone()).collect())
            .collect()
    }

    #[test]
    fn a_word_that_matches_nothing_is_split_where_both_halves_are_words() {
        // (Terms as the index stems them: "bts" is "bt".)
        let lex = lexicon(&[("web", 3), ("design", 2), ("sio", 4), ("bt", 9)]);
        let places = Places::default();
        let words = |q: &str| -> Vec<String> {
            understand(q, &lex, &places)
                .words
                .into_iter()
                .map(|w| w.folded)
                .collect()
        };
        assert_eq!(words("webdesigner"), ["web", "designer"]);
        // Then read as any two words: "bts" is the diploma asked for.
        let u = understand("btssio", &lex, &places);
        assert_eq!(u.diploma.as_deref(), Some("bts"));
        assert_eq!(u.words.len(), 1);
        assert_eq!(u.words[0].folded, "sio");
        // Halves of three letters or more ("we" is a word here), each a word of the
        // index, neither a stop word ("des" is one, stemmed "de").
        let lex = lexicon(&[("we", 1), ("de", 1), ("design", 2)]);
        let whole = |q: &str| {
            let words = understand(q, &lex, &places).words;
            words.len() == 1 && words[0].folded == q
        };
        assert!(whole("wedesigner"));
        assert!(whole("desdesign"));
        // A word that matches is kept whole, even where it would split.
        let lex = lexicon(&[("web", 3), ("design", 2), ("webdesign", 1)]);
        assert_eq!(understand("webdesigner", &lex, &places).words.len(), 1);
        // So is one a typo away from a word, though its halves are words too.
        let lex = lexicon(&[("kab", 1), ("zortilmun", 1), ("kabzortilmux", 1)]);
        assert_eq!(understand("kabzortilmun", &lex, &places).words.len(), 1);
        // Of two splits, the more even one.
        let lex = lexicon(&[("kab", 1), ("zortilmun", 1), ("kabzo", 1), ("rtilmun", 1)]);
        let w: Vec<String> = understand("kabzortilmun", &lex, &places)
            .words
            .into_iter()
            .map(|w| w.folded)
            .collect();
        assert_eq!(w, ["kabzo", "rtilmun"]);
    }

    #[test]
    fn edit_distances() {
        assert_eq!(distance("coiffur", "coiffur"), 0);
        assert_eq!(distance("coifur", "coiffur"), 1);
        assert_eq!(
            distance("coiffru", "coiffur"),
            1,
            "a transposition is one edit"
        );
        assert_eq!(distance("cofifure", "coiffure"), 1);
        assert_eq!(distance("ciofure", "coiffure"), 2);
        assert_eq!(prefix_distance("boulnag", "boulangerie"), 1);
        assert_eq!(prefix_distance("bouloz", "boulangerie"), 2);
        assert_eq!(prefix_distance("boulamg", "boulanger"), 1);
        assert_eq!(prefix_distance("", "abc"), 0);
    }

    #[test]
    fn every_word_must_match_and_the_last_one_is_a_prefix() {
        let lex = lexicon(&[("coiffur", 3), ("coiffeur", 2), ("nic", 4), ("nicol", 1)]);
        let p = plan("coiffure nic", &lex);
        assert_eq!(terms_of(&p), [vec!["coiffur"], vec!["nic", "nicol"]]);
        // The first word is not a prefix.
        assert!(some_word_unmatched(&plan("coiff nice", &lex)));
        assert_eq!(
            terms_of(&plan("coiff", &lex)),
            [vec!["coiffeur", "coiffur"]]
        );
    }

    #[test]
    fn one_typo_is_forgiven_in_long_words_only() {
        let lex = lexicon(&[("coiffur", 3), ("boulang", 2), ("art", 1)]);
        assert_eq!(terms_of(&plan("coifure boulang", &lex))[0], ["coiffur"]);
        assert_eq!(terms_of(&plan("boulang coifure", &lex))[1], ["coiffur"]);
        assert!(some_word_unmatched(&plan("artx art", &lex)));
        assert!(
            some_word_unmatched(&plan("xoiffure art", &lex)),
            "first letter kept"
        );
        // Two in words of eight letters or more; a mistyped ending is forgiven.
        let lex = lexicon(&[("patissi", 3), ("mecan", 2)]);
        assert_eq!(terms_of(&plan("pattisier", &lex))[0], ["patissi"]);
        assert_eq!(terms_of(&plan("mecanqiue", &lex))[0], ["mecan"]);
        assert!(
            terms_of(&plan("pattisi mecan", &lex))[0].is_empty(),
            "seven letters: one typo"
        );
    }

    #[test]
    fn stop_words_are_dropped_unless_alone() {
        let w: Vec<_> = query_words("métiers de la coiffure")
            .into_iter()
            .map(|w| w.folded)
            .collect();
        assert_eq!(w, ["coiffure"], "métiers says nothing");
        assert_eq!(query_words("de la").len(), 2);
    }

    #[test]
    fn expansions_are_capped_by_frequency() {
        let mut terms: Vec<(String, u32)> =
            (0..60).map(|i| (format!("abc{i:02}"), i as u32)).collect();
        terms.push(("abc".into(), 1));
        let lex = Lexicon {
            terms: terms
                .iter()
                .map(|(t, df)| (t.clone(), vec![(0u8, *df)]))
                .collect(),
        };
        let p = terms_of(&plan("abc", &lex));
        assert_eq!(p[0].len(), MAX_EXPANSIONS);
        assert!(p[0].contains(&"abc".to_string()), "the stem itself is kept");
        assert!(p[0].contains(&"abc59".to_string()));
        assert!(!p[0].contains(&"abc00".to_string()));
    }
}
