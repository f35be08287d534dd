//! Properties that hold for any export: every row ends in exactly one verdict and the
//! summary adds up; normalising a value twice changes nothing; a published offer has a
//! page and a search entry, and an offer that is not published has neither.

mod common;
use common::{HEADERS, Row, write_csv};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use vitrine::build;
use vitrine::config::Config;
use vitrine::inputs::{Flags, Inputs};
use vitrine::model::Status;

/// A column and a value to put in it: valid, empty, malformed or hostile.
fn damage() -> impl Strategy<Value = (usize, String)> {
    let values = prop_oneof![
        Just(String::new()),
        Just("n/a".to_string()),
        Just("12345678901234".to_string()),
        Just("0133406H".to_string()),
        Just("31/02/2027".to_string()),
        Just("01/09/2031".to_string()),
        Just("Non".to_string()),
        Just("=1+1".to_string()),
        Just("<b>x</b>".to_string()),
        "[ -~]{0,12}",
        "\\PC{0,8}",
    ];
    (0..HEADERS.len(), values)
}

/// Rows built from the valid one, each with a few damaged cells; ids repeat sometimes.
fn rows() -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(
        (
            0u8..12,
            prop::collection::vec(damage(), 0..4),
            any::<bool>(),
        ),
        1..25,
    )
    .prop_map(|specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(i, (id, damages, repeat))| {
                let id = if repeat {
                    format!("AF_P_{id}")
                } else {
                    format!("AF_Q_{i}")
                };
                let mut row = Row::valid(&id);
                for (c, v) in damages {
                    row.cells[c] = v;
                }
                row
            })
            .collect()
    })
}

fn config_in(dir: &Path) -> Config {
    let mut config = Config {
        root: dir.to_path_buf(),
        found: true,
        ..Config::default()
    };
    config.input.ledger = dir.join("urls-publiees.csv");
    config.output.build = dir.join("build");
    config
}

fn inputs(config: Config, input: PathBuf, report: PathBuf, public: Option<PathBuf>) -> Inputs {
    let flags = Flags {
        input: Some(input),
        report: Some(report),
        public,
        ..Flags::default()
    };
    Inputs::load(config, &flags).expect("the built-in tables load")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_row_ends_in_exactly_one_verdict_and_the_summary_adds_up(rows in rows()) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("export.csv");
        write_csv(&input, &rows);
        let config = config_in(dir.path());
        let inputs = inputs(config, input, dir.path().join("report"), None);
        let Ok(done) = build::check(&inputs) else {
            // Damage to the N° action header row cannot happen here (headers are fixed),
            // so a refused file would be a bug.
            panic!("a CSV with the canonical headers was refused");
        };
        // Every non-empty input row is there, once, in order.
        let non_empty = rows.iter().filter(|r| r.cells.iter().any(|c| !c.trim().is_empty())).count();
        prop_assert_eq!(done.verdicts.len(), non_empty);
        let rows_seen: Vec<u32> = done.verdicts.iter().map(|v| v.row).collect();
        let mut sorted = rows_seen.clone();
        sorted.sort_unstable();
        sorted.dedup();
        prop_assert_eq!(&sorted, &rows_seen, "rows out of order or repeated");
        let s = &done.summary;
        prop_assert_eq!(s.rows_read, done.verdicts.len());
        prop_assert_eq!(s.published + s.non_reglementaire + s.closed, s.rows_read);
        for v in &done.verdicts {
            prop_assert_eq!(v.status == Status::NonReglementaire, !v.reasons.is_empty());
        }
    }

    #[test]
    fn normalising_a_value_twice_changes_nothing(text in "\\PC{0,24}") {
        use vitrine::import::values::{self, Value};
        let (once, _) = values::identifier(&Value::Text(text.clone()), Some(14));
        // Twice: the same, and no zero put back the second time.
        prop_assert_eq!(values::identifier(&Value::Text(once.clone()), Some(14)), (once, false));
        let once = values::rncp(&Value::Text(text.clone()));
        prop_assert_eq!(&values::rncp(&Value::Text(once.clone())), &once);
        if let Ok(mail) = values::email(&Value::Text(text.clone())) {
            prop_assert_eq!(values::email(&Value::Text(mail.clone())).unwrap(), mail);
        }
        if let Ok(p) = values::phone(&Value::Text(text.clone())) {
            let again = values::phone(&Value::Text(p.display.clone())).unwrap();
            prop_assert_eq!(again.international, p.international);
        }
        if let Ok(d) = values::date(&Value::Text(text.clone())) {
            let iso = d.format("%d/%m/%Y").to_string();
            prop_assert_eq!(values::date(&Value::Text(iso)).unwrap(), d);
        }
        let folded = vitrine::model::fold(&text);
        prop_assert_eq!(vitrine::model::fold(&folded), folded.clone());
        let slug = vitrine::urls::slug(&text);
        prop_assert_eq!(vitrine::urls::slug(&slug), slug);
    }
}

proptest! {
    // Whole builds: fewer cases.
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    #[test]
    fn a_published_offer_has_a_page_and_a_search_entry_and_no_other_does(rows in rows()) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("export.csv");
        write_csv(&input, &rows);
        let config = config_in(dir.path());
        let public = dir.path().join("public");
        let inputs = inputs(config, input, dir.path().join("report"), Some(public.clone()));
        let built = build::build(&inputs).expect("build");
        let index = vitrine::search::index::Opened::open(&inputs.paths.index())
            .expect("index");
        let searcher = index.searcher();
        let checked = &built.checked;
        for (offer, verdict) in checked.import.offers.iter().zip(&checked.verdicts) {
            let page = public.join(vitrine::urls::offer_path(offer).trim_start_matches('/')).join("index.html");
            let term = tantivy::Term::from_field_text(index.fields.id, &offer.id);
            let entries = searcher.doc_freq(&term).unwrap();
            let published = verdict.status == Status::Published;
            // Offers sharing an id (duplicates) are never published, so a page or an
            // entry for that id can only come from this offer when it is published.
            if published {
                prop_assert!(page.exists(), "no page for published {} at {}", offer.id, page.display());
                prop_assert_eq!(entries, 1, "search entries for published {}", offer.id);
            } else {
                let shared_id = checked.import.offers.iter().filter(|o| o.id == offer.id).count() > 1;
                if !shared_id {
                    let text = std::fs::read_to_string(&page).unwrap_or_default();
                    // A page may only say the training is no longer offered.
                    prop_assert!(
                        !page.exists() || text.contains("plus proposée"),
                        "{} ({:?}) has a live page", offer.id, verdict.status
                    );
                    prop_assert_eq!(entries, 0, "search entry for unpublished {}", offer.id);
                }
            }
        }
    }
}
