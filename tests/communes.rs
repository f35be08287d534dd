//! Locating the towns of real national records with the built-in communes table.
//!
//! Two real lists (see `tests/fixtures/real/README.md`): the Parcoursup 2020 list of
//! apprenticeship trainings in the BROF layout (official town names, many CEDEX
//! postcodes), and the towns of the 2020 Affelnet list as its directory writes them
//! (upper case, `ST`, `CEDEX 4`, names cut at 26 characters). Both give the INSEE code
//! too, which the location by name and postcode must not use but must agree with.
//!
//! `cargo test --test communes -- --nocapture` prints the figures.

use std::collections::BTreeSet;
use std::path::Path;
use vitrine::communes::Communes;
use vitrine::model::Address;

/// A town as an export gives it, with the INSEE code the source says it is.
struct Town {
    name: String,
    postcode: String,
    insee: String,
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/real")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The distinct training-place towns of the real offers.
fn offer_towns() -> Vec<Town> {
    let text = fixture("offres-reelles.csv");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (town, postcode, insee) = (
        col("Commune"),
        col("Code postal"),
        col("Code commune INSEE"),
    );
    let distinct: BTreeSet<(String, String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[town].to_string(),
                r[postcode].to_string(),
                r[insee].to_string(),
            )
        })
        .collect();
    distinct
        .into_iter()
        .map(|(name, postcode, insee)| Town {
            name,
            postcode,
            insee,
        })
        .collect()
}

/// The distinct towns of the Affelnet list.
fn affelnet_towns() -> Vec<Town> {
    let text = fixture("communes-affelnet.csv");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            Town {
                name: r[0].to_string(),
                postcode: r[1].to_string(),
                insee: r[2].to_string(),
            }
        })
        .collect()
}

/// How many towns are located by name and postcode alone, and how many of those are
/// the commune the source's INSEE code names (an arrondissement counts as its city).
struct Score {
    towns: usize,
    located: usize,
    right: usize,
    /// Located, but the source gives no usable INSEE code to check against.
    unchecked: usize,
    wrong: Vec<String>,
    missed: Vec<String>,
}

impl Score {
    fn of(communes: &Communes, towns: &[Town]) -> Score {
        let mut s = Score {
            towns: towns.len(),
            located: 0,
            right: 0,
            unchecked: 0,
            wrong: Vec::new(),
            missed: Vec::new(),
        };
        for t in towns {
            let address = Address {
                town: Some(t.name.clone()),
                postcode: Some(t.postcode.clone()),
                ..Address::default()
            };
            let Some(found) = communes.locate(&address) else {
                s.missed.push(format!("{} {}", t.postcode, t.name));
                continue;
            };
            s.located += 1;
            // Some rows carry no code ("-"), or one of no commune.
            let Some(expected) = communes.by_insee(&t.insee).map(|c| c.commune_code()) else {
                s.unchecked += 1;
                continue;
            };
            if expected == found.commune_code() {
                s.right += 1;
            } else {
                s.wrong.push(format!(
                    "{} {} (INSEE {}) → {} {}",
                    t.postcode, t.name, t.insee, found.insee, found.name
                ));
            }
        }
        s
    }

    fn percent(n: usize, of: usize) -> f64 {
        100.0 * n as f64 / of as f64
    }

    fn print(&self, what: &str) {
        println!(
            "{what}: {} towns, located {} ({:.1} %); of the {} with an INSEE code to check, \
             {} are the source's commune ({:.1} %)",
            self.towns,
            self.located,
            Self::percent(self.located, self.towns),
            self.located - self.unchecked,
            self.right,
            Self::percent(self.right, (self.located - self.unchecked).max(1)),
        );
        for m in &self.missed {
            println!("  not located: {m}");
        }
        for w in &self.wrong {
            println!("  other commune: {w}");
        }
    }
}

#[test]
fn the_towns_of_real_national_offers_are_located() {
    let towns = offer_towns();
    assert!(towns.len() > 1000, "{} towns", towns.len());
    let score = Score::of(&Communes::builtin(), &towns);
    score.print("real offers (Parcoursup 2020), national table");
    assert!(
        score.located * 100 >= towns.len() * 98,
        "located {} of {} towns",
        score.located,
        towns.len()
    );
    assert!(
        score.right * 100 >= (score.located - score.unchecked) * 99,
        "{} located towns are another commune than the source's",
        score.wrong.len()
    );
}

#[test]
fn towns_written_the_directory_way_are_located() {
    let towns = affelnet_towns();
    assert!(towns.len() > 1000, "{} towns", towns.len());
    let cedex = towns.iter().filter(|t| t.name.contains("CED")).count();
    assert!(cedex > 300, "{cedex} CEDEX towns");
    let score = Score::of(&Communes::builtin(), &towns);
    score.print("Affelnet 2020 towns, national table");
    assert!(
        score.located * 100 >= towns.len() * 98,
        "located {} of {} towns",
        score.located,
        towns.len()
    );
    assert!(
        score.right * 100 >= (score.located - score.unchecked) * 99,
        "{} located towns are another commune than the source's",
        score.wrong.len()
    );
}

/// The figure before the national table, for the record (not a target).
#[test]
fn the_regional_table_of_earlier_versions_located_few() {
    let paca =
        Communes::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/communes-paca.csv"))
            .unwrap();
    let towns = offer_towns();
    let score = Score::of(&paca, &towns);
    score.print("real offers (Parcoursup 2020), PACA table");
    assert!(score.located * 100 < towns.len() * 20);
}
