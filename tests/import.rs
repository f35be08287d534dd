//! The importer on real files made here: xlsx from the shared fixture writer
//! (`common::workbook`, plus a few hand-patched styles), ODS and CSV written by hand, and
//! every broken file the importer must refuse with a message that says where the problem
//! is.

mod common;

use chrono::NaiveDate;
use common::workbook::{BLUE, Cell, Color, Line, RED, Sheet, Workbook, patch_part, zip_parts};
use std::path::{Path, PathBuf};
use vitrine::config::Limits;
use vitrine::import::headers::COLUMNS;
use vitrine::import::{self, Format as FileFormat, ImportError};
use vitrine::model::{Diploma, Offer};

// ---------------------------------------------------------------------------------------
// Fixtures

fn s(t: &str) -> Cell {
    Cell::Text(t.to_string())
}

fn row(cells: Vec<Cell>) -> Line {
    Line::new(cells)
}

fn headers() -> Vec<&'static str> {
    COLUMNS.iter().map(|c| c.name).collect()
}

fn col(name: &str) -> usize {
    headers()
        .iter()
        .position(|h| *h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn header_row() -> Line {
    row(headers().into_iter().map(s).collect())
}

/// A complete, valid offer row.
fn good(id: &str) -> Vec<Cell> {
    let mut v = vec![Cell::Empty; COLUMNS.len()];
    let mut set = |name: &str, x: Cell| v[col(name)] = x;
    set("N° action", s(id));
    set(
        "Intitulé de la formation",
        s("BTS Management commercial opérationnel"),
    );
    set("Type de diplôme", s("BTS"));
    set("Niveau", Cell::Number(5.0));
    set("Code RNCP", s("RNCP38362"));
    set("Code diplôme (CFD)", s("32031213"));
    set("Codes ROME", s("D1401; D1503"));
    set("Domaine (Formacode / NSF)", s("Commerce, vente"));
    set("Description", s("Deux ans en alternance."));
    set("Organisme responsable", s("CFA de la CCI de Marseille"));
    set("SIRET organisme responsable", s("73282932000074"));
    set("UAI organisme responsable", s("0133406G"));
    set("N° de déclaration d'activité (NDA)", s("93131234513"));
    set("Adresse organisme responsable", s("12 rue Paradis"));
    set("Code postal organisme responsable", s("13001"));
    set("Commune organisme responsable", s("Marseille"));
    set("Qualiopi mention apprentissage", s("Oui"));
    set("Habilitation certificateur", s("Oui"));
    set("Organisme formateur", s("CFA de la CCI de Marseille"));
    set("SIRET organisme formateur", s("73282932000074"));
    set("UAI lieu de formation", s("0133406G"));
    set("Adresse lieu de formation", s("12 rue Paradis"));
    set("Code postal", s("13001"));
    set("Commune", s("Marseille"));
    set("Téléphone", s("04 91 12 34 56"));
    set("Courriel", s("contact@cfa.example.org"));
    set("Site web", s("https://cfa.example.org"));
    set("Référent handicap (nom)", s("Nathalie Roux"));
    set(
        "Référent handicap (courriel)",
        s("handicap@cfa.example.org"),
    );
    set("Durée du cycle (mois)", Cell::Number(24.0));
    set("Entrée en 1re année en apprentissage", s("Oui"));
    set("Date de début 2027", Cell::Date(2027, 9, 1));
    set("Date de fin 2027", Cell::Date(2029, 6, 30));
    v
}

fn with(mut v: Vec<Cell>, name: &str, x: Cell) -> Vec<Cell> {
    v[col(name)] = x;
    v
}

fn read(path: &Path) -> import::Import {
    import::read(path, &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn read_err(path: &Path, limits: &Limits) -> (ImportError, String) {
    match import::read(path, limits) {
        Ok(_) => panic!("{} should have been refused", path.display()),
        Err(e) => {
            let msg = e.to_string();
            (e, msg)
        }
    }
}

fn by_id<'a>(offers: &'a [Offer], id: &str) -> &'a Offer {
    offers
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no offer {id}"))
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

// ---------------------------------------------------------------------------------------
// Markings

#[test]
fn markings_are_read_in_many_shades_and_greys_mean_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("marques.xlsx");
    let mut rows = vec![header_row()];
    let mut add = |id: &str, f: &dyn Fn(&mut Line)| {
        let mut r = row(good(id));
        f(&mut r);
        rows.push(r);
    };
    // Closed: pure yellow, pale yellows, gold tints of the theme palette.
    add("Y1", &|r| r.fill = Some(Color::RGB(0xFFFF00)));
    add("Y2", &|r| r.fill = Some(Color::RGB(0xFFFF99)));
    add("Y3", &|r| r.fill = Some(Color::RGB(0xFFF2CC)));
    add("Y4", &|r| r.fill = Some(Color::Theme(7, 1))); // Gold, accent 4, lighter 80 %
    add("Y5", &|r| r.fill = Some(Color::Theme(7, 2))); // lighter 60 %
    add("Y6", &|r| r.fill = Some(Color::RGB(0x123456))); // patched to indexed 13 below
    // New: blue fonts, theme blue, and indexed blue.
    add("B1", &|r| r.font = Some(Color::RGB(0x0000FF)));
    add("B2", &|r| r.font = Some(Color::RGB(0x0070C0)));
    add("B3", &|r| r.font = Some(Color::Theme(4, 0))); // Blue, accent 1
    add("B4", &|r| r.font = Some(Color::Theme(4, 4))); // darker 25 %
    add("B5", &|r| r.font = Some(Color::RGB(0x654321))); // patched to indexed 12 below
    // Changed: red cells in several shades, one indexed.
    add("R1", &|r| {
        r.cell_fonts = vec![
            (col("Téléphone"), Color::RGB(0xFF0000)),
            (col("Courriel"), Color::RGB(0xC00000)),
        ]
    });
    add("R2", &|r| {
        r.cell_fonts = vec![(col("Date de début 2027"), Color::RGB(0xABCDEF))] // → indexed 10
    });
    add("R3", &|r| {
        // A new row with one changed cell.
        r.font = Some(Color::RGB(0x0070C0));
        r.cell_fonts = vec![(col("Niveau"), Color::RGB(0xE60000))];
    });
    // Not markings: white, greys, black, green; a single yellow cell is not a row.
    add("N1", &|r| r.fill = Some(Color::RGB(0xFFFFFF)));
    add("N2", &|r| r.fill = Some(Color::RGB(0xD9D9D9)));
    add("N3", &|r| r.font = Some(Color::RGB(0x000000)));
    add("N4", &|r| r.font = Some(Color::RGB(0x808080)));
    add("N5", &|r| r.fill = Some(Color::RGB(0xC6EFCE)));
    add("N6", &|r| {
        r.cell_fills = vec![(col("Commune"), Color::RGB(0xFFFF00))]
    });
    add("N7", &|r| r.font = Some(Color::Theme(1, 2))); // Black, text 1, lighter 50 %
    Workbook::new()
        .sheet(Sheet::new("Offre").lines(rows))
        .save(&path);
    // The Office 2013+ theme (rust_xlsxwriter writes the 2007 one): accent 4 is gold.
    patch_part(&path, "xl/theme/theme1.xml", |x| {
        x.replace("8064A2", "FFC000")
    });
    patch_part(&path, "xl/styles.xml", |x| {
        x.replace("rgb=\"FF123456\"", "indexed=\"13\"")
            .replace("rgb=\"FF654321\"", "indexed=\"12\"")
            .replace("rgb=\"FFABCDEF\"", "indexed=\"10\"")
    });

    let imp = read(&path);
    assert!(imp.source.has_markings);
    let o = &imp.offers;
    for id in ["Y1", "Y2", "Y3", "Y4", "Y5", "Y6"] {
        let m = &by_id(o, id).marks;
        assert!(m.closed && !m.new, "{id} should be closed: {m:?}");
    }
    for id in ["B1", "B2", "B3", "B4", "B5"] {
        let m = &by_id(o, id).marks;
        assert!(m.new && !m.closed, "{id} should be new: {m:?}");
        assert!(m.changed_columns.is_empty(), "{id}: {m:?}");
    }
    assert_eq!(
        by_id(o, "R1").marks.changed_columns,
        ["Téléphone", "Courriel"]
    );
    assert_eq!(by_id(o, "R2").marks.changed_columns, ["Date de début 2027"]);
    let r3 = &by_id(o, "R3").marks;
    assert!(r3.new);
    assert_eq!(r3.changed_columns, ["Niveau"]);
    for id in ["N1", "N2", "N3", "N4", "N5", "N6", "N7"] {
        let m = &by_id(o, id).marks;
        assert!(
            !m.closed && !m.new && m.changed_columns.is_empty(),
            "{id} carries no marking: {m:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Values

#[test]
fn values_are_normalised_from_every_usual_format() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("valeurs.xlsx");
    let base = good;
    let rows = vec![
        header_row(),
        // Numbers that lost their leading zeros, a SIRET stored as a number.
        row(with(
            with(
                with(
                    base("A1"),
                    "SIRET organisme responsable",
                    Cell::Number(1_935_003_030_014.0),
                ),
                "Code postal",
                Cell::Number(4000.0),
            ),
            "Code postal organisme responsable",
            s("6 000"),
        )),
        // Text dates, levels, cycles, yes/no, phones, e-mails, RNCP, ROME, coordinates.
        row({
            let mut v = base("A2");
            for (c, x) in [
                ("Date de début 2027", s("01/09/2027")),
                ("Date de fin 2027", s("30/6/29")),
                ("Niveau", s("Niveau 5")),
                ("Durée du cycle (mois)", s("2 ans")),
                ("Qualiopi mention apprentissage", s("OUI")),
                ("Habilitation certificateur", s("x")),
                ("Entrée en 1re année en apprentissage", s("non")),
                ("Téléphone", s("+33 (0)4 91 12 34 56")),
                ("Courriel", s("  Contact@CFA.Example.org ")),
                ("Code RNCP", s("rncp 38362")),
                ("Codes ROME", s("d1401, D1503 d1402")),
                ("Latitude", s("43,2965")),
                ("Longitude", Cell::Number(5.3698)),
                ("UAI organisme responsable", s(" 0133406g ")),
                ("N° de déclaration d'activité (NDA)", s("93 13 12345 13")),
                ("Type de diplôme", s("Brevet de technicien supérieur")),
            ] {
                v[col(c)] = x;
            }
            v
        }),
        row({
            let mut v = base("A3");
            for (c, x) in [
                ("Date de début 2027", s("2027-09-01 00:00:00")),
                ("Date de fin 2027", Cell::Number(47299.0)),
                ("Niveau", s("niveau III")),
                ("Durée du cycle (mois)", s("18 mois")),
                ("Code RNCP", Cell::Number(38362.0)),
                ("Téléphone", Cell::Number(491_123_456.0)),
                ("Capacité d'accueil", s("15 places")),
            ] {
                v[col(c)] = x;
            }
            v
        }),
        row({
            let mut v = base("A4");
            for (c, x) in [
                ("Niveau", s("5 (Bac+2)")),
                ("Durée du cycle (mois)", s("1 an et demi")),
                ("Date de début 2027", s("1/9/27")),
                ("Code RNCP", s("RS 5000")),
            ] {
                v[col(c)] = x;
            }
            v
        }),
        // Values that cannot be understood: findings, fields left empty, row kept.
        row({
            let mut v = base("A5");
            for (c, x) in [
                ("Date de début 2027", s("septembre 2027")),
                ("Niveau", s("Bac+2")),
                ("Durée du cycle (mois)", s("deux ans")),
                ("Qualiopi mention apprentissage", s("en cours")),
                ("Téléphone", s("04 91 12")),
                ("Courriel", s("contact at cfa")),
                ("Latitude", s("43.3")),
                ("Capacité d'accueil", s("une quinzaine")),
                ("Codes ROME", s("D1401; vente")),
            ] {
                v[col(c)] = x;
            }
            v
        }),
        // No N° action but data: kept under a made-up id, with a finding.
        row(with(base("x"), "N° action", Cell::Empty)),
        // An empty row in the middle is skipped.
        row(vec![Cell::Empty; 3]),
        row(vec![s("  ")]),
        row(base("A8")),
    ];
    Workbook::new()
        .sheet(Sheet::new("Offre").lines(rows))
        .save(&path);
    let imp = read(&path);
    let o = &imp.offers;
    assert_eq!(imp.offers.len(), 7, "empty rows are skipped");

    let a1 = by_id(o, "A1");
    assert_eq!(a1.row, 2);
    assert_eq!(a1.responsible.siret.as_deref(), Some("01935003030014"));
    assert_eq!(a1.place.address.postcode.as_deref(), Some("04000"));
    assert_eq!(a1.responsible.address.postcode.as_deref(), Some("06000"));
    assert_eq!(a1.start, date(2027, 9, 1));
    assert_eq!(a1.end, date(2029, 6, 30));
    assert_eq!(a1.level, Some(5));
    assert_eq!(a1.cycle_months, Some(24));
    assert_eq!(a1.diploma, Some(Diploma::Bts));
    assert!(a1.findings.is_empty(), "{:?}", a1.findings);

    let a2 = by_id(o, "A2");
    assert_eq!(a2.start, date(2027, 9, 1));
    assert_eq!(a2.end, date(2029, 6, 30));
    assert_eq!(a2.level, Some(5));
    assert_eq!(a2.cycle_months, Some(24));
    assert_eq!(a2.responsible.qualiopi, Some(true));
    assert_eq!(a2.responsible.habilitation, Some(true));
    assert_eq!(a2.first_year_apprenticeship, Some(false));
    let phone = a2.contact.phone.as_ref().unwrap();
    // Shown as families dial it; typed `+33 (0)4 91 12 34 56`.
    assert_eq!(phone.display, "04 91 12 34 56");
    assert_eq!(phone.international.as_deref(), Some("+33491123456"));
    assert_eq!(a2.contact.email.as_deref(), Some("contact@cfa.example.org"));
    assert_eq!(a2.rncp.as_deref(), Some("RNCP38362"));
    assert_eq!(a2.rome, ["D1401", "D1503", "D1402"]);
    let c = a2.place.coordinates.unwrap();
    assert_eq!((c.lat, c.lon), (43.2965, 5.3698));
    assert_eq!(a2.responsible.uai.as_deref(), Some("0133406G"));
    assert_eq!(a2.responsible.nda.as_deref(), Some("93131234513"));
    assert_eq!(a2.diploma, Some(Diploma::Bts));
    assert!(a2.findings.is_empty(), "{:?}", a2.findings);

    let a3 = by_id(o, "A3");
    assert_eq!(a3.start, date(2027, 9, 1));
    assert_eq!(a3.end, date(2029, 6, 30), "Excel serial 47299");
    assert_eq!(a3.level, Some(5), "old nomenclature III is level 5");
    assert_eq!(a3.cycle_months, Some(18));
    assert_eq!(a3.rncp.as_deref(), Some("RNCP38362"));
    assert_eq!(
        a3.contact.phone.as_ref().unwrap().international.as_deref(),
        Some("+33491123456")
    );
    assert_eq!(a3.capacity, Some(15));

    let a4 = by_id(o, "A4");
    assert_eq!(a4.level, Some(5));
    assert_eq!(a4.cycle_months, Some(18));
    assert_eq!(a4.start, date(2027, 9, 1));
    assert_eq!(a4.rncp.as_deref(), Some("RS5000"));

    let a5 = by_id(o, "A5");
    assert_eq!(a5.start, None);
    assert_eq!(a5.level, None);
    assert_eq!(a5.cycle_months, None);
    assert_eq!(a5.responsible.qualiopi, None);
    assert_eq!(a5.contact.email, None);
    assert_eq!(a5.capacity, None);
    assert_eq!(a5.place.coordinates, None);
    assert_eq!(a5.rome, ["D1401"]);
    let phone = a5.contact.phone.as_ref().unwrap();
    assert_eq!(
        (phone.display.as_str(), phone.international.as_deref()),
        ("04 91 12", None)
    );
    let mut columns: Vec<&str> = a5.findings.iter().map(|f| f.column.as_str()).collect();
    columns.sort();
    assert_eq!(
        columns,
        [
            "Capacité d'accueil",
            "Codes ROME",
            "Courriel",
            "Date de début 2027",
            "Durée du cycle (mois)",
            "Latitude",
            "Niveau",
            "Qualiopi mention apprentissage",
            "Téléphone",
        ]
    );
    let start = a5
        .findings
        .iter()
        .find(|f| f.column == "Date de début 2027")
        .unwrap();
    assert_eq!(start.raw, "septembre 2027");
    assert!(start.problem.contains("date"), "{}", start.problem);

    let lost = by_id(o, "ligne-7");
    assert_eq!(lost.row, 7);
    assert_eq!(lost.findings[0].column, "N° action");
    assert_eq!(by_id(o, "A8").row, 10);
}

// ---------------------------------------------------------------------------------------
// Sheet and header row search

#[test]
fn the_header_row_is_found_below_title_lines_on_a_later_sheet_with_aliases() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("alias.xlsx");
    let mut names = headers();
    let alias = |names: &mut Vec<&'static str>, canonical: &str, alias: &'static str| {
        let i = names.iter().position(|h| *h == canonical).unwrap();
        names[i] = alias;
    };
    alias(&mut names, "N° action", "Numéro\naction");
    alias(&mut names, "Code postal", "CP");
    alias(&mut names, "Date de début 2027", "Date début");
    alias(
        &mut names,
        "Référent handicap (nom)",
        "Nom du référent handicap",
    );
    alias(&mut names, "Niveau", "NIVEAU ");
    let mut header: Vec<Cell> = names.into_iter().map(s).collect();
    header.push(s("Remarques CFA"));
    let mut data = good("H1");
    data.push(s("à revoir"));
    let notes = vec![
        row(vec![s("Consignes")]),
        row(vec![s("N° action"), s("Intitulé de la formation")]),
    ];
    let offre = vec![
        row(vec![s("Offre de formation 2027")]),
        row(vec![s("Extraction du 15/11/2026")]),
        row(vec![]),
        row(vec![Cell::Empty, Cell::Empty]),
        row(header),
        row(data),
    ];
    Workbook::new()
        .sheet(Sheet::new("Notes").lines(notes))
        .sheet(Sheet::new("Offre").lines(offre))
        .save(&path);
    let imp = read(&path);
    assert_eq!(imp.source.format, FileFormat::Xlsx);
    assert_eq!(imp.source.sheet.as_deref(), Some("Offre"));
    assert_eq!(imp.source.header_row, 5);
    assert_eq!(imp.offers.len(), 1);
    let o = &imp.offers[0];
    assert_eq!((o.id.as_str(), o.row), ("H1", 6));
    assert_eq!(o.place.address.postcode.as_deref(), Some("13001"));
    assert_eq!(o.start, date(2027, 9, 1));
    assert_eq!(o.referent.name.as_deref(), Some("Nathalie Roux"));
    assert_eq!(imp.warnings.len(), 1, "{:?}", imp.warnings);
    let w = &imp.warnings[0];
    assert!(w.contains("Remarques CFA") && w.contains("AQ"), "{w}");
    assert!(w.contains("sheet \"Offre\"") && w.contains("row 5"), "{w}");
}

// ---------------------------------------------------------------------------------------
// CSV

fn csv_text(sep: char) -> String {
    let quote = |t: &str| {
        if t.contains(sep) || t.contains('"') || t.contains('\n') {
            format!("\"{}\"", t.replace('"', "\"\""))
        } else {
            t.to_string()
        }
    };
    let line = |cells: Vec<String>| {
        cells
            .iter()
            .map(|c| quote(c))
            .collect::<Vec<_>>()
            .join(&sep.to_string())
    };
    let mut out = format!("Export BROF{sep}{sep}\r\n");
    out += &line(headers().iter().map(|h| h.to_string()).collect());
    out += "\r\n";
    let rows = [
        good("C1"),
        with(
            good("C2"),
            "Intitulé de la formation",
            s("CAP Pâtissier; option « été »\nsur deux lignes"),
        ),
        with(good("C3"), "Commune", s("Saint-Étienne-de-Tinée")),
    ];
    for r in rows {
        out += &line(r.iter().map(Cell::shown).collect());
        out += "\r\n";
    }
    out
}

#[test]
fn csv_is_read_in_both_encodings_and_with_both_separators() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "utf8-bom-semicolon.csv",
            [b"\xEF\xBB\xBF".to_vec(), csv_text(';').into_bytes()].concat(),
            "UTF-8",
        ),
        ("utf8-comma.csv", csv_text(',').into_bytes(), "UTF-8"),
        (
            "cp1252-semicolon.csv",
            encoding_rs::WINDOWS_1252
                .encode(&csv_text(';'))
                .0
                .into_owned(),
            "Windows-1252",
        ),
        (
            "cp1252-comma.csv",
            encoding_rs::WINDOWS_1252
                .encode(&csv_text(','))
                .0
                .into_owned(),
            "Windows-1252",
        ),
    ];
    for (name, bytes, encoding) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let imp = read(&path);
        assert_eq!(imp.source.format, FileFormat::Csv, "{name}");
        assert!(!imp.source.has_markings);
        assert_eq!(imp.source.header_row, 2, "{name}");
        assert!(
            imp.warnings[0].contains(encoding),
            "{name}: {:?}",
            imp.warnings
        );
        assert!(
            imp.warnings[0].contains("no markings"),
            "{:?}",
            imp.warnings
        );
        assert_eq!(imp.offers.len(), 3, "{name}");
        let c2 = by_id(&imp.offers, "C2");
        assert_eq!(
            c2.title, "CAP Pâtissier; option « été »\nsur deux lignes",
            "{name}"
        );
        assert_eq!(c2.row, 4);
        let c3 = by_id(&imp.offers, "C3");
        assert_eq!(c3.row, 5, "{name}: a quoted line break is still one row");
        assert_eq!(
            c3.place.address.town.as_deref(),
            Some("Saint-Étienne-de-Tinée")
        );
        assert_eq!(c3.start, date(2027, 9, 1));
        assert_eq!(c3.level, Some(5));
        assert!(c3.findings.is_empty(), "{name}: {:?}", c3.findings);
    }
}

// ---------------------------------------------------------------------------------------
// ODS

fn ods_cell(v: &Cell, style: Option<&str>) -> String {
    let st = style
        .map(|s| format!(" table:style-name=\"{s}\""))
        .unwrap_or_default();
    let esc = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    match v {
        // A cell comment (its paragraphs are not the value) before the value.
        Cell::Text(t) => format!(
            "<table:table-cell{st} office:value-type=\"string\"><office:annotation><text:p>vu le 12/10</text:p></office:annotation><text:p>{}</text:p></table:table-cell>",
            esc(t)
        ),
        Cell::Number(n) => format!(
            "<table:table-cell{st} office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>"
        ),
        Cell::Date(y, m, d) => format!(
            "<table:table-cell{st} office:value-type=\"date\" office:date-value=\"{y}-{m:02}-{d:02}\"><text:p>{d:02}/{m:02}/{y}</text:p></table:table-cell>"
        ),
        Cell::Empty => format!("<table:table-cell{st}/>"),
        Cell::Formula { .. } | Cell::Rich(_) => unreachable!("the ODS fixtures hold values"),
    }
}

#[test]
fn ods_values_and_colours_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("offre.ods");
    let row_xml = |cells: &[Cell], style: Option<&str>, red: Option<usize>| -> String {
        let mut x = String::from("<table:table-row>");
        for (i, v) in cells.iter().enumerate() {
            let st = if red == Some(i) { Some("ceRed") } else { style };
            x += &ods_cell(v, st);
        }
        x + "<table:table-cell table:number-columns-repeated=\"1000\"/></table:table-row>"
    };
    let header: Vec<Cell> = headers().into_iter().map(s).collect();
    let mut body = String::new();
    body += "<table:table table:name=\"Lisez-moi\"><table:table-row><table:table-cell office:value-type=\"string\"><text:p>Rien ici</text:p></table:table-cell></table:table-row></table:table>";
    body += "<table:table table:name=\"Offre\">";
    body += "<table:table-column table:number-columns-repeated=\"50\"/>";
    body += &row_xml(&[s("Offre 2027 &amp; consignes")], None, None);
    body += "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell table:number-columns-repeated=\"50\"/></table:table-row>";
    body += &row_xml(&header, None, None);
    body += &row_xml(&good("O1"), None, None);
    body += &row_xml(&good("O2"), Some("ceYellow"), None);
    body += &row_xml(&good("O3"), Some("ceBlue"), None);
    body += &row_xml(&good("O4"), None, Some(col("Téléphone")));
    body += &row_xml(&good("O5"), Some("ceGrey"), None);
    body += &row_xml(
        &with(
            good("O6"),
            "Intitulé de la formation",
            s("CAP Cuisine & Traiteur"),
        ),
        Some("cePale"),
        None,
    );
    body += "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>";
    body += "</table:table>";
    let content = format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3">
<office:automatic-styles>
<style:style style:name="ceYellow" style:family="table-cell" style:parent-style-name="Default"><style:table-cell-properties fo:background-color="#ffff00"/></style:style>
<style:style style:name="cePale" style:family="table-cell" style:parent-style-name="Jaune"/>
<style:style style:name="ceBlue" style:family="table-cell"><style:text-properties fo:color="#2a6099"/></style:style>
<style:style style:name="ceRed" style:family="table-cell"><style:text-properties fo:color="#c9211e"/></style:style>
<style:style style:name="ceGrey" style:family="table-cell"><style:table-cell-properties fo:background-color="#dddddd"/><style:text-properties fo:color="#666666"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"##
    );
    let styles = r##"<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"><office:styles>
<style:style style:name="Jaune" style:family="table-cell"><style:table-cell-properties fo:background-color="#fff2cc"/></style:style>
</office:styles></office:document-styles>"##;
    zip_parts(
        &path,
        &[
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", &content),
            ("styles.xml", styles),
        ],
    );
    let imp = read(&path);
    assert_eq!(imp.source.format, FileFormat::Ods);
    assert!(imp.source.has_markings);
    assert_eq!(imp.source.sheet.as_deref(), Some("Offre"));
    assert_eq!(imp.source.header_row, 4);
    let o = &imp.offers;
    assert_eq!(o.len(), 6);
    let o1 = by_id(o, "O1");
    assert_eq!(o1.row, 5);
    assert_eq!(o1.start, date(2027, 9, 1));
    assert_eq!(o1.level, Some(5));
    assert!(o1.findings.is_empty(), "{:?}", o1.findings);
    assert!(by_id(o, "O2").marks.closed);
    assert!(by_id(o, "O3").marks.new);
    assert_eq!(by_id(o, "O4").marks.changed_columns, ["Téléphone"]);
    let grey = &by_id(o, "O5").marks;
    assert!(!grey.closed && !grey.new && grey.changed_columns.is_empty());
    let pale = by_id(o, "O6");
    assert!(pale.marks.closed, "inherited from the named style");
    assert_eq!(pale.title, "CAP Cuisine & Traiteur");
}

// ---------------------------------------------------------------------------------------
// File-level errors

fn sample(dir: &Path, name: &str, rows: usize) -> PathBuf {
    let path = dir.join(name);
    let mut r = vec![header_row()];
    for i in 0..rows {
        r.push(row(good(&format!("E{i}"))));
    }
    Workbook::new()
        .sheet(Sheet::new("Offre").lines(r))
        .save(&path);
    path
}

#[test]
fn a_file_that_is_not_a_spreadsheet_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("OFFRE-2027.xlsx");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR rest of an image").unwrap();
    let (e, msg) = read_err(&png, &Limits::default());
    assert!(matches!(e, ImportError::NotASpreadsheet { .. }), "{msg}");
    assert!(
        msg.contains("OFFRE-2027.xlsx") && msg.contains("PNG"),
        "{msg}"
    );

    let pdf = dir.path().join("offre.pdf");
    std::fs::write(&pdf, b"%PDF-1.7").unwrap();
    let (e, msg) = read_err(&pdf, &Limits::default());
    assert!(matches!(e, ImportError::UnsupportedFormat { .. }), "{msg}");
    assert!(msg.contains("offre.pdf") && msg.contains("pdf"), "{msg}");

    let zipped = dir.path().join("archive.xlsx");
    zip_parts(&zipped, &[("readme.txt", "hello")]);
    let (e, msg) = read_err(&zipped, &Limits::default());
    assert!(matches!(e, ImportError::NotASpreadsheet { .. }), "{msg}");
    assert!(msg.contains("archive.xlsx"), "{msg}");
}

#[test]
fn a_truncated_or_corrupt_workbook_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(dir.path(), "tronque.xlsx", 30);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let (e, msg) = read_err(&path, &Limits::default());
    assert!(matches!(e, ImportError::Corrupt { .. }), "{msg}");
    assert!(
        msg.contains("tronque.xlsx") && msg.contains("damaged or truncated"),
        "{msg}"
    );

    // Same size, damaged bytes inside the compressed sheet: the checksum says so.
    let path = sample(dir.path(), "abime.xlsx", 30);
    let mut bytes = std::fs::read(&path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let start = zip
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .data_start()
        .unwrap() as usize;
    for b in &mut bytes[start + 40..start + 80] {
        *b ^= 0x5A;
    }
    std::fs::write(&path, &bytes).unwrap();
    let (e, msg) = read_err(&path, &Limits::default());
    assert!(matches!(e, ImportError::Corrupt { .. }), "{msg}");
    assert!(
        msg.contains("abime.xlsx") && msg.contains("sheet1.xml"),
        "{msg}"
    );
}

/// A minimal OLE compound file with one stream: `EncryptedPackage` is what Excel writes
/// for a password-protected workbook, `Workbook` an old binary .xls. Header, one FAT
/// sector, one directory sector, one data sector.
fn ole_file(path: &Path, stream: &str) {
    let mut f = vec![0u8; 512 * 4];
    f[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    f[0x18..0x1A].copy_from_slice(&0x3Eu16.to_le_bytes()); // minor version
    f[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes()); // major version 3
    f[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes()); // little endian
    f[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes()); // 512-byte sectors
    f[0x20..0x22].copy_from_slice(&6u16.to_le_bytes()); // 64-byte mini sectors
    f[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes()); // one FAT sector
    f[0x30..0x34].copy_from_slice(&1u32.to_le_bytes()); // directory at sector 1
    f[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes()); // mini stream cutoff
    f[0x3C..0x40].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes()); // no mini FAT
    f[0x44..0x48].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes()); // no DIFAT
    f[0x4C..0x50].copy_from_slice(&0u32.to_le_bytes()); // FAT at sector 0
    for i in 1..109 {
        f[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    }
    // FAT (sector 0, file offset 512): sector 0 is FAT, 1 directory, 2 the stream.
    let fat = 512;
    for (i, v) in [0xFFFF_FFFDu32, 0xFFFF_FFFE, 0xFFFF_FFFE]
        .iter()
        .enumerate()
    {
        f[fat + 4 * i..fat + 4 * i + 4].copy_from_slice(&v.to_le_bytes());
    }
    for i in 3..128 {
        f[fat + 4 * i..fat + 4 * i + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    }
    // Directory (sector 1, offset 1024): Root Entry, then the stream.
    let entry =
        |f: &mut Vec<u8>, at: usize, name: &str, kind: u8, child: u32, start: u32, size: u64| {
            let utf16: Vec<u8> = name
                .encode_utf16()
                .chain([0])
                .flat_map(u16::to_le_bytes)
                .collect();
            f[at..at + utf16.len()].copy_from_slice(&utf16);
            f[at + 0x40..at + 0x42].copy_from_slice(&(utf16.len() as u16).to_le_bytes());
            f[at + 0x42] = kind;
            f[at + 0x43] = 1; // black
            f[at + 0x44..at + 0x48].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
            f[at + 0x48..at + 0x4C].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
            f[at + 0x4C..at + 0x50].copy_from_slice(&child.to_le_bytes());
            f[at + 0x74..at + 0x78].copy_from_slice(&start.to_le_bytes());
            f[at + 0x78..at + 0x80].copy_from_slice(&size.to_le_bytes());
        };
    entry(&mut f, 1024, "Root Entry", 5, 1, 0xFFFF_FFFE, 0);
    entry(&mut f, 1024 + 128, stream, 2, 0xFFFF_FFFF, 2, 512);
    std::fs::write(path, f).unwrap();
}

#[test]
fn a_password_protected_workbook_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("protege.xlsx");
    ole_file(&path, "EncryptedPackage");
    let (e, msg) = read_err(&path, &Limits::default());
    assert!(matches!(e, ImportError::Encrypted { .. }), "{msg}");
    assert!(
        msg.contains("protege.xlsx") && msg.contains("password-protected"),
        "{msg}"
    );

    // An old .xls is read (values only); this one holds an empty `Workbook` stream.
    let path = dir.path().join("ancien.xlsx");
    ole_file(&path, "Workbook");
    let (e, msg) = read_err(&path, &Limits::default());
    assert!(matches!(e, ImportError::Corrupt { .. }), "{msg}");
    assert!(msg.contains("ancien.xlsx") && msg.contains(".xls"), "{msg}");
}

#[test]
fn no_header_row_missing_and_duplicate_columns_are_named() {
    let dir = tempfile::tempdir().unwrap();

    let path = dir.path().join("sans-entete.xlsx");
    Workbook::new()
        .sheet(
            Sheet::new("Feuil1").lines([row(vec![s("a"), s("b")]), row(vec![Cell::Number(1.0)])]),
        )
        .sheet(Sheet::new("Feuil2").line(row(vec![s("N° action"), s("Niveau"), s("x")])))
        .save(&path);
    let (e, msg) = read_err(&path, &Limits::default());
    assert!(matches!(e, ImportError::NoHeaderRow { .. }), "{msg}");
    assert!(
        msg.contains("sans-entete.xlsx")
            && msg.contains("\"Feuil1\"")
            && msg.contains("\"Feuil2\""),
        "{msg}"
    );

    let path = dir.path().join("manque.xlsx");
    let keep = |h: &&str| {
        !matches!(
            *h,
            "Code RNCP"
                | "Niveau"
                | "Référent handicap (courriel)"
                | "Référent handicap (téléphone)"
        )
    };
    let header: Vec<Cell> = headers().into_iter().filter(keep).map(s).collect();
    Workbook::new()
        .sheet(Sheet::new("Offre").lines([row(vec![s("Titre")]), row(header)]))
        .save(&path);
    let (e, msg) = read_err(&path, &Limits::default());
    assert!(matches!(e, ImportError::MissingColumns { .. }), "{msg}");
    assert!(msg.contains("manque.xlsx, sheet \"Offre\", row 2"), "{msg}");
    assert!(
        msg.contains("\"Code RNCP\"") && msg.contains("\"Niveau\""),
        "{msg}"
    );
    assert!(
        msg.contains("\"Référent handicap (téléphone)\" or \"Référent handicap (courriel)\""),
        "{msg}"
    );

    let path = dir.path().join("double.xlsx");
    let mut header: Vec<Cell> = headers().into_iter().map(s).collect();
    header.push(s("Niveau de sortie"));
    Workbook::new()
        .sheet(Sheet::new("Offre").lines([row(header), row(good("D1"))]))
        .save(&path);
    let (e, msg) = read_err(&path, &Limits::default());
    assert!(matches!(e, ImportError::DuplicateColumn { .. }), "{msg}");
    assert!(msg.contains("double.xlsx, sheet \"Offre\", row 1"), "{msg}");
    assert!(
        msg.contains("D (Niveau)") && msg.contains("AQ (Niveau de sortie)"),
        "{msg}"
    );
}

#[test]
fn limits_refuse_oversized_sheets_cells_and_row_counts() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(dir.path(), "gros.xlsx", 50);

    let small = Limits {
        max_sheet_bytes: 20_000,
        ..Limits::default()
    };
    let (e, msg) = read_err(&path, &small);
    assert!(matches!(e, ImportError::SheetTooLarge { .. }), "{msg}");
    assert!(msg.contains("gros.xlsx"), "{msg}");
    assert!(
        msg.contains("sheet \"Offre\"") || msg.contains("sharedStrings"),
        "{msg}"
    );

    let few = Limits {
        max_rows: 10,
        ..Limits::default()
    };
    let (e, msg) = read_err(&path, &few);
    assert!(matches!(e, ImportError::TooManyRows { .. }), "{msg}");
    assert!(
        msg.contains("gros.xlsx, sheet \"Offre\"") && msg.contains("10"),
        "{msg}"
    );

    let path = dir.path().join("long.xlsx");
    let long = "x".repeat(300);
    Workbook::new()
        .sheet(Sheet::new("Offre").lines([
            header_row(),
            row(good("L1")),
            row(with(good("L2"), "Description", s(&long))),
        ]))
        .save(&path);
    let short = Limits {
        max_cell_chars: 200,
        ..Limits::default()
    };
    let (e, msg) = read_err(&path, &short);
    assert!(matches!(e, ImportError::CellTooLong { .. }), "{msg}");
    assert!(
        msg.contains("long.xlsx, sheet \"Offre\", row 3, column I (Description)"),
        "{msg}"
    );
}

/// A zip whose sheet inflates far beyond what its central directory declares: the
/// bounded reader counts what really comes out.
#[test]
fn a_decompression_bomb_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample(dir.path(), "bombe.xlsx", 2);
    let big = format!(
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{}</sheetData></worksheet>",
        "<row><c t=\"inlineStr\"><is><t>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</t></is></c></row>"
            .repeat(200_000)
    );
    patch_part(&path, "xl/worksheets/sheet1.xml", |_| big.clone());
    // Lie about the size in the central directory: 100 bytes.
    let mut bytes = std::fs::read(&path).unwrap();
    let name = b"xl/worksheets/sheet1.xml";
    let cd = bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == b"PK\x01\x02")
        .map(|(i, _)| i)
        .find(|&i| &bytes[i + 46..i + 46 + name.len()] == name)
        .unwrap();
    bytes[cd + 24..cd + 28].copy_from_slice(&100u32.to_le_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let limits = Limits {
        max_sheet_bytes: 1_000_000,
        ..Limits::default()
    };
    let (e, msg) = read_err(&path, &limits);
    assert!(
        matches!(
            e,
            ImportError::SheetTooLarge { .. } | ImportError::Corrupt { .. }
        ),
        "{msg}"
    );
    assert!(
        msg.contains("bombe.xlsx") && msg.contains("sheet1.xml"),
        "{msg}"
    );
}

// ---------------------------------------------------------------------------------------
// End to end through the binary

fn vitrine(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn check_writes_one_verdict_per_row_and_a_summary_that_adds_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("offre.xlsx");
    let mut rows = vec![row(vec![s("Offre 2027")]), header_row()];
    rows.push(row(good("K1")));
    rows.push(Line {
        fill: Some(Color::RGB(0xFFFF00)),
        ..row(with(
            with(good("K2"), "Date de début 2027", Cell::Empty),
            "Date de fin 2027",
            Cell::Empty,
        ))
    });
    rows.push(Line {
        font: Some(Color::RGB(0x0070C0)),
        ..row(good("K3"))
    });
    rows.push(row(vec![]));
    rows.push(Line {
        cell_fonts: vec![(col("Courriel"), Color::RGB(0xFF0000))],
        ..row(good("K4"))
    });
    rows.push(row(good("K1")));
    Workbook::new()
        .sheet(Sheet::new("Offre").lines(rows))
        .save(&path);
    let report = dir.path().join("rapport");
    let out = vitrine(
        dir.path(),
        &[
            "check",
            "--input",
            path.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("rows read"), "{stdout}");

    let verdicts: serde_json::Value =
        serde_json::from_slice(&std::fs::read(report.join("verdicts.json")).unwrap()).unwrap();
    let v = verdicts.as_array().unwrap();
    let ids: Vec<(&str, u64)> = v
        .iter()
        .map(|x| (x["id"].as_str().unwrap(), x["row"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        ids,
        [("K1", 3), ("K2", 4), ("K3", 5), ("K4", 7), ("K1", 8)],
        "one verdict per data row, in sheet order, rows as the user sees them"
    );
    assert_eq!(v[1]["status"], "closed");
    assert_eq!(v[2]["new"], true);
    assert_eq!(v[3]["changed_columns"], serde_json::json!(["Courriel"]));
    assert_eq!(v[0]["status"], "non_reglementaire");
    assert!(
        v[0]["reasons"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("duplicate_id"))
    );

    let s: serde_json::Value =
        serde_json::from_slice(&std::fs::read(report.join("summary.json")).unwrap()).unwrap();
    let n = |k: &str| s[k].as_u64().unwrap();
    assert_eq!(n("rows_read"), 5);
    assert_eq!(
        n("published") + n("non_reglementaire") + n("closed"),
        n("rows_read")
    );
    assert_eq!((n("closed"), n("new"), n("changed")), (1, 1, 1));
}

#[test]
fn an_unusable_file_exits_with_status_2_and_leaves_the_report_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report");
    std::fs::create_dir(&report).unwrap();
    std::fs::write(report.join("summary.json"), "previous").unwrap();
    let path = dir.path().join("image.xlsx");
    std::fs::write(&path, b"\x89PNG\r\n\x1a\n").unwrap();
    let out = vitrine(
        dir.path(),
        &[
            "check",
            "--input",
            path.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("image.xlsx") && stderr.contains("PNG"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(report.join("summary.json")).unwrap(),
        "previous"
    );
}

#[test]
fn the_shipped_sample_reads_with_every_marking_family() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/sample/data/offre-apprentissage-2027.xlsx");
    let imp = read(&sample);
    assert_eq!(imp.source.sheet.as_deref(), Some("Offre 2027"));
    assert!(imp.source.header_row > 1, "title lines above the header");
    assert!(imp.warnings.is_empty(), "{:?}", imp.warnings);
    let o = &imp.offers;
    assert!((250..=400).contains(&o.len()), "{}", o.len());
    assert!(o.iter().any(|x| x.marks.closed));
    assert!(o.iter().any(|x| x.marks.new));
    assert!(o.iter().any(|x| !x.marks.changed_columns.is_empty()));
    for x in o.iter().filter(|x| x.marks.closed) {
        assert_eq!(
            (x.start, x.end),
            (None, None),
            "closed rows have no 2027 dates"
        );
    }
    let mut ids: Vec<&str> = o.iter().map(|x| x.id.as_str()).collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(
        before - ids.len(),
        1,
        "exactly one planted duplicate N° action"
    );
    let cfas: std::collections::BTreeSet<_> = o.iter().map(|x| &x.responsible.siret).collect();
    assert!(cfas.len() >= 20, "{} CFAs", cfas.len());
}

/// The check inflates every part of an xlsx once and the parsers read that copy; a
/// workbook whose parts together outgrow the limit of one part is read from the file
/// instead, with the same result, markings and coloured runs included.
#[test]
fn a_workbook_too_large_to_keep_unpacked_reads_the_same_from_its_file() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/sample/data/offre-apprentissage-2027.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&sample).unwrap()).unwrap();
    let sizes: Vec<u64> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().size())
        .collect();
    let (largest, total) = (*sizes.iter().max().unwrap(), sizes.iter().sum::<u64>());
    assert!(largest < total, "more than one part");
    let kept = import::read(&sample, &Limits::default()).unwrap();
    let limits = Limits {
        max_sheet_bytes: largest,
        ..Limits::default()
    };
    let from_file = import::read(&sample, &limits).unwrap();
    assert_eq!(
        format!("{:?}", kept.offers),
        format!("{:?}", from_file.offers)
    );
    assert!(
        kept.offers
            .iter()
            .any(|o| !o.marks.changed_columns.is_empty())
    );
}

/// An export whose `Téléphone` of row 2 has its last digits typed in red, `Courriel` of
/// row 3 a blue run, and row 4 nothing coloured — written as rich strings, in the shared
/// strings (`constant = false`) or inline in the sheet (`constant = true`).
fn rich_workbook(path: &Path, constant: bool) {
    let phone = col("Téléphone");
    let email = col("Courriel");
    let rich = |runs: &[(Option<Color>, &str)]| {
        Cell::Rich(runs.iter().map(|(c, t)| (*c, t.to_string())).collect())
    };
    let mut sheet = Sheet::new("Sheet1").line(Line::texts(headers()));
    for (r, id) in ["AF_R1", "AF_R2", "AF_R3"].iter().enumerate() {
        let mut cells = good(id);
        for cell in &mut cells {
            if let Cell::Date(..) = cell {
                *cell = s(&cell.shown());
            }
        }
        match r {
            0 => cells[phone] = rich(&[(None, "04 91 "), (Some(RED), "99 88 77")]),
            1 => cells[email] = rich(&[(Some(BLUE), "nouveau"), (None, "@cfa.example.org")]),
            _ => {}
        }
        sheet = sheet.line(Line::new(cells));
    }
    if constant {
        sheet = sheet.constant_memory();
    }
    Workbook::new().sheet(sheet).save(path);
}

#[test]
fn a_run_of_red_or_blue_inside_a_cell_marks_it_in_shared_and_inline_rich_text() {
    let dir = tempfile::tempdir().unwrap();
    for constant in [false, true] {
        let path = dir.path().join(format!("riche-{constant}.xlsx"));
        rich_workbook(&path, constant);
        let imp = read(&path);
        let o = &imp.offers;
        assert_eq!(o.len(), 3, "{constant}");
        assert_eq!(o[0].marks.changed_columns, ["Téléphone"], "{constant}");
        assert_eq!(
            o[0].contact.phone.as_ref().unwrap().display,
            "04 91 99 88 77"
        );
        // A blue run is not a new row (most of its cells are black), nor a change.
        assert!(o[1].marks.changed_columns.is_empty() && !o[1].marks.new);
        assert!(o[2].marks.changed_columns.is_empty());
    }
}

#[test]
fn a_red_span_inside_an_ods_cell_marks_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spans.ods");
    let cell = |t: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{t}</text:p></table:table-cell>"
        )
    };
    let header: String = headers().iter().map(|h| cell(h)).collect();
    let phone = col("Téléphone");
    let data = |id: &str, red: bool| -> String {
        good(id)
            .iter()
            .enumerate()
            .map(|(c, v)| {
                let text = v.shown();
                if c == phone && red {
                    cell("04 91 <text:span text:style-name=\"T1\">99 88 77</text:span>")
                } else {
                    cell(&text)
                }
            })
            .collect()
    };
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" \
         xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\">\
         <office:automatic-styles><style:style style:name=\"T1\" style:family=\"text\">\
         <style:text-properties fo:color=\"#c9211e\"/></style:style></office:automatic-styles>\
         <office:body><office:spreadsheet><table:table table:name=\"Offre\">\
         <table:table-row>{header}</table:table-row>\
         <table:table-row>{}</table:table-row><table:table-row>{}</table:table-row>\
         </table:table></office:spreadsheet></office:body></office:document-content>",
        data("AF_S1", true),
        data("AF_S2", false)
    );
    zip_parts(
        &path,
        &[
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", &content),
        ],
    );
    let imp = read(&path);
    assert_eq!(imp.offers[0].marks.changed_columns, ["Téléphone"]);
    assert_eq!(
        imp.offers[0].contact.phone.as_ref().unwrap().display,
        "04 91 99 88 77"
    );
    assert!(imp.offers[1].marks.changed_columns.is_empty());
}

#[test]
fn an_old_xls_workbook_is_read_for_its_values_with_a_warning_on_its_colours() {
    // A real BIFF8 file needs a program that writes one: LibreOffice, when installed.
    let Some(soffice) = ["libreoffice", "soffice"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    }) else {
        eprintln!("libreoffice not installed: no .xls to read, test not run");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("ancien.xlsx");
    Workbook::new()
        .sheet(Sheet::new("Offre 2027").lines([
            header_row(),
            row(good("AF_XLS_1")),
            row(good("AF_XLS_2")),
        ]))
        .save(&source);
    let out = std::process::Command::new(soffice)
        .args(["--headless", "--convert-to", "xls", "--outdir"])
        .arg(dir.path())
        .arg(&source)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let path = dir.path().join("ancien.xls");
    let imp = read(&path);
    assert_eq!(imp.source.format, FileFormat::Xls);
    assert!(!imp.source.has_markings);
    let ids: Vec<&str> = imp.offers.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["AF_XLS_1", "AF_XLS_2"]);
    let o = &imp.offers[0];
    assert_eq!(o.cfd.as_deref(), Some("32031213"));
    assert_eq!(o.start, NaiveDate::from_ymd_opt(2027, 9, 1));
    assert_eq!(o.responsible.siret.as_deref(), Some("73282932000074"));
    assert!(
        imp.warnings
            .iter()
            .any(|w| w.contains("ancien.xls") && w.contains("colours")),
        "{:?}",
        imp.warnings
    );
}
