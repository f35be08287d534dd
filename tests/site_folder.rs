//! The tool and a site: `vitrine init` makes a folder that builds at once, and a bare
//! `vitrine build --input FILE` in an empty folder uses the built-in defaults and writes
//! only `public/`, `report/` and `build/` there.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

fn vitrine(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn top_level(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "status {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn init_then_build_makes_a_working_site_in_a_new_folder() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&vitrine(
        tmp.path(),
        &["init", "mon-site", "--region", "84"],
    ));
    let site = tmp.path().join("mon-site");
    let toml = std::fs::read_to_string(site.join("vitrine.toml")).unwrap();
    assert!(toml.contains("Auvergne-Rhône-Alpes"), "{toml}");

    let out = vitrine(&site, &["build"]);
    ok(&out);
    assert!(site.join("public/index.html").is_file());
    assert!(site.join("report/index.html").is_file());
    assert!(site.join("build/index.docs").is_file());
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("Apprentissage en Auvergne-Rhône-Alpes"));
    // The new site's ledger now lists what it published; nothing was written beside it.
    let ledger = std::fs::read_to_string(site.join("data/urls-publiees.csv")).unwrap();
    assert!(
        ledger.lines().count() > 100,
        "the ledger records the published URLs"
    );
    assert_eq!(
        top_level(tmp.path()),
        BTreeSet::from(["mon-site".to_string()])
    );

    // init never overwrites a site.
    let again = vitrine(tmp.path(), &["init", "mon-site"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}

#[test]
fn a_bare_build_in_an_empty_folder_uses_the_built_in_defaults_and_writes_only_its_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let export_dir = tempfile::tempdir().unwrap();
    let export = export_dir.path().join("mon-export.xlsx");
    std::fs::copy(common::sample_export(), &export).unwrap();
    let before = top_level(export_dir.path());

    let out = vitrine(tmp.path(), &["build", "--input", export.to_str().unwrap()]);
    ok(&out);
    assert_eq!(
        top_level(tmp.path()),
        BTreeSet::from(["build".into(), "public".into(), "report".into()])
    );
    assert_eq!(
        top_level(export_dir.path()),
        before,
        "nothing written beside the export"
    );
    // No ledger of another site: nothing is "plus proposée" on a first build.
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("offers withdrawn           0"),
        "{summary}"
    );
    assert!(tmp.path().join("build/urls-publiees.csv").is_file());
    // The theme, the content pages and the calendar all come from the binary.
    assert!(tmp.path().join("public/handicap/index.html").is_file());
    assert!(tmp.path().join("public/calendrier/index.html").is_file());
}

#[test]
fn the_sample_site_in_examples_builds_with_its_own_ledger_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sample");
    let site = tmp.path().join("sample");
    std::fs::create_dir_all(site.join("data")).unwrap();
    for f in [
        "vitrine.toml",
        "data/offre-apprentissage-2027.xlsx",
        "data/urls-publiees.csv",
    ] {
        std::fs::copy(sample.join(f), site.join(f)).unwrap();
    }
    ok(&vitrine(&site, &["build"]));
    let rebuilt = std::fs::read_to_string(site.join("data/urls-publiees.csv")).unwrap();
    let committed = std::fs::read_to_string(sample.join("data/urls-publiees.csv")).unwrap();
    assert!(
        rebuilt == committed,
        "rebuilding the sample changes its committed ledger: rebuild it with \
         `vitrine --root examples/sample build` and commit data/urls-publiees.csv"
    );
}
