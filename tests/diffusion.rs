//! Diffusion to partner sites (issue 12): LHÉO 2.3, the national catalogue's shape, the
//! described open data, programme markup, links out and the embeddable CFA list. Each
//! test builds a site with the binary from rows it writes beside its assertions.

mod common;
use common::{Row, Site, said, write_csv, write_xlsx};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// Three published offers of two CFAs, with different places, dates and durations, a
/// long street and markup-like text; one closed and one non-compliant row that must
/// appear nowhere.
fn rows() -> Vec<Row> {
    vec![
        Row::valid("AF_D_1")
            .set("Latitude", "43.2988")
            .set("Longitude", "5.3811"),
        Row::valid("AF_D_2")
            .set("Intitulé de la formation", "BTS Management <commercial> & opérationnel")
            .set("Type de diplôme", "BTS")
            .set("Niveau", "5")
            .set("Code RNCP", "RNCP38362")
            .set("Code diplôme (CFD)", "32031213")
            .set("Codes ROME", "D1401; D1406; D1502; M1704; E1401; D1503")
            .set("Adresse lieu de formation", "Zone industrielle des Paluds, 123 avenue du Général de Gaulle prolongée, bâtiment B")
            .set("Code postal", "13400")
            .set("Commune", "Aubagne")
            .set("Code commune INSEE", "13005")
            .set("Parcoursup", "Oui")
            .set("Affelnet", "Non")
            .set("Durée du cycle (mois)", "24")
            .set("Date de début 2027", "15/09/2027")
            .set("Date de fin 2027", "30/06/2029"),
        Row::valid("AF_D_3")
            .set("Organisme responsable", "Lycée professionnel \"Les Palmiers\"")
            .set("SIRET organisme responsable", "19350030300014")
            .set("UAI organisme responsable", "0851372E")
            .set("N° de déclaration d'activité (NDA)", "93060123456")
            .set("Organisme formateur", "Lycée professionnel \"Les Palmiers\"")
            .set("SIRET organisme formateur", "19350030300014")
            .set("Code postal", "06000")
            .set("Commune", "Nice")
            .set("Code commune INSEE", "06088")
            // A cycle of the diploma's normal length (a 12-month CAP entered in the
            // first year is now refused: it would be the diploma's last year).
            .set("Durée du cycle (mois)", "24")
            .set("Date de début 2027", "01/09/2027")
            .set("Date de fin 2027", "30/06/2029"),
        Row {
            yellow: true,
            ..Row::valid("AF_D_CLOSED")
        }
        .set("Date de début 2027", "")
        .set("Date de fin 2027", ""),
        Row::valid("AF_D_BAD").set("SIRET organisme responsable", "12345678901234"),
    ]
}

fn built(rows: &[Row]) -> Site {
    let site = Site::new();
    let input = site.path("offres.xlsx");
    write_xlsx(&input, rows);
    let out = site.build(&input);
    assert!(out.status.success(), "{}", said(&out));
    site
}

fn read(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn json(site: &Site, rel: &str) -> Value {
    serde_json::from_str(&read(site, rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The ids `verdicts.json` says are published.
fn published_ids(site: &Site) -> BTreeSet<String> {
    json(site, "report/verdicts.json")
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["status"] == "published")
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect()
}

/// Runs `xmllint --schema` on `files`; `None` when xmllint is not installed.
fn xmllint(files: &[&Path]) -> Option<std::process::Output> {
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lheo/lheo.xsd");
    let mut cmd = Command::new("xmllint");
    cmd.arg("--noout").arg("--schema").arg(xsd).args(files);
    match cmd.output() {
        Ok(out) => Some(out),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "\n!!!!!!!! SKIPPED: xmllint is not installed, the LHÉO files were NOT validated \
                 against lheo.xsd. Install Debian's libxml2-utils (tests/browser/run.sh does).\n"
            );
            None
        }
        Err(e) => panic!("xmllint: {e}"),
    }
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn the_lheo_export_validates_and_holds_one_action_per_published_offer() {
    let site = built(&rows());
    let published = published_ids(&site);
    assert_eq!(published.len(), 3, "{published:?}");
    let whole = read(&site, "public/donnees/lheo.xml");
    assert!(whole.contains("xmlns=\"http://lheo.gouv.fr/2.3\""));
    assert_eq!(count(&whole, "<action "), published.len());
    for id in &published {
        assert_eq!(
            count(&whole, &format!("<action numero=\"{id}\">")),
            1,
            "{id}"
        );
    }
    for absent in ["AF_D_CLOSED", "AF_D_BAD"] {
        assert!(!whole.contains(absent), "{absent} is not published");
    }
    // One formation per certification and CFA: the two CAP of the first CFA share one.
    assert_eq!(count(&whole, "<formation "), 3);
    // Responsible organisation with SIRET, NDA and UAI; place with coordinates; the
    // disability referent as a « référent handicap » contact; apprenticeship extras.
    for needle in [
        "<SIRET>73282932000074</SIRET>",
        "<numero-activite>93060123456</numero-activite>",
        "<code-UAI>0851372E</code-UAI>",
        "<latitude>",
        "<type-contact>1</type-contact>",
        "<extra info=\"parcoursup\">1</extra>",
        "<extra info=\"entree-premiere-annee\">1</extra>",
        "<debut>20270915</debut>",
        "BTS Management &lt;commercial&gt; &amp; opérationnel",
    ] {
        assert!(whole.contains(needle), "missing {needle}");
    }
    // Each CFA has its own file beside its page, together holding every action.
    let per_cfa: Vec<(String, Vec<u8>)> = site
        .files("public/cfa")
        .into_iter()
        .filter(|(p, _)| p.ends_with("/lheo.xml"))
        .collect();
    assert_eq!(per_cfa.len(), 2);
    let actions: usize = per_cfa
        .iter()
        .map(|(_, b)| count(&String::from_utf8_lossy(b), "<action "))
        .sum();
    assert_eq!(actions, published.len());

    let mut files = vec![site.path("public/donnees/lheo.xml")];
    files.extend(per_cfa.iter().map(|(p, _)| site.path(p)));
    let refs: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    if let Some(out) = xmllint(&refs) {
        assert!(
            out.status.success(),
            "LHÉO invalid against lheo.xsd:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Valid SIRETs (Luhn) standing for the responsible organisations the real fixture has
/// no SIRET for (shared/reference-data.md).
const SIRETS: [&str; 7] = [
    "73282932000074",
    "98222438800016",
    "19350030300014",
    "26590673500120",
    "77572845400205",
    "13002975400020",
    "18974011100035",
];

/// The real national offers (tests/fixtures/real, Parcoursup 2020 via the national
/// catalogue) with the columns that list has no source for filled with valid stand-ins
/// (SIRET, NDA, RNCP, street, contacts, dates from the real cycle length), so that they
/// publish: the real titles, diplomas, CFDs, UAIs, towns, CEDEX postcodes and INSEE codes
/// then go through the LHÉO export.
fn completed_real_offers(out: &Path) -> usize {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real/offres-reelles.csv");
    let text = std::fs::read_to_string(&fixture).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let at = |h: &str| {
        header
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("{h}"))
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_path(out)
        .unwrap();
    w.write_record(&header).unwrap();
    let mut rows = 0;
    for rec in reader.records() {
        let mut r: Vec<String> = rec.unwrap().iter().map(str::to_string).collect();
        let fill = |r: &mut Vec<String>, h: &str, v: &str| {
            let i = at(h);
            if r[i].trim().is_empty() {
                r[i] = v.to_string();
            }
        };
        let uai = r[at("UAI organisme responsable")].clone();
        let siret = SIRETS[uai.bytes().map(usize::from).sum::<usize>() % SIRETS.len()];
        let months: u32 = r[at("Durée du cycle (mois)")].parse().unwrap_or(24).max(6);
        let end = chrono::NaiveDate::from_ymd_opt(2027, 9, 1).unwrap()
            + chrono::Months::new(months)
            - chrono::Days::new(1);
        let (postcode, town) = (r[at("Code postal")].clone(), r[at("Commune")].clone());
        let trainer = r[at("Organisme formateur")].clone();
        fill(&mut r, "Organisme responsable", &trainer);
        fill(&mut r, "Code postal organisme responsable", &postcode);
        fill(&mut r, "Commune organisme responsable", &town);
        for h in ["SIRET organisme responsable", "SIRET organisme formateur"] {
            fill(&mut r, h, siret);
        }
        fill(&mut r, "N° de déclaration d'activité (NDA)", "93131234513");
        fill(&mut r, "Code RNCP", "RNCP99999");
        fill(
            &mut r,
            "Adresse organisme responsable",
            "1 place de la Mairie",
        );
        fill(&mut r, "Adresse lieu de formation", "1 place de la Mairie");
        fill(&mut r, "Qualiopi mention apprentissage", "Oui");
        fill(&mut r, "Habilitation certificateur", "Oui");
        fill(&mut r, "Téléphone", "04 91 12 34 56");
        fill(&mut r, "Courriel", "contact@cfa.example.fr");
        fill(&mut r, "Référent handicap (nom)", "Référent handicap");
        fill(&mut r, "Référent handicap (téléphone)", "04 91 12 34 57");
        fill(&mut r, "Entrée en 1re année en apprentissage", "Oui");
        fill(&mut r, "Date de début 2027", "01/09/2027");
        fill(
            &mut r,
            "Date de fin 2027",
            &end.format("%d/%m/%Y").to_string(),
        );
        w.write_record(&r).unwrap();
        rows += 1;
    }
    w.flush().unwrap();
    rows
}

#[test]
fn the_lheo_export_of_real_offers_validates() {
    let site = Site::new();
    let input = site.path("reelles.csv");
    let rows = completed_real_offers(&input);
    assert!(rows > 4000, "{rows}");
    let out = site.build(&input);
    assert!(out.status.success(), "{}", said(&out));
    let published = published_ids(&site);
    // Most real offers publish once completed (some keep a real defect: a duration
    // inconsistent with the diploma, a place without a known town…).
    assert!(
        published.len() * 10 > rows * 7,
        "{} of {rows}",
        published.len()
    );
    let whole = read(&site, "public/donnees/lheo.xml");
    assert_eq!(count(&whole, "<action "), published.len());
    eprintln!(
        "real offers: {} of {rows} published, each an LHÉO action",
        published.len()
    );
    let catalogue = json(&site, "public/donnees/catalogue.json");
    assert_eq!(catalogue.as_array().unwrap().len(), published.len());
    if let Some(out) = xmllint(&[&site.path("public/donnees/lheo.xml")]) {
        assert!(
            out.status.success(),
            "LHÉO of the real offers invalid:\n{}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .take(20)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn catalogue_json_reads_back_with_the_identifiers_place_dates_and_duration_of_each_offer() {
    let rows = rows();
    let site = built(&rows);
    let published = published_ids(&site);
    let records: Vec<Value> = json(&site, "public/donnees/catalogue.json")
        .as_array()
        .unwrap()
        .clone();
    let by_id: BTreeMap<String, &Value> = records
        .iter()
        .map(|r| (r["id_action"].as_str().unwrap().to_string(), r))
        .collect();
    assert_eq!(by_id.len(), records.len(), "one record per offer");
    assert_eq!(by_id.keys().cloned().collect::<BTreeSet<_>>(), published);
    let iso = |d: &str| {
        let (day, rest) = d.split_once('/').unwrap();
        let (month, year) = rest.split_once('/').unwrap();
        format!("{year}-{month}-{day}")
    };
    for row in rows
        .iter()
        .filter(|r| published.contains(r.get("N° action")))
    {
        let r = by_id[row.get("N° action")];
        let s = |k: &str| r[k].as_str().unwrap_or_else(|| panic!("{k} in {r}"));
        assert_eq!(s("cfd"), row.get("Code diplôme (CFD)"));
        assert_eq!(s("rncp_code"), row.get("Code RNCP"));
        assert_eq!(s("uai_formation"), row.get("UAI lieu de formation"));
        assert_eq!(
            s("etablissement_gestionnaire_siret"),
            row.get("SIRET organisme responsable")
        );
        assert_eq!(
            s("etablissement_gestionnaire_uai"),
            row.get("UAI organisme responsable")
        );
        assert_eq!(
            s("etablissement_formateur_siret"),
            row.get("SIRET organisme formateur")
        );
        assert_eq!(s("code_postal"), row.get("Code postal"));
        assert_eq!(s("localite"), row.get("Commune"));
        assert_eq!(s("code_commune_insee"), row.get("Code commune INSEE"));
        assert_eq!(
            s("lieu_formation_adresse"),
            row.get("Adresse lieu de formation")
        );
        assert_eq!(
            r["date_debut"],
            serde_json::json!([iso(row.get("Date de début 2027"))])
        );
        assert_eq!(
            r["date_fin"],
            serde_json::json!([iso(row.get("Date de fin 2027"))])
        );
        let months: f64 = row.get("Durée du cycle (mois)").parse().unwrap();
        let years: f64 = s("duree").parse().unwrap();
        assert!(
            (years * 12.0 - months).abs() < 0.1,
            "{years} years for {months} months"
        );
        assert_eq!(r["published"], true);
    }
}

/// A value of `offres.csv` against the type and constraints of its `schema.json` field.
fn conforms(field: &Value, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return if field["constraints"]["required"] == true {
            Err("required".into())
        } else {
            Ok(())
        };
    }
    let ok = match field["type"].as_str().unwrap() {
        "string" => true,
        "integer" => value.parse::<i64>().is_ok(),
        "number" => value.parse::<f64>().is_ok(),
        "boolean" => value == "oui" || value == "non",
        "date" => chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok(),
        other => return Err(format!("unknown type {other}")),
    };
    if !ok {
        return Err(format!("not a {}", field["type"]));
    }
    if let Some(p) = field["constraints"]["pattern"].as_str()
        && !regex::Regex::new(p).unwrap().is_match(value)
    {
        return Err(format!("does not match {p}"));
    }
    if field["format"] == "uri" && !value.starts_with("https://") && !value.starts_with("http://") {
        return Err("not a URI".into());
    }
    Ok(())
}

#[test]
fn the_open_data_is_described_by_its_table_schema() {
    let site = built(&rows());
    let schema = json(&site, "public/donnees/schema.json");
    let fields = schema["fields"].as_array().unwrap();
    assert_eq!(schema["primaryKey"], "id");
    for f in fields {
        for key in ["name", "title", "description", "type"] {
            assert!(f[key].as_str().is_some_and(|s| !s.is_empty()), "{f}");
        }
    }
    let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    let csv_text = read(&site, "public/donnees/offres.csv");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header, names,
        "the CSV columns are the schema's fields, in order"
    );
    let mut lines = 0;
    for rec in reader.records() {
        let rec = rec.unwrap();
        lines += 1;
        for (f, v) in fields.iter().zip(rec.iter()) {
            conforms(f, v).unwrap_or_else(|e| panic!("{} = {v:?}: {e}", f["name"]));
        }
    }
    assert_eq!(lines, 3);
    for obj in json(&site, "public/donnees/offres.json")
        .as_array()
        .unwrap()
    {
        for key in obj.as_object().unwrap().keys() {
            assert!(names.contains(&key.as_str()), "{key} is not described");
        }
    }
}

#[test]
fn the_donnees_page_lists_every_download_with_its_size_licence_and_date() {
    let site = Site::new();
    let toml = site.path("vitrine.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str("\n[site]\nlicence = \"ODbL 1.0\"\nlicence_url = \"https://opendatacommons.org/licenses/odbl/1-0/\"\n");
    std::fs::write(&toml, text).unwrap();
    let input = site.path("x.xlsx");
    write_xlsx(&input, &rows());
    let out = site.build(&input);
    assert!(out.status.success(), "{}", said(&out));
    let page = read(&site, "public/donnees/index.html");
    for file in [
        "donnees/offres.csv",
        "donnees/offres.json",
        "donnees/schema.json",
        "donnees/catalogue.json",
        "donnees/lheo.xml",
    ] {
        assert!(page.contains(&format!("/{file}")), "{file} not listed");
        let bytes = std::fs::metadata(site.path(&format!("public/{file}")))
            .unwrap()
            .len();
        assert!(bytes > 0);
    }
    // The size shown is the file's (the LHÉO one is counted while it is streamed).
    let lheo = std::fs::metadata(site.path("public/donnees/lheo.xml"))
        .unwrap()
        .len();
    assert!(lheo < 1_000_000);
    let shown = format!("{} ko", (lheo as f64 / 1000.0).round());
    assert!(
        page.contains(&shown),
        "lheo.xml is {lheo} bytes: {shown} not on the page"
    );
    assert!(page.contains("ODbL 1.0"), "the configured licence");
    assert!(page.contains(" ko<") || page.contains(" Mo<") || page.contains(" octets<"));
    assert!(
        page.contains("<time datetime=20") || page.contains("<time datetime=\"20"),
        "a date"
    );
    let schema = json(&site, "public/donnees/schema.json");
    assert_eq!(schema["licenses"][0]["title"], "ODbL 1.0");
}

/// The schema.org subset: type → (supertypes, own properties).
fn vocabulary() -> BTreeMap<String, (Vec<String>, BTreeSet<String>)> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schemaorg/vocabulaire.tsv"),
    )
    .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.split('\t');
            let name = parts.next().unwrap().to_string();
            let supers = parts
                .next()
                .unwrap_or("")
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let props = parts
                .next()
                .unwrap_or("")
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            (name, (supers, props))
        })
        .collect()
}

fn allows(vocab: &BTreeMap<String, (Vec<String>, BTreeSet<String>)>, ty: &str, prop: &str) -> bool {
    let Some((supers, props)) = vocab.get(ty) else {
        return false;
    };
    props.contains(prop) || supers.iter().any(|s| allows(vocab, s, prop))
}

/// Checks one JSON-LD node and its children: known types, properties of those types.
fn check_node(
    vocab: &BTreeMap<String, (Vec<String>, BTreeSet<String>)>,
    node: &Value,
    types_seen: &mut BTreeSet<String>,
) {
    match node {
        Value::Array(items) => items.iter().for_each(|i| check_node(vocab, i, types_seen)),
        Value::Object(map) => {
            let types: Vec<String> = match map.get("@type") {
                Some(Value::String(t)) => vec![t.clone()],
                Some(Value::Array(ts)) => {
                    ts.iter().map(|t| t.as_str().unwrap().to_string()).collect()
                }
                _ => vec![],
            };
            for t in &types {
                assert!(vocab.contains_key(t), "schema.org has no type {t}");
                types_seen.insert(t.clone());
            }
            for (k, v) in map {
                if k == "@graph" {
                    check_node(vocab, v, types_seen);
                    continue;
                }
                if k.starts_with('@') {
                    continue;
                }
                if !types.is_empty() {
                    assert!(
                        types.iter().any(|t| allows(vocab, t, k)),
                        "{k} is not a property of {types:?}"
                    );
                }
                check_node(vocab, v, types_seen);
            }
        }
        _ => {}
    }
}

fn json_ld(html: &str) -> Value {
    serde_json::from_str(json_ld_text(html)).expect("the JSON-LD parses")
}

/// The JSON-LD block's text, as the page holds it.
fn json_ld_text(html: &str) -> &str {
    let start = html
        .find("<script type=application/ld+json>")
        .map(|i| i + "<script type=application/ld+json>".len())
        .or_else(|| {
            html.find("<script type=\"application/ld+json\">")
                .map(|i| i + "<script type=\"application/ld+json\">".len())
        })
        .expect("a JSON-LD block");
    let end = start + html[start..].find("</script>").unwrap();
    &html[start..end]
}

#[test]
fn every_offer_page_is_marked_up_as_a_work_based_programme_in_schema_org_terms() {
    let site = built(&rows());
    let vocab = vocabulary();
    // The checker tells a property of a type (or of an ancestor) from one that is not.
    assert!(allows(&vocab, "WorkBasedProgram", "occupationalCategory"));
    assert!(allows(&vocab, "WorkBasedProgram", "timeToComplete"));
    assert!(allows(&vocab, "WorkBasedProgram", "name"));
    assert!(!allows(&vocab, "WorkBasedProgram", "courseCode"));
    assert!(!allows(&vocab, "CourseInstance", "timeToComplete"));
    let mut pages = 0;
    let mut types_seen = BTreeSet::new();
    for (path, bytes) in site.files("public/formations") {
        if !path.ends_with("index.html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        let doc = json_ld(&html);
        // Every object's keys in byte order, the order serde_json's maps write: the
        // document (typed structs, src/site/jsonld.rs) reads the same from one build
        // to the next, and as the maps it replaced wrote it.
        let remade = serde_json::to_string(&doc)
            .unwrap()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026");
        assert_eq!(json_ld_text(&html), remade, "{path}: keys out of order");
        assert_eq!(doc["@context"], "https://schema.org");
        let graph = doc["@graph"].as_array().expect("a graph");
        let programme = graph
            .iter()
            .find(|n| n["@type"] == "WorkBasedProgram")
            .unwrap_or_else(|| panic!("{path}: no WorkBasedProgram"));
        for key in [
            "timeToComplete",
            "educationalCredentialAwarded",
            "occupationalCategory",
            "provider",
            "programPrerequisites",
        ] {
            assert!(programme.get(key).is_some(), "{path}: no {key}");
        }
        assert!(graph.iter().any(|n| n["@type"] == "Course"), "{path}");
        check_node(&vocab, &doc, &mut types_seen);
    }
    assert_eq!(pages, 3);
    // The Parcoursup offer carries the campaign's application window.
    let bts = site
        .files("public/formations")
        .into_iter()
        .find(|(p, _)| p.contains("bts-management"))
        .unwrap();
    let doc = json_ld(&String::from_utf8(bts.1).unwrap());
    let programme = doc["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["@type"] == "WorkBasedProgram")
        .unwrap()
        .clone();
    assert!(
        programme["applicationStartDate"]
            .as_str()
            .is_some_and(|d| d.starts_with("2027-"))
    );
    assert!(
        programme["applicationDeadline"]
            .as_str()
            .is_some_and(|d| d.starts_with("2027-"))
    );
    for t in [
        "Course",
        "CourseInstance",
        "WorkBasedProgram",
        "CategoryCode",
        "PostalAddress",
    ] {
        assert!(types_seen.contains(t), "{t} was checked");
    }
}

#[test]
fn every_page_has_open_graph_and_twitter_card_tags() {
    let site = built(&rows());
    let mut pages = 0;
    for (path, bytes) in site.files("public") {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        if html.contains("http-equiv=refresh") || html.contains("http-equiv=\"refresh\"") {
            continue;
        }
        pages += 1;
        for tag in ["og:title", "og:description", "og:url", "twitter:card"] {
            assert!(html.contains(tag), "{path}: no {tag}");
        }
        // X takes a card's title and description from Open Graph: not repeated.
        for tag in ["twitter:title", "twitter:description"] {
            assert!(!html.contains(tag), "{path}: {tag} repeats its og: tag");
        }
    }
    assert!(pages > 10);
    let offer = site
        .files("public/formations")
        .into_iter()
        .find(|(p, _)| p.contains("bts-management"))
        .unwrap();
    let html = String::from_utf8(offer.1).unwrap();
    // Markup from the export stays text, in the tags as in the page.
    assert!(html.contains("og:title"));
    assert!(!html.contains("<commercial>"), "{html}");
}

#[test]
fn offer_pages_link_out_to_where_the_family_acts() {
    let site = built(&rows());
    let files = site.files("public/formations");
    let page = |needle: &str| {
        String::from_utf8(
            files
                .iter()
                .find(|(p, _)| p.contains(needle) && p.ends_with("index.html"))
                .unwrap()
                .1
                .clone(),
        )
        .unwrap()
    };
    let cap = page("af-d-1");
    // Affelnet offer (a CAP after the 3e), not Parcoursup.
    assert!(cap.contains("Candidater sur Affelnet"));
    assert!(!cap.contains("Candidater sur Parcoursup"));
    assert!(cap.contains("Trouver un employeur"));
    assert!(
        cap.contains("romes=D1202"),
        "La bonne alternance prefilled with the ROME code"
    );
    assert!(cap.contains("address=Marseille"));
    assert!(cap.contains("francecompetences.fr/recherche/rncp/37472/"));
    let bts = page("bts-management");
    assert!(bts.contains("Candidater sur Parcoursup"));
    assert!(
        bts.contains("romes=D1401%2CD1406"),
        "every ROME code, comma-separated"
    );
    // External links: same tab, named as external for screen readers.
    for html in [&cap, &bts] {
        assert!(!html.contains("target=_blank") && !html.contains("target=\"_blank\""));
        assert!(html.contains("(site externe)"));
    }
    let handicap = read(&site, "public/handicap/index.html");
    for name in ["Agefiph", "MDPH", "Cap emploi"] {
        assert!(handicap.contains(name), "{name} on the disability page");
    }
}

#[test]
fn each_cfa_gets_an_embeddable_list_and_a_snippet_to_copy() {
    let site = built(&rows());
    let snippets: Vec<(String, Vec<u8>)> = site
        .files("public/cfa")
        .into_iter()
        .filter(|(p, _)| p.ends_with("/integrer/index.html"))
        .collect();
    assert_eq!(snippets.len(), 2);
    for (path, bytes) in &snippets {
        let html = String::from_utf8(bytes.clone()).unwrap();
        // The snippet is shown as text, and previewed in a titled iframe.
        assert!(html.contains("&lt;iframe src="), "{path}");
        let start = html.find("<iframe").expect("a preview iframe");
        let tag = &html[start..start + html[start..].find('>').unwrap()];
        assert!(
            tag.contains("src=/integrer/") || tag.contains("src=\"/integrer/"),
            "{path}: {tag}"
        );
        assert!(tag.contains("title="), "{path}: {tag}");
    }
    let embeds: Vec<(String, Vec<u8>)> = site.files("public/integrer");
    assert_eq!(
        embeds.len(),
        2,
        "one minimal page per CFA, nothing else framable"
    );
    for (path, bytes) in embeds {
        let html = String::from_utf8(bytes).unwrap();
        assert!(!html.contains("<script"), "{path}: no script");
        assert!(
            html.contains("target=_top") || html.contains("target=\"_top\""),
            "{path}: links leave the frame"
        );
        assert!(html.contains("noindex"), "{path}");
    }
    // Not in the sitemap: tools for CFAs, not pages to find.
    assert!(!read(&site, "public/sitemap.xml").contains("/integrer/"));
}

#[test]
fn a_csv_export_gets_the_same_diffusion_files() {
    // The CSV path (no markings) must reach the same outputs.
    let site = Site::new();
    let input = site.path("x.csv");
    write_csv(&input, &rows()[..3]);
    let out = site.build(&input);
    assert!(out.status.success(), "{}", said(&out));
    for f in [
        "donnees/lheo.xml",
        "donnees/catalogue.json",
        "donnees/schema.json",
        "donnees/index.html",
    ] {
        assert!(site.path(&format!("public/{f}")).exists(), "{f}");
    }
}
