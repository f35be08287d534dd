//! The French analysis chain shared by the index, the query and (ported) the browser:
//! Unicode word splitting, lower case, accent folding, Snowball French stemming.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer,
    TokenizerManager,
};

/// Name under which the French analyzer is registered in the index.
pub const FRENCH: &str = "vitrine_fr";

/// Name of the analyzer of the family keys: split and lower-cased, nothing else (the
/// keys are made from stems already).
pub const RAW: &str = "vitrine_raw";

/// The analyzer the text fields are indexed with.
pub fn french() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::French))
        .build()
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
    tokenizers.register(
        RAW,
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
}

/// One word of a query: as typed but folded, and its stem (the indexed form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub folded: String,
    pub stem: String,
}

/// Every word of a text, through the index's own chain.
pub fn words(text: &str) -> Vec<Word> {
    let stems = tokens(&mut french(), text);
    let folded = tokens(&mut folded(), text);
    debug_assert_eq!(stems.len(), folded.len());
    folded
        .into_iter()
        .zip(stems)
        .map(|(folded, stem)| Word { folded, stem })
        .collect()
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
    tokens(&mut french(), text)
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(word: &str) -> String {
        let s = stems(word);
        assert_eq!(s.len(), 1, "{word:?} → {s:?}");
        s.into_iter().next().unwrap()
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
