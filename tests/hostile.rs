//! Hostile input: what a CFA may type, and what a broken or malicious file may hold.
//! Nothing may break the build, leak into a page as markup, or silently disappear; a file
//! that cannot be used gets exit status 2, a message naming the problem, and no output.

mod common;
use common::workbook::{Cell, Line, Sheet, Workbook, rewrite_parts, zip_parts};
use common::{HEADERS, Row, Site, col, said, write_xlsx};
use std::io::Write;

const SCRIPT: &str = "<script>alert('xss')</script>";
const ATTR: &str = "\"><img src=x onerror=alert(1)>";
const TEMPLATE: &str = "{{ config }} {% raw %}";

/// Every text column of a valid row, poisoned with markup, quotes and template syntax.
fn poisoned(id: &str) -> Row {
    let mut row = Row::valid(id);
    for header in [
        "Intitulé de la formation",
        "Description",
        "Organisme responsable",
        "Organisme formateur",
        "Adresse organisme responsable",
        "Adresse lieu de formation",
        "Contact (nom)",
        "Référent handicap (nom)",
        "Rythme de l'alternance",
        "Domaine (Formacode / NSF)",
    ] {
        let v = format!(
            "{} {SCRIPT} {ATTR} {TEMPLATE} ../../etc/passwd",
            row.get(header)
        );
        row = row.set(header, &v);
    }
    row
}

/// Text of every file of a tree that a browser may render as markup: HTML, XML, JSON,
/// ICS. (CSV downloads keep the CFA's text as typed: they are data, served `nosniff`;
/// their formulas are checked apart.)
fn text_files(site: &Site, dir: &str) -> Vec<(String, String)> {
    site.files(dir)
        .into_iter()
        .filter(|(p, _)| {
            [".html", ".xml", ".json", ".ics", ".atom"]
                .iter()
                .any(|e| p.ends_with(e))
        })
        .map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned()))
        .collect()
}

#[test]
fn markup_and_template_syntax_come_out_escaped_everywhere() {
    let site = Site::new();
    let input = site.path("hostile.xlsx");
    write_xlsx(&input, &[poisoned("AF_H_001"), poisoned("AF_H_002")]);
    let out = site.build(&input);
    assert!(out.status.success(), "{}", said(&out));

    let mut scanned = 0;
    for dir in ["public", "report"] {
        for (path, text) in text_files(&site, dir) {
            scanned += 1;
            for planted in ["<script>alert", "<img src=x", "onerror=alert(1)>"] {
                let at = text.find(planted).unwrap_or(0);
                assert!(
                    !text.contains(planted),
                    "{path} holds the planted markup {planted:?} unescaped: …{}…",
                    text.get(at.saturating_sub(200)..(at + 100).min(text.len()))
                        .unwrap_or("")
                );
            }
            // Template syntax from data is text, never evaluated (it would have failed
            // or printed the configuration).
            assert!(
                !text.contains("base_url\":"),
                "{path} leaked the configuration"
            );
        }
    }
    assert!(scanned > 10, "too few files scanned: {scanned}");
    // The offers themselves are published, their text kept (escaped).
    let offers = std::fs::read_to_string(site.path("public/donnees/offres.json")).unwrap();
    let offers: serde_json::Value = serde_json::from_str(&offers).unwrap();
    let titles: Vec<&str> = offers
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["intitule"].as_str())
        .collect();
    assert_eq!(titles.len(), 2, "{offers:#}");
    assert!(
        titles
            .iter()
            .all(|t| t.contains(SCRIPT) && t.contains(TEMPLATE))
    );
}

#[test]
fn slashes_and_dot_dots_in_names_make_safe_paths() {
    let site = Site::new();
    let input = site.path("paths.xlsx");
    write_xlsx(&input, &[poisoned("../../AF/../x"), poisoned("AF_H_003")]);
    let out = site.build(&input);
    assert!(out.status.success(), "{}", said(&out));
    for (path, _) in site.files("public") {
        let rel = path.strip_prefix("public/").unwrap();
        // The no-JS search's folders are named as Netlify sends a query there:
        // `cap+coiffure`, and accented spellings (`électricité`): letters, digits, `+`.
        let nojs = rel.starts_with("recherche/sans-js/");
        assert!(
            rel.split('/').all(|seg| !seg.is_empty()
                && seg != ".."
                && seg.chars().all(|c| c.is_ascii_alphanumeric()
                    || "-_.".contains(c)
                    || (nojs && (c == '+' || c.is_alphanumeric())))),
            "unsafe output path {path:?}"
        );
    }
}

#[test]
fn only_web_mail_and_phone_links_come_from_data() {
    let site = Site::new();
    let input = site.path("links.xlsx");
    let rows = [
        Row::valid("AF_L_1").set("Site web", "javascript:alert(document.cookie)"),
        Row::valid("AF_L_2").set("Site web", "data:text/html;base64,PHNjcmlwdD4="),
        Row::valid("AF_L_3").set("Site web", "JaVaScRiPt:alert(1)"),
        Row::valid("AF_L_4").set("Site web", "vbscript:msgbox"),
    ];
    write_xlsx(&input, &rows);
    let out = site.build(&input);
    assert!(out.status.success(), "{}", said(&out));
    for (path, text) in text_files(&site, "public") {
        let lower = text.to_lowercase();
        for bad in ["javascript:", "data:text", "vbscript:"] {
            assert!(
                !lower.contains(&format!("href={bad}"))
                    && !lower.contains(&format!("href=\"{bad}"))
                    && !lower.contains(&format!("href='{bad}")),
                "{path} links to {bad}"
            );
        }
    }
    // The offers are still published, with a warning for the CFA.
    let verdicts = std::fs::read_to_string(site.path("report/verdicts.json")).unwrap();
    let verdicts: Vec<serde_json::Value> = serde_json::from_str(&verdicts).unwrap();
    assert_eq!(verdicts.len(), 4);
    for v in &verdicts {
        assert_eq!(v["status"], "published", "{v}");
        assert!(v["warnings"].to_string().contains("url_invalid"), "{v}");
    }
}

#[test]
fn formula_looking_cells_are_neutralised_in_every_csv() {
    let site = Site::new();
    let input = site.path("formulas.xlsx");
    let rows = [
        Row::valid("AF_F_1")
            .set(
                "Intitulé de la formation",
                "=HYPERLINK(\"http://evil.example\",\"clic\")",
            )
            .set("Description", "+33 cmd|' /C calc'!A0"),
        // Not compliant, so it reaches the non-conformity CSV too.
        Row::valid("AF_F_2")
            .set("Intitulé de la formation", "@SUM(1+1)*cmd|' /C calc'!A0")
            .set("SIRET organisme responsable", "12345678901234")
            .set("Organisme responsable", "-2+3+cmd|' /C calc'!A0"),
    ];
    write_xlsx(&input, &rows);
    let out = site.build(&input);
    assert!(out.status.success(), "{}", said(&out));
    let csvs: Vec<_> = site
        .files("public")
        .into_iter()
        .chain(site.files("report"))
        .filter(|(p, _)| p.ends_with(".csv"))
        .collect();
    assert!(
        csvs.len() >= 2,
        "expected the open data and the report CSVs: {csvs:?}"
    );
    for (path, bytes) in csvs {
        let text = String::from_utf8(bytes).unwrap();
        let text = text.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut cells = 0;
        for rec in reader.records() {
            for cell in rec.unwrap().iter() {
                cells += 1;
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{path}: cell {cell:?} would run as a formula"
                );
            }
        }
        assert!(cells > 0, "{path} is empty");
    }
}

#[test]
fn huge_emoji_right_to_left_and_control_text_is_kept_and_harmless() {
    let site = Site::new();
    let input = site.path("odd-text.xlsx");
    let rows = [
        Row::valid("AF_T_1").set("Description", &"Apprendre le métier. ".repeat(1_500)),
        Row::valid("AF_T_2").set("Intitulé de la formation", "CAP Pâtisserie 🎂🥐 👩🏽‍🍳"),
        Row::valid("AF_T_3").set(
            "Intitulé de la formation",
            "CAP تصفيف الشعر \u{202e}evil\u{202c}",
        ),
        Row::valid("AF_T_4").set("Description", "bell\u{7} escape\u{1b}[31m nul-free"),
    ];
    write_xlsx(&input, &rows);
    let out = site.build(&input);
    assert!(out.status.success(), "{}", said(&out));
    let verdicts: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(site.path("report/verdicts.json")).unwrap()).unwrap();
    assert_eq!(verdicts.len(), 4);
    assert!(
        verdicts.iter().all(|v| v["status"] == "published"),
        "{verdicts:#?}"
    );
    let pages = text_files(&site, "public");
    assert!(pages.iter().any(|(_, t)| t.contains("🎂🥐")), "emoji lost");
    assert!(
        pages.iter().any(|(_, t)| t.contains("تصفيف")),
        "right-to-left text lost"
    );
    for (path, text) in pages.iter().filter(|(p, _)| p.ends_with(".html")) {
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && !"\t\n\r".contains(c)),
            "{path} holds a raw control character"
        );
    }
}

#[test]
fn a_description_of_40000_characters_is_published_whole() {
    // Excel cells stop at 32,767 characters: such a text can only come through a CSV.
    let site = Site::new();
    let input = site.path("long.csv");
    let long = format!("{}fin.", "Apprendre le métier. ".repeat(1_905));
    assert!(long.chars().count() > 40_000);
    common::write_csv(&input, &[Row::valid("AF_LONG").set("Description", &long)]);
    let out = site.build(&input);
    assert!(out.status.success(), "{}", said(&out));
    let offers: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.path("public/donnees/offres.json")).unwrap())
            .unwrap();
    let text = offers.to_string();
    assert!(text.contains("Apprendre le métier. Apprendre") && text.contains("fin."));
}

/// Runs `build` on a file that cannot be used: exit 2, the message names `expected`,
/// and the previous public/ and report/ are left as they were.
fn refused(site: &Site, input: &std::path::Path, expected: &[&str]) {
    // A previous good build.
    let good = site.path("good.xlsx");
    write_xlsx(&good, &[Row::valid("AF_OK_1")]);
    let out = site.build(&good);
    assert!(out.status.success(), "{}", said(&out));
    let before_public = site.files("public");
    let before_report = site.files("report");

    let out = site.build(input);
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
    let name = input.file_name().unwrap().to_string_lossy().to_lowercase();
    assert!(err.contains(&name), "the message must name the file: {err}");
    for e in expected {
        assert!(
            err.contains(&e.to_lowercase()),
            "message lacks {e:?}: {err}"
        );
    }
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{err}"
    );
    assert_eq!(site.files("public"), before_public, "public/ changed");
    assert_eq!(site.files("report"), before_report, "report/ changed");
}

#[test]
fn a_png_renamed_xlsx_is_refused() {
    let site = Site::new();
    let input = site.path("photo.xlsx");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    std::fs::write(&input, png).unwrap();
    refused(&site, &input, &[]);
}

#[test]
fn a_truncated_workbook_is_refused() {
    let site = Site::new();
    let whole = site.path("whole.xlsx");
    write_xlsx(&whole, &[Row::valid("AF_1"), Row::valid("AF_2")]);
    let bytes = std::fs::read(&whole).unwrap();
    let input = site.path("tronque.xlsx");
    std::fs::write(&input, &bytes[..bytes.len() / 2]).unwrap();
    refused(&site, &input, &[]);
}

#[test]
fn an_encrypted_workbook_is_refused_as_password_protected() {
    let site = Site::new();
    let input = site.path("protege.xlsx");
    // What Excel writes for a password-protected workbook: an OLE compound file holding
    // EncryptionInfo and EncryptedPackage streams.
    let mut comp = cfb::create(&input).unwrap();
    comp.create_stream("/EncryptionInfo")
        .unwrap()
        .write_all(&[4, 0, 4, 0, 0x40, 0, 0, 0])
        .unwrap();
    comp.create_stream("/EncryptedPackage")
        .unwrap()
        .write_all(&[0u8; 4096])
        .unwrap();
    comp.flush().unwrap();
    drop(comp);
    refused(&site, &input, &["password"]);
}

#[test]
fn a_decompression_bomb_is_refused_before_it_is_inflated() {
    let site = Site::new();
    // Lower the bound so the test stays small: 4 MiB of sheet XML allowed, 40 MiB sent.
    let toml = std::fs::read_to_string(site.path("vitrine.toml")).unwrap();
    std::fs::write(
        site.path("vitrine.toml"),
        format!("{toml}\n[limits]\nmax_sheet_bytes = 4194304\n"),
    )
    .unwrap();
    let good = site.path("base.xlsx");
    write_xlsx(&good, &[Row::valid("AF_1")]);
    // Rebuild the workbook with a sheet padded by 40 MiB of whitespace (compresses ~1000:1).
    let input = site.path("bombe.xlsx");
    rewrite_parts(&good, &input, |name, data| {
        if !name.starts_with("xl/worksheets/sheet") {
            return data;
        }
        let at = data.windows(11).position(|w| w == b"<sheetData>").unwrap();
        let mut padded = data[..at].to_vec();
        padded.resize(at + (40 << 20), b' ');
        padded.extend_from_slice(&data[at..]);
        padded
    });
    assert!(std::fs::metadata(&input).unwrap().len() < 2 << 20);
    refused(&site, &input, &["sheet"]);
}

#[test]
fn a_workbook_without_a_data_sheet_is_refused_naming_what_is_missing() {
    let site = Site::new();
    let input = site.path("sans-donnees.xlsx");
    Workbook::new()
        .sheet(Sheet::new("Notice").line(Line::texts([
            "Merci de vérifier vos offres avant le 31 octobre.",
        ])))
        .save(&input);
    refused(&site, &input, &["header"]);
}

#[test]
fn a_column_present_twice_is_refused_naming_it() {
    let site = Site::new();
    let input = site.path("doublon.xlsx");
    let mut header = Line::texts(HEADERS);
    header.cells.push(Cell::Text("Niveau".into()));
    let mut row = Line::texts(&Row::valid("AF_1").cells);
    row.cells.push(Cell::Text("5".into()));
    Workbook::new()
        .sheet(Sheet::new("Sheet1").line(header).line(row))
        .save(&input);
    refused(&site, &input, &["Niveau"]);
}

#[test]
fn hidden_rows_merged_cells_and_formulas_lose_nothing() {
    let site = Site::new();
    let input = site.path("excel-features.xlsx");
    let mut rows: Vec<Line> = (1..=4)
        .map(|r| Line::texts(&Row::valid(&format!("AF_X_{r}")).cells))
        .collect();
    // A formula with its cached value.
    rows[2].cells[col("Capacité d'accueil")] = Cell::Formula {
        formula: "=6*2".into(),
        result: "12".into(),
    };
    let c = col("Rythme de l'alternance") as u16;
    Workbook::new()
        .sheet(
            Sheet::new("Sheet1")
                .line(Line::texts(HEADERS))
                .lines(rows)
                // A hidden row and a hidden column are still data.
                .hide_row(2)
                .hide_column(col("Description") as u16)
                // A merged title over the rhythm cell of row 5.
                .merge(4, c, c + 1, "1 semaine / 3 semaines"),
        )
        .save(&input);
    let out = site.run(&["check", "--input", input.to_str().unwrap()]);
    assert!(out.status.success(), "{}", said(&out));
    let verdicts: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(site.path("report/verdicts.json")).unwrap()).unwrap();
    let ids: Vec<&str> = verdicts.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["AF_X_1", "AF_X_2", "AF_X_3", "AF_X_4"]);
    let rows: Vec<u64> = verdicts
        .iter()
        .map(|v| v["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [2, 3, 4, 5]);
}

#[test]
fn a_million_row_sheet_is_refused_at_the_row_bound_with_memory_bounded() {
    let site = Site::new();
    // On tmpfs where there is one: 190 MB of CSV.
    let scratch = tempfile::tempdir_in(if std::path::Path::new("/dev/shm").is_dir() {
        "/dev/shm"
    } else {
        "/tmp"
    })
    .unwrap();
    let input = scratch.path().join("million.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&input).unwrap());
    let required = [
        "N° action",
        "Intitulé de la formation",
        "Type de diplôme",
        "Niveau",
        "Code RNCP",
        "Organisme responsable",
        "SIRET organisme responsable",
        "UAI organisme responsable",
        "N° de déclaration d'activité (NDA)",
        "Code postal organisme responsable",
        "Commune organisme responsable",
        "Qualiopi mention apprentissage",
        "Habilitation certificateur",
        "Organisme formateur",
        "SIRET organisme formateur",
        "UAI lieu de formation",
        "Adresse lieu de formation",
        "Code postal",
        "Commune",
        "Téléphone",
        "Courriel",
        "Référent handicap (nom)",
        "Référent handicap (téléphone)",
        "Durée du cycle (mois)",
        "Entrée en 1re année en apprentissage",
        "Date de début 2027",
        "Date de fin 2027",
    ];
    writeln!(f, "{}", required.join(";")).unwrap();
    for i in 0..1_000_000 {
        writeln!(
            f,
            "AF{i};CAP X;CAP;3;RNCP1234;C;73282932000074;0133406G;93130000013;13001;Marseille;\
             Oui;Oui;C;73282932000074;0133406G;1 r;13001;Marseille;0491123456;a@b.fr;M;\
             0491123457;24;Oui;01/09/2027;31/08/2029"
        )
        .unwrap();
    }
    f.flush().unwrap();
    drop(f);
    let good = site.path("good.xlsx");
    write_xlsx(&good, &[Row::valid("AF_OK_1")]);
    assert!(site.build(&good).status.success());
    let before = site.files("public");

    // GNU time reports the peak memory when it is installed; the bound holds either way.
    let out = site.run(&["check", "--input", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("200000") && err.contains("max_rows"), "{err}");
    assert!(err.contains("million.csv"), "{err}");
    assert_eq!(site.files("public"), before);
}

#[test]
fn a_workbook_with_only_headers_is_refused_rather_than_withdrawing_every_offer() {
    let site = Site::new();
    let input = site.path("entetes-seules.xlsx");
    write_xlsx(&input, &[]);
    refused(&site, &input, &["no data row", "row 3"]);
}

/// Runs `vitrine` in the site folder and returns its output, its peak resident memory in
/// KiB (sampled from /proc while it runs; `None` where there is no /proc) and how long it
/// took. Killed past `limit`.
fn run_measured(
    site: &Site,
    args: &[&str],
    limit: std::time::Duration,
) -> (std::process::Output, Option<u64>, std::time::Duration) {
    use std::process::{Command, Stdio};
    let started = std::time::Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(args)
        .current_dir(site.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak: Option<u64> = None;
    loop {
        // VmHWM is the peak so far: the last reading before exit is the run's peak.
        if let Ok(text) = std::fs::read_to_string(&status_file)
            && let Some(kib) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = Some(peak.map_or(kib, |p| p.max(kib)));
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let out = child.wait_with_output().unwrap();
    (out, peak, started.elapsed())
}

/// An ODS archive holding `content` as its `content.xml`.
fn ods(path: &std::path::Path, content: &str) {
    zip_parts(
        path,
        &[
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", content),
        ],
    );
}

/// A header row of the contract and one data row repeated `rows` times, each of its cells
/// repeated `columns` times: a few kilobytes that would expand to rows × columns cells.
fn repeated_ods(rows: u32, columns: u32) -> String {
    let cell = |t: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{t}</text:p></table:table-cell>"
        )
    };
    let header: String = HEADERS.iter().map(|h| cell(h)).collect();
    let data: String = Row::valid("AF_REP")
        .cells
        .iter()
        .map(|v| {
            format!(
                "<table:table-cell table:number-columns-repeated=\"{columns}\" office:value-type=\"string\"><text:p>{v}</text:p></table:table-cell>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body>\
         <office:spreadsheet><table:table table:name=\"Offre\"><table:table-row>{header}\
         </table:table-row><table:table-row table:number-rows-repeated=\"{rows}\">{data}\
         </table:table-row><table:table-row table:number-rows-repeated=\"1048000\">\
         <table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>\
         </table:table></office:spreadsheet></office:body></office:document-content>"
    )
}

#[test]
fn an_ods_of_repeated_rows_and_columns_is_refused_fast_in_bounded_memory() {
    let site = Site::new();
    // A million copies of a row; then 20,000 copies of a row of 42 × 16,384 cells
    // (under the row bound, 13.8 billion cells). The empty repeated rows that end every
    // sheet written by a spreadsheet program are in both and cost nothing.
    for (name, rows, columns, said_) in [
        ("lignes.ods", 1_000_000, 1, "max_rows"),
        ("colonnes.ods", 20_000, 16_384, "cells"),
    ] {
        let input = site.path(name);
        ods(&input, &repeated_ods(rows, columns));
        let size = std::fs::metadata(&input).unwrap().len();
        assert!(size < 16 << 10, "{name}: {size} bytes");
        let (out, peak, took) = run_measured(
            &site,
            &["check", "--input", input.to_str().unwrap()],
            std::time::Duration::from_secs(60),
        );
        assert_eq!(out.status.code(), Some(2), "{name}: {}", said(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(name) && err.contains(said_), "{err}");
        assert!(took.as_secs() < 30, "{name}: {took:?}");
        if let Some(kib) = peak {
            assert!(kib < 1 << 20, "{name}: peak {kib} KiB");
            eprintln!(
                "{name}: {size} bytes, exit 2 in {took:?}, peak {} MiB",
                kib >> 10
            );
        }
    }
    // The same layout with a few repeats is an ordinary export: 3 identical offers.
    let input = site.path("trois.ods");
    ods(&input, &repeated_ods(3, 1));
    let out = site.run(&["check", "--input", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.path("report/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["rows_read"], 3);
}

/// A raw deflate stream of `total` bytes: `head`, then the byte `fill` repeated — written
/// as length-258 back-references (fixed Huffman codes), 2 bytes of stream each, the way a
/// decompression bomb is made.
fn deflate_bomb(head: &[u8], fill: u8, total: u64) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        n: u32,
    }
    impl Bits {
        /// `count` bits of `value`, least significant first (deflate's bit order).
        fn put(&mut self, value: u64, count: u32) {
            self.acc |= value << self.n;
            self.n += count;
            while self.n >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.n -= 8;
            }
        }
        /// A Huffman code, most significant bit first.
        fn code(&mut self, code: u64, len: u32) {
            let mut rev = 0;
            for i in 0..len {
                rev |= ((code >> i) & 1) << (len - 1 - i);
            }
            self.put(rev, len);
        }
        fn literal(&mut self, b: u8) {
            if b < 144 {
                self.code(0x30 + u64::from(b), 8);
            } else {
                self.code(0x190 + u64::from(b) - 144, 9);
            }
        }
    }
    let mut w = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    w.put(1, 1); // last block
    w.put(1, 2); // fixed Huffman codes
    for &b in head {
        w.literal(b);
    }
    w.literal(fill);
    let mut written = head.len() as u64 + 1;
    while written + 258 <= total {
        w.code(0xC5, 8); // length symbol 285: 258 bytes
        w.code(0, 5); // distance code 0: distance 1
        written += 258;
    }
    while written < total {
        w.literal(fill);
        written += 1;
    }
    w.code(0, 7); // end of block
    if w.n > 0 {
        w.out.push(w.acc as u8);
    }
    w.out
}

/// A zip of one deflated entry whose stream is `data` (the CRC is not checked before
/// the end of an entry, which a bounded reader never reaches).
fn raw_zip(path: &std::path::Path, name: &str, data: &[u8], size: u64) {
    let mut z = Vec::new();
    let le16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let le32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    le32(&mut z, 0x0403_4b50);
    for x in [20u16, 0, 8, 0, 0x21] {
        le16(&mut z, x);
    }
    le32(&mut z, 0);
    le32(&mut z, data.len() as u32);
    le32(&mut z, size as u32);
    le16(&mut z, name.len() as u16);
    le16(&mut z, 0);
    z.extend_from_slice(name.as_bytes());
    z.extend_from_slice(data);
    let central = z.len() as u32;
    le32(&mut z, 0x0201_4b50);
    for x in [20u16, 20, 0, 8, 0, 0x21] {
        le16(&mut z, x);
    }
    le32(&mut z, 0);
    le32(&mut z, data.len() as u32);
    le32(&mut z, size as u32);
    le16(&mut z, name.len() as u16);
    for x in [0u16, 0, 0, 0] {
        le16(&mut z, x);
    }
    le32(&mut z, 0);
    le32(&mut z, 0);
    z.extend_from_slice(name.as_bytes());
    let central_size = z.len() as u32 - central;
    le32(&mut z, 0x0605_4b50);
    for x in [0u16, 0, 1, 1] {
        le16(&mut z, x);
    }
    le32(&mut z, central_size);
    le32(&mut z, central);
    le16(&mut z, 0);
    std::fs::write(path, z).unwrap();
}

#[test]
fn a_france_competences_zip_inflating_to_3_gb_is_refused_in_bounded_memory() {
    let site = Site::new();
    let good = site.path("offre.xlsx");
    write_xlsx(&good, &[Row::valid("AF_1")]);
    // The Standard CSV of the export: its header line, then 3 GB of one field.
    let total: u64 = 3_000_000_000;
    let head = "\"Id_Fiche\";\"Numero_Fiche\";\"Intitule\";\"Abrege_Libelle\";\
                \"Nomenclature_Europe_Niveau\";\"Date_Fin_Enregistrement\";\"Date_Effet\";\
                \"Type_Enregistrement\";\"Actif\"\r\n\"1\";\"RNCP1\";\"";
    let stream = deflate_bomb(head.as_bytes(), b'A', total);
    let bomb = site.path("export-fiches-csv-2025-01-01.zip");
    raw_zip(
        &bomb,
        "export_fiches_CSV_Standard_2025_01_01.csv",
        &stream,
        total,
    );
    let size = std::fs::metadata(&bomb).unwrap().len();
    assert!(size < 32 << 20, "{size} bytes");
    let (out, peak, took) = run_measured(
        &site,
        &[
            "check",
            "--input",
            good.to_str().unwrap(),
            "--rncp",
            bomb.to_str().unwrap(),
        ],
        std::time::Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("export_fiches_CSV_Standard_2025_01_01.csv") && err.contains("bytes"),
        "{err}"
    );
    assert!(took.as_secs() < 30, "{took:?}");
    if let Some(kib) = peak {
        assert!(kib < 1 << 20, "peak {kib} KiB");
        eprintln!(
            "bomb: {size} bytes, exit 2 in {took:?}, peak {} MiB",
            kib >> 10
        );
    }
    // Nothing written.
    assert!(!site.path("report/summary.json").exists());
}
