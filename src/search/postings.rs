//! The inverted index the export publishes, made from the documents themselves with the
//! index's own analyzers: what tantivy's term dictionaries and postings hold for the
//! text fields (terms, document frequencies, term frequencies, field norms, token
//! totals), without writing a tantivy index first. The build only needs the export; the
//! tantivy index is written when `search` or `serve` first open it.
//!
//! Equal to what tantivy makes of the same documents (test below): a token longer than
//! tantivy's limit is dropped and not counted, a field norm is the field's token count.

use super::analyzer;
use super::export::varint;
use super::schema::{FAMILY, NAMES, SearchDoc, TEXT_FIELDS};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::collections::BTreeSet;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::tokenizer::{MAX_TOKEN_LEN, TextAnalyzer};

/// One (term, field) postings list, already in the export's encoding: per document in
/// index order, `varint(Δord·2 | tf>1)`, the field norm id, then `varint(tf)` if tf > 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    pub field: u8,
    /// Documents the term is in (in this field).
    pub df: u32,
    pub bytes: Vec<u8>,
    last: u32,
}

/// Every term of the text fields with its lists (by field number), and the BM25 totals.
#[derive(Debug, Default)]
pub struct Inverted {
    /// Terms in byte order (tantivy's dictionary order), each with its lists by field.
    pub terms: Vec<(String, Vec<List>)>,
    /// Tokens per text field over all documents (BM25 average lengths).
    pub tokens: Vec<u64>,
    pub docs: u32,
}

impl Inverted {
    /// The inverted index of `docs`, which are in index order (`ord` = position), from
    /// their analysed terms.
    pub fn of(docs: &[SearchDoc]) -> Inverted {
        let mut lists: FxHashMap<Box<[u8]>, Vec<List>> = FxHashMap::default();
        let mut tokens = vec![0u64; TEXT_FIELDS.len()];
        for doc in docs {
            let mut terms = Terms(&doc.terms);
            let mut f = 0u8;
            while let Some((count, n)) = terms.field() {
                tokens[f as usize] += u64::from(count);
                let norm = FieldNormReader::fieldnorm_to_id(count);
                for _ in 0..n {
                    let Some((term, tf)) = terms.term() else {
                        break;
                    };
                    let entry = match lists.get_mut(term) {
                        Some(e) => e,
                        None => lists.entry(term.into()).or_default(),
                    };
                    let list = match entry.iter().position(|l| l.field == f) {
                        Some(i) => &mut entry[i],
                        None => {
                            entry.push(List {
                                field: f,
                                df: 0,
                                bytes: Vec::new(),
                                last: 0,
                            });
                            entry.last_mut().expect("just pushed")
                        }
                    };
                    list.add(doc.ord, tf, norm);
                }
                f += 1;
            }
        }
        let mut terms: Vec<(String, Vec<List>)> = lists
            .into_iter()
            .map(|(t, mut l)| {
                l.sort_unstable_by_key(|l| l.field);
                // Lossless for analysed text (see `Terms::term`); damaged bytes that a
                // kept record's sum let through become replacement characters.
                let t = String::from_utf8(t.into_vec())
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                (t, l)
            })
            .collect();
        terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Inverted {
            terms,
            tokens,
            docs: docs.len() as u32,
        }
    }

    /// Adds, with no list, the words of `known` that no document has (the browser reads
    /// such a term as a word that is not a typo); returns them, in order. Both lists are
    /// in byte order: merged, not sorted again.
    pub fn add_known(&mut self, known: &BTreeSet<String>) -> Vec<String> {
        let terms = std::mem::take(&mut self.terms);
        let mut merged = Vec::with_capacity(terms.len() + known.len());
        let mut absent = Vec::new();
        let mut known = known.iter().peekable();
        for (term, lists) in terms {
            while let Some(k) = known.next_if(|k| k.as_str() < term.as_str()) {
                absent.push(k.clone());
                merged.push((k.clone(), Vec::new()));
            }
            known.next_if(|k| **k == term);
            merged.push((term, lists));
        }
        for k in known {
            absent.push(k.clone());
            merged.push((k.clone(), Vec::new()));
        }
        self.terms = merged;
        absent
    }
}

impl List {
    fn add(&mut self, ord: u32, tf: u32, norm: u8) {
        debug_assert!(self.df == 0 || ord > self.last, "documents in index order");
        varint(
            &mut self.bytes,
            u64::from(ord - self.last) << 1 | u64::from(tf > 1),
        );
        self.bytes.push(norm);
        if tf > 1 {
            varint(&mut self.bytes, u64::from(tf));
        }
        self.last = ord;
        self.df += 1;
    }
}

thread_local! {
    static FRENCH: RefCell<TextAnalyzer> = RefCell::new(analyzer::french());
    static RAW: RefCell<TextAnalyzer> = RefCell::new(analyzer::raw());
    static NAME: RefCell<TextAnalyzer> = RefCell::new(analyzer::names());
}

/// The terms of a document's text fields, as bytes: per field, `varint(tokens)`,
/// `varint(terms)`, then each distinct term (in byte order) as `varint(len)`, its
/// bytes, `varint(tf)`.
pub fn analysed(texts: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    for (f, text) in texts.iter().enumerate() {
        // Offers repeat most of their texts (level, domain, CFA, town, trades, often the
        // title and the description): a text's terms are made once per thread.
        SEEN.with_borrow_mut(|seen| {
            if seen.terms.len() <= f {
                seen.terms.resize_with(f + 1, Default::default);
            }
            if let Some(bytes) = seen.terms[f].get(text.as_str()) {
                out.extend_from_slice(bytes);
                return;
            }
            let start = out.len();
            field_terms(f, text, &mut out);
            seen.bytes += text.len() + out.len() - start;
            if seen.bytes > SEEN_BYTES {
                seen.terms.iter_mut().for_each(FxHashMap::clear);
                seen.bytes = 0;
            }
            seen.terms[f].insert(text.clone(), out[start..].into());
        })
    }
    out
}

/// One field's part of [`analysed`].
fn field_terms(f: usize, text: &str, out: &mut Vec<u8>) {
    let chain = match f as u8 {
        FAMILY => &RAW,
        NAMES => &NAME,
        _ => &FRENCH,
    };
    let mut words: Vec<String> = Vec::new();
    chain.with_borrow_mut(|analyzer| {
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let token = std::mem::take(&mut stream.token_mut().text);
            // Tantivy drops such a token and does not count it.
            if token.len() <= MAX_TOKEN_LEN {
                words.push(token);
            }
        }
    });
    varint(out, words.len() as u64);
    words.sort_unstable();
    let runs: Vec<&[String]> = words.chunk_by(|a, b| a == b).collect();
    varint(out, runs.len() as u64);
    for run in runs {
        varint(out, run[0].len() as u64);
        out.extend_from_slice(run[0].as_bytes());
        varint(out, run.len() as u64);
    }
}

/// Texts and their terms remembered per thread before the memory is given back.
const SEEN_BYTES: usize = 8 << 20;

/// Per field, each text's terms as [`analysed`] writes them.
#[derive(Default)]
struct Seen {
    terms: Vec<FxHashMap<String, Box<[u8]>>>,
    bytes: usize,
}

thread_local! {
    static SEEN: RefCell<Seen> = RefCell::default();
}

/// A reader of [`analysed`] bytes.
struct Terms<'a>(&'a [u8]);

impl<'a> Terms<'a> {
    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.0.split_first()?;
            self.0 = rest;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }
    /// A field's token count and number of terms.
    fn field(&mut self) -> Option<(u32, u32)> {
        Some((
            self.varint()?.try_into().ok()?,
            self.varint()?.try_into().ok()?,
        ))
    }
    /// A term's bytes (UTF-8 when they are [`analysed`] text, as a kept document's are
    /// when its record's sum holds) and its frequency; `None` past the end.
    fn term(&mut self) -> Option<(&'a [u8], u32)> {
        let len = usize::try_from(self.varint()?).ok()?;
        let (bytes, rest) = self.0.split_at_checked(len)?;
        self.0 = rest;
        Some((bytes, self.varint()?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Offer;
    use std::collections::BTreeMap;
    use tantivy::postings::Postings;
    use tantivy::schema::IndexRecordOption;
    use tantivy::{DocSet, TERMINATED, Term};

    #[test]
    fn known_words_no_document_has_are_merged_in_byte_order_with_no_list() {
        let terms = ["coiffur", "infirmi", "mecan"]
            .map(|t| {
                let list = List {
                    field: 0,
                    df: 1,
                    bytes: vec![2, 10],
                    last: 1,
                };
                (t.to_string(), vec![list])
            })
            .into();
        let mut inverted = Inverted {
            terms,
            ..Inverted::default()
        };
        let known: BTreeSet<String> = ["aid", "infirmi", "notair", "zzz"]
            .map(str::to_string)
            .into();
        assert_eq!(inverted.add_known(&known), ["aid", "notair", "zzz"]);
        let terms: Vec<(&str, usize)> = inverted
            .terms
            .iter()
            .map(|(t, l)| (t.as_str(), l.len()))
            .collect();
        assert_eq!(
            terms,
            [
                ("aid", 0),
                ("coiffur", 1),
                ("infirmi", 1),
                ("mecan", 1),
                ("notair", 0),
                ("zzz", 0)
            ]
        );
    }

    /// (term, field) → (ord, tf, field norm id) of every document, in ord order.
    type Lists = BTreeMap<(String, u8), Vec<(u32, u32, u8)>>;

    fn decoded(inverted: &Inverted) -> Lists {
        let mut out = Lists::new();
        for (term, lists) in &inverted.terms {
            for l in lists {
                let mut r = Terms(&l.bytes);
                let (mut ord, mut entries) = (0u32, Vec::new());
                while let Some(v) = r.varint() {
                    ord += (v >> 1) as u32;
                    let (&norm, rest) = r.0.split_first().unwrap();
                    r.0 = rest;
                    let tf = if v & 1 == 1 {
                        r.varint().unwrap() as u32
                    } else {
                        1
                    };
                    entries.push((ord, tf, norm));
                }
                assert_eq!(entries.len(), l.df as usize, "{term}");
                out.insert((term.clone(), l.field), entries);
            }
        }
        out
    }

    /// What tantivy's index of the same documents holds.
    fn tantivys(dir: &std::path::Path) -> (Lists, Vec<u64>, u64) {
        let index = tantivy::Index::open_in_dir(dir).unwrap();
        analyzer::register(index.tokenizers());
        let fields = super::super::schema::Fields::of(&index.schema()).unwrap();
        let searcher = index.reader().unwrap().searcher();
        let mut out = Lists::new();
        let mut tokens = vec![0u64; TEXT_FIELDS.len()];
        for reader in searcher.segment_readers() {
            let ords = reader.fast_fields().u64("ord").unwrap();
            for (f, field) in fields.text.iter().enumerate() {
                let inverted = reader.inverted_index(*field).unwrap();
                tokens[f] += inverted.total_num_tokens();
                let norms = reader.get_fieldnorms_reader(*field).unwrap();
                let mut stream = inverted.terms().stream().unwrap();
                while stream.advance() {
                    let term = String::from_utf8(stream.key().to_vec()).unwrap();
                    let t = Term::from_field_text(*field, &term);
                    let mut postings = inverted
                        .read_postings(&t, IndexRecordOption::WithFreqs)
                        .unwrap()
                        .unwrap();
                    let list = out.entry((term, f as u8)).or_default();
                    let mut doc = postings.doc();
                    while doc != TERMINATED {
                        let ord = ords.first(doc).unwrap() as u32;
                        list.push((ord, postings.term_freq(), norms.fieldnorm_id(doc)));
                        doc = postings.advance();
                    }
                }
            }
        }
        for list in out.values_mut() {
            list.sort_unstable();
        }
        (out, tokens, searcher.num_docs())
    }

    #[test]
    fn the_inverted_index_is_what_tantivy_makes_of_the_same_documents() {
        let mut offers = super::super::tests::catalogue(300);
        // Long fields (lossy norms), repeated words, a token over tantivy's limit, an
        // empty field, letters beyond ASCII.
        offers[0].description = Some("apprentissage ".repeat(300));
        offers[1].description = Some(format!("{} boulanger", "x".repeat(MAX_TOKEN_LEN + 1)));
        offers[2].description = Some(String::new());
        offers[3].title = "Œnologie & sommellerie — straße Ελληνικά 🍷 Ça-va".into();
        let published: Vec<&Offer> = offers.iter().collect();
        let communes = crate::communes::Communes::builtin();
        let vocabulary = super::super::vocabulary::Vocabulary::builtin();
        let docs = super::super::schema::documents(&published, &communes, &vocabulary);
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("index");
        let places =
            super::super::places::Places::of(&communes, super::super::vocabulary::Rome::builtin());
        super::super::index::write(&dir, &docs, &places, "key").unwrap();

        let inverted = Inverted::of(&docs);
        let (lists, tokens, n) = tantivys(&dir);
        assert_eq!(u64::from(inverted.docs), n);
        assert_eq!(inverted.tokens, tokens);
        assert!(tokens[8] > 300, "the long description is counted");
        let ours = decoded(&inverted);
        assert_eq!(ours.len(), lists.len());
        assert_eq!(ours, lists);
        assert!(
            ours.values().flatten().any(|e| e.1 > 1),
            "some tf above one"
        );
        assert!(ours.values().flatten().any(|e| e.2 > 40), "some lossy norm");
        let terms: Vec<&String> = inverted.terms.iter().map(|t| &t.0).collect();
        assert!(terms.is_sorted(), "terms in the dictionary's order");
    }

    #[test]
    fn terms_that_are_not_what_analysed_makes_are_read_as_far_as_they_go() {
        // A kept document's terms are vouched for by its record's sum, not walked when
        // read back; bytes of any other shape (cut short, a length past the end, not
        // UTF-8, a varint that never ends) still index without a panic.
        let texts = vec!["Boulanger boulangère".to_string(), String::new()];
        let whole = analysed(&texts);
        let shapes = [
            whole.clone(),
            whole[..whole.len() - 1].to_vec(),
            vec![1, 1, 0x7f],
            vec![1, 1, 2, 0xff, 0xfe, 1],
            vec![0xff; 12],
            Vec::new(),
            whole,
        ];
        let docs: Vec<SearchDoc> = shapes
            .into_iter()
            .enumerate()
            .map(|(i, terms)| {
                let mut d = SearchDoc::of(
                    &Offer::default(),
                    &crate::communes::Communes::builtin(),
                    &crate::search::vocabulary::Vocabulary::builtin(),
                );
                d.ord = i as u32;
                d.terms = terms;
                d
            })
            .collect();
        let inverted = Inverted::of(&docs);
        assert_eq!(inverted.docs, 7);
        let lists = decoded(&inverted);
        // The whole documents (first and last) have every term of the text.
        let boulang: Vec<_> = lists
            .iter()
            .filter(|((t, _), _)| t.starts_with("boulang"))
            .flat_map(|(_, e)| e.iter().map(|e| e.0))
            .collect();
        assert!(boulang.contains(&0) && boulang.contains(&6), "{lists:?}");
    }
}
