//! The words families type that offers do not carry: the job names of France Travail's
//! ROME (`data/rome-metiers.tsv`), the Carif-Oref's synonyms (`data/synonymes.txt`), and
//! the acronyms of diploma specialities. All of it is added to the offers at indexing
//! time, so the browser needs no vocabulary of its own: it ships only the words some
//! offer carries.

use crate::model::fold;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Everything the index adds to offers beside their own text.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    pub rome: Rome,
    pub synonyms: Synonyms,
    /// ROME codes of RNCP sheets (France compétences export), for offers without any.
    pub rncp_rome: std::collections::HashMap<String, Vec<String>>,
    /// What the diplomas' acronyms stand for (`data/glossaire.toml`): a BTS is also
    /// found by "brevet de technicien supérieur".
    pub glossary: crate::site::glossary::Glossary,
}

impl Vocabulary {
    /// The built-in ROME and synonyms, no RNCP table.
    pub fn builtin() -> Vocabulary {
        Vocabulary {
            rome: Rome::builtin().clone(),
            synonyms: Synonyms::builtin().clone(),
            rncp_rome: Default::default(),
            glossary: crate::site::glossary::Glossary::builtin(),
        }
    }
}

/// Name under `data/` of the ROME job names (built in; a site may hold its own).
pub const ROME_FILE: &str = "rome-metiers.tsv";
/// Name under `data/` of the synonyms (built in; a site may hold its own).
pub const SYNONYMS_FILE: &str = "synonymes.txt";

/// A vocabulary file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum VocabularyError {
    #[error("{file}, line {line}: {message}")]
    Line {
        file: &'static str,
        line: usize,
        message: String,
    },
}

/// Words left out of titles when deriving an acronym, and of synonym phrases.
const MINOR: [&str; 22] = [
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou", "par",
    "pour", "sur", "avec", "dans", "un", "une", "option",
];

/// ROME 4.0: per code, its v3 parent and its job names (fiche label and appellations).
/// Cheap to clone (the table is shared); the built-in table is read the first time it
/// is used, so a build that does not index (its search reused) never reads it.
#[derive(Debug, Clone, Default)]
pub struct Rome {
    source: Source,
}

#[derive(Debug, Clone)]
enum Source {
    Parsed(Arc<Table>),
    Builtin,
}

impl Default for Source {
    fn default() -> Self {
        Source::Parsed(Arc::default())
    }
}

#[derive(Debug, Default)]
struct Table {
    /// code → (v3 parent, names)
    codes: BTreeMap<String, (String, Vec<String>)>,
    /// v3 code → the 4.0 codes derived from it (itself included)
    children: BTreeMap<String, Vec<String>>,
    /// code → the distinct folded words of its names, folded the first time a document
    /// names the code, then shared by every offer that names it: folding the names of
    /// every code (11,000 names) was 1.8% of the instructions of a rebuild whose new
    /// documents name a few dozen codes, and of a rebuild that makes none.
    words: std::collections::HashMap<String, std::sync::OnceLock<Vec<String>>>,
    /// code → the keys of its names of two words or more ([`analyzer::name_key`]),
    /// made the first time a document names the code.
    names: std::collections::HashMap<String, std::sync::OnceLock<Vec<String>>>,
    /// The job names' family keys, made the first time a title is matched: stemming
    /// every name is most of the table's cost, and a build whose export gives its
    /// offers' ROME codes, or whose search documents are all kept, never needs them.
    keys: std::sync::OnceLock<NameKeys>,
}

#[derive(Debug, Default)]
struct NameKeys {
    /// Each job name's family keys (masculine form, minor words left out), with its code.
    names: Vec<(String, Vec<String>)>,
    /// Family key → the job names holding it (by position in `names`).
    by_key: std::collections::HashMap<String, Vec<usize>>,
}

/// One line of the ROME file, read: code, parent, names.
type Line = (String, String, Vec<String>);

/// How a word of a job name of several words is compared: by family when the family
/// key is distinctive (five letters or more), else by stem.
fn match_key(folded: &str) -> String {
    let stem = super::analyzer::stems(folded).pop().unwrap_or_default();
    let family = super::analyzer::family(&stem);
    if family.len() >= 5 { family } else { stem }
}

/// The keys of a job name in its masculine form ("Conducteur / Conductrice d'engins
/// agricoles" → conducteur engins agricoles). A name of one word must be in a title as
/// it is (by stem): "Voiturier" does not come from "voitures".
fn name_keys(name: &str) -> Vec<String> {
    let masculine = forms(name).swap_remove(0);
    let mut keys: Vec<String> = if masculine.len() == 1 {
        super::analyzer::stems(&masculine[0])
    } else {
        masculine.iter().map(|w| match_key(w)).collect()
    };
    keys.sort();
    keys.dedup();
    keys
}

/// The significant words of a job name in its masculine form, then its feminine form
/// when it has one ("Conducteur / Conductrice de travaux": conducteur travaux,
/// conductrice travaux).
fn forms(name: &str) -> Vec<Vec<String>> {
    let words = |t: &str| -> Vec<String> {
        super::analyzer::folded_words(t)
            .into_iter()
            .filter(|w| !MINOR.contains(&w.as_str()))
            .collect()
    };
    match name.split_once(" / ") {
        Some((left, right)) => {
            let (l, r) = (words(left), words(right));
            let skip = l.len().min(r.len());
            let masculine = l
                .iter()
                .cloned()
                .chain(r.iter().skip(skip).cloned())
                .collect();
            // The right side is the feminine name, its words beyond the left's included.
            let feminine = if r.len() >= l.len() {
                r
            } else {
                r.into_iter().chain(l.into_iter().skip(skip)).collect()
            };
            vec![masculine, feminine]
        }
        None => vec![words(name)],
    }
}

/// The keys of a title's words: stem and family key; a process noun ("formation",
/// "réalisation", "production") only a key of its own, so that it does not name the
/// person doing it (formateur, réalisateur, producteur stem the same).
fn title_keys(title: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for w in super::analyzer::words(title) {
        if w.folded.ends_with("tion") || w.folded.ends_with("sion") {
            out.insert(format!("{}#", w.stem));
        } else {
            out.insert(match_key(&w.folded));
            out.insert(w.stem);
        }
    }
    out
}

impl Table {
    /// The lines are read in parallel, kept in order.
    fn parse(text: &str) -> Result<Table, VocabularyError> {
        let lines: Vec<(usize, &str)> = text.lines().enumerate().collect();
        let read: Vec<Result<Option<Line>, VocabularyError>> = lines
            .par_iter()
            .map(|&(i, line)| {
                if line.starts_with('#') || line.trim().is_empty() {
                    return Ok(None);
                }
                let cols: Vec<&str> = line.split('\t').collect();
                let [code, parent, label, apps] = cols[..] else {
                    return Err(VocabularyError::Line {
                        file: "rome-metiers.tsv",
                        line: i + 1,
                        message: format!("expected 4 tab-separated columns, found {}", cols.len()),
                    });
                };
                let mut names = vec![label.to_string()];
                names.extend(apps.split(" | ").map(str::to_string));
                Ok(Some((code.to_string(), parent.to_string(), names)))
            })
            .collect();
        let mut rome = Table::default();
        for line in read {
            let Some((code, parent, names)) = line? else {
                continue;
            };
            rome.words.insert(code.clone(), std::sync::OnceLock::new());
            rome.names.insert(code.clone(), std::sync::OnceLock::new());
            rome.codes.insert(code.clone(), (parent.clone(), names));
            rome.children.entry(parent).or_default().push(code);
        }
        Ok(rome)
    }

    /// The keys of the names of `code` in their masculine and feminine forms, made once.
    fn names_of(&self, code: &str) -> Option<&Vec<String>> {
        self.once(&self.names, code, |names| {
            let mut keys = BTreeSet::new();
            for form in names.iter().flat_map(|n| forms(n)) {
                let stems: Vec<String> = form
                    .iter()
                    .flat_map(|w| super::analyzer::stems(w))
                    .collect();
                keys.extend(super::analyzer::name_key(stems.iter().map(String::as_str)));
            }
            keys.into_iter().collect()
        })
    }

    /// The distinct folded words of the names of `code`, folded once.
    fn words_of(&self, code: &str) -> Option<&Vec<String>> {
        self.once(&self.words, code, |names| {
            let folded: BTreeSet<String> = names.iter().flat_map(|n| words(n)).collect();
            folded.into_iter().collect()
        })
    }

    /// What `make` gives of the names of `code`, made the first time it is asked for
    /// (`None` for a code the table does not have).
    fn once<'a>(
        &'a self,
        cells: &'a std::collections::HashMap<String, std::sync::OnceLock<Vec<String>>>,
        code: &str,
        make: impl FnOnce(&[String]) -> Vec<String>,
    ) -> Option<&'a Vec<String>> {
        let cell = cells.get(code)?;
        Some(cell.get_or_init(|| {
            make(
                self.codes
                    .get(code)
                    .map(|(_, n)| &n[..])
                    .unwrap_or_default(),
            )
        }))
    }

    /// The names' keys, made once (the names side by side, by code).
    fn name_keys(&self) -> &NameKeys {
        self.keys.get_or_init(|| {
            let by_code: Vec<(&String, Vec<Vec<String>>)> = self
                .codes
                .par_iter()
                .map(|(code, (_, names))| (code, names.iter().map(|n| name_keys(n)).collect()))
                .collect();
            let mut out = NameKeys::default();
            for (code, keys) in by_code {
                for keys in keys.into_iter().filter(|k| !k.is_empty()) {
                    out.names.push((code.clone(), keys));
                }
            }
            for (i, (_, keys)) in out.names.iter().enumerate() {
                out.by_key.entry(keys[0].clone()).or_default().push(i);
            }
            out
        })
    }
}

impl Rome {
    /// Parses `code<TAB>parent<TAB>label<TAB>appellation | appellation…` lines (`#`
    /// starts a comment line).
    pub fn parse(text: &str) -> Result<Rome, VocabularyError> {
        Ok(Rome {
            source: Source::Parsed(Arc::new(Table::parse(text)?)),
        })
    }

    fn table(&self) -> &Table {
        match &self.source {
            Source::Parsed(table) => table,
            Source::Builtin => {
                static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
                TABLE.get_or_init(|| {
                    Table::parse(crate::builtin::text(ROME_FILE))
                        .expect("data/rome-metiers.tsv is valid")
                })
            }
        }
    }

    /// The ROME codes a title names a job of, for offers the export gives none: a code
    /// whose job name's words are all in the title, compared by word family ("CAP
    /// Métiers de la coiffure" holds "Coiffeur", "CAP Monteur en installations
    /// sanitaires" the plumber's job of that name).
    pub fn codes_of_title(&self, title: &str) -> Vec<String> {
        let table = self.table().name_keys();
        let have = title_keys(title);
        let mut out: Vec<String> = Vec::new();
        for k in &have {
            for &i in table.by_key.get(k).into_iter().flatten() {
                let (code, keys) = &table.names[i];
                if keys.iter().all(|k| have.contains(k)) && !out.contains(code) {
                    out.push(code.clone());
                }
            }
        }
        out.sort();
        out
    }

    /// The table compiled into the binary (ROME 4.0 v60).
    pub fn builtin() -> &'static Rome {
        static ROME: Rome = Rome {
            source: Source::Builtin,
        };
        &ROME
    }

    /// The distinct folded job words of some ROME codes. A code that is a ROME v3 fiche
    /// also brings the 4.0 codes derived from it (v3 fiches were broader).
    pub fn words(&self, codes: &[String]) -> BTreeSet<&str> {
        self.of_codes(codes, Table::words_of)
    }

    /// The keys of the job names of some ROME codes (as [`Rome::words`] takes the codes).
    pub fn name_keys(&self, codes: &[String]) -> BTreeSet<&str> {
        self.of_codes(codes, Table::names_of)
    }

    /// What `of` gives for each code and the 4.0 codes derived from it.
    fn of_codes<'a>(
        &'a self,
        codes: &[String],
        of: impl Fn(&'a Table, &str) -> Option<&'a Vec<String>>,
    ) -> BTreeSet<&'a str> {
        let table = self.table();
        let mut out = BTreeSet::new();
        for code in codes {
            let code = code.trim().to_uppercase();
            let kids = table.children.get(&code).into_iter().flatten();
            for c in std::iter::once(&code).chain(kids) {
                if let Some(found) = of(table, c) {
                    out.extend(found.iter().map(String::as_str));
                }
            }
        }
        out
    }

    /// The stems of every word of the table's job names, as the job bag indexes them:
    /// the job words a family may type.
    pub fn stems(&self) -> BTreeSet<String> {
        let folded: BTreeSet<String> = self.names().flat_map(words).collect();
        folded
            .par_iter()
            .flat_map_iter(|w| super::analyzer::stems(w))
            .collect()
    }

    /// Every job name of the table, as written.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.table()
            .codes
            .values()
            .flat_map(|(_, names)| names.iter().map(String::as_str))
    }

    /// Reads the built-in table now rather than when a search document first needs it
    /// (a build does it while the export is read); the names' keys wait for a title.
    pub fn warm(&self) {
        let _ = self.table();
    }

    /// Number of ROME 4.0 codes.
    pub fn len(&self) -> usize {
        self.table().codes.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.table().codes.is_empty()
    }
}

/// The folded words of a text, minor words left out.
fn words(text: &str) -> impl Iterator<Item = String> {
    fold(text)
        .split(' ')
        .filter(|w| !w.is_empty() && !MINOR.contains(w))
        .map(str::to_string)
        .collect::<Vec<_>>()
        .into_iter()
}

/// A folded word without its plural mark, so that a phrase matches titles worded in the
/// singular or the plural ("Service et prestation des secteurs…" on Parcoursup, "Services
/// et prestations…" in the decree). Both sides go through it, so "bois" → "boi" is fine.
fn singular(word: &str) -> &str {
    match word.strip_suffix(['s', 'x']) {
        Some(stem) if stem.len() >= 3 => stem,
        _ => word,
    }
}

/// One rule of the synonyms file: offers whose text holds every word of one of the
/// phrases also answer to the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synonym {
    pub words: Vec<String>,
    pub phrases: Vec<Vec<String>>,
    /// Acronym rules (`sigle:`) go to the acronym field, ranked like the title.
    pub acronym: bool,
}

/// The synonyms file: `mots = expression | expression…` per line, `sigle MOT =
/// expression` for acronyms, `#` comments.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    pub rules: Vec<Synonym>,
}

impl Synonyms {
    /// Parses the file's text (see `data/synonymes.txt` for the format).
    pub fn parse(text: &str) -> Result<Synonyms, VocabularyError> {
        let mut rules = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let err = |message: &str| VocabularyError::Line {
                file: "synonymes.txt",
                line: i + 1,
                message: message.to_string(),
            };
            let (left, right) = line
                .split_once('=')
                .ok_or_else(|| err("expected `mots = expression | expression`"))?;
            let (acronym, left) = match left.trim().strip_prefix("sigle ") {
                Some(rest) => (true, rest),
                None => (false, left),
            };
            let words: Vec<String> = fold(left)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect();
            let phrases: Vec<Vec<String>> = right
                .split('|')
                .map(|p| {
                    self::words(p)
                        .map(|w| singular(&w).to_string())
                        .collect::<Vec<_>>()
                })
                .filter(|p| !p.is_empty())
                .collect();
            if words.is_empty() || phrases.is_empty() {
                return Err(err("a side of `=` is empty"));
            }
            rules.push(Synonym {
                words,
                phrases,
                acronym,
            });
        }
        Ok(Synonyms { rules })
    }

    /// The file compiled into the binary.
    pub fn builtin() -> &'static Synonyms {
        static SYN: std::sync::OnceLock<Synonyms> = std::sync::OnceLock::new();
        SYN.get_or_init(|| {
            Synonyms::parse(crate::builtin::text(SYNONYMS_FILE))
                .expect("data/synonymes.txt is valid")
        })
    }

    /// The words (and acronyms) an offer's text answers to.
    pub fn of(&self, text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
        let folded = fold(text);
        let have: BTreeSet<&str> = folded.split(' ').map(singular).collect();
        let (mut plain, mut acronyms) = (BTreeSet::new(), BTreeSet::new());
        for r in &self.rules {
            if r.phrases
                .iter()
                .any(|p| p.iter().all(|w| have.contains(w.as_str())))
            {
                let out = if r.acronym { &mut acronyms } else { &mut plain };
                out.extend(r.words.iter().cloned());
            }
        }
        (plain, acronyms)
    }
}

/// Diploma words at the start of a title, not part of its speciality.
const DIPLOMA_WORDS: [&str; 22] = [
    "cap",
    "capa",
    "bp",
    "bpa",
    "bac",
    "pro",
    "professionnel",
    "bts",
    "btsa",
    "but",
    "dut",
    "mc",
    "mention",
    "complementaire",
    "licence",
    "titre",
    "tp",
    "master",
    "diplome",
    "ingenieur",
    "cqp",
    "bma",
];

/// The acronym of a title's speciality, from its significant words: "BTS Gestion de la
/// PME" → `gpme`, "CAP Équipier polyvalent du commerce" → `epc`. Leading diploma words are
/// skipped; a word already in capitals (PME) is kept whole. `None` when fewer than two
/// letters would come out.
pub fn acronym(title: &str) -> Option<String> {
    // Keep the words' capitals: "PME" is an acronym inside the title.
    let raw: Vec<&str> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // A title in capitals throughout says nothing by its capitals.
    let shouting = !title.chars().any(char::is_lowercase);
    let mut out = String::new();
    let mut leading = true;
    for w in raw {
        let f = fold(w);
        if leading && DIPLOMA_WORDS.contains(&f.as_str()) {
            continue;
        }
        leading = false;
        if MINOR.contains(&f.as_str()) || f.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if !shouting && (2..=5).contains(&letters) && w.chars().all(|c| !c.is_lowercase()) {
            out.push_str(&f);
        } else if let Some(c) = f.chars().next() {
            out.push(c);
        }
    }
    (out.chars().count() >= 2).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_come_from_the_significant_words() {
        assert_eq!(
            acronym("BTS Comptabilité et Gestion").as_deref(),
            Some("cg")
        );
        assert_eq!(acronym("BTS Gestion de la PME").as_deref(), Some("gpme"));
        assert_eq!(
            acronym("BTS Support à l'Action Managériale").as_deref(),
            Some("sam")
        );
        assert_eq!(
            acronym("CAP Équipier Polyvalent du Commerce").as_deref(),
            Some("epc")
        );
        assert_eq!(
            acronym("BTS Management Commercial Opérationnel").as_deref(),
            Some("mco")
        );
        assert_eq!(acronym("CAP Cuisine"), None);
        assert_eq!(
            acronym("BTS MANAGEMENT COMMERCIAL OPERATIONNEL").as_deref(),
            Some("mco")
        );
    }

    #[test]
    fn the_builtin_rome_knows_the_trades_families_type() {
        let rome = Rome::builtin();
        assert!(rome.len() > 1500);
        assert!(rome.words(&["F1608".into()]).contains("carreleur"));
        assert!(rome.words(&["N1101".into()]).contains("cariste"));
        // A v3 code brings the 4.0 codes derived from it.
        let cuisine = rome.words(&["G1602".into()]);
        assert!(cuisine.contains("commis") && cuisine.len() > 10);
        assert!(rome.words(&["Z9999".into()]).is_empty());
    }

    #[test]
    fn the_names_are_stemmed_only_once_a_title_is_matched() {
        let rome = Rome::parse(crate::builtin::text(ROME_FILE)).unwrap();
        assert!(rome.words(&["F1608".into()]).contains("carreleur"));
        assert!(rome.table().keys.get().is_none());
        assert!(
            rome.codes_of_title("CAP Carreleur mosaïste")
                .contains(&"F1608".to_string())
        );
        assert!(rome.table().keys.get().is_some());
    }

    #[test]
    fn a_title_without_rome_codes_gets_those_of_the_jobs_it_names() {
        let rome = Rome::builtin();
        assert!(
            rome.codes_of_title("CAP Coiffeur")
                .contains(&"D1202".to_string())
        );
        assert!(
            rome.codes_of_title("CAP Monteur en installations sanitaires")
                .contains(&"F1603".to_string())
        );
        assert!(
            !rome
                .codes_of_title("Formation professionnelle Webmaster")
                .contains(&"K2111".to_string())
        );
        assert!(
            rome.codes_of_title("BTS Opticien-Lunetier")
                .iter()
                .any(|c| c.starts_with("J"))
        );
        assert!(
            rome.codes_of_title("CAP Pâtissier")
                .contains(&"D1104".to_string())
        );
        assert!(rome.codes_of_title("BTS Gestion de la PME").len() < 5);
    }

    #[test]
    fn synonyms_match_every_word_of_a_phrase() {
        let s = Synonyms::parse(
            "# comment\nresto = restauration | cuisine\nsigle MELEC = electricite environnements connectes\n",
        )
        .unwrap();
        let (plain, acr) =
            s.of("Bac pro Métiers de l'électricité et de ses environnements connectés");
        assert!(plain.is_empty());
        assert_eq!(acr.into_iter().collect::<Vec<_>>(), ["melec"]);
        let (plain, _) = s.of("CAP Cuisine");
        assert_eq!(plain.into_iter().collect::<Vec<_>>(), ["resto"]);
        assert!(Synonyms::parse("no equals sign").is_err());
        assert!(!Synonyms::builtin().rules.is_empty());
    }

    #[test]
    fn a_phrase_matches_a_title_in_the_singular_or_the_plural() {
        let s = Synonyms::parse(
            "sigle SP3S = services prestations secteurs sanitaire social\nveto = soins animaux\n",
        )
        .unwrap();
        let (_, acr) = s.of("BTS Service et prestation des secteurs sanitaire et social");
        assert_eq!(acr.into_iter().collect::<Vec<_>>(), ["sp3s"]);
        let (plain, _) = s.of("CAPa Soin de l'animal");
        assert!(plain.is_empty(), "animal is not animaux: {plain:?}");
        let (plain, _) = s.of("Soins aux animaux");
        assert_eq!(plain.into_iter().collect::<Vec<_>>(), ["veto"]);
        let (_, acr) = s.of("BTS Service des secteurs sanitaire et social");
        assert!(acr.is_empty(), "every word of the phrase is needed");
    }
}
