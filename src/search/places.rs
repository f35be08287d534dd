//! The places a query can name: communes (by name, postcode, or arrondissement,
//! "marseille 5"), and departments (by name or code). Built from the communes table at
//! indexing time, saved beside the tantivy index for `search` and `serve`, and exported
//! in small shards for the browser (a query loads only the shards of its words).

use super::analyzer;
use super::vocabulary::Rome;
use crate::communes::{Communes, Kind, department_name};
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A located commune: display name, department, coordinates rounded to 1e-5° (as the
/// browser receives them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub name: CompactString,
    pub dep: CompactString,
    pub lat: f64,
    pub lon: f64,
}

/// Every place key (folded words joined by spaces) with what it names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Places {
    /// commune name, postcode or "name N" (arrondissement) → the place (most keys and
    /// names are held without a heap block of their own: some 40,000 of each)
    pub towns: BTreeMap<CompactString, Place>,
    /// department name or code → code
    pub departments: BTreeMap<String, String>,
    /// Towns' names of one word, in lower case with their accents, that job names also
    /// spell so ("chargé", "école"): typed so, they stay words (see
    /// [`Places::spelled_as_town`]).
    pub namesakes: BTreeSet<String>,
}

/// The key of a name: its folded words, `st`/`ste` spelled out, an arrondissement number
/// without its ordinal ending or leading zero ("5e", "05" → "5").
pub fn key(words: &[&str]) -> String {
    let n = words.len();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| match *w {
            "st" => "saint".to_string(),
            "ste" => "sainte".to_string(),
            w if i > 0 && i + 1 == n => arrondissement(w).unwrap_or_else(|| w.to_string()),
            w => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "5", "05", "5e", "5eme", "1er" → "5"/"1": a number of one or two digits after a name.
pub fn arrondissement(w: &str) -> Option<String> {
    let digits: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &w[digits.len()..];
    let n: u32 = digits.parse().ok()?;
    (digits.len() <= 2 && n > 0 && ["", "e", "er", "eme", "em"].contains(&rest))
        .then(|| n.to_string())
}

fn folded_key(name: &str) -> String {
    // Folded only: stemming every commune's name would be wasted (and fill the stem cache).
    let words = analyzer::folded_words(name);
    key(&words.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Inhabitants from which a town of two names is called by its first one alone.
const SHORT_NAMED_MIN: u32 = 20_000;

/// Words a name may be linked by ("Chalon-sur-Saône", "Mantes-la-Jolie").
const LINKS: [&str; 15] = [
    "sur", "sous", "en", "de", "du", "des", "d", "le", "la", "les", "lez", "aux", "au", "et", "l",
];

/// Heads too common to stand for one town ("Bois-Colombes", "Fort-de-France").
const NOT_HEADS: [&str; 20] = [
    "saint", "sainte", "le", "la", "les", "l", "bois", "fort", "petit", "petite", "grand",
    "grande", "champs", "maisons", "mont", "baie", "port", "pont", "val", "ris",
];

/// The short name of a commune of two names: its words before the first link word, or
/// its first word ("Aix-en-Provence" → "aix", "La Roche-sur-Yon" → "la roche",
/// "Clermont-Ferrand" → "clermont"); none for a name of one word.
fn head_of(name: &str) -> Option<String> {
    let words = analyzer::folded_words(name);
    if words.len() < 2 {
        return None;
    }
    let end = (1..words.len())
        .find(|&i| LINKS.contains(&words[i].as_str()))
        .unwrap_or(1);
    let head = words[..end].join(" ");
    (!NOT_HEADS.contains(&head.as_str()) && head.len() >= 3).then_some(head)
}

/// The query's words in lower case with their accents, split as
/// `search.js` splits them (letters and digits).
pub fn typed_words(query: &str) -> Vec<String> {
    query
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The towns' one-word accented names that a job name also spells so.
fn namesakes(towns: &BTreeMap<CompactString, Place>, rome: &Rome) -> BTreeSet<String> {
    let accented: BTreeSet<String> = towns
        .iter()
        .filter(|(k, _)| !k.contains(' '))
        .map(|(k, p)| (k, p.name.as_str().to_lowercase()))
        .filter(|(k, name)| name.as_str() != k.as_str())
        .map(|(_, name)| name)
        .collect();
    let mut out = BTreeSet::new();
    for name in rome.names() {
        for w in typed_words(name) {
            if accented.contains(&w) {
                out.insert(w);
            }
        }
    }
    out
}

fn round5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

impl Places {
    /// Places of a communes table: for a name or postcode shared by several communes, the
    /// most populous one with coordinates.
    pub fn of(communes: &Communes, rome: &Rome) -> Places {
        let mut towns: BTreeMap<CompactString, (u32, Place)> = BTreeMap::new();
        let mut put = |k: CompactString, pop: u32, p: &Place| {
            if k.is_empty() {
                return;
            }
            match towns.get(&k) {
                Some((old, _)) if *old >= pop => {}
                _ => {
                    towns.insert(k, (pop, p.clone()));
                }
            }
        };
        for c in communes.all() {
            let Some(at) = c.coordinates else { continue };
            let place = Place {
                name: c.name.clone(),
                dep: c.department.clone(),
                lat: round5(at.lat),
                lon: round5(at.lon),
            };
            // "Marseille 5e Arrondissement" → "marseille 5"
            let name = c
                .name
                .trim_end_matches(" Arrondissement")
                .trim_end_matches(" arrondissement");
            put(folded_key(name).into(), c.population, &place);
            // An arrondissement's postcode names it rather than its whole city.
            let rank = if c.kind == Kind::Arrondissement {
                u32::MAX
            } else {
                c.population
            };
            for p in &c.postcodes {
                put(p.clone(), rank, &place);
            }
        }
        // "aix", "chalon", "la roche": what a town of two names is called for short,
        // when it is far bigger than any commune of that name (Aix, 352 inhabitants).
        let mut heads: BTreeMap<String, (u32, Place)> = BTreeMap::new();
        let big = communes
            .all()
            .iter()
            .filter(|c| c.kind == Kind::Commune && c.population >= SHORT_NAMED_MIN);
        for c in big {
            let Some(at) = c.coordinates else { continue };
            let Some(head) = head_of(&c.name) else {
                continue;
            };
            if heads.get(&head).is_none_or(|(pop, _)| *pop < c.population) {
                let place = Place {
                    name: c.name.clone(),
                    dep: c.department.clone(),
                    lat: round5(at.lat),
                    lon: round5(at.lon),
                };
                heads.insert(head, (c.population, place));
            }
        }
        for (head, (pop, place)) in heads {
            let key = CompactString::from(head);
            if towns
                .get(&key)
                .is_none_or(|(old, _)| u64::from(*old) * 10 <= u64::from(pop))
            {
                towns.insert(key, (pop, place));
            }
        }
        let mut departments = BTreeMap::new();
        let codes: std::collections::BTreeSet<&str> = communes
            .all()
            .iter()
            .map(|c| c.department.as_str())
            .collect();
        // A department that is one commune of its name (Paris) is named as the town:
        // "cuisine paris" then finds the offers of Paris first and those of its close
        // suburbs after them, not Paris alone. Its code still names the department.
        // Each department's commune if it has one only (None once a second is seen).
        let mut sole: BTreeMap<&str, Option<&str>> = BTreeMap::new();
        for c in communes.all().iter().filter(|c| c.kind == Kind::Commune) {
            sole.entry(&c.department)
                .and_modify(|only| *only = None)
                .or_insert(Some(&c.name));
        }
        for code in codes {
            departments.insert(code.to_lowercase(), code.to_string());
            if let Some(name) = department_name(code) {
                let key = folded_key(name);
                let is_its_town = sole
                    .get(code)
                    .copied()
                    .flatten()
                    .is_some_and(|only| folded_key(only) == key)
                    && towns.contains_key(key.as_str());
                if !is_its_town {
                    departments.insert(key, code.to_string());
                }
            }
        }
        let towns: BTreeMap<CompactString, Place> =
            towns.into_iter().map(|(k, (_, p))| (k, p)).collect();
        let namesakes = namesakes(&towns, rome);
        Places {
            towns,
            departments,
            namesakes,
        }
    }

    /// Whether the town of `key`, a word offers are about, was typed with its own
    /// accents (`typed`: the query's words in lower case, accents kept): "mâcon" is the
    /// town, where "maçon" and "macon" are the mason; not a namesake of a job word.
    pub fn spelled_as_town(&self, key: &str, typed: &[String]) -> bool {
        self.towns.get(key).is_some_and(|p| {
            let name = p.name.as_str().to_lowercase();
            name != key && typed.contains(&name) && !self.namesakes.contains(&name)
        })
    }

    /// The browser's shard of a key: from its first two bytes, so that the words of a
    /// query need one small file each.
    pub fn shard_of(key: &str, shards: usize) -> usize {
        let b = key.as_bytes();
        let c0 = b.first().copied().unwrap_or(0) as usize;
        let c1 = b.get(1).copied().unwrap_or(0) as usize;
        (c0 * 37 + c1) % shards.max(1)
    }

    /// How many shards the browser's copy is cut into (about 60 keys each: a query
    /// loads one per word).
    pub fn shard_count(&self) -> usize {
        self.towns.len().div_ceil(60).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_names_and_arrondissements() {
        assert_eq!(key(&["marseille", "05"]), "marseille 5");
        assert_eq!(key(&["marseille", "5e"]), "marseille 5");
        assert_eq!(key(&["paris", "1er"]), "paris 1");
        assert_eq!(key(&["st", "tropez"]), "saint tropez");
        assert_eq!(key(&["06"]), "06");
        assert_eq!(folded_key("Aix-en-Provence"), "aix en provence");
        assert_eq!(
            folded_key("Alpes-de-Haute-Provence"),
            "alpes de haute provence"
        );
    }

    #[test]
    fn communes_are_found_by_name_and_postcode() {
        let p = Places::of(&Communes::builtin(), Rome::builtin());
        assert_eq!(p.towns["marseille 5"].name, "Marseille 5e Arrondissement");
        assert_eq!(p.towns["13005"].name, "Marseille 5e Arrondissement");
        assert_eq!(p.towns["marseille"].name, "Marseille");
        assert_eq!(p.towns["nice"].dep, "06");
        assert_eq!(p.towns["84000"].name, "Avignon");
        assert_eq!(p.towns["aix en provence"].dep, "13");
        assert_eq!(p.departments["vaucluse"], "84");
        assert_eq!(p.departments["06"], "06");
        assert_eq!(p.departments["alpes maritimes"], "06");
    }

    #[test]
    fn a_town_of_two_names_is_found_by_its_first_when_far_bigger_than_its_namesakes() {
        let p = Places::of(&Communes::builtin(), Rome::builtin());
        for (short, town) in [
            ("chalon", "Chalon-sur-Saône"),
            ("aix", "Aix-en-Provence"),
            ("la roche", "La Roche-sur-Yon"),
            ("clermont", "Clermont-Ferrand"),
            ("saint germain", "Saint-Germain-en-Laye"),
            ("brive", "Brive-la-Gaillarde"),
        ] {
            assert_eq!(p.towns[short].name, town, "{short}");
        }
        // A commune of the name itself that is not far smaller keeps it; a head too
        // common to name one town is not a key of its own.
        assert_eq!(p.towns["saint etienne"].name, "Saint-Étienne");
        assert_eq!(p.towns["bois"].name, "Bois");
        assert!(!p.towns.contains_key("fort"));
        // The full names are still there.
        assert_eq!(p.towns["aix les bains"].name, "Aix-les-Bains");
    }

    #[test]
    fn a_department_that_is_one_town_is_named_as_the_town() {
        let p = Places::of(&Communes::builtin(), Rome::builtin());
        assert_eq!(p.towns["paris"].name, "Paris");
        assert!(!p.departments.contains_key("paris"));
        // Towns whose accented name a job name also spells are marked so; Mâcon is not.
        assert!(p.namesakes.contains("chargé"));
        assert!(!p.namesakes.contains("mâcon"));
        assert_eq!(p.departments["75"], "75");
        // A department sharing its name with one of its many communes stays the
        // department.
        assert!(p.towns.contains_key("mayenne"));
        assert_eq!(p.departments["mayenne"], "53");
    }
}
