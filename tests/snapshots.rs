//! Snapshots of what the sample produces: the report's files and one page of each kind.
//! A change of output is then a reviewed diff (`INSTA_UPDATE=always cargo test --test
//! snapshots` writes the new snapshots; `git diff tests/snapshots/` shows them).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The sample site built once, in a folder of its own, with a fixed feed date.
fn built() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sample");
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        for f in [
            "vitrine.toml",
            "data/offre-apprentissage-2027.xlsx",
            "data/urls-publiees.csv",
        ] {
            std::fs::copy(sample.join(f), dir.path().join(f)).unwrap();
        }
        let out = Command::new(env!("CARGO_BIN_EXE_vitrine"))
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", "1798761600")
            .arg("build")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
    .path()
}

fn read(rel: &str) -> String {
    let path = built().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Minified HTML, one element per line, so a snapshot diff points at the change.
fn html(rel: &str) -> String {
    read(rel).replace("><", ">\n<")
}

/// The first `index.html` under a folder of the public tree, in path order.
fn first_page(folder: &str) -> String {
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(built().join("public").join(folder))
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .filter(|p| {
            p.ends_with("index.html") && p.parent() != Some(&built().join("public").join(folder))
        })
        .collect();
    pages.sort();
    let first = pages
        .first()
        .expect("a page")
        .strip_prefix(built())
        .unwrap();
    first.to_string_lossy().into_owned()
}

#[test]
fn report_summary() {
    insta::assert_snapshot!(read("report/summary.json"));
}

#[test]
fn report_verdicts() {
    insta::assert_snapshot!(read("report/verdicts.json"));
}

#[test]
fn report_non_conformes_csv() {
    insta::assert_snapshot!(read("report/non-conformes.csv"));
}

#[test]
fn page_home() {
    insta::assert_snapshot!(html("public/index.html"));
}

#[test]
fn page_offer() {
    insta::assert_snapshot!(html(&first_page("formations")));
}

#[test]
fn page_cfa() {
    insta::assert_snapshot!(html(&first_page("cfa")));
}

#[test]
fn page_handicap() {
    insta::assert_snapshot!(html("public/handicap/index.html"));
}

#[test]
fn page_browse_by_level() {
    insta::assert_snapshot!(html("public/niveaux/index.html"));
}

#[test]
fn page_calendar() {
    insta::assert_snapshot!(html("public/calendrier/index.html"));
}

#[test]
fn page_content() {
    insta::assert_snapshot!(html("public/apprentissage/index.html"));
}

#[test]
fn page_search() {
    insta::assert_snapshot!(html("public/recherche/index.html"));
}

#[test]
fn page_not_found() {
    insta::assert_snapshot!(html("public/404.html"));
}
