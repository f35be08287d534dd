//! The conformity report on a fixture export of three CFAs: totals add up, each CFA page
//! lists exactly that CFA's problems, and the CSV opens cleanly in French Excel.

mod common;
use common::{Row, Site, said, write_xlsx};
use serde_json::Value;

/// A valid row of the second CFA, in Nice.
fn azur(id: &str) -> Row {
    Row::valid(id)
        .set("Organisme responsable", "CFA Azur <Formation>")
        .set("SIRET organisme responsable", "98222438800016")
        .set("UAI organisme responsable", "0061234J")
        .set("Code postal organisme responsable", "06000")
        .set("Commune organisme responsable", "Nice")
        .set("Organisme formateur", "CFA Azur")
        .set("SIRET organisme formateur", "98222438800016")
        .set("UAI lieu de formation", "0061234J")
        .set("Code postal", "06000")
        .set("Commune", "Nice")
        .set("Code commune INSEE", "06088")
}

/// A valid row of the third CFA, which has nothing to fix.
fn propre(id: &str) -> Row {
    Row::valid(id)
        .set("Organisme responsable", "CFA Sans Faute")
        .set("SIRET organisme responsable", "77572845400205")
}

fn fixture() -> Vec<Row> {
    let mut closed = azur("AZ_FERMEE").set("Date de début 2027", "");
    closed.yellow = true;
    vec![
        Row::valid("MA_OK"),
        Row::valid("MA_SIRET")
            .set("SIRET organisme responsable", "73282932000075")
            .set("SIRET organisme formateur", "12345678901234"),
        Row::valid("MA_FORMULE")
            .set(
                "Intitulé de la formation",
                "=HYPERLINK(\"http://evil.example\")",
            )
            .set("Site web", "-1+cmd|' /C calc'!A0"),
        Row::valid("MA_DATES")
            .set("Date de début 2027", "")
            .set("Qualiopi mention apprentissage", "Non"),
        azur("AZ_OK"),
        azur("AZ_UAI").set("UAI organisme responsable", "0061234K"),
        azur("AZ_URL").set("Site web", "htps://www.cfa-azur.fr"),
        closed,
        propre("SF_1"),
        propre("SF_2"),
    ]
}

fn run(site: &Site) -> Vec<Value> {
    let input = site.path("export.xlsx");
    write_xlsx(&input, &fixture());
    let out = site.run(&["check", "--input", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    serde_json::from_str(&std::fs::read_to_string(site.path("report/verdicts.json")).unwrap())
        .unwrap()
}

#[test]
fn totals_add_up() {
    let site = Site::new();
    let verdicts = run(&site);
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(site.path("report/summary.json")).unwrap())
            .unwrap();
    let n = |k: &str| summary[k].as_u64().unwrap();
    assert_eq!(n("rows_read"), 10);
    assert_eq!(
        n("published") + n("non_reglementaire") + n("closed"),
        n("rows_read")
    );
    assert_eq!(n("non_reglementaire"), 3);
    assert_eq!(n("closed"), 1);
    let count = |status: &str| verdicts.iter().filter(|v| v["status"] == status).count() as u64;
    assert_eq!(count("published"), n("published"));
    // Each reason is counted once per offer that has it.
    assert_eq!(summary["reasons"]["siret_invalid"], 1);
    assert_eq!(summary["reasons"]["dates_missing"], 1);
    assert_eq!(summary["reasons"]["qualiopi_missing"], 1);
    assert_eq!(summary["reasons"]["uai_invalid"], 1);
    assert_eq!(summary["warnings"]["url_invalid"], 2);

    let index = std::fs::read_to_string(site.path("report/index.html")).unwrap();
    assert!(
        index.contains("<strong>10</strong> actions lues"),
        "{index}"
    );
    assert!(index.contains("<strong>3</strong> non réglementaires"));
    // The CFA names come out escaped, with links to their pages.
    assert!(index.contains("CFA Azur &lt;Formation&gt;"));
    assert!(!index.contains("<Formation>"));
    for slug in [
        "cfa-des-metiers-de-marseille-73282932000074",
        "cfa-azur-formation-98222438800016",
        "cfa-sans-faute-77572845400205",
    ] {
        assert!(
            index.contains(&format!("href=\"cfa/{slug}.html\"")),
            "{slug}"
        );
    }
    // Controls without their reference table are named.
    assert!(index.contains("<code>qualiopi_missing</code>"));
}

#[test]
fn each_cfa_page_lists_exactly_that_cfas_problems() {
    let site = Site::new();
    run(&site);
    let page = |slug: &str| {
        std::fs::read_to_string(site.path(&format!("report/cfa/{slug}.html"))).unwrap()
    };
    let marseille = page("cfa-des-metiers-de-marseille-73282932000074");
    let azur = page("cfa-azur-formation-98222438800016");
    let propre = page("cfa-sans-faute-77572845400205");
    // MA_SIRET has an invalid SIRET, so its key differs: it has its own page.
    let siret = page("cfa-des-metiers-de-marseille-73282932000075");

    let ids = |html: &str| -> Vec<&'static str> {
        [
            "MA_OK",
            "MA_SIRET",
            "MA_FORMULE",
            "MA_DATES",
            "AZ_OK",
            "AZ_UAI",
            "AZ_URL",
            "AZ_FERMEE",
            "SF_1",
            "SF_2",
        ]
        .into_iter()
        .filter(|id| html.contains(&format!("<td>{id}</td>")))
        .collect()
    };
    assert_eq!(ids(&marseille), vec!["MA_FORMULE", "MA_DATES"]);
    assert_eq!(ids(&siret), vec!["MA_SIRET"]);
    // Its name carries `<…>`: every row of it gets a `name_suspicious` warning.
    assert_eq!(ids(&azur), vec!["AZ_OK", "AZ_UAI", "AZ_URL"]);
    assert_eq!(ids(&propre), Vec::<&str>::new());
    assert!(propre.contains("Aucune action à corriger"));

    // The row, the field, the value found and what to do.
    assert!(
        marseille.contains("<td class=\"n\">7</td><td>MA_DATES</td>"),
        "{marseille}"
    );
    assert!(marseille.contains("<td>Date de début 2027</td>"));
    assert!(marseille.contains("<td>Qualiopi mention apprentissage</td><td>Non</td>"));
    assert!(marseille.contains("Indiquez les dates de début et de fin"));
    assert!(azur.contains("<td>UAI organisme responsable</td><td>0061234K</td>"));
    // Warnings are in their own section: the offer is published.
    let (fix, check) = azur.split_once("À vérifier (actions publiées)").unwrap();
    assert!(fix.contains("AZ_UAI") && !fix.contains("AZ_URL"));
    assert!(check.contains("AZ_URL") && check.contains("www.cfa-azur.fr"));
    // Printable: a print stylesheet inline.
    assert!(azur.contains("@media print"));
}

#[test]
fn the_csv_opens_cleanly_in_french_excel() {
    let site = Site::new();
    run(&site);
    let bytes = std::fs::read(site.path("report/non-conformes.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(
        text.starts_with("Ligne;N° action;Intitulé de la formation;"),
        "{text}"
    );
    assert!(text.ends_with("\r\n"));
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "CRLF only"
    );

    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // One line per offer and reason: MA_SIRET (both SIRETs on one line), MA_FORMULE
    // (url), MA_DATES (x2), AZ_UAI, AZ_URL, and the `<…>` in the name of each AZ row.
    let lines: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r[at("N° action")].to_string(), r[at("Code")].to_string()))
        .collect();
    assert_eq!(
        lines,
        [
            ("MA_SIRET", "siret_invalid"),
            ("MA_FORMULE", "url_invalid"),
            ("MA_DATES", "qualiopi_missing"),
            ("MA_DATES", "dates_missing"),
            ("AZ_OK", "name_suspicious"),
            ("AZ_UAI", "uai_invalid"),
            ("AZ_UAI", "name_suspicious"),
            ("AZ_URL", "url_invalid"),
            ("AZ_URL", "name_suspicious"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    for r in &rows {
        for cell in r.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
    let formula = rows
        .iter()
        .find(|r| &r[at("N° action")] == "MA_FORMULE")
        .unwrap();
    assert_eq!(
        &formula[at("Intitulé de la formation")],
        "'=HYPERLINK(\"http://evil.example\")"
    );
    assert_eq!(&formula[at("Valeur trouvée")], "'-1+cmd|' /C calc'!A0");
    assert_eq!(&formula[at("Ligne")], "6");
    let siret = rows
        .iter()
        .find(|r| &r[at("N° action")] == "MA_SIRET")
        .unwrap();
    assert_eq!(
        &siret[at("Champ")],
        "SIRET organisme responsable | SIRET organisme formateur"
    );
    assert_eq!(
        &siret[at("Valeur trouvée")],
        "73282932000075 | 12345678901234"
    );
}

#[test]
fn the_same_export_gives_the_same_report_bytes() {
    let site = Site::new();
    run(&site);
    let first = site.files("report");
    run(&site);
    assert_eq!(site.files("report"), first);
    assert!(
        first.len() >= 7,
        "{:?}",
        first.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
}

/// One part of a zip archive as text.
fn zip_part(path: &std::path::Path, name: &str) -> Option<String> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut f = z.by_name(name).ok()?;
    let mut s = String::new();
    std::io::Read::read_to_string(&mut f, &mut s).unwrap();
    Some(s)
}

#[test]
fn each_cfa_gets_a_workbook_to_fix_and_the_mail_merge_lists_them() {
    let site = Site::new();
    run(&site);
    let book = site.path("report/cfa/cfa-azur-formation-98222438800016.xlsx");
    assert!(book.exists());
    // Two sheets: the summary first, then its rows.
    let workbook = zip_part(&book, "xl/workbook.xml").unwrap();
    let (first, second) = (
        workbook.find("name=\"Synthèse\"").unwrap(),
        workbook.find("name=\"Offres\"").unwrap(),
    );
    assert!(first < second, "{workbook}");
    // The summary counts its rows and says what to do.
    let shared = zip_part(&book, "xl/sharedStrings.xml").unwrap();
    assert!(shared.contains("Non réglementaires (non publiées)"));
    assert!(shared.contains("UAI invalide"), "{shared}");
    assert!(
        shared.contains("0061234K"),
        "the value as found is in its cell"
    );
    // The problem cells are filled (orange blocks, yellow to check) and carry a note.
    let styles = zip_part(&book, "xl/styles.xml").unwrap();
    assert!(styles.contains("FFF4B183") && styles.contains("FFFFE699"));
    let notes = zip_part(&book, "xl/comments1.xml").unwrap();
    assert!(
        notes.contains("UAI invalide (bloquant)") && notes.contains("À faire : Vérifiez l'UAI"),
        "{notes}"
    );
    assert!(notes.contains("Site web invalide (à vérifier)"), "{notes}");
    // The CFA's markup-like name is text in the workbook, never markup.
    assert!(shared.contains("CFA Azur &lt;Formation&gt;"));
    // Every part is stored, none deflated (vendor/rust_xlsxwriter/VITRINE.md), and a
    // spreadsheet reader opens it whole.
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&book).unwrap()).unwrap();
    assert!(archive.len() >= 8);
    for i in 0..archive.len() {
        let part = archive.by_index(i).unwrap();
        assert_eq!(
            part.compression(),
            zip::CompressionMethod::Stored,
            "{:?}",
            part.name()
        );
    }
    use calamine::Reader;
    let mut opened: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    assert_eq!(opened.sheet_names(), ["Synthèse", "Offres"]);
    let offers = opened.worksheet_range("Offres").unwrap();
    assert!(
        offers.rows().any(|r| r.iter().any(|c| *c == "0061234K")),
        "the value as found is read back from its cell"
    );
    // The mail-merge list: one line per CFA with its e-mail, counts and two files.
    let envoi = std::fs::read_to_string(site.path("report/envoi.csv")).unwrap();
    let lines: Vec<&str> = envoi.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 1 + 4, "{envoi}");
    let azur = lines.iter().find(|l| l.contains("98222438800016")).unwrap();
    assert!(
        azur.contains("contact@cfa-metiers.example.fr")
            && azur.contains("cfa/cfa-azur-formation-98222438800016.html")
            && azur.contains("cfa/cfa-azur-formation-98222438800016.xlsx"),
        "{azur}"
    );
    // LibreOffice, when installed, opens it and sees the notes and the fills.
    let soffice = ["libreoffice", "soffice"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    match soffice {
        None => eprintln!("libreoffice not installed: the headless conversion was not run"),
        Some(cmd) => {
            let out_dir = site.path("converted");
            let out = std::process::Command::new(cmd)
                .args(["--headless", "--convert-to", "ods", "--outdir"])
                .arg(&out_dir)
                .arg(&book)
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", said(&out));
            let ods = out_dir.join("cfa-azur-formation-98222438800016.ods");
            let content = zip_part(&ods, "content.xml").unwrap();
            assert!(content.contains("office:annotation"), "notes survive");
            assert!(content.contains("Vérifiez l&apos;UAI") || content.contains("Vérifiez l'UAI"));
            assert!(
                content.to_lowercase().contains("#f4b183"),
                "the orange fill survives"
            );
        }
    }
}
