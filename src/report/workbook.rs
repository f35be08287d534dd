//! The file a CFA fixes: `report/cfa/<slug>.xlsx`. A first sheet sums up what is wrong
//! and what to do; the second holds the CFA's rows of the export in the contract's
//! columns, each problem cell filled (orange: blocks publication, yellow: to check) and
//! carrying a note that says what is wrong and what to do. And `report/envoi.csv`: one
//! line per CFA with its contact e-mail, its counts and the names of its two files, for
//! the Carif-Oref's mail merge.

use crate::controls::explain;
use crate::import::headers::{COLUMNS, Col};
use crate::model::{Offer, Problem, Status, Verdict};
use crate::safe::{excel_csv, excel_csv_bytes, neutralise};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, FormatPattern, Note, Workbook,
    XlsxError,
};
use std::collections::BTreeMap;

/// A CFA's rows, as the report groups them.
pub(super) struct CfaRows<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub siret: &'a str,
    /// Indexes into the offers, in sheet order.
    pub rows: &'a [usize],
}

/// The text of each contract column for one offer, as close to what was typed as the
/// typed offer allows (a value the import could not read is shown as found).
fn cells(o: &Offer) -> Vec<String> {
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "Oui".to_string(),
        Some(false) => "Non".to_string(),
        None => String::new(),
    };
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%d/%m/%Y").to_string());
    let raw = |col: Col| {
        o.findings
            .iter()
            .find(|f| f.column == col.name())
            .map(|f| f.raw.clone())
    };
    Col::ALL
        .iter()
        .map(|&c| {
            let v = match c {
                Col::Id => o.id.clone(),
                Col::Title => o.title.clone(),
                Col::DiplomaType => o.diploma_type.clone(),
                Col::Level => o.level.map(|l| l.to_string()).unwrap_or_default(),
                Col::Rncp => opt(&o.rncp),
                Col::Cfd => opt(&o.cfd),
                Col::Rome => o.rome.join("; "),
                Col::Domain => opt(&o.domain),
                Col::Description => opt(&o.description),
                Col::RespName => o.responsible.name.clone(),
                Col::RespSiret => opt(&o.responsible.siret),
                Col::RespUai => opt(&o.responsible.uai),
                Col::Nda => opt(&o.responsible.nda),
                Col::RespStreet => opt(&o.responsible.address.street),
                Col::RespPostcode => opt(&o.responsible.address.postcode),
                Col::RespTown => opt(&o.responsible.address.town),
                Col::Qualiopi => yes_no(o.responsible.qualiopi),
                Col::Habilitation => yes_no(o.responsible.habilitation),
                Col::TrainerName => o.trainer.name.clone(),
                Col::TrainerSiret => opt(&o.trainer.siret),
                Col::PlaceUai => opt(&o.place.uai),
                Col::PlaceStreet => opt(&o.place.address.street),
                Col::PlacePostcode => opt(&o.place.address.postcode),
                Col::PlaceTown => opt(&o.place.address.town),
                Col::Insee => opt(&o.place.address.insee),
                Col::Latitude => o
                    .place
                    .coordinates
                    .map(|c| c.lat.to_string())
                    .unwrap_or_default(),
                Col::Longitude => o
                    .place
                    .coordinates
                    .map(|c| c.lon.to_string())
                    .unwrap_or_default(),
                Col::Phone => o
                    .contact
                    .phone
                    .as_ref()
                    .map(|p| p.display.clone())
                    .unwrap_or_default(),
                Col::Email => opt(&o.contact.email),
                Col::Website => opt(&o.contact.website),
                Col::ContactName => opt(&o.contact.name),
                Col::ReferentName => opt(&o.referent.name),
                Col::ReferentPhone => o
                    .referent
                    .phone
                    .as_ref()
                    .map(|p| p.display.clone())
                    .unwrap_or_default(),
                Col::ReferentEmail => opt(&o.referent.email),
                Col::Cycle => o.cycle_months.map(|m| m.to_string()).unwrap_or_default(),
                Col::Rhythm => opt(&o.rhythm),
                Col::Capacity => o.capacity.map(|n| n.to_string()).unwrap_or_default(),
                Col::FirstYear => yes_no(o.first_year_apprenticeship),
                Col::Parcoursup => yes_no(o.parcoursup),
                Col::Affelnet => yes_no(o.affelnet),
                Col::Start => date(o.start).unwrap_or_default(),
                Col::End => date(o.end).unwrap_or_default(),
            };
            if v.is_empty() {
                raw(c).unwrap_or_default()
            } else {
                v
            }
        })
        .collect()
}

/// Excel refuses a cell of more than 32,767 characters (a CSV export can carry one):
/// such a text is cut, and says so.
fn excel_text(text: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 32_000;
    match text.char_indices().nth(MAX) {
        None => std::borrow::Cow::Borrowed(text),
        Some((at, _)) => std::borrow::Cow::Owned(format!("{} […] (texte coupé)", &text[..at])),
    }
}

/// What a note on a problem cell says: the problem, its detail, what to do.
fn note_text(problems: &[&Problem]) -> String {
    problems
        .iter()
        .map(|p| {
            let mut t = format!(
                "{} ({}) : {}",
                explain::label(p.reason),
                if p.reason.is_blocking() {
                    "bloquant"
                } else {
                    "à vérifier"
                },
                p.detail.as_deref().unwrap_or("")
            );
            t = t.trim_end_matches([' ', ':']).to_string();
            t.push_str(".\nÀ faire : ");
            t.push_str(explain::advice(p.reason));
            t
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The same bytes for the same report: the workbook's creation date is fixed.
fn properties() -> DocProperties {
    let when = ExcelDateTime::from_ymd(2000, 1, 1).expect("a valid date");
    DocProperties::new()
        .set_author("vitrine")
        .set_creation_datetime(&when)
}

/// The workbook of one CFA.
pub(super) fn cfa_workbook(
    cfa: &CfaRows<'_>,
    offers: &[Offer],
    verdicts: &[Verdict],
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties());
    // Every part stored, none deflated: the workbooks are small and many (one per
    // CFA), and each deflated part set up a deflate state of its own (hundreds of
    // kilobytes cleared): two thirds of a workbook's instructions for 25 KB saved.
    wb.set_zip_compression_level(0);
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_pattern(FormatPattern::Solid)
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin);
    let blocking = Format::new()
        .set_pattern(FormatPattern::Solid)
        .set_background_color(Color::RGB(0xF4B183))
        .set_border(FormatBorder::Thin);
    let warning = Format::new()
        .set_pattern(FormatPattern::Solid)
        .set_background_color(Color::RGB(0xFFE699))
        .set_border(FormatBorder::Thin);

    // Counts and reasons, for the summary sheet.
    let (mut published, mut to_fix, mut closed, mut with_warnings) = (0, 0, 0, 0);
    let mut reasons: BTreeMap<crate::model::Reason, usize> = BTreeMap::new();
    for &i in cfa.rows {
        let v = &verdicts[i];
        match v.status {
            Status::Published => published += 1,
            Status::NonReglementaire => to_fix += 1,
            Status::Closed => closed += 1,
        }
        with_warnings += usize::from(v.status == Status::Published && !v.warnings.is_empty());
        for r in v.reasons.iter().chain(&v.warnings) {
            *reasons.entry(*r).or_default() += 1;
        }
    }

    let summary = wb.add_worksheet();
    summary.set_name("Synthèse")?;
    summary.set_column_width(0, 48)?;
    summary.set_column_width(1, 14)?;
    summary.set_column_width(2, 90)?;
    let mut r = 0u32;
    summary.write_string_with_format(r, 0, neutralise(cfa.name), &bold)?;
    r += 1;
    summary.write_string(r, 0, format!("SIRET {}", neutralise(cfa.siret)))?;
    r += 2;
    for (label, n) in [
        ("Actions de l'export", cfa.rows.len()),
        ("Publiées", published),
        ("Non réglementaires (non publiées)", to_fix),
        ("Publiées avec une alerte à vérifier", with_warnings),
        ("Fermées (surlignées en jaune)", closed),
    ] {
        summary.write_string(r, 0, label)?;
        summary.write_number(r, 1, n as f64)?;
        r += 1;
    }
    r += 1;
    summary.write_string(
        r,
        0,
        "Dans la feuille « Offres », chaque case à corriger est colorée (orange : \
         bloque la publication, jaune : à vérifier) et porte une note qui dit quoi faire.",
    )?;
    r += 2;
    for (c, h) in ["Motif", "Actions", "À faire"].iter().enumerate() {
        summary.write_string_with_format(r, c as u16, *h, &header)?;
    }
    r += 1;
    for (reason, n) in &reasons {
        let f = if reason.is_blocking() {
            &blocking
        } else {
            &warning
        };
        summary.write_string_with_format(r, 0, explain::label(*reason), f)?;
        summary.write_number(r, 1, *n as f64)?;
        summary.write_string_with_format(r, 2, explain::advice(*reason), &wrap)?;
        r += 1;
    }

    let sheet = wb.add_worksheet();
    sheet.set_name("Offres")?;
    // Status first, then the contract's columns.
    sheet.write_string_with_format(0, 0, "Statut", &header)?;
    sheet.set_column_width(0, 18)?;
    for (c, col) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16 + 1, col.name, &header)?;
        sheet.set_column_width(c as u16 + 1, 18)?;
    }
    sheet.set_freeze_panes(1, 2)?;
    for (k, &i) in cfa.rows.iter().enumerate() {
        let (o, v) = (&offers[i], &verdicts[i]);
        let row = k as u32 + 1;
        let status = match v.status {
            Status::Published if v.problems.is_empty() => "publiée",
            Status::Published => "publiée, à vérifier",
            Status::NonReglementaire => "non réglementaire",
            Status::Closed => "fermée",
        };
        sheet.write_string(row, 0, status)?;
        // Problems by column; one without a column goes on the N° action.
        let mut by_col: BTreeMap<usize, Vec<&Problem>> = BTreeMap::new();
        for p in &v.problems {
            let c = p
                .column
                .as_deref()
                .and_then(|name| COLUMNS.iter().position(|col| col.name == name))
                .unwrap_or(0);
            by_col.entry(c).or_default().push(p);
        }
        for (c, text) in cells(o).into_iter().enumerate() {
            let col = c as u16 + 1;
            // Cells are written as text, made inert: a value starting with `=` stays a
            // value in the CFA's spreadsheet.
            let text = excel_text(&neutralise(&text)).into_owned();
            match by_col.get(&c) {
                Some(problems) => {
                    let f = if problems.iter().any(|p| p.reason.is_blocking()) {
                        &blocking
                    } else {
                        &warning
                    };
                    sheet.write_string_with_format(row, col, &text, f)?;
                    let note = Note::new(excel_text(&note_text(problems)))
                        .set_author("Carif-Oref")
                        .set_width(420)
                        .set_height(160);
                    sheet.insert_note(row, col, &note)?;
                }
                None if !text.is_empty() => {
                    sheet.write_string(row, col, &text)?;
                }
                None => {}
            }
        }
    }
    wb.save_to_buffer()
}

/// `envoi.csv`: one line per CFA for a mail merge (French Excel: UTF-8 BOM, `;`, CRLF).
pub(super) fn envoi_csv(cfas: &[CfaRows<'_>], offers: &[Offer], verdicts: &[Verdict]) -> Vec<u8> {
    let mut w = excel_csv();
    w.write_record([
        "Organisme responsable",
        "SIRET",
        "Courriel",
        "Actions",
        "Publiées",
        "Non réglementaires",
        "Publiées à vérifier",
        "Fermées",
        "Rapport (page)",
        "Fichier à corriger",
    ])
    .expect("writing to memory");
    for cfa in cfas {
        // The CFA's address: the first contact e-mail of its rows, else its disability
        // referent's.
        let email = cfa
            .rows
            .iter()
            .find_map(|&i| offers[i].contact.email.clone())
            .or_else(|| {
                cfa.rows
                    .iter()
                    .find_map(|&i| offers[i].referent.email.clone())
            })
            .unwrap_or_default();
        let count = |f: &dyn Fn(&Verdict) -> bool| {
            cfa.rows
                .iter()
                .filter(|&&i| f(&verdicts[i]))
                .count()
                .to_string()
        };
        let cells = [
            cfa.name.to_string(),
            cfa.siret.to_string(),
            email,
            cfa.rows.len().to_string(),
            count(&|v| v.status == Status::Published),
            count(&|v| v.status == Status::NonReglementaire),
            count(&|v| v.status == Status::Published && !v.warnings.is_empty()),
            count(&|v| v.status == Status::Closed),
            format!("cfa/{}.html", cfa.slug),
            format!("cfa/{}.xlsx", cfa.slug),
        ];
        w.write_record(cells.iter().map(|c| neutralise(c).into_owned()))
            .expect("writing to memory");
    }
    excel_csv_bytes(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_longer_than_an_excel_cell_is_cut_and_says_so() {
        let long = "é".repeat(40_000);
        let cut = excel_text(&long);
        assert!(cut.chars().count() < 32_767 && cut.ends_with("(texte coupé)"));
        assert_eq!(excel_text("court"), "court");
    }
}
