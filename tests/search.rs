//! `vitrine build` then `vitrine search` and `vitrine serve` on an export generated here:
//! the index answers with the search semantics (AND, prefix, accents, one typo, filters),
//! the static export is content-hashed and stable, and serve answers /api/search.

mod common;

use common::{Row, Site, said, write_xlsx};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn catalogue(site: &Site) -> std::path::PathBuf {
    let titles = [
        (
            "AF_2027_000101",
            "CAP Métiers de la coiffure",
            "CAP",
            "3",
            "D1202",
        ),
        ("AF_2027_000102", "BP Coiffure", "BP", "4", "D1202"),
        ("AF_2027_000103", "CAP Boulanger", "CAP", "3", "D1102"),
        (
            "AF_2027_000104",
            "Mention complémentaire Boulangerie spécialisée",
            "MC",
            "3",
            "D1102",
        ),
        ("AF_2027_000105", "CAP Pâtissier", "CAP", "3", "D1104"),
        ("AF_2027_000106", "CAP Cuisine", "CAP", "3", "G1602"),
        ("AF_2027_000107", "CAP Électricien", "CAP", "3", "F1602"),
    ];
    let rows: Vec<Row> = titles
        .iter()
        .map(|(id, title, diploma, level, rome)| {
            Row::valid(id)
                .set("Intitulé de la formation", title)
                .set("Codes ROME", rome)
                .set("Type de diplôme", diploma)
                .set("Niveau", level)
                .set(
                    "Description",
                    "Deux ans en alternance entre le CFA et l'entreprise.",
                )
                .set("Domaine (Formacode / NSF)", "Artisanat")
        })
        .collect();
    let path = site.path("export.xlsx");
    write_xlsx(&path, &rows);
    path
}

fn search(site: &Site, args: &[&str]) -> Value {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    let out = site.run(&all);
    assert!(out.status.success(), "{}", said(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn ids(answer: &Value) -> Vec<&str> {
    answer["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect()
}

#[test]
fn the_index_answers_like_the_search_page_promises() {
    let site = Site::new();
    let out = site.build(&catalogue(&site));
    assert!(out.status.success(), "{}", said(&out));

    let coiffure = search(&site, &["coiffure"]);
    assert_eq!(coiffure["count"], 2);
    let hits = coiffure["hits"].as_array().unwrap();
    // The shorter title ranks first (BM25 length normalisation), scores go down.
    assert_eq!(ids(&coiffure), ["AF_2027_000102", "AF_2027_000101"]);
    assert!(hits[0]["score"].as_f64() > hits[1]["score"].as_f64());
    for h in hits {
        let url = h["url"].as_str().unwrap();
        assert!(url.starts_with("/formations/"), "{url}");
        assert!(
            site.path(&format!("public{url}index.html")).exists(),
            "{url}"
        );
    }

    // Accents and case do not matter.
    assert_eq!(ids(&search(&site, &["PATISSIER"]))[0], "AF_2027_000105");
    assert_eq!(ids(&search(&site, &["électricien"])), ["AF_2027_000107"]);
    // "Boulanger-pâtissier" is a job of the bakers' ROME code: they come, below.
    assert_eq!(
        ids(&search(&site, &["pâtissier"]))[..3],
        ["AF_2027_000105", "AF_2027_000103", "AF_2027_000104"]
    );
    // The last word is a prefix; a diploma type is preferred, not required.
    assert_eq!(
        ids(&search(&site, &["cap boul"])),
        ["AF_2027_000103", "AF_2027_000104"]
    );
    assert_eq!(search(&site, &["boul"])["count"], 2);
    // A job word finds the offers of its trade (ROME appellations).
    assert_eq!(
        ids(&search(&site, &["viennoisier"])),
        ["AF_2027_000103", "AF_2027_000104"]
    );
    // Every word must match; when no offer has them all, those with the most, flagged.
    let approx = search(&site, &["coiffure boulanger"]);
    assert_eq!(
        (approx["count"].clone(), approx["approx"].clone()),
        (4.into(), true.into())
    );
    assert_eq!(search(&site, &["coiffure astronaute"])["count"], 2);
    // One typo in a word of five letters or more, none in shorter words.
    assert_eq!(ids(&search(&site, &["cuisime"])), ["AF_2027_000106"]);
    assert_eq!(search(&site, &["cxp"])["count"], 0);
    // Limit and filters.
    assert_eq!(ids(&search(&site, &["cap", "--limit", "2"])).len(), 2);
    // Alone, a diploma type is a filter.
    assert_eq!(search(&site, &["cap"])["count"], 5);
    assert_eq!(search(&site, &["cap", "--filter", "dep=13"])["count"], 5);
    assert_eq!(
        search(&site, &["cap", "--filter", "diplome=cap"])["count"],
        5
    );
    assert_eq!(search(&site, &["cap", "--filter", "dep=06"])["count"], 0);
    assert_eq!(search(&site, &["", "--filter", "niveau=3"])["count"], 6);

    let bad = site.run(&["search", "cap", "--filter", "commune=Nice"]);
    assert!(!bad.status.success());
    assert!(said(&bad).contains("unknown filter"), "{}", said(&bad));
}

#[test]
fn the_static_export_is_content_hashed_and_stable() {
    let site = Site::new();
    let input = catalogue(&site);
    assert!(site.build(&input).status.success());
    let first = site.files("public/recherche/index");
    assert!(first.len() >= 6, "{}", first.len());
    assert!(first.iter().any(|(p, _)| p.contains("/manifest-")));
    // Single files are named after their hash; numbered families (postings packs,
    // records) live in a folder named after the hash of their files' hashes.
    let mut families: std::collections::BTreeMap<&str, Vec<(usize, Vec<u8>)>> = Default::default();
    for (path, bytes) in &first {
        let rel = path.trim_start_matches("public/recherche/index/");
        match rel.split_once('/') {
            None => {
                let hash = rel.split('-').nth(1).unwrap().split('.').next().unwrap();
                assert_eq!(hash, vitrine::search::export::hash(bytes), "{path}");
            }
            Some((dir, file)) => {
                let n: usize = file.split('.').next().unwrap().parse().unwrap();
                families.entry(dir).or_default().push((n, bytes.clone()));
            }
        }
    }
    assert_eq!(families.len(), 3, "postings, records and places");
    for (dir, mut family) in families {
        family.sort();
        let bytes: Vec<Vec<u8>> = family.into_iter().map(|(_, b)| b).collect();
        let hash = dir.split('-').nth(1).unwrap();
        assert_eq!(hash, vitrine::search::export::family_hash(&bytes), "{dir}");
    }
    let page = std::fs::read_to_string(site.path("public/recherche/index.html")).unwrap();
    let manifest = first
        .iter()
        .find(|(p, _)| p.contains("/manifest-"))
        .unwrap();
    assert!(
        page.contains(manifest.0.trim_start_matches("public")),
        "page names the manifest"
    );
    assert!(site.build(&input).status.success());
    assert_eq!(
        site.files("public/recherche/index"),
        first,
        "same input, same bytes"
    );
    // What the tantivy index is made from stays in build/, and no index in public/.
    assert!(site.path("build/index.docs").exists());
    assert!(
        !site
            .files("public")
            .iter()
            .any(|(name, _)| name.ends_with("meta.json") || name.ends_with(".docs")),
        "the index stays out of public/"
    );
}

/// Kills the server however the test ends.
struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string())?;
    Some((status, body))
}

#[test]
fn serve_answers_pages_and_the_search_api() {
    let site = Site::new();
    let input = catalogue(&site);
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _server = Server(
        Command::new(env!("CARGO_BIN_EXE_vitrine"))
            .current_dir(site.dir.path())
            .args(["serve", "--port", &port.to_string(), "--input"])
            .arg(&input)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let (status, api) = loop {
        if let Some(r) = get(port, "/api/search?q=p%C3%A2tissier&limit=5") {
            break r;
        }
        assert!(
            Instant::now() < deadline,
            "serve did not answer within 60 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(status, 200, "{api}");
    let api: Value = serde_json::from_str(&api).unwrap();
    assert_eq!(api["hits"][0]["id"], "AF_2027_000105");

    let (status, page) = get(port, "/recherche/").unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("data-manifest="), "the search page");
    assert!(
        page.contains("/__vitrine/livereload.js"),
        "live reload in serve mode"
    );
    let (status, _) = get(port, "/__vitrine/livereload.js").unwrap();
    assert_eq!(status, 200);
    let (status, _) = get(port, "/../vitrine.toml").unwrap();
    assert_eq!(status, 404, "nothing outside public/");
    assert!(
        !site.path("public/__vitrine").exists(),
        "serve writes nothing of its own into public/"
    );
}

#[test]
fn offers_without_rome_codes_take_those_of_their_rncp_sheet() {
    let site = Site::new();
    // The France compétences export, extracted, with its optional ROME part.
    let dir = site.path("rncp");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in [
        (
            "export_fiches_CSV_Standard_2027_01_15.csv",
            "Numero_Fiche;Date_Fin_Enregistrement;Nomenclature_Europe_Niveau;Actif\r\nRNCP37472;31/12/2030;NIV3;ACTIVE\r\n",
        ),
        (
            "export_fiches_CSV_VoixdAccès_2027_01_15.csv",
            "Numero_Fiche;Si_Jury\r\nRNCP37472;En contrat d’apprentissage\r\n",
        ),
        (
            "export_fiches_CSV_Certificateurs_2027_01_15.csv",
            "Numero_Fiche;Siret_Certificateur;Nom_Certificateur\r\nRNCP37472;\t73282932000074;X\r\n",
        ),
        (
            "export_fiches_CSV_Partenaires_2027_01_15.csv",
            "Numero_Fiche;Nom_Partenaire;Siret_Partenaire;Habilitation_Partenaire\r\n",
        ),
        (
            "export_fiches_CSV_Rome_2027_01_15.csv",
            "Numero_Fiche;Codes_Rome_Code;Codes_Rome_Libelle\r\nRNCP37472;F1608;Carreleur\r\n",
        ),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let rows = vec![
        Row::valid("AF_2027_000201")
            .set("Intitulé de la formation", "CAP Revêtements")
            .set("Codes ROME", ""),
        Row::valid("AF_2027_000202")
            .set("Intitulé de la formation", "CAP Revêtements")
            .set("Codes ROME", "D1202"),
    ];
    let input = site.path("export.xlsx");
    write_xlsx(&input, &rows);
    let out = site.run(&[
        "build",
        "--input",
        input.to_str().unwrap(),
        "--rncp",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", said(&out));
    // Only the offer without codes takes the sheet's trade (the other keeps its own).
    assert_eq!(ids(&search(&site, &["carreleur"])), ["AF_2027_000201"]);
}

#[test]
fn search_answers_from_the_last_build_whose_index_it_writes_when_first_asked() {
    let site = Site::new();
    let out = site.build(&catalogue(&site));
    assert!(out.status.success(), "{}", said(&out));
    // The build publishes the static export; the tantivy index comes with the first query.
    assert!(!site.path("build/index/meta.json").exists());
    assert_eq!(ids(&search(&site, &["cuisine"])), ["AF_2027_000106"]);
    assert!(site.path("build/index/meta.json").exists());

    // A later build changes an offer: the next query sees it, not the old index.
    let rows = vec![
        Row::valid("AF_2027_000106")
            .set("Intitulé de la formation", "CAP Fleuriste")
            .set("Type de diplôme", "CAP")
            .set("Niveau", "3"),
    ];
    let path = site.path("export-2.xlsx");
    write_xlsx(&path, &rows);
    let out = site.build(&path);
    assert!(out.status.success(), "{}", said(&out));
    assert_eq!(search(&site, &["cuisine"])["count"], 0);
    assert_eq!(ids(&search(&site, &["fleuriste"])), ["AF_2027_000106"]);

    // Documents that are not the last build's are refused, not searched.
    std::fs::write(site.path("build/index.docs"), b"not documents").unwrap();
    std::fs::remove_dir_all(site.path("build/index")).unwrap();
    let out = site.run(&["search", "fleuriste"]);
    assert!(!out.status.success());
    assert!(
        said(&out).contains("run `vitrine build` first"),
        "{}",
        said(&out)
    );
}
