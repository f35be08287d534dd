//! The conformity report: verdicts → `report/` files (never inside `public/`).
//!
//! - `index.html`: totals, reasons by frequency, the CFAs with their counts;
//! - `cfa/{slug}.html`: one printable page per responsible CFA, the list the Carif-Oref
//!   sends it (row, N° action, title, field, value found, what to do);
//! - `cfa/{slug}.xlsx`: the CFA's rows with each problem cell coloured and annotated,
//!   after a summary sheet (the file the CFA corrects);
//! - `envoi.csv`: one line per CFA (e-mail, counts, its two files) for a mail merge;
//! - `non-conformes.csv`: one line per offer and problem, for French Excel;
//! - `verdicts.json`, `summary.json`: the machine-readable contract.

mod csv_export;
mod workbook;

use crate::controls::{Coverage, ReferenceFiles, explain};
use crate::import::Import;
use crate::model::NormalisedKind;
use crate::model::{Offer, Problem, Reason, Status, Verdict};
use crate::output::{Files, Key};
use crate::urls;
use serde::Serialize;
use std::collections::BTreeMap;

pub use csv_export::non_conformes_csv;

/// Totals of a run; `published + non_reglementaire + closed == rows_read`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub rows_read: usize,
    pub published: usize,
    pub non_reglementaire: usize,
    pub closed: usize,
    /// Rows marked new (blue), whatever their status.
    pub new: usize,
    /// Rows with at least one cell marked changed (red), whatever their status.
    pub changed: usize,
    /// Offers per blocking reason code.
    pub reasons: BTreeMap<String, usize>,
    /// Offers per warning code.
    pub warnings: BTreeMap<String, usize>,
    /// Values published in their usual form rather than as typed, by kind (`website`,
    /// `phone`, `email`, `postcode`): notes, not problems.
    pub normalised: BTreeMap<String, usize>,
    /// Whether the input could carry colour markings (a CSV cannot).
    pub markings_read: bool,
    /// Controls checked on the export's declared values only (no reference table).
    pub declared_only: Vec<String>,
    /// Controls not run at all for want of their reference table.
    pub not_checked: Vec<String>,
    /// The reference tables used (file names).
    pub references: ReferenceFiles,
}

impl Summary {
    /// Counts the verdicts; `coverage` and `references` say what the controls could use.
    pub fn of(
        import: &Import,
        verdicts: &[Verdict],
        coverage: &Coverage,
        references: &ReferenceFiles,
    ) -> Summary {
        let codes = |v: &[Reason]| v.iter().map(|r| r.code().to_string()).collect();
        let mut s = Summary {
            rows_read: verdicts.len(),
            markings_read: import.source.has_markings,
            declared_only: codes(&coverage.declared_only),
            not_checked: codes(&coverage.not_checked),
            references: references.clone(),
            ..Summary::default()
        };
        let bump = |map: &mut BTreeMap<String, usize>, r: &Reason| {
            *map.entry(r.code().to_string()).or_default() += 1;
        };
        for o in &import.offers {
            for n in &o.normalised {
                *s.normalised.entry(n.kind.code().to_string()).or_default() += 1;
            }
        }
        for v in verdicts {
            match v.status {
                Status::Published => s.published += 1,
                Status::NonReglementaire => s.non_reglementaire += 1,
                Status::Closed => s.closed += 1,
            }
            s.new += usize::from(v.new);
            s.changed += usize::from(!v.changed_columns.is_empty());
            v.reasons.iter().for_each(|r| bump(&mut s.reasons, r));
            v.warnings.iter().for_each(|r| bump(&mut s.warnings, r));
        }
        s
    }
}

/// The report could not be rendered (a template error: a bug, not bad input).
#[derive(Debug, thiserror::Error)]
#[error("report template {template}: {message}")]
pub struct ReportError {
    pub template: &'static str,
    pub message: String,
}

/// One problem as the report shows it.
#[derive(Debug, Clone, Serialize)]
struct ProblemView<'a> {
    code: &'static str,
    label: &'static str,
    blocking: bool,
    column: &'a str,
    value: &'a str,
    detail: &'a str,
    advice: &'static str,
}

impl<'a> ProblemView<'a> {
    fn of(p: &'a Problem) -> Self {
        ProblemView {
            code: p.reason.code(),
            label: explain::label(p.reason),
            blocking: p.reason.is_blocking(),
            column: p.column.as_deref().unwrap_or(""),
            value: p.value.as_deref().unwrap_or(""),
            detail: p.detail.as_deref().unwrap_or(""),
            advice: explain::advice(p.reason),
        }
    }
}

/// An offer with something to fix or check.
#[derive(Debug, Clone, Serialize)]
struct OfferView<'a> {
    row: u32,
    id: &'a str,
    title: &'a str,
    town: &'a str,
    problems: Vec<ProblemView<'a>>,
}

/// A responsible CFA and its offers to fix.
#[derive(Debug, Clone, Serialize)]
struct CfaView<'a> {
    slug: String,
    name: &'a str,
    siret: &'a str,
    uai: &'a str,
    town: &'a str,
    offers: usize,
    published: usize,
    non_conformes: usize,
    closed: usize,
    with_warnings: usize,
    /// Non réglementaire offers, in row order.
    to_fix: Vec<OfferView<'a>>,
    /// Published offers with warnings, in row order.
    to_check: Vec<OfferView<'a>>,
    /// Values of its offers published in their usual form, by kind.
    normalised: Vec<NormalisedCount>,
    /// Every row of the CFA (indexes into the offers), for its workbook.
    #[serde(skip)]
    rows: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
struct ReasonCount {
    code: &'static str,
    label: &'static str,
    advice: &'static str,
    offers: usize,
}

#[derive(Serialize)]
struct IndexPage<'a> {
    summary: &'a Summary,
    reasons: Vec<ReasonCount>,
    warnings: Vec<ReasonCount>,
    normalised: Vec<NormalisedCount>,
    declared_only: Vec<ReasonCount>,
    not_checked: Vec<ReasonCount>,
    cfas: Vec<CfaLine<'a>>,
}

/// Values published in their usual form, of one kind.
#[derive(Debug, Clone, Serialize)]
struct NormalisedCount {
    code: &'static str,
    label: &'static str,
    values: usize,
    /// The kind's place in the report's order.
    #[serde(skip)]
    order: usize,
}

impl NormalisedCount {
    fn one(kind: NormalisedKind) -> NormalisedCount {
        NormalisedCount {
            code: kind.code(),
            label: kind.label(),
            values: 1,
            order: NormalisedKind::ALL
                .iter()
                .position(|k| *k == kind)
                .unwrap_or(0),
        }
    }
}

/// The summary's counts (by code) in the report's order.
fn normalised_counts(map: &BTreeMap<String, usize>) -> Vec<NormalisedCount> {
    NormalisedKind::ALL
        .iter()
        .filter_map(|&k| {
            map.get(k.code()).map(|&n| NormalisedCount {
                values: n,
                ..NormalisedCount::one(k)
            })
        })
        .collect()
}

/// A CFA's line in the index: its counts, not its offers (a CFA's list of offers to
/// fix is its own page's; serialised for every line, it was most of the index's time).
#[derive(Serialize)]
struct CfaLine<'a> {
    slug: &'a str,
    name: &'a str,
    siret: &'a str,
    town: &'a str,
    offers: usize,
    non_conformes: usize,
    with_warnings: usize,
    closed: usize,
}

impl<'a> CfaLine<'a> {
    fn of(c: &'a CfaView<'a>) -> CfaLine<'a> {
        CfaLine {
            slug: &c.slug,
            name: c.name,
            siret: c.siret,
            town: c.town,
            offers: c.offers,
            non_conformes: c.non_conformes,
            with_warnings: c.with_warnings,
            closed: c.closed,
        }
    }
}

#[derive(Serialize)]
struct CfaPage<'a> {
    cfa: &'a CfaView<'a>,
    declared_only: &'a [ReasonCount],
}

/// The slug of a CFA's page: the segment of its public path (`/cfa/{slug}/`).
pub fn cfa_slug(offer: &Offer) -> String {
    urls::cfa_path(offer)
        .trim_start_matches("/cfa/")
        .trim_end_matches('/')
        .to_string()
}

fn group<'a>(offers: &'a [Offer], verdicts: &'a [Verdict]) -> Vec<CfaView<'a>> {
    let mut by_key: BTreeMap<String, CfaView<'a>> = BTreeMap::new();
    for (i, (o, v)) in offers.iter().zip(verdicts).enumerate() {
        let r = &o.responsible;
        let cfa = by_key.entry(urls::cfa_key(o)).or_insert_with(|| CfaView {
            slug: cfa_slug(o),
            name: &r.name,
            siret: r.siret.as_deref().unwrap_or(""),
            uai: r.uai.as_deref().unwrap_or(""),
            town: r.address.town.as_deref().unwrap_or(""),
            offers: 0,
            published: 0,
            non_conformes: 0,
            closed: 0,
            with_warnings: 0,
            to_fix: Vec::new(),
            to_check: Vec::new(),
            normalised: Vec::new(),
            rows: Vec::new(),
        });
        cfa.offers += 1;
        for n in &o.normalised {
            match cfa.normalised.iter_mut().find(|c| c.code == n.kind.code()) {
                Some(c) => c.values += 1,
                None => cfa.normalised.push(NormalisedCount::one(n.kind)),
            }
        }
        cfa.rows.push(i);
        let view = || OfferView {
            row: v.row,
            id: &v.id,
            title: &o.title,
            town: o.place.address.town.as_deref().unwrap_or(""),
            problems: v.problems.iter().map(ProblemView::of).collect(),
        };
        match v.status {
            Status::Closed => cfa.closed += 1,
            Status::NonReglementaire => {
                cfa.non_conformes += 1;
                cfa.to_fix.push(view());
            }
            Status::Published => {
                cfa.published += 1;
                if !v.problems.is_empty() {
                    cfa.with_warnings += 1;
                    cfa.to_check.push(view());
                }
            }
        }
    }
    let mut cfas: Vec<CfaView<'a>> = by_key.into_values().collect();
    for c in &mut cfas {
        c.normalised.sort_by_key(|n| n.order);
    }
    // Two CFAs whose names and keys slug alike would share a page: number the later ones.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for c in &mut cfas {
        let n = seen.entry(c.slug.clone()).or_default();
        *n += 1;
        if *n > 1 {
            c.slug = format!("{}-{}", c.slug, n);
        }
    }
    cfas.sort_by(|a, b| {
        b.non_conformes
            .cmp(&a.non_conformes)
            .then(b.with_warnings.cmp(&a.with_warnings))
            .then(a.name.cmp(b.name))
            .then(a.slug.cmp(&b.slug))
    });
    cfas
}

fn counts(map: &BTreeMap<String, usize>) -> Vec<ReasonCount> {
    let mut v: Vec<ReasonCount> = Reason::ALL
        .iter()
        .filter_map(|r| {
            map.get(r.code()).map(|&n| ReasonCount {
                code: r.code(),
                label: explain::label(*r),
                advice: explain::advice(*r),
                offers: n,
            })
        })
        .collect();
    v.sort_by(|a, b| b.offers.cmp(&a.offers).then(a.code.cmp(b.code)));
    v
}

fn listed(codes: &[String]) -> Vec<ReasonCount> {
    Reason::ALL
        .iter()
        .filter(|r| codes.iter().any(|c| c == r.code()))
        .map(|r| ReasonCount {
            code: r.code(),
            label: explain::control(*r),
            advice: explain::advice(*r),
            offers: 0,
        })
        .collect()
}

const INDEX: &str = include_str!("templates/index.html");
const CFA: &str = include_str!("templates/cfa.html");
const STYLE: &str = include_str!("templates/style.css");

fn templates() -> Result<tera::Tera, ReportError> {
    let mut tera = tera::Tera::default();
    tera.add_raw_templates([
        ("style.css", STYLE),
        ("index.html", INDEX),
        ("cfa.html", CFA),
    ])
    .map_err(|e| ReportError {
        template: "templates",
        message: format!("{e:?}"),
    })?;
    Ok(tera)
}

fn render_one(
    tera: &tera::Tera,
    template: &'static str,
    data: &impl Serialize,
) -> Result<Vec<u8>, ReportError> {
    let ctx = tera::Context::from_serialize(data).map_err(|e| ReportError {
        template,
        message: e.to_string(),
    })?;
    tera.render(template, &ctx)
        .map(String::into_bytes)
        .map_err(|e| ReportError {
            template,
            message: format!("{e:?}"),
        })
}

/// The report files. `offers` and `verdicts` are parallel (one verdict per offer).
pub fn render(
    summary: &Summary,
    offers: &[Offer],
    verdicts: &[Verdict],
) -> Result<Files, ReportError> {
    let files = std::sync::Mutex::new(Files::new());
    let keys = crate::output::keys_of(offers);
    render_keyed(
        summary,
        offers,
        &keys,
        verdicts,
        &|_, _| false,
        &|path, bytes, _| {
            files
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(path, bytes);
            Ok::<_, ReportError>(())
        },
    )?;
    Ok(files.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// Where [`render_keyed`] hands each file it makes: its path, bytes and key.
pub type Put<'a, E> = dyn Fn(&str, Vec<u8>, Option<Key>) -> Result<(), E> + Sync + 'a;

/// Like [`render`], for a build that keeps the previous report's files: a CFA's
/// workbook is not made again when `keep(path, key)` says the file of that key is
/// kept (the workbooks are most of the report's time; a day's import changes few
/// CFAs). Each file made is handed to `put` with its path and key (a CFA's page or
/// workbook: the key of its rows and verdicts) as soon as it is made, from any thread:
/// the report is never held whole (at 100,000 offers, hundreds of megabytes of
/// workbooks).
pub fn render_keyed<E: From<ReportError> + Send>(
    summary: &Summary,
    offers: &[Offer],
    offer_keys: &[Key],
    verdicts: &[Verdict],
    keep: &(dyn Fn(&str, Key) -> bool + Sync),
    put: &Put<'_, E>,
) -> Result<(), E> {
    use rayon::prelude::*;
    let tera = templates()?;
    let cfas = group(offers, verdicts);
    let declared_only = listed(&summary.declared_only);
    put(
        "index.html",
        render_one(
            &tera,
            "index.html",
            &IndexPage {
                summary,
                reasons: counts(&summary.reasons),
                warnings: counts(&summary.warnings),
                normalised: normalised_counts(&summary.normalised),
                declared_only: declared_only.clone(),
                not_checked: listed(&summary.not_checked),
                cfas: cfas.iter().map(CfaLine::of).collect(),
            },
        )?,
        None,
    )?;
    // Each CFA's page, kept like its workbook when made of the same data (the
    // templates are the binary's), made side by side otherwise.
    cfas.par_iter().try_for_each(|cfa| {
        let path = format!("cfa/{}.html", cfa.slug);
        let page = CfaPage {
            cfa,
            declared_only: &declared_only,
        };
        let key = crate::output::key_of_serialized(&page);
        if keep(&path, key) {
            return Ok(());
        }
        put(&path, render_one(&tera, "cfa.html", &page)?, Some(key))
    })?;
    // The file each CFA fixes, and the mail-merge list that sends them.
    let rows: Vec<workbook::CfaRows<'_>> = cfas
        .iter()
        .map(|c| workbook::CfaRows {
            slug: &c.slug,
            name: c.name,
            siret: c.siret,
            rows: &c.rows,
        })
        .collect();
    // A workbook costs milliseconds: made in parallel, each written once made.
    rows.par_iter().try_for_each(|cfa| {
        let path = format!("cfa/{}.xlsx", cfa.slug);
        let made_of: Vec<(Key, &Verdict)> = cfa
            .rows
            .iter()
            .map(|&i| (offer_keys[i], &verdicts[i]))
            .collect();
        let key = crate::output::key_of_serialized(&(cfa.slug, cfa.name, cfa.siret, made_of));
        if keep(&path, key) {
            return Ok(());
        }
        let bytes = workbook::cfa_workbook(cfa, offers, verdicts).map_err(|e| ReportError {
            template: "cfa.xlsx",
            message: e.to_string(),
        })?;
        put(&path, bytes, Some(key))
    })?;
    put(
        "envoi.csv",
        workbook::envoi_csv(&rows, offers, verdicts),
        None,
    )?;
    put(
        "non-conformes.csv",
        non_conformes_csv(offers, verdicts),
        None,
    )?;
    let json = |v: &dyn erased::Json| v.to_pretty();
    put("summary.json", json(summary), None)?;
    // Every row's verdict, pretty-printed: megabytes at 100,000 offers, kept as long as
    // the verdicts are the same.
    let key = crate::output::key_of_serialized(verdicts);
    if !keep("verdicts.json", key) {
        put("verdicts.json", json(&verdicts), Some(key))?;
    }
    Ok(())
}

mod erased {
    /// Pretty JSON with a final newline; serialising our own types cannot fail. The
    /// CFA's text (names, values found) may hold markup: `<`, `>`, `&` are written as
    /// their `\u` escapes, so no browser sniffing the file sees a tag.
    pub(super) trait Json {
        fn to_pretty(&self) -> Vec<u8>;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_pretty(&self) -> Vec<u8> {
            let v = serde_json::to_string_pretty(self).expect("report types serialise");
            let mut v = crate::safe::json_for_html(&v).into_bytes();
            v.push(b'\n');
            v
        }
    }
}
