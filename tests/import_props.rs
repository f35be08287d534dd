//! Property tests: whatever bytes arrive, the importer answers with offers or a typed
//! error, never a panic; and every value parser survives any text.

mod common;

use common::workbook::{Cell, Line, Sheet, Workbook};
use proptest::prelude::*;
use std::path::Path;
use vitrine::config::Limits;
use vitrine::import::{self, values};

/// A small valid workbook to damage.
fn valid_xlsx() -> Vec<u8> {
    let columns = vitrine::import::headers::COLUMNS;
    Workbook::new()
        .sheet(
            Sheet::new("Sheet1")
                .line(Line::texts(columns.iter().map(|c| c.name)))
                .line(Line::texts(
                    (0..columns.len()).map(|c| format!("valeur {c}")),
                ))
                .line(Line::new(
                    (0..columns.len()).map(|c| Cell::Number(c as f64)).collect(),
                )),
        )
        .bytes()
}

fn read_bytes(dir: &Path, name: &str, bytes: &[u8]) {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let limits = Limits {
        max_sheet_bytes: 4 << 20,
        ..Limits::default()
    };
    match import::read(&path, &limits) {
        Ok(imp) => {
            for o in &imp.offers {
                assert!(!o.id.is_empty());
            }
        }
        Err(e) => assert!(e.to_string().contains(name), "{e}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn damaged_workbooks_never_panic(cuts in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8), keep in any::<prop::sample::Index>()) {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = valid_xlsx();
        for (at, b) in cuts {
            let i = at.index(bytes.len());
            bytes[i] ^= b | 1;
        }
        read_bytes(dir.path(), "abime.xlsx", &bytes);
        let n = keep.index(bytes.len());
        read_bytes(dir.path(), "coupe.xlsx", &bytes[..n]);
    }

    #[test]
    fn any_text_as_csv_never_panics(text in "[;,\"\\r\\n a-zA-Z0-9éÉ°€-]{0,400}") {
        let dir = tempfile::tempdir().unwrap();
        let header = vitrine::import::headers::COLUMNS.iter().map(|c| c.name).collect::<Vec<_>>().join(";");
        read_bytes(dir.path(), "texte.csv", format!("{header}\n{text}").as_bytes());
        read_bytes(dir.path(), "brut.csv", text.as_bytes());
    }

    #[test]
    fn value_parsers_survive_any_text(text in "\\PC{0,40}") {
        let v = values::Value::Text(text);
        let _ = values::date(&v);
        let _ = values::level(&v);
        let _ = values::cycle_months(&v);
        let _ = values::yes_no(&v);
        let _ = values::phone(&v);
        let _ = values::email(&v);
        let _ = values::rncp(&v);
        let _ = values::rome(&v);
        let _ = values::degrees(&v, 90.0);
        let _ = values::count(&v);
        let _ = values::identifier(&v, Some(14));
        let _ = values::nda(&v);
    }

    #[test]
    fn value_parsers_survive_any_number(n in any::<f64>()) {
        let v = values::Value::Number(n);
        let _ = values::date(&v);
        let _ = values::level(&v);
        let _ = values::cycle_months(&v);
        let _ = values::phone(&v);
        let _ = values::identifier(&v, Some(5));
        let _ = values::degrees(&v, 180.0);
        let _ = values::count(&v);
    }
}
