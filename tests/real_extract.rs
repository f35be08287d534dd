//! `vitrine check` on a real Carif-Oref extract (`tests/fixtures/real/offres-rco-bfc.csv`,
//! 1,283 apprenticeship trainings of Bourgogne-Franche-Comté, every level, see the
//! fixtures' README): identifiers as the regional database holds them are read, and every
//! row ends in exactly one verdict.

mod common;

use common::{Site, said};
use std::collections::BTreeMap;
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/real/offres-rco-bfc.csv";

/// The fixture's rows as header -> value maps, in file order.
fn rows() -> Vec<BTreeMap<String, String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Runs `vitrine check` on the fixture in a scratch site folder: the folder (its
/// `report/`) and what the command printed.
fn check() -> (Site, std::process::Output) {
    let site = Site::new();
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let out = site.run(&["check", "--input", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    (site, out)
}

/// The verdicts of `vitrine check` on the fixture, by row number.
fn verdicts() -> BTreeMap<u64, serde_json::Value> {
    let (site, _) = check();
    let all: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(site.path("report/verdicts.json")).unwrap()).unwrap();
    let n = all.len();
    let by_row: BTreeMap<u64, serde_json::Value> = all
        .into_iter()
        .map(|v| (v["row"].as_u64().unwrap(), v))
        .collect();
    assert_eq!(by_row.len(), n, "one verdict per row");
    by_row
}

/// The reasons and warnings a verdict gives for one column.
fn problems_on(v: &serde_json::Value, column: &str) -> Vec<String> {
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["column"] == column)
        .map(|p| p["reason"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_real_regional_extract_is_read_as_the_database_holds_its_identifiers() {
    let rows = rows();
    let verdicts = verdicts();
    // Every row, header on line 1, has its verdict under its line number.
    assert_eq!(rows.len(), 1283);
    assert_eq!(
        verdicts.keys().copied().collect::<Vec<_>>(),
        (2..2 + rows.len() as u64).collect::<Vec<_>>()
    );
    let mut counted = BTreeMap::<&str, usize>::new();
    for (i, row) in rows.iter().enumerate() {
        let v = &verdicts[&(i as u64 + 2)];
        assert_eq!(v["id"], row["N° action"].as_str(), "line {}", i + 2);
        // CFDs that lost their leading zero in a spreadsheet (`1022103`) are padded back.
        let cfd = &row["Code diplôme (CFD)"];
        if cfd.len() == 7 {
            *counted.entry("cfd of 7 digits").or_default() += 1;
        }
        assert!(
            problems_on(v, "Code diplôme (CFD)").is_empty(),
            "line {}: CFD {cfd:?}: {:?}",
            i + 2,
            v["problems"]
        );
        // RNCP numbers without their prefix (`4521`) are RNCP sheets; only an empty one
        // is missing.
        let rncp = problems_on(v, "Code RNCP");
        if row["Code RNCP"].is_empty() {
            assert_eq!(rncp, ["rncp_missing"], "line {}", i + 2);
        } else {
            *counted.entry("rncp without prefix").or_default() +=
                usize::from(!row["Code RNCP"].starts_with("RNCP"));
            assert!(rncp.is_empty(), "line {}: {rncp:?}", i + 2);
        }
        // A trainer SIRET of `0` (the extract's "unknown") is invalid, a real one is not.
        let siret = problems_on(v, "SIRET organisme formateur");
        if row["SIRET organisme formateur"] == "0" {
            *counted.entry("siret 0").or_default() += 1;
            assert_eq!(siret, ["siret_invalid"], "line {}", i + 2);
        }
        assert!(
            problems_on(v, "SIRET organisme responsable").is_empty(),
            "line {}",
            i + 2
        );
    }
    println!("{counted:?}");
    // The fixture does hold each case.
    assert!(counted["cfd of 7 digits"] > 20, "{counted:?}");
    assert!(counted["rncp without prefix"] > 1000, "{counted:?}");
    assert!(counted["siret 0"] > 50, "{counted:?}");
}

#[test]
fn leading_zeros_put_back_are_counted_in_the_summary() {
    let (site, out) = check();
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.path("report/summary.json")).unwrap()).unwrap();
    // One per diploma code of 7 digits in the extract (no SIRET or INSEE code lost one).
    let short = rows()
        .iter()
        .filter(|r| r["Code diplôme (CFD)"].len() == 7)
        .count() as u64;
    assert_eq!(summary["normalised"]["identifier"], short, "{summary}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("identifier"));
    // The report's page says so too, with the count.
    let index = std::fs::read_to_string(site.path("report/index.html")).unwrap();
    let line = format!(
        "<td>SIRET, code diplôme ou code INSEE dont le tableur avait perdu les zéros \
         initiaux</td><td><code>identifier</code></td><td class=\"n\">{short}</td>"
    );
    assert!(index.contains(&line), "{index}");
    // Each CFA's page gives its own count; together they make the total.
    let mut total = 0;
    for page in std::fs::read_dir(site.path("report/cfa")).unwrap() {
        let path = page.unwrap().path();
        if path.extension().is_some_and(|e| e == "html") {
            let page = std::fs::read_to_string(&path).unwrap();
            let marker = "dont le tableur avait perdu les zéros initiaux : ";
            if let Some(at) = page.find(marker) {
                let digits: String = page[at + marker.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                total += digits.parse::<u64>().unwrap();
            }
        }
    }
    assert_eq!(total, short);
}
