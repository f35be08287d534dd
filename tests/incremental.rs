//! Incremental builds: a rebuild keeps every public file made from the same inputs
//! (same bytes, same inode and modification time), makes the others, and gives a tree
//! byte-identical to a cold build of the same export.

mod common;

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;

const EXTRACT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/sample/data/offre-apprentissage-2027-extrait.csv"
);

fn build(site: &Path, export: &Path, extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .current_dir(site)
        .env("SOURCE_DATE_EPOCH", "1798761600")
        .args(["build", "--input", export.to_str().unwrap()])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every file of the public tree: bytes, inode, modification time.
fn tree(site: &Path) -> BTreeMap<String, (Vec<u8>, u64, i64)> {
    tree_of(&site.join("public"))
}

/// Every file under `root`: bytes, inode, modification time.
fn tree_of(root: &Path) -> BTreeMap<String, (Vec<u8>, u64, i64)> {
    let root = root.to_path_buf();
    walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let m = e.metadata().unwrap();
            let rel = e
                .path()
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                rel,
                (
                    std::fs::read(e.path()).unwrap(),
                    m.ino(),
                    m.mtime_nsec() + m.mtime() * 1_000_000_000,
                ),
            )
        })
        .collect()
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("vitrine.toml"),
        "[input]\nledger = \"data/urls.csv\"\n",
    )
    .unwrap();
    dir
}

/// Every record of a `;`-separated export, the header first.
fn records(path: &Path) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_path(path)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Writes `records` as a `;`-separated export.
fn write_export<'r>(path: &Path, records: impl IntoIterator<Item = &'r Vec<String>>) {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_path(path)
        .unwrap();
    for r in records {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

/// The extract with one offer's description changed.
fn changed_export(dir: &Path) -> std::path::PathBuf {
    let mut rows = records(Path::new(EXTRACT));
    rows[5][8] = "Nouvelle description, modifiée par le CFA.".into();
    let path = dir.join("modifie.csv");
    write_export(&path, &rows);
    path
}

#[test]
fn a_rebuild_after_a_small_change_keeps_the_rest_and_equals_a_cold_build() {
    let work = tempfile::tempdir().unwrap();
    let changed = changed_export(work.path());

    let warm = site();
    build(warm.path(), Path::new(EXTRACT), &[]);
    let before = tree(warm.path());
    let report_before = tree_of(&warm.path().join("report"));
    let index = || {
        std::fs::metadata(warm.path().join("build/index.made"))
            .unwrap()
            .ino()
    };
    let index_before = index();
    let again = build(warm.path(), Path::new(EXTRACT), &[]);
    assert!(again.contains("files rewritten            0"), "{again}");
    // The search stage was skipped, not redone to the same bytes: what it made is
    // recorded in the file the first build left (written again, it is a new file).
    assert_eq!(index(), index_before, "unchanged offers: the index is kept");
    assert_eq!(
        tree(warm.path()),
        before,
        "an unchanged export rewrites nothing"
    );

    // The downloads keep where each offer's record lies, so that the next build copies
    // the records of unchanged offers (and the tree below is still that of a cold build).
    let spans = |name: &str| {
        std::fs::metadata(warm.path().join("build/public.beside").join(name))
            .map(|m| m.len())
            .unwrap_or(0)
    };
    for name in [
        "donnees%offres.json",
        "donnees%offres.csv",
        "donnees%catalogue.json",
    ] {
        assert!(spans(name) > 40, "{name}: the records' places are kept");
    }
    let summary = build(warm.path(), &changed, &[]);
    let after = tree(warm.path());
    assert_ne!(
        index(),
        index_before,
        "a changed offer: the index is made again"
    );

    let cold = site();
    build(cold.path(), &changed, &[]);
    let cold_tree = tree(cold.path());
    let bytes = |t: &BTreeMap<String, (Vec<u8>, u64, i64)>| -> BTreeMap<String, Vec<u8>> {
        t.iter()
            .map(|(p, (b, _, _))| (p.clone(), b.clone()))
            .collect()
    };
    assert_eq!(
        bytes(&after),
        bytes(&cold_tree),
        "incremental = cold, byte for byte"
    );

    let rewritten: Vec<&String> = after
        .iter()
        .filter(|(p, (_, ino, t))| before.get(*p).is_none_or(|(_, i, bt)| i != ino || bt != t))
        .map(|(p, _)| p)
        .collect();
    assert!(!rewritten.is_empty());
    assert!(
        rewritten.len() * 10 < after.len(),
        "{} of {} files rewritten: {rewritten:?}\n{summary}",
        rewritten.len(),
        after.len()
    );
    // What changed is there: the offer's page and the open data.
    assert!(
        rewritten.iter().any(|p| p.starts_with("formations/")),
        "{rewritten:?}"
    );
    assert!(
        rewritten
            .iter()
            .any(|p| p.as_str() == "donnees/offres.json"),
        "{rewritten:?}"
    );

    // The report too: the changed CFA's workbook is made again, the others are kept,
    // and the whole report equals a cold build's.
    let report_after = tree_of(&warm.path().join("report"));
    assert_eq!(
        bytes(&report_after),
        bytes(&tree_of(&cold.path().join("report"))),
        "incremental report = cold report, byte for byte"
    );
    let books: Vec<&String> = report_after
        .keys()
        .filter(|p| p.ends_with(".xlsx"))
        .collect();
    let remade: Vec<&&String> = books
        .iter()
        .filter(|p| report_before[**p].1 != report_after[**p].1)
        .collect();
    assert!(books.len() > 2, "{books:?}");
    assert_eq!(
        remade.len(),
        1,
        "only the changed CFA's workbook: {remade:?}"
    );

    // Back and forth, as imports come in: from the second change on, the tree the live
    // one replaced is restaged, and each rebuild still equals a cold build.
    let cold_before = bytes(&before);
    let cold_after = bytes(&cold_tree);
    for (export, cold) in [
        (Path::new(EXTRACT), &cold_before),
        (changed.as_path(), &cold_after),
        (Path::new(EXTRACT), &cold_before),
    ] {
        let kept = warm.path().join("build/public.previous");
        let restaged = kept
            .exists()
            .then(|| std::fs::metadata(&kept).unwrap().ino());
        build(warm.path(), export, &[]);
        let live = std::fs::metadata(warm.path().join("public")).unwrap().ino();
        assert_eq!(restaged, Some(live), "the kept tree became the live one");
        assert!(bytes(&tree(warm.path())) == *cold, "incremental = cold");
    }
}

#[test]
fn a_verbose_rebuild_prints_each_phase_with_its_figure_in_one_column() {
    let warm = site();
    build(warm.path(), Path::new(EXTRACT), &[]);
    let said = build(warm.path(), Path::new(EXTRACT), &["--verbose"]);
    let phases: Vec<&str> = said.lines().filter(|l| l.ends_with(" ms")).collect();
    for phase in [
        "tables ∥",
        "theme, ledger ∥",
        "previous, places ∥",
        "import",
        "render ∥",
    ] {
        assert!(
            phases.iter().any(|l| l.trim_start().starts_with(phase)),
            "no phase {phase:?} in:\n{said}"
        );
    }
    // Every figure ends in one column: a label longer than the labels' column pushed
    // its figure out of line.
    let width = |l: &str| l.chars().count();
    for line in &phases {
        assert_eq!(width(line), width(phases[0]), "out of line:\n{said}");
    }
}

#[test]
fn a_changed_template_makes_every_page_again_and_clean_rewrites_everything() {
    let warm = site();
    build(warm.path(), Path::new(EXTRACT), &[]);
    let pages = tree(warm.path())
        .keys()
        .filter(|p| p.ends_with(".html"))
        .count();
    std::fs::create_dir_all(warm.path().join("templates")).unwrap();
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/templates/base.html"
    ))
    .unwrap();
    let changed = base.replacen("</footer>", "<p>Mentions ajoutées</p></footer>", 1);
    assert_ne!(changed, base);
    std::fs::write(warm.path().join("templates/base.html"), changed).unwrap();
    let summary = build(warm.path(), Path::new(EXTRACT), &[]);
    let rewritten: usize = summary
        .lines()
        .find_map(|l| l.trim().strip_prefix("files rewritten"))
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("a count of rewritten files");
    // Every page made with base.html shows the change, and was written anew; pages
    // that do not use it (redirects, the embeddable lists) may be kept.
    let mut changed = 0;
    for (path, (bytes, _, _)) in tree(warm.path())
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
    {
        let html = String::from_utf8_lossy(bytes);
        assert!(
            html.contains("Mentions ajoutées") || !html.contains("</footer>"),
            "{path}"
        );
        changed += usize::from(html.contains("Mentions ajoutées"));
    }
    assert!(
        changed * 10 > pages * 8,
        "{changed} of {pages} pages use base.html"
    );
    assert!(
        rewritten >= changed,
        "{rewritten} rewritten, {changed} changed\n{summary}"
    );
    let clean = build(warm.path(), Path::new(EXTRACT), &["--clean"]);
    assert!(clean.contains("(kept as they were: 0)"), "{clean}");
}

/// Bytes of every file under `public/`.
fn bytes(site: &Path) -> BTreeMap<String, Vec<u8>> {
    bytes_under(&site.join("public"))
}

/// Bytes of every file under `root`.
fn bytes_under(root: &Path) -> BTreeMap<String, Vec<u8>> {
    tree_of(root)
        .into_iter()
        .map(|(p, (b, _, _))| (p, b))
        .collect()
}

/// A site built, then given its own `data/{name}` and built again, beside a cold build
/// of the same site: both public trees (whose files and bytes must match) and URL
/// ledgers (which must match too: the fingerprints are those of the views as they are
/// now). Returns the rebuilt tree.
fn rebuilt_with_own_data(name: &str, contents: &str) -> BTreeMap<String, Vec<u8>> {
    let own = |site: &Path| {
        std::fs::create_dir_all(site.join("data")).unwrap();
        std::fs::write(site.join("data").join(name), contents).unwrap();
    };
    let warm = site();
    build(warm.path(), Path::new(EXTRACT), &[]);
    own(warm.path());
    build(warm.path(), Path::new(EXTRACT), &[]);
    let cold = site();
    own(cold.path());
    build(cold.path(), Path::new(EXTRACT), &[]);
    let ledger = |site: &tempfile::TempDir| std::fs::read(site.path().join("data/urls.csv"));
    assert!(ledger(&warm).unwrap() == ledger(&cold).unwrap());
    let (warm, cold) = (bytes(warm.path()), bytes(cold.path()));
    assert_eq!(
        warm.keys().collect::<Vec<_>>(),
        cold.keys().collect::<Vec<_>>()
    );
    for (p, b) in &warm {
        assert!(*b == cold[p], "{p} differs from a cold build");
    }
    warm
}

/// A data file as the binary carries it.
fn builtin_data(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join(name),
    )
    .unwrap()
}

/// A data file as the binary carries it, with the first `from` made `to` (which must
/// be there).
fn builtin_with(name: &str, from: &str, to: &str) -> String {
    let builtin = builtin_data(name);
    let changed = builtin.replacen(from, to, 1);
    assert_ne!(changed, builtin, "{from} is in {name}");
    changed
}

#[test]
fn a_changed_platforms_file_makes_the_offer_pages_links_again() {
    // The links of an offer page are not in the page's key as themselves (they are
    // made only for the pages written): the platforms' file stands for them.
    let changed = builtin_with(
        "liens-plateformes.toml",
        "label = \"Trouver un employeur\"",
        "label = \"Trouver une entreprise\"",
    );
    let warm = rebuilt_with_own_data("liens-plateformes.toml", &changed);
    let offer_pages: Vec<&String> = warm
        .keys()
        .filter(|p| p.starts_with("formations/") && p.ends_with("index.html"))
        .collect();
    assert!(!offer_pages.is_empty());
    for p in &offer_pages {
        assert!(
            String::from_utf8_lossy(&warm[*p]).contains("Trouver une entreprise"),
            "{p}"
        );
    }
}

#[test]
fn a_changed_glossary_makes_the_offer_pages_that_explain_its_terms_again() {
    // An offer's view holds the meaning of its diploma's acronym: a rebuild finds the
    // previous build's view keys by what each view is made of, the glossary among it.
    let changed = builtin_with(
        "glossaire.toml",
        "sens = \"certificat d'aptitude professionnelle\"",
        "sens = \"certificat d'aptitude professionnelle (en deux ans)\"",
    );
    let warm = rebuilt_with_own_data("glossaire.toml", &changed);
    let explained = warm
        .iter()
        .filter(|(p, b)| {
            p.starts_with("formations/")
                && String::from_utf8_lossy(b).contains("professionnelle (en deux ans)")
        })
        .count();
    assert!(
        explained > 0,
        "no offer page explains CAP with the new meaning"
    );
}

#[test]
fn a_changed_communes_table_makes_the_views_drawn_from_it_again() {
    // A place without coordinates is drawn at its town's centre, from the communes
    // table: the table is part of what every view is made of.
    let builtin = builtin_data("communes-france.csv");
    // Every town a tenth of a degree further north.
    let mut changed = String::new();
    for (n, line) in builtin.lines().enumerate() {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if n > 0
            && let Ok(lat) = cells[4].parse::<f64>()
        {
            cells[4] = format!("{:.4}", lat + 0.1);
        }
        changed.push_str(&cells.join(","));
        changed.push('\n');
    }
    assert_ne!(changed, builtin);
    rebuilt_with_own_data("communes-france.csv", &changed);
}

/// A small deterministic generator (xorshift64*): the same edits on every run.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    }
}

/// Edit number `kind` (of 9) that a CFA or the Carif-Oref makes between two imports,
/// applied to random data rows (`cols`: the header's column names); says what it did.
fn edit(
    rows: &mut Vec<Vec<String>>,
    cols: &[String],
    kind: usize,
    dice: &mut Dice,
    step: usize,
) -> String {
    let col = |name: &str| {
        cols.iter()
            .position(|c| c.trim_start_matches('\u{feff}') == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let i = dice.below(rows.len());
    let j = dice.below(rows.len());
    let id = rows[i][col("N° action")].clone();
    match kind % 9 {
        0 => {
            rows[i][col("Description")] = format!("Description revue à l'import {step}.");
            format!("{id}: description")
        }
        1 => {
            rows[i][col("Intitulé de la formation")].push_str(" (nouvelle session)");
            format!("{id}: title (its URL changes)")
        }
        2 => {
            // The place of another row: postcode, town, INSEE code and point together.
            for name in [
                "Code postal",
                "Commune",
                "Code commune INSEE",
                "Latitude",
                "Longitude",
            ] {
                rows[i][col(name)] = rows[j][col(name)].clone();
            }
            format!("{id}: moved to the place of {}", rows[j][col("N° action")])
        }
        3 => {
            rows[i][col("Capacité d'accueil")] = (8 + dice.below(20)).to_string();
            format!("{id}: capacity")
        }
        4 => {
            rows[i][col("Organisme responsable")].push_str(" (campus)");
            format!("{id}: its CFA's name")
        }
        5 if rows.len() > 20 => {
            rows.remove(i);
            format!("{id}: withdrawn")
        }
        6 => {
            let mut new = rows[i].clone();
            new[col("N° action")] = format!("AF_2027_9{step:02}{i:03}");
            new[col("Intitulé de la formation")].push_str(" – groupe B");
            rows.push(new);
            format!("{id}: copied as a new offer")
        }
        7 => {
            rows[i][col("SIRET organisme responsable")] = String::new();
            format!("{id}: SIRET blanked (no longer compliant)")
        }
        _ => {
            rows.swap(i, j);
            format!("{id}: rows swapped with {}", rows[i][col("N° action")])
        }
    }
}

#[test]
fn rebuilds_after_random_edits_each_equal_a_cold_build_from_the_same_ledger() {
    random_imports_equal_cold_builds(Path::new(EXTRACT), usize::MAX, 9, 0x5eed_0036);
}

/// The same on real offers (the first 600 of `tests/fixtures/real`, trainings of every
/// region; the whole file made the test take three minutes in the dev profile): none is
/// published as it is, so this checks the report of each CFA, on real text.
#[test]
fn rebuilds_of_real_offers_after_random_edits_each_equal_a_cold_build() {
    let real = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/real/offres-reelles.csv"
    );
    random_imports_equal_cold_builds(Path::new(real), 600, 5, 0x5eed_4355);
}

/// Rebuilds the site `warm` from `export` on its trees, builds the same file cold in a
/// fresh folder holding a copy of the ledger the rebuild starts from (the URLs published
/// before decide the redirects and the "no longer offered" pages), and asserts that
/// `public/`, `report/` and the ledger are equal byte for byte; a failure names the
/// files that differ and the `done` edits.
fn rebuild_equals_cold_build(warm: &Path, export: &Path, step: usize, done: &[String]) {
    let cold = site();
    let ledger = warm.join("data/urls.csv");
    if ledger.exists() {
        std::fs::create_dir_all(cold.path().join("data")).unwrap();
        std::fs::copy(&ledger, cold.path().join("data/urls.csv")).unwrap();
    }
    build(warm, export, &[]);
    build(cold.path(), export, &[]);
    for part in ["public", "report", "data"] {
        let (w, c) = (
            bytes_under(&warm.join(part)),
            bytes_under(&cold.path().join(part)),
        );
        let differ: std::collections::BTreeSet<&String> = w
            .keys()
            .chain(c.keys())
            .filter(|p| w.get(*p) != c.get(*p))
            .collect();
        assert!(
            differ.is_empty(),
            "after import {step}, {part}/ differs from a cold build: {differ:?}\nedits so far: {done:#?}"
        );
    }
}

/// The xlsx a CFA sends back carries its markings (a closed row filled yellow, a new
/// one written in blue, changed cells in red): imports that change them, and the text
/// under them, each rebuilt on the last one's trees, equal cold builds.
#[test]
fn rebuilds_after_the_colour_markings_change_each_equal_a_cold_build() {
    use common::Row;
    let work = tempfile::tempdir().unwrap();
    let mut next = 0;
    let new_row = |next: &mut usize| {
        *next += 1;
        Row::valid(&format!("AF_2027_7{next:05}")).set(
            "Intitulé de la formation",
            &format!("CAP Métiers de la coiffure – groupe {next}"),
        )
    };
    let mut rows: Vec<Row> = (0..24).map(|_| new_row(&mut next)).collect();
    let first = work.path().join("import-0.xlsx");
    common::write_xlsx(&first, &rows);
    let warm = site();
    build(warm.path(), &first, &[]);
    let mut dice = Dice(0x5eed_0037);
    let mut done: Vec<String> = Vec::new();
    for step in 1..=7 {
        for _ in 0..2 {
            let i = dice.below(rows.len());
            let id = rows[i].get("N° action").to_string();
            let kind = done.len() % 7;
            let r = &mut rows[i];
            done.push(match kind {
                0 => {
                    r.yellow = true;
                    format!("{id}: closed (yellow)")
                }
                1 => {
                    r.yellow = false;
                    r.blue = true;
                    format!("{id}: new (blue)")
                }
                2 => {
                    r.yellow = false;
                    *r = r
                        .clone()
                        .set("Capacité d'accueil", &(8 + dice.below(20)).to_string());
                    r.red = vec!["Capacité d'accueil"];
                    format!("{id}: capacity changed (red)")
                }
                3 => {
                    r.yellow = false;
                    *r = r
                        .clone()
                        .set("Description", &format!("Programme revu à l'import {step}."));
                    r.red.push("Description");
                    format!("{id}: description changed (red)")
                }
                4 => {
                    (r.yellow, r.blue) = (false, false);
                    r.red.clear();
                    format!("{id}: markings cleared")
                }
                5 => {
                    let mut row = new_row(&mut next);
                    row.blue = true;
                    let added = row.get("N° action").to_string();
                    rows.push(row);
                    format!("{added}: added (blue)")
                }
                _ => {
                    rows.remove(i);
                    format!("{id}: row withdrawn")
                }
            });
        }
        let export = work.path().join(format!("import-{step}.xlsx"));
        common::write_xlsx(&export, &rows);
        rebuild_equals_cold_build(warm.path(), &export, step, &done);
        // The markings were read: an offer has its page exactly when its row is not
        // yellow (a closed offer's address then says that it is no longer offered).
        let pages = bytes_under(&warm.path().join("public/formations"));
        for r in &rows {
            let slug = r.get("N° action").to_lowercase().replace('_', "-");
            let published = pages.iter().any(|(p, html)| {
                p.contains(&format!("-{slug}/"))
                    && String::from_utf8_lossy(html).contains("<article class=\"offer\">")
            });
            assert_eq!(
                published, !r.yellow,
                "{slug} after import {step}: {done:#?}"
            );
        }
    }
}

/// `imports` imports of the first `rows` offers of `export` with two edits each (see
/// [`edit`]; five imports make every kind at least once), each built on the last one's
/// trees and compared with a cold build of the same file.
fn random_imports_equal_cold_builds(export: &Path, rows: usize, imports: usize, seed: u64) {
    let work = tempfile::tempdir().unwrap();
    let mut all = records(export);
    let cols = all.remove(0);
    all.truncate(rows);
    let mut rows = all;
    let warm = site();
    build(warm.path(), export, &[]);
    let mut dice = Dice(seed);
    let mut done: Vec<String> = Vec::new();
    // Two edits an import, each kind in turn (a random row each time).
    for step in 1..=imports {
        for _ in 0..2 {
            let kind = done.len();
            done.push(edit(&mut rows, &cols, kind, &mut dice, step));
        }
        let export = work.path().join(format!("import-{step}.csv"));
        write_export(&export, std::iter::once(&cols).chain(&rows));
        rebuild_equals_cold_build(warm.path(), &export, step, &done);
    }
}
