//! `vitrine build` end to end on exports written by the test: the public tree and the
//! URL ledger on disk, twice in a row (byte-identical), across an import that renames,
//! closes and drops offers (old URLs keep answering), and a failed build that leaves
//! the previous site and ledger untouched.

mod common;
mod site_support;

use common::*;
use std::path::Path;

fn rows() -> Vec<Row> {
    let mut rows: Vec<Row> = (1..=6)
        .map(|i| {
            Row::valid(&format!("AF_2027_{i:06}")).set(
                "Intitulé de la formation",
                &format!("CAP Métiers de la coiffure groupe {i}"),
            )
        })
        .collect();
    for r in rows.iter_mut().skip(3) {
        *r = r
            .clone()
            .set("Organisme responsable", "CFA Régional de Nice")
            .set("SIRET organisme responsable", "35600000000048")
            .set("Code postal organisme responsable", "06000")
            .set("Commune organisme responsable", "Nice")
            .set("Code postal", "06000")
            .set("Commune", "Nice")
            .set("Code commune INSEE", "06088")
            .set(
                "Référent handicap (courriel)",
                "referent@cfa-nice.example.fr",
            );
    }
    rows
}

fn build_ok(site: &Site, input: &Path) {
    let out = site.build(input);
    assert!(out.status.success(), "{}", said(&out));
}

fn read(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn a_build_writes_the_site_and_the_ledger_and_a_second_build_is_byte_identical() {
    let site = Site::new();
    let input = site.path("offre.xlsx");
    write_xlsx(&input, &rows());
    build_ok(&site, &input);
    let first = site.files("public");
    let ledger = read(&site, "urls-publiees.csv");
    assert_eq!(
        ledger.lines().filter(|l| l.starts_with("offre,")).count(),
        6
    );
    assert_eq!(ledger.lines().filter(|l| l.starts_with("cfa,")).count(), 2);
    let offer_pages = first
        .iter()
        .filter(|(p, b)| {
            p.starts_with("public/formations/") && String::from_utf8_lossy(b).contains("ld+json")
        })
        .count();
    assert_eq!(offer_pages, 6);
    build_ok(&site, &input);
    let second = site.files("public");
    assert_eq!(first.len(), second.len());
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.0, b.0);
        assert!(a.1 == b.1, "{} differs between two builds", a.0);
    }
    assert_eq!(read(&site, "urls-publiees.csv"), ledger);
}

#[test]
fn old_urls_keep_answering_after_an_import_that_renames_closes_and_drops_offers() {
    let site = Site::new();
    let input = site.path("offre.xlsx");
    let mut rows = rows();
    write_xlsx(&input, &rows);
    build_ok(&site, &input);
    let old = |id: &str| {
        let ledger = read(&site, "urls-publiees.csv");
        ledger
            .lines()
            .find(|l| l.starts_with(&format!("offre,{id},")))
            .map(|l| l.split(',').nth(2).unwrap().to_string())
            .unwrap()
    };
    let renamed = old("AF_2027_000001");
    let closed = old("AF_2027_000002");
    let dropped = old("AF_2027_000005");

    rows[0] = rows[0].clone().set(
        "Intitulé de la formation",
        "CAP Coiffure, nouveau programme",
    );
    rows[1].yellow = true;
    rows[1] = rows[1]
        .clone()
        .set("Date de début 2027", "")
        .set("Date de fin 2027", "");
    rows.remove(4);
    write_xlsx(&input, &rows);
    let out = site.build(&input);
    assert!(out.status.success(), "{}", said(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("offers withdrawn           2"), "{stdout}");
    assert!(stdout.contains("offers renamed             1"), "{stdout}");

    let page = |path: &str| read(&site, &format!("public{path}index.html"));
    let new_path = old("AF_2027_000001");
    assert_ne!(new_path, renamed);
    let redirect = page(&renamed);
    assert!(redirect.contains("http-equiv=\"refresh\""), "{redirect}");
    assert!(redirect.contains(&new_path));
    let rules = read(&site, "public/_redirects");
    assert!(
        rules.contains(&format!("{renamed} {new_path} 301!")),
        "{rules}"
    );
    for gone in [&closed, &dropped] {
        let html = page(gone);
        assert!(
            html.contains("Cette formation n'est plus proposée"),
            "{gone}: {html}"
        );
        assert!(html.contains("/cfa/"), "{gone} links to its CFA");
    }
    let ledger = read(&site, "urls-publiees.csv");
    assert!(ledger.contains(&format!("offre,AF_2027_000001,{renamed},redirigee")));
    assert!(ledger.contains(&format!("offre,AF_2027_000002,{closed},retiree")));
    assert!(ledger.contains(&format!("offre,AF_2027_000005,{dropped},retiree")));
}

#[test]
fn a_failed_build_leaves_the_previous_site_and_ledger_intact() {
    let site = Site::new();
    let input = site.path("offre.xlsx");
    write_xlsx(&input, &rows());
    build_ok(&site, &input);
    let before = site.files("public");
    let ledger = read(&site, "urls-publiees.csv");

    // A site template with a broken link: the build must fail, naming page and link.
    std::fs::create_dir_all(site.path("templates")).unwrap();
    std::fs::write(
        site.path("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Perdu</h1><a href=\"/nulle-part/\">x</a>{% endblock main %}",
    )
    .unwrap();
    let mut changed = rows();
    changed.remove(0);
    write_xlsx(&input, &changed);
    let out = site.build(&input);
    assert!(!out.status.success(), "{}", said(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("404.html → /nulle-part/"), "{err}");
    assert_eq!(
        site.files("public"),
        before,
        "the previous site is untouched"
    );
    assert_eq!(
        read(&site, "urls-publiees.csv"),
        ledger,
        "the ledger is untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(site.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn spreadsheet_text_with_markup_and_template_syntax_comes_out_as_text() {
    let site = Site::new();
    let input = site.path("offre.csv");
    let evil = "CAP <script>alert(1)</script> \"x\" {{ site.title }} {% if true %}";
    let mut rows = rows();
    rows[0] = rows[0]
        .clone()
        .set("Intitulé de la formation", evil)
        .set("Description", evil)
        .set("Site web", "javascript:alert(1)");
    write_csv(&input, &rows);
    build_ok(&site, &input);
    let ledger = read(&site, "urls-publiees.csv");
    let path = ledger
        .lines()
        .find(|l| l.starts_with("offre,AF_2027_000001,"))
        .map(|l| l.split(',').nth(2).unwrap().to_string())
        .unwrap();
    let html = read(&site, &format!("public{path}index.html"));
    assert!(
        html.contains("<h1>CAP &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("{{ site.title }} {% if true %}"));
    assert!(!html.contains("javascript:"));
    // As elements (not text in the title or an attribute): only the JSON-LD block and
    // the site's own script file.
    let tags = site_support::tags_only(&html);
    assert_eq!(tags.matches("<script").count(), 2, "{tags}");
    assert_eq!(html.matches("<script src=\"/assets/site.").count(), 1);
}
