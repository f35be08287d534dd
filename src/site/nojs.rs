//! Search without JavaScript. The home page's search form sends a reader without
//! JavaScript to `/recherche/sans-js/?q=…`; a forced Netlify query-parameter rule in
//! `_redirects` answers `302` to `/recherche/sans-js/<q>/`, made at build time from a
//! small table: every word of the names of the browse pages (levels, departments,
//! domains, diplomas, CFAs and their towns), and of what their acronyms stand for, with
//! the pages it appears in; and the word pairs that occur together in the most offers
//! ("cap cuisine", "coiffure toulon"), bounded by [`MAX_PAIRS`]. The page repeats the
//! query in its search box and lists those pages, the ones holding both words first.
//!
//! What Netlify does, checked against its rules engine (npm `netlify-redirector` 0.5.0,
//! the WebAssembly build of the engine `netlify dev` runs): the placeholder gets the
//! value form-encoded again, so `?q=cap%20cuisine` and `?q=cap+cuisine` both lead to
//! `/recherche/sans-js/cap+cuisine/` and `?q=électricité` to `…/%C3%A9lectricit%C3%A9/`;
//! rules match paths case-sensitively. So:
//! - pairs get a folder `a+b` (a `+` in a path is a plus, not a space), and the other
//!   order and the accented spellings (`bts+électricité`, a UTF-8 folder name the file
//!   server finds from the percent-encoded path) get a tiny page that sends on to it
//!   (a file, not a rule: Netlify looks files up without regard to case, and rules do
//!   not);
//! - a redirect, not a rewrite: a rewrite to a missing path is not evaluated again (the
//!   request chain is not recursive), a redirect is a new request, so a query that has
//!   no page lands, through the unforced `/recherche/sans-js/*` rule, on the list of
//!   every page instead of the 404 page;
//! - forced (`302!`): `/recherche/sans-js/` is a file, which shadows unforced rules.

use super::glossary::Glossary;
use crate::model::fold;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A browse page a query can lead to.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    pub label: String,
    pub url: String,
    /// What it lists (`Niveau`, `Département`, `Domaine`, `Diplôme`, `CFA`).
    pub kind: &'static str,
    pub count: usize,
    /// More words that lead to it without being in its name (a CFA's town).
    #[serde(skip)]
    pub also: String,
    /// The offers it lists (to find the word pairs that occur together).
    #[serde(skip)]
    pub offers: Vec<usize>,
}

/// The longest word given a page, in bytes (a folded word is ASCII).
const MAX_WORD: usize = 40;

/// Words too common to lead anywhere.
const STOP: [&str; 22] = [
    "les",
    "des",
    "une",
    "aux",
    "par",
    "pour",
    "sur",
    "dans",
    "avec",
    "apres",
    "entre",
    "sans",
    "cfa",
    "formation",
    "formations",
    "metiers",
    "metier",
    "the",
    "and",
    "lycee",
    "centre",
    "ecole",
];

/// How many word pairs get a page (the most common first): about 4 KiB each, so a few
/// hundred KiB at most, whatever the catalogue.
pub const MAX_PAIRS: usize = 48;

/// How many lists a pair's page shows (those holding both words first); each word's
/// own page has them all.
pub const PAIR_LINKS: usize = 12;

/// The words table: folded word → links whose name (or whose acronym's meaning) holds it.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub links: Vec<Link>,
    pub words: BTreeMap<String, Vec<usize>>,
    /// Folded word → its spellings in lower case where they differ (`électricité`).
    pub spellings: BTreeMap<String, BTreeSet<String>>,
    /// The words of each link that make pairs, with their role (0 kind of diploma,
    /// 1 trade, 2 place).
    roles: Vec<Vec<(String, u8)>>,
}

/// The pages the table makes besides the list of every page.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pages {
    /// (path, query): a page of matching lists.
    pub queries: Vec<(String, String)>,
    /// (path, target): another spelling of a query, sent on to its page.
    pub aliases: Vec<(String, String)>,
}

/// The folded words of a text worth a page of their own.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    spelled(text).map(|(w, _)| w)
}

/// Like [`words`], with each word's spelling in lower case.
fn spelled(text: &str) -> impl Iterator<Item = (String, String)> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .flat_map(|w| {
            let folded = fold(w);
            // A letter spelt as several words in ASCII ("ꬨ" is "b e") gives as many
            // words: a word's page never holds a space.
            if folded.contains(' ') {
                let parts: Vec<(String, String)> = folded
                    .split(' ')
                    .map(|p| (p.to_string(), p.to_string()))
                    .collect();
                parts
            } else {
                vec![(folded, w.to_lowercase())]
            }
        })
        // No word of French is longer; an export's longer "word" would make a folder
        // name past the file system's limit.
        .filter(|(w, _)| (3..=MAX_WORD).contains(&w.len()) && !STOP.contains(&w.as_str()))
        .filter(|(w, _)| !w.bytes().all(|b| b.is_ascii_digit()) || w.len() == 5)
}

/// The acronyms of a name, folded (`CAP`, `BP`): typed in lower case too.
fn acronyms(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| (2..=MAX_WORD).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase()))
        .map(fold)
}

/// Words of a diploma's name that say its kind rather than its trade.
const KINDS: [&str; 3] = ["bac", "licence", "master"];

/// Words of diplomas' names too general to pair ("Titre professionnel …", "… option A").
const GENERIC: [&str; 12] = [
    "pro",
    "professionnel",
    "professionnelle",
    "titre",
    "niveau",
    "option",
    "specialite",
    "diplome",
    "brevet",
    "mention",
    "complementaire",
    "certificat",
];

/// The words of a list that make pairs, with their role (0 kind of diploma, 1 trade,
/// 2 place). A CFA's name is not what families type, its town is; a place of several
/// words ("Bouches-du-Rhône", "Saint-Raphaël") would pair by its parts, so it does not.
fn pair_words(link: &Link) -> Vec<(String, u8)> {
    let kind = |w: &String| KINDS.contains(&w.as_str());
    let one_place = |text: &str| -> Vec<(String, u8)> {
        let name = text.split('(').next().unwrap_or_default();
        let ws: Vec<String> = fold(name).split(' ').map(str::to_string).collect();
        match ws.as_slice() {
            [w] if w.len() >= 3 => vec![(w.clone(), 2)],
            _ => Vec::new(),
        }
    };
    match link.kind {
        "Niveau" => acronyms(&link.label)
            .chain(words(&link.label).filter(kind))
            .map(|w| (w, 0))
            .collect(),
        "Diplôme" | "Domaine" => {
            let acr: BTreeSet<String> = acronyms(&link.label).collect();
            let mut out: Vec<(String, u8)> = acr.iter().map(|w| (w.clone(), 0)).collect();
            for w in words(&link.label).filter(|w| !acr.contains(w)) {
                if kind(&w) {
                    out.push((w, 0));
                } else if !GENERIC.contains(&w.as_str()) {
                    out.push((w, 1));
                }
            }
            out
        }
        "Département" => one_place(&link.label),
        "CFA" => one_place(&link.also),
        _ => Vec::new(),
    }
}

impl Table {
    /// The table of a site's browse pages.
    pub fn new(links: Vec<Link>, glossary: &Glossary) -> Table {
        let mut words_of: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        let mut spellings: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut roles = Vec::with_capacity(links.len());
        for (i, link) in links.iter().enumerate() {
            let mut text = format!("{} {}", link.label, link.also);
            for (sigle, meaning) in glossary.terms() {
                let found = link
                    .label
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w == sigle);
                if found || link.label == *sigle {
                    text.push(' ');
                    text.push_str(meaning);
                }
            }
            for (w, spelling) in spelled(&text) {
                if spelling != w && spelling.chars().all(char::is_alphanumeric) {
                    spellings.entry(w.clone()).or_default().insert(spelling);
                }
                words_of.entry(w).or_default().insert(i);
            }
            for w in acronyms(&link.label) {
                words_of.entry(w).or_default().insert(i);
            }
            roles.push(pair_words(link));
        }
        // A pair's page links to each of its words' page: only words with a page pair
        // (a town typed as digits, a stop word, has none).
        for r in &mut roles {
            r.retain(|(w, _)| words_of.contains_key(w));
        }
        Table {
            words: words_of
                .into_iter()
                .map(|(w, s)| (w, s.into_iter().collect()))
                .collect(),
            links,
            spellings,
            roles,
        }
    }

    /// The links a query leads to: those holding the most of its words first, then
    /// the larger lists.
    pub fn matches(&self, query: &str) -> Vec<&Link> {
        let mut score: BTreeMap<usize, usize> = BTreeMap::new();
        let mut terms: BTreeSet<String> = words(query).collect();
        terms.extend(
            query
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() == 2)
                .map(fold),
        );
        for t in terms {
            for i in self.words.get(&t).into_iter().flatten() {
                *score.entry(*i).or_default() += 1;
            }
        }
        let mut found: Vec<(usize, usize)> = score.into_iter().collect();
        found.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| self.links[b.0].count.cmp(&self.links[a.0].count))
                .then_with(|| self.links[a.0].label.cmp(&self.links[b.0].label))
        });
        found.into_iter().map(|(i, _)| &self.links[i]).collect()
    }

    /// The `max` word pairs found together in the most offers, in the order a family
    /// types them: the kind of diploma or level, then the trade, then the place ("cap
    /// cuisine", "coiffure toulon", "bts var"). Words of an offer's lists: level and
    /// acronyms (kind), diploma and domain (trade), department and CFA town (place).
    pub fn pairs(&self, max: usize) -> Vec<(String, String)> {
        // Offers in the same lists count once, with their number.
        let mut lists_of: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, link) in self.links.iter().enumerate() {
            for &o in &link.offers {
                lists_of.entry(o).or_default().push(i);
            }
        }
        let mut same: HashMap<Vec<usize>, usize> = HashMap::new();
        for (_, mut lists) in lists_of {
            lists.sort_unstable();
            *same.entry(lists).or_default() += 1;
        }
        // Counted apart for each kind of pair, each with its share of `max`: by offers
        // alone, kind × place would take every page (a town has offers of every trade).
        let mut count: [HashMap<(&str, &str), usize>; 3] = Default::default();
        for (lists, n) in &same {
            let mut by_role: [BTreeSet<&str>; 3] = Default::default();
            for &i in lists {
                for (w, role) in &self.roles[i] {
                    by_role[*role as usize].insert(w);
                }
            }
            for (k, (r, s)) in [(0, 1), (1, 2), (0, 2)].into_iter().enumerate() {
                for a in &by_role[r] {
                    for b in &by_role[s] {
                        if a != b {
                            *count[k].entry((a, b)).or_default() += n;
                        }
                    }
                }
            }
        }
        // Kind × trade ("cap cuisine") and trade × place ("coiffure toulon") first.
        let share = max / 12 * 5;
        let shares = [share, share, max - 2 * share];
        let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
        let mut out = Vec::new();
        for (count, share) in count.into_iter().zip(shares) {
            let mut pairs: Vec<((&str, &str), usize)> = count.into_iter().collect();
            pairs.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            out.extend(
                pairs
                    .into_iter()
                    .filter(|((a, b), _)| seen.insert((a.min(b), a.max(b))))
                    .take(share)
                    .map(|((a, b), _)| (a.to_string(), b.to_string())),
            );
        }
        out
    }

    /// Every page of a query (words, and the `max_pairs` most common pairs) and every
    /// page that sends another spelling on to one (`électricité`, `bts+électricité`).
    pub fn pages(&self, max_pairs: usize) -> Pages {
        let mut pages = Pages::default();
        let spellings = |w: &str| -> Vec<String> {
            let mut all = vec![w.to_string()];
            all.extend(self.spellings.get(w).into_iter().flatten().cloned());
            all
        };
        for w in self.words.keys() {
            let path = Table::word_path(w);
            for s in spellings(w).into_iter().skip(1) {
                pages.aliases.push((Table::word_path(&s), path.clone()));
            }
            pages.queries.push((path, w.clone()));
        }
        for (a, b) in self.pairs(max_pairs) {
            let path = Table::pair_path(&a, &b);
            for sa in spellings(&a) {
                for sb in spellings(&b) {
                    // Within a file name's 255 bytes (a spelling is up to 4 bytes a letter).
                    if (sa != a || sb != b) && sa.len() + sb.len() < 250 {
                        pages
                            .aliases
                            .push((Table::pair_path(&sa, &sb), path.clone()));
                    }
                }
            }
            pages
                .queries
                .push((path, [a.as_str(), " ", b.as_str()].concat()));
        }
        pages
    }

    /// URL path of a word's page: words are folded to `a-z0-9`, or (another spelling)
    /// lower-case letters and digits, so they are safe.
    pub fn word_path(word: &str) -> String {
        ["/recherche/sans-js/", word, "/"].concat()
    }

    /// URL path of a pair's page: where Netlify sends `?q=a+b` (or `?q=a%20b`).
    pub fn pair_path(a: &str, b: &str) -> String {
        ["/recherche/sans-js/", a, "+", b, "/"].concat()
    }

    /// The `_redirects` rules: a query goes to its page, one with no page to the list
    /// of every page.
    pub fn redirects() -> &'static str {
        "/recherche/sans-js/ q=:q /recherche/sans-js/:q/ 302!\n/recherche/sans-js/* /recherche/sans-js/ 200\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(label: &str, url: &str, kind: &'static str, offers: &[usize]) -> Link {
        Link {
            label: label.into(),
            url: url.into(),
            kind,
            count: offers.len().max(1),
            also: String::new(),
            offers: offers.to_vec(),
        }
    }

    fn table() -> Table {
        let mut cfa = link(
            "CFA des Métiers",
            "/cfa/cfa-des-metiers-1/",
            "CFA",
            &[0, 1, 2],
        );
        cfa.also = "Toulon".into();
        Table::new(
            vec![
                link("CAP", "/diplomes/cap/", "Diplôme", &[0, 1, 3]),
                link(
                    "Coiffure, esthétique",
                    "/domaines/coiffure-esthetique/",
                    "Domaine",
                    &[0, 1],
                ),
                link("Var (83)", "/departements/83/", "Département", &[0, 1, 2]),
                cfa,
                link(
                    "Après la 3e — CAP",
                    "/niveaux/infrabac/",
                    "Niveau",
                    &[0, 1, 3],
                ),
                link(
                    "BTS Électricité",
                    "/diplomes/bts-electricite/",
                    "Diplôme",
                    &[2],
                ),
                link(
                    "CAP Métiers de la coiffure",
                    "/diplomes/cap-metiers-de-la-coiffure/",
                    "Diplôme",
                    &[0, 1],
                ),
            ],
            &Glossary::builtin(),
        )
    }

    #[test]
    fn every_word_of_a_pair_has_a_page_of_its_own() {
        // A CFA's town as an export may hold it: digits, which make no word page.
        let mut cfa = link("CFA Coiffure", "/cfa/cfa-coiffure-1/", "CFA", &[0, 1]);
        cfa.also = "12345678901234".into();
        let t = Table::new(
            vec![
                link(
                    "CAP Coiffure",
                    "/diplomes/cap-coiffure/",
                    "Diplôme",
                    &[0, 1],
                ),
                cfa,
            ],
            &Glossary::builtin(),
        );
        let pages = t.pages(MAX_PAIRS);
        let words: Vec<&str> = pages
            .queries
            .iter()
            .map(|(_, q)| q.as_str())
            .filter(|q| !q.contains(' '))
            .collect();
        let pairs: Vec<&str> = pages
            .queries
            .iter()
            .map(|(_, q)| q.as_str())
            .filter(|q| q.contains(' '))
            .collect();
        assert!(!pairs.is_empty());
        for pair in pairs {
            for w in pair.split(' ') {
                assert!(words.contains(&w), "{pair}: no page for {w}");
            }
        }
    }

    #[test]
    fn a_query_leads_to_the_pages_whose_names_hold_its_words() {
        let t = table();
        let urls =
            |q: &str| -> Vec<String> { t.matches(q).iter().map(|l| l.url.clone()).collect() };
        assert!(urls("Coiffure").contains(&"/domaines/coiffure-esthetique/".to_string()));
        assert_eq!(urls("esthetique"), ["/domaines/coiffure-esthetique/"]);
        // A CFA's town leads to it.
        assert_eq!(urls("toulon"), ["/cfa/cfa-des-metiers-1/"]);
        // An acronym in lower case, and what it stands for.
        assert_eq!(urls("cap")[0], "/niveaux/infrabac/");
        assert!(urls("aptitude").contains(&"/diplomes/cap/".to_string()));
        // Several words: the page holding most of them first.
        assert_eq!(urls("cap coiffure toulon").len(), 5);
        assert_eq!(
            urls("cap coiffure")[0],
            "/diplomes/cap-metiers-de-la-coiffure/"
        );
        assert!(urls("le la des").is_empty());
    }

    #[test]
    fn every_word_has_a_safe_page_path() {
        let t = table();
        for w in t.words.keys() {
            let p = Table::word_path(w);
            assert!(
                p.bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'/'
                    || b == b'-'),
                "{p}"
            );
        }
        assert!(t.words.contains_key("coiffure") && !t.words.contains_key("des"));
    }

    #[test]
    fn a_letter_spelt_as_several_words_gives_words_without_spaces() {
        // Found by tests/properties.rs: a domain named "ꬨ" (ASCII "b e") made a page
        // for the word "b e" whose links went to the pages of "b" and "e", which
        // do not exist.
        assert!(fold("ꬨ").contains(' '), "{}", fold("ꬨ"));
        let t = Table::new(
            vec![link("Domaine ꬨ bꬨe", "/domaines/x/", "Domaine", &[0])],
            &Glossary::builtin(),
        );
        assert!(
            t.words.keys().all(|w| !w.contains(' ')),
            "{:?}",
            t.words.keys()
        );
        let pages = t.pages(usize::MAX);
        assert!(
            pages.queries.iter().all(|(p, _)| !p.contains(' ')),
            "{:?}",
            pages.queries
        );
    }

    #[test]
    fn an_overlong_word_gets_no_page() {
        let long = "Supercalifragilisticexpialidocious".repeat(10);
        let t = Table::new(
            vec![link(
                &format!("CAP {long} {}", long.to_uppercase()),
                "/x/",
                "Diplôme",
                &[0],
            )],
            &Glossary::builtin(),
        );
        assert!(t.words.keys().all(|w| w.len() <= MAX_WORD));
        assert!(
            t.pages(usize::MAX)
                .queries
                .iter()
                .all(|(p, _)| p.len() < 200)
        );
    }

    #[test]
    fn the_pairs_found_together_in_the_most_offers_get_a_page() {
        let t = table();
        let pairs = t.pairs(usize::MAX);
        let has = |a: &str, b: &str| pairs.contains(&(a.to_string(), b.to_string()));
        // Offers 0 and 1: a CAP in hairdressing at the Toulon CFA; kind, trade, place.
        assert!(has("coiffure", "toulon") && has("cap", "coiffure") && has("cap", "toulon"));
        assert!(has("bts", "electricite") && has("coiffure", "var"));
        // Never together in one offer; one order only; not two trades or a CFA's name.
        assert!(!has("bts", "coiffure") && !has("toulon", "coiffure"));
        assert!(!has("coiffure", "esthetique") && !has("cap", "metiers"));
        // Bounded, each kind of pair with its share.
        let some = t.pairs(12);
        assert!(some.len() <= 12 && some.iter().all(|p| pairs.contains(p)));
        assert!(some.contains(&("cap".into(), "coiffure".into())));
        assert!(some.contains(&("coiffure".into(), "toulon".into())));
    }

    #[test]
    fn every_spelling_of_a_pair_reaches_its_page() {
        let t = table();
        let pages = t.pages(usize::MAX);
        let target = |p: &str| -> Option<String> {
            pages
                .aliases
                .iter()
                .find(|(from, _)| from == p)
                .map(|(_, to)| to.clone())
        };
        let page = "/recherche/sans-js/coiffure+toulon/";
        assert!(
            pages
                .queries
                .contains(&(page.to_string(), "coiffure toulon".to_string()))
        );
        let bts = "/recherche/sans-js/bts+electricite/";
        assert_eq!(
            target("/recherche/sans-js/bts+électricité/").as_deref(),
            Some(bts)
        );
        assert_eq!(
            target("/recherche/sans-js/électricité/").as_deref(),
            Some("/recherche/sans-js/electricite/")
        );
        // One page per address.
        let mut all: Vec<&String> = pages
            .queries
            .iter()
            .chain(&pages.aliases)
            .map(|(p, _)| p)
            .collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n);
        assert_eq!(
            t.matches("bts électricité")[0].url,
            "/diplomes/bts-electricite/"
        );
    }
}
