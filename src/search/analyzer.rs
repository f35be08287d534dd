//! The French analysis chain shared by the index, the query and (ported) the browser:
//! Unicode word splitting, lower case, accent folding, Snowball French stemming.

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

/// Name under which the French analyzer is registered in the index.
pub const FRENCH: &str = "vitrine_fr";

/// Name of the analyzer of the family keys: split and lower-cased, nothing else (the
/// keys are made from stems already).
pub const RAW: &str = "vitrine_raw";
/// The analyzer of the whole job names: whitespace only (a name is one token).
pub const NAMES: &str = "vitrine_names";

/// The analyzer the text fields are indexed with.
pub fn french() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CachedStemmer)
        .build()
}

/// Tantivy's French Snowball [`Stemmer`], remembered word by word: the offers say the
/// same few thousand words again and again, and stemming every token of every document
/// was most of the indexing's time. The stems are tantivy's own (a word not seen yet on
/// this thread is stemmed by it).
#[derive(Clone, Copy, Debug, Default)]
pub struct CachedStemmer;

/// Words remembered per thread before the memory is given back (a few MB at most).
const CACHE_CAP: usize = 100_000;

thread_local! {
    static STEMS: RefCell<FxHashMap<String, String>> = RefCell::default();
    /// Tantivy's stemmer over the whole text: stems one word.
    static SNOWBALL: RefCell<TextAnalyzer> = RefCell::new(
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::French))
            .build(),
    );
}

/// The French stem of a lower-cased, folded word, as [`Stemmer`] makes it.
pub fn stem_word(word: &str, out: &mut String) {
    STEMS.with_borrow_mut(|stems| {
        if let Some(stem) = stems.get(word) {
            out.clear();
            out.push_str(stem);
            return;
        }
        let stem = SNOWBALL.with_borrow_mut(|snowball| {
            let mut stream = snowball.token_stream(word);
            if stream.advance() {
                std::mem::take(&mut stream.token_mut().text)
            } else {
                String::new()
            }
        });
        out.clear();
        out.push_str(&stem);
        if stems.len() >= CACHE_CAP {
            stems.clear();
        }
        stems.insert(word.to_string(), stem);
    })
}

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner }
    }
}

/// The tokenizer [`CachedStemmer`] makes of the chain before it.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            buffer: String::new(),
        }
    }
}

/// The token stream of [`CachedStemmerFilter`].
pub struct CachedStemmerStream<T> {
    tail: T,
    buffer: String,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        stem_word(&token.text, &mut self.buffer);
        std::mem::swap(&mut token.text, &mut self.buffer);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The same chain without the stemmer: the words as typed, folded (for prefixes).
fn folded() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers the French analyzer (needed each time an index is created or opened).
pub fn register(tokenizers: &TokenizerManager) {
    tokenizers.register(FRENCH, french());
    tokenizers.register(RAW, raw());
    tokenizers.register(NAMES, names());
}

/// The analyzer of the whole job names ([`name_key`] tokens, space-separated).
pub fn names() -> TextAnalyzer {
    TextAnalyzer::builder(tantivy::tokenizer::WhitespaceTokenizer::default()).build()
}

/// Job names are indexed whole when they have at most this many significant words
/// (14,700 names: 4,100 of two, 4,900 of three, 4,600 of more). At 100,000 offers, names
/// of two words add about 100 MiB to the build's peak memory and names of up to three
/// 250 MiB (1.41 GiB of the 1.5 GiB budget), for no answer of the judged sets that two
/// do not give ("aide à domicile", "chef de chantier", "conducteur de travaux").
pub const NAME_MAX_WORDS: usize = 2;

/// The term standing for a job name of two to [`NAME_MAX_WORDS`] words: `~`, then their
/// distinct stems, sorted, joined by `_` ("aide à domicile": `~aid_domicil`); `None`
/// for another count. The `~` sorts the names after every word, in dictionary shards
/// and postings packs of their own, so that a query of one word loads none of them.
pub fn name_key<'a>(stems: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut stems: Vec<&str> = stems.into_iter().collect();
    stems.sort_unstable();
    stems.dedup();
    (2..=NAME_MAX_WORDS)
        .contains(&stems.len())
        .then(|| format!("~{}", stems.join("_")))
}

/// The analyzer of the family keys.
pub fn raw() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .build()
}

/// One word of a query: as typed but folded, and its stem (the indexed form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub folded: String,
    pub stem: String,
}

/// Every word of a text, through the index's own chain: the folded words in one pass,
/// each then stemmed as [`french`] stems it.
pub fn words(text: &str) -> Vec<Word> {
    FOLDED.with_borrow_mut(|analyzer| {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let folded = stream.token().text.clone();
            let mut stem = String::new();
            stem_word(&folded, &mut stem);
            out.push(Word { folded, stem });
        }
        out
    })
}

/// The folded words of a text (as [`words`] gives them), not stemmed.
pub fn folded_words(text: &str) -> Vec<String> {
    terms(&FOLDED, text)
}

/// The tokens `chain` (one of this thread's analyzers) makes of `text`.
fn terms(chain: &'static std::thread::LocalKey<RefCell<TextAnalyzer>>, text: &str) -> Vec<String> {
    chain.with_borrow_mut(|analyzer| {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            out.push(std::mem::take(&mut stream.token_mut().text));
        }
        out
    })
}

thread_local! {
    /// The analyzers of [`stems`] and [`words`], built once per thread.
    static FRENCH_CHAIN: RefCell<TextAnalyzer> = RefCell::new(french());
    static FOLDED: RefCell<TextAnalyzer> = RefCell::new(folded());
}

/// Endings of Snowball stems that derivational families differ by (longest first):
/// informat-icien / informat-ique, charcut-ier / charcut-erie, compt-able / compt-abilité.
pub const FAMILY_SUFFIXES: [&str; 13] = [
    "abilit", "icien", "icit", "iqu", "ien", "abl", "eur", "eux", "eus", "ur", "ag", "er", "i",
];

/// The family key of a stem: the stem without its derivational ending (when at least
/// three letters remain), a final `nn`/`ll` made single (maçonn-erie / maçon). Words of
/// one family share a key; the browser computes it the same way.
pub fn family(stem: &str) -> String {
    let mut key = stem;
    for suffix in FAMILY_SUFFIXES {
        if let Some(rest) = stem.strip_suffix(suffix)
            && rest.len() >= 3
        {
            key = rest;
            break;
        }
    }
    match key.strip_suffix("nn").or_else(|| key.strip_suffix("ll")) {
        Some(rest) => format!("{rest}{}", &key[key.len() - 1..]),
        None => key.to_string(),
    }
}

/// The indexed terms of a text.
pub fn stems(text: &str) -> Vec<String> {
    terms(&FRENCH_CHAIN, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(word: &str) -> String {
        let s = stems(word);
        assert_eq!(s.len(), 1, "{word:?} → {s:?}");
        s.into_iter().next().unwrap()
    }

    /// Tantivy's own chain, with its uncached stemmer.
    fn reference(text: &str) -> Vec<String> {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::French))
            .build();
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn the_cached_stemmer_stems_as_tantivy_does() {
        let text = "Électricité électricien ÉLECTRICIENS Boulangers boulangerie boulanger \
            Pâtissière PÂTISSIERS pâtisseries Cuisinière cuisiniers Œnologie maçonnerie \
            Maçons coiffeuses COIFFEUR coiffure Mécanicien mécaniciens mécanique \
            Aide-soignant aides-soignantes Hôtellerie hôteliers restauration \
            comptabilité Comptables BTS CAP Bac pro 2nd degré Île-de-France \
            l'esthétique-cosmétique chaudronnier chaudronnerie Ébéniste ébénisterie \
            Conducteur conductrices Agent agents d'entretien Véhicules automobiles \
            Naïve naïveté Noël Ça ç ñ Straße 12 A1 x";
        let words = || text.split_whitespace();
        // Twice: the second time from the cache.
        for _ in 0..2 {
            for w in words() {
                assert_eq!(stems(w), reference(w), "{w:?}");
                let stemmed: Vec<_> = super::words(w).into_iter().map(|w| w.stem).collect();
                assert_eq!(stemmed, reference(w), "{w:?}");
            }
            assert_eq!(stems(text), reference(text));
        }
        // On the words of the browser's fixture too (over 5000 real words).
        let fixture = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/browser/fixtures/stems.tsv"),
        )
        .unwrap();
        for w in fixture.lines().map(|l| l.split('\t').next().unwrap_or("")) {
            assert_eq!(stems(w), reference(w), "{w:?}");
            assert_eq!(
                stems(&w.to_uppercase()),
                reference(&w.to_uppercase()),
                "{w:?}"
            );
        }
        // A cache emptied when full stems the same.
        let mut out = String::new();
        for i in 0..CACHE_CAP + 10 {
            stem_word(&format!("mot{i}s"), &mut out);
        }
        assert_eq!(stems("boulangeries"), reference("boulangeries"));
        assert!(STEMS.with_borrow(|s| s.len()) <= CACHE_CAP);
    }

    #[test]
    fn case_and_accents_do_not_matter() {
        assert_eq!(stem("Électricité"), stem("electricite"));
        assert_eq!(stem("PÂTISSIER"), stem("patissier"));
        assert_eq!(stem("Cuisinière"), stem("cuisiniere"));
        assert_eq!(stem("Œnologie"), stem("oenologie"));
    }

    #[test]
    fn plurals_and_derived_forms_stem_as_tantivy_does() {
        assert_eq!(stem("coiffeuses"), stem("coiffeuse"));
        assert_eq!(stem("coiffeuse"), "coiffeux");
        assert_eq!(stem("coiffure"), "coiffur");
        assert_eq!(stem("coiffeur"), "coiffeur");
        assert_eq!(stem("mécanicien"), stem("mecaniciens"));
        assert_eq!(stem("maçonnerie"), "maconner");
        // Snowball stems the singular shorter than the plural and the trade: the
        // prefix on the last word ("boulang…") is what brings them together.
        assert_eq!(stem("boulanger"), "boulang");
        assert_eq!(stem("boulangers"), "boulanger");
        assert_eq!(stem("boulangerie"), "boulanger");
        assert!(stem("boulangerie").starts_with(&stem("boulanger")));
        assert!(stem("coiffure").starts_with("coiff") && stem("coiffeuse").starts_with("coiff"));
    }

    #[test]
    fn derivational_families_share_a_key() {
        let key = |w: &str| family(&stem(w));
        for (a, b) in [
            ("informaticien", "informatique"),
            ("électronicien", "électronique"),
            ("esthéticienne", "esthétique"),
            ("charcutier", "charcuterie"),
            ("comptable", "comptabilité"),
            ("électricien", "électrique"),
            ("électricien", "électricité"),
            ("maçon", "maçonnerie"),
            ("pâtissier", "pâtisserie"),
            ("carreleur", "carrelage"),
            ("coiffeuse", "coiffure"),
            ("hôtelier", "hôtellerie"),
            ("pharmacien", "pharmacie"),
            ("opticien", "optique"),
        ] {
            assert_eq!(key(a), key(b), "{a} / {b}");
        }
        assert_ne!(key("coiffure"), key("cuisine"));
        assert_eq!(family("vent"), "vent", "short stems are kept whole");
    }

    #[test]
    fn words_are_split_on_punctuation_and_keep_their_typed_form() {
        let w = words("CAP Métiers de l'esthétique-cosmétique");
        let folded: Vec<_> = w.iter().map(|w| w.folded.as_str()).collect();
        assert_eq!(
            folded,
            ["cap", "metiers", "de", "l", "esthetique", "cosmetique"]
        );
        assert_eq!(w[1].stem, "meti");
        assert_eq!(
            folded_words("CAP Métiers de l'esthétique-cosmétique"),
            folded
        );
    }
}

#[cfg(test)]
mod fixture {
    use super::stems;
    use std::path::Path;

    /// The browser's analyzer is checked against `tests/browser/fixtures/stems.tsv` (word,
    /// tab, indexed terms); this test keeps that file equal to what tantivy does
    /// (`BLESS=1` rewrites the second column).
    #[test]
    fn the_browser_stem_fixture_matches_tantivy() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/fixtures");
        let path = dir.join("stems.tsv");
        let actual = std::fs::read_to_string(&path).unwrap();
        let mut expected = String::new();
        for w in actual.lines().map(|l| l.split('\t').next().unwrap_or("")) {
            let s = stems(w);
            expected.push_str(&format!("{w}\t{}\n", s.join(" ")));
        }
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        assert!(actual.lines().count() > 5000);
        assert!(
            actual == expected,
            "stems.tsv is stale: run BLESS=1 cargo test --lib the_browser_stem_fixture"
        );
    }
}
