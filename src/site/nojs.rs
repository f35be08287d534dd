//! Search without JavaScript. The home page's search form sends a reader without
//! JavaScript to `/recherche/sans-js/?q=…`; the host rewrites that address to the page of
//! the query's word (`/recherche/sans-js/coiffure/`, a Netlify query-parameter rule in
//! `_redirects`), made at build time from a small table: every word of the names of the
//! browse pages (levels, departments, domains, diplomas, CFAs), and of what their
//! acronyms stand for, with the pages it appears in. The page repeats the query in its
//! search box and lists those pages, so the query is never lost; a query the table does
//! not know (or of several words) lands on `/recherche/sans-js/`, which lists them all.
//! Checked against Netlify's own rules engine (npm `@netlify/redirects` 3.1.15):
//! `?q=coiffure` is served `/recherche/sans-js/coiffure/`; `?q=Coiffure`, `?q=électricité`
//! and `?q=cap+coiffure` are rewritten to paths no page has (the engine does not fold
//! case or accents), so they get the list of every page. The search box therefore asks
//! phones not to capitalise (`autocapitalize="none"`).

use super::glossary::Glossary;
use crate::model::fold;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A browse page a query can lead to.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    pub label: String,
    pub url: String,
    /// What it lists (`Niveau`, `Département`, `Domaine`, `Diplôme`, `CFA`).
    pub kind: &'static str,
    pub count: usize,
}

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

/// The words table: folded word → links whose name (or whose acronym's meaning) holds it.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub links: Vec<Link>,
    pub words: BTreeMap<String, Vec<usize>>,
}

/// The folded words of a text worth a page of their own.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .map(fold)
        .filter(|w| w.chars().count() >= 3 && !STOP.contains(&w.as_str()))
        .filter(|w| !w.bytes().all(|b| b.is_ascii_digit()) || w.len() == 5)
}

impl Table {
    /// The table of a site's browse pages.
    pub fn new(links: Vec<Link>, glossary: &Glossary) -> Table {
        let mut words_of: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for (i, link) in links.iter().enumerate() {
            let mut text = link.label.clone();
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
            for w in words(&text) {
                words_of.entry(w).or_default().insert(i);
            }
            // Acronyms are typed in lower case too ("cap", "bts").
            for w in link.label.split(|c: char| !c.is_alphanumeric()) {
                if w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase()) {
                    words_of.entry(fold(w)).or_default().insert(i);
                }
            }
        }
        Table {
            words: words_of
                .into_iter()
                .map(|(w, s)| (w, s.into_iter().collect()))
                .collect(),
            links,
        }
    }

    /// The links a query leads to: those holding the most of its words first, then
    /// the larger lists.
    pub fn matches(&self, query: &str) -> Vec<&Link> {
        let mut score: BTreeMap<usize, usize> = BTreeMap::new();
        let mut terms: Vec<String> = words(query).collect();
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

    /// URL path of a word's page; words are folded to `a-z0-9`, so they are safe.
    pub fn word_path(word: &str) -> String {
        format!("/recherche/sans-js/{}/", crate::urls::slug(word))
    }

    /// The `_redirects` rules: the query goes to its word's page, an unknown one to
    /// the list of every page.
    pub fn redirects() -> &'static str {
        "/recherche/sans-js/ q=:q /recherche/sans-js/:q/ 200\n/recherche/sans-js/* /recherche/sans-js/ 200\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let link = |label: &str, url: &str, kind, count| Link {
            label: label.into(),
            url: url.into(),
            kind,
            count,
        };
        Table::new(
            vec![
                link("CAP", "/diplomes/cap/", "Diplôme", 40),
                link(
                    "Coiffure, esthétique",
                    "/domaines/coiffure-esthetique/",
                    "Domaine",
                    12,
                ),
                link("Var (83)", "/departements/83/", "Département", 30),
                link(
                    "CFA des Métiers de Toulon",
                    "/cfa/cfa-des-metiers-de-toulon-1/",
                    "CFA",
                    8,
                ),
                link("Après la 3e — CAP", "/niveaux/infrabac/", "Niveau", 50),
            ],
            &Glossary::builtin(),
        )
    }

    #[test]
    fn a_query_leads_to_the_pages_whose_names_hold_its_words() {
        let t = table();
        let urls =
            |q: &str| -> Vec<String> { t.matches(q).iter().map(|l| l.url.clone()).collect() };
        assert_eq!(urls("Coiffure"), ["/domaines/coiffure-esthetique/"]);
        assert_eq!(urls("esthetique"), ["/domaines/coiffure-esthetique/"]);
        assert_eq!(urls("toulon"), ["/cfa/cfa-des-metiers-de-toulon-1/"]);
        // An acronym in lower case, and what it stands for.
        assert_eq!(urls("cap")[0], "/niveaux/infrabac/");
        assert!(urls("aptitude").contains(&"/diplomes/cap/".to_string()));
        // Several words: the page holding most of them first.
        assert_eq!(urls("cap coiffure toulon").len(), 4);
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
}
