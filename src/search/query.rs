//! Query semantics, shared by `vitrine search`, `vitrine serve` and (ported to
//! JavaScript) the browser: every word must match (AND); the last word also matches as a
//! prefix; a word of five letters or more that matches nothing forgives one typo; each
//! word matches in any field, scored with tantivy's BM25 and the field's boost.
//!
//! The combination is written out here rather than left to tantivy's `BooleanQuery`, so
//! that the order of the floating-point additions is fixed and the browser can repeat it
//! bit for bit: per word, clauses in (term, field) order; then words in query order.

use super::analyzer::{self, Word};
use super::schema::{Fields, TEXT_FIELDS};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tantivy::query::{BoostQuery, EnableScoring, Query as _, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Searcher, TERMINATED, TantivyDocument, Term};

/// At most this many index terms stand for one query word (prefix or typo expansion).
pub const MAX_EXPANSIONS: usize = 50;
/// Typos are forgiven in words of at least this many letters.
pub const TYPO_MIN_CHARS: usize = 5;
/// Words left out of a query unless it has nothing else (folded forms).
pub const STOP_WORDS: [&str; 27] = [
    "a", "au", "aux", "avec", "ce", "ces", "d", "dans", "de", "des", "du", "en", "et", "l", "la",
    "le", "les", "leur", "ou", "par", "pour", "qu", "que", "sur", "un", "une", "y",
];

/// Every term of the index with, per text field, its document frequency.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lexicon {
    pub terms: BTreeMap<String, Vec<(u8, u32)>>,
}

impl Lexicon {
    /// Reads every term of the text fields from the index's term dictionaries.
    pub fn of(searcher: &Searcher, fields: &Fields) -> tantivy::Result<Lexicon> {
        let mut terms: BTreeMap<String, BTreeMap<u8, u32>> = BTreeMap::new();
        for reader in searcher.segment_readers() {
            for (i, field) in fields.text.iter().enumerate() {
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

    fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.terms
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .map(|(t, _)| t.as_str())
            .take_while(move |t| t.starts_with(prefix))
    }
}

/// One (field, term) pair a word stands for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Clause {
    pub term: String,
    pub field: u8,
}

/// What a query means against one index: per word, its clauses in scoring order.
/// `None` words means some word matches nothing, so the query matches nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub words: Option<Vec<Vec<Clause>>>,
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
pub fn plan(query: &str, lexicon: &Lexicon) -> Plan {
    let words = query_words(query);
    let n = words.len();
    let mut out = Vec::with_capacity(n);
    for (i, w) in words.iter().enumerate() {
        let terms = word_terms(w, i + 1 == n, lexicon);
        if terms.is_empty() {
            return Plan { words: None };
        }
        let mut clauses: Vec<Clause> = terms
            .iter()
            .flat_map(|t| {
                lexicon.terms[t.as_str()].iter().map(|(f, _)| Clause {
                    term: t.clone(),
                    field: *f,
                })
            })
            .collect();
        clauses.sort();
        out.push(clauses);
    }
    Plan { words: Some(out) }
}

fn word_terms(w: &Word, last: bool, lexicon: &Lexicon) -> Vec<String> {
    let letters = w.folded.chars().count();
    let mut terms: Vec<String> = Vec::new();
    if lexicon.terms.contains_key(&w.stem) {
        terms.push(w.stem.clone());
    }
    if last && letters >= 2 {
        for t in lexicon
            .with_prefix(&w.stem)
            .chain(lexicon.with_prefix(&w.folded))
        {
            if !terms.iter().any(|x| x == t) {
                terms.push(t.to_string());
            }
        }
    }
    if terms.is_empty() && letters >= TYPO_MIN_CHARS {
        let first: String = w.stem.chars().take(1).collect();
        for t in lexicon.with_prefix(&first) {
            let d = if last {
                prefix_distance(&w.stem, t)
            } else {
                distance(&w.stem, t)
            };
            if d <= 1 {
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

/// Levenshtein distance (insertions, deletions, substitutions), on characters.
pub fn distance(a: &str, b: &str) -> usize {
    let row = dp_last_row(a, b);
    row[row.len() - 1]
}

/// Smallest distance between `a` and a prefix of `b` (for the word being typed).
pub fn prefix_distance(a: &str, b: &str) -> usize {
    dp_last_row(a, b).into_iter().min().unwrap_or(0)
}

/// Last row of the edit-distance table of `a` (rows) against `b` (columns).
fn dp_last_row(a: &str, b: &str) -> Vec<usize> {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for j in 0..b.len() {
            let sub = prev[j] + usize::from(ca != b[j]);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev
}

/// Facet filters (`niveau`, `dep`, `diplome`, `cfa`, `voie` → value).
pub type Filters = BTreeMap<String, String>;

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
}

/// Runs a query against the tantivy index: matching offers sorted by score, then by
/// index order; with no word, every offer the filters keep (score 0).
pub fn search(
    searcher: &Searcher,
    fields: &Fields,
    lexicon: &Lexicon,
    query: &str,
    filters: &Filters,
    limit: usize,
) -> tantivy::Result<(usize, Vec<Hit>)> {
    let plan = plan(query, lexicon);
    let Some(words) = plan.words else {
        return Ok((0, Vec::new()));
    };
    let mut scored: Vec<(DocAddress, f32)> = Vec::new();
    if words.is_empty() {
        if filters.is_empty() {
            return Ok((0, Vec::new()));
        }
        for (s, reader) in searcher.segment_readers().iter().enumerate() {
            for d in 0..reader.max_doc() {
                scored.push((DocAddress::new(s as u32, d), 0.0));
            }
        }
    } else {
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let mut total: Option<HashMap<DocAddress, f32>> = None;
        for clauses in &words {
            let mut acc: HashMap<DocAddress, f32> = HashMap::new();
            for c in clauses {
                let field = fields.text[c.field as usize];
                let term = Term::from_field_text(field, &c.term);
                let q = BoostQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    TEXT_FIELDS[c.field as usize].1,
                );
                let weight = q.weight(scoring)?;
                for (s, reader) in searcher.segment_readers().iter().enumerate() {
                    let mut scorer = weight.scorer(reader, 1.0)?;
                    let mut doc = scorer.doc();
                    while doc != TERMINATED {
                        let addr = DocAddress::new(s as u32, doc);
                        if total.as_ref().is_none_or(|t| t.contains_key(&addr)) {
                            let e = acc.entry(addr).or_insert(0.0);
                            *e += scorer.score();
                        }
                        doc = scorer.advance();
                    }
                }
            }
            total = Some(match total {
                None => acc,
                Some(mut t) => {
                    t.retain(|addr, score| match acc.get(addr) {
                        Some(s) => {
                            *score += *s;
                            true
                        }
                        None => false,
                    });
                    t
                }
            });
        }
        scored = total.unwrap_or_default().into_iter().collect();
    }
    if !filters.is_empty() {
        let keep = filtered(searcher, fields, filters)?;
        scored.retain(|(addr, _)| keep.contains(addr));
    }
    let ords: Vec<_> = searcher
        .segment_readers()
        .iter()
        .map(|r| r.fast_fields().u64("ord"))
        .collect::<Result<_, _>>()?;
    let mut ranked: Vec<(u32, f32, DocAddress)> = scored
        .into_iter()
        .map(|(addr, score)| {
            let ord = ords[addr.segment_ord as usize]
                .first(addr.doc_id)
                .unwrap_or(u64::MAX) as u32;
            (ord, score, addr)
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let count = ranked.len();
    ranked.truncate(limit);
    let hits = ranked
        .into_iter()
        .map(|(ord, score, addr)| {
            let doc: TantivyDocument = searcher.doc(addr)?;
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
            })
        })
        .collect::<tantivy::Result<Vec<_>>>()?;
    Ok((count, hits))
}

/// The documents every filter keeps.
fn filtered(
    searcher: &Searcher,
    fields: &Fields,
    filters: &Filters,
) -> tantivy::Result<std::collections::HashSet<DocAddress>> {
    let mut keep: Option<std::collections::HashSet<DocAddress>> = None;
    for (name, value) in filters {
        let Some(i) = super::facets::NAMES.iter().position(|n| n == name) else {
            continue;
        };
        let term = Term::from_field_text(fields.facets[i], value);
        let weight = TermQuery::new(term, IndexRecordOption::Basic)
            .weight(EnableScoring::disabled_from_searcher(searcher))?;
        let mut set = std::collections::HashSet::new();
        for (s, reader) in searcher.segment_readers().iter().enumerate() {
            let mut scorer = weight.scorer(reader, 1.0)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                if keep
                    .as_ref()
                    .is_none_or(|k| k.contains(&DocAddress::new(s as u32, doc)))
                {
                    set.insert(DocAddress::new(s as u32, doc));
                }
                doc = scorer.advance();
            }
        }
        keep = Some(set);
    }
    Ok(keep.unwrap_or_default())
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

    fn terms_of(plan: &Plan) -> Vec<Vec<String>> {
        plan.words
            .as_ref()
            .unwrap()
            .iter()
            .map(|cs| cs.iter().map(|c| c.term.clone()).collect())
            .collect()
    }

    #[test]
    fn edit_distances() {
        assert_eq!(distance("coiffur", "coiffur"), 0);
        assert_eq!(distance("coifur", "coiffur"), 1);
        assert_eq!(distance("coiffru", "coiffur"), 2);
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
        assert_eq!(plan("coiff nice", &lex).words, None);
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
        assert_eq!(plan("artx art", &lex).words, None);
        assert_eq!(plan("xoiffure art", &lex).words, None, "first letter kept");
    }

    #[test]
    fn stop_words_are_dropped_unless_alone() {
        let w: Vec<_> = query_words("métiers de la coiffure")
            .into_iter()
            .map(|w| w.folded)
            .collect();
        assert_eq!(w, ["metiers", "coiffure"]);
        assert_eq!(query_words("de la").len(), 2);
    }

    #[test]
    fn expansions_are_capped_by_frequency() {
        let mut terms: Vec<(String, u32)> =
            (0..60).map(|i| (format!("ab{i:02}"), i as u32)).collect();
        terms.push(("ab".into(), 1));
        let lex = Lexicon {
            terms: terms
                .iter()
                .map(|(t, df)| (t.clone(), vec![(0u8, *df)]))
                .collect(),
        };
        let p = terms_of(&plan("ab", &lex));
        assert_eq!(p[0].len(), MAX_EXPANSIONS);
        assert!(p[0].contains(&"ab".to_string()), "the stem itself is kept");
        assert!(p[0].contains(&"ab59".to_string()));
        assert!(!p[0].contains(&"ab00".to_string()));
    }
}
