//! The rules, one function per family of controls (`docs/controles.md`). Each pushes
//! problems with the column, the value found and a detail in plain French.

use super::campaign::{self, french};
use super::distance::{self, Locator};
use super::identifiers as id;
use super::{Context, col};
use crate::model::{Offer, Phone, Problem, Reason};

fn problem(reason: Reason, column: &str, value: Option<&str>, detail: Option<String>) -> Problem {
    Problem {
        reason,
        column: Some(column.to_string()),
        value: value.filter(|v| !v.trim().is_empty()).map(str::to_string),
        detail,
    }
}

fn blank(v: &Option<String>) -> bool {
    v.as_deref().is_none_or(|s| s.trim().is_empty())
}

fn phone_ok(p: &Option<Phone>) -> bool {
    p.as_ref().is_some_and(|p| p.international.is_some())
}

fn email_ok(e: &Option<String>) -> bool {
    e.as_deref().is_some_and(id::email_valid)
}

/// `duplicate_id`: the same `N° action` on several rows (`rows` = all rows of this id).
pub(super) fn duplicate(o: &Offer, rows: &[u32], out: &mut Vec<Problem>) {
    if rows.len() > 1 {
        let others: Vec<String> = rows
            .iter()
            .filter(|r| **r != o.row)
            .map(u32::to_string)
            .collect();
        out.push(problem(
            Reason::DuplicateId,
            col::ID,
            Some(&o.id),
            Some(format!("même N° action ligne {}", others.join(", "))),
        ));
    }
}

/// `field_missing`: a required column of the contract (`shared/brof-format.md`) left
/// empty, for the columns no other rule covers (SIRET, UAI, NDA, RNCP, dates, contacts,
/// Qualiopi, habilitation and first year have their own codes). A value present but
/// unreadable counts as missing too: the offer cannot be shown without it.
pub(super) fn required(o: &Offer, out: &mut Vec<Problem>) {
    let text = |s: &str| !s.trim().is_empty();
    let some = |s: &Option<String>| !blank(s);
    for (column, present) in [
        (col::TITLE, text(&o.title)),
        (col::DIPLOMA_TYPE, text(&o.diploma_type)),
        (col::LEVEL, o.level.is_some()),
        (col::RESP_NAME, text(&o.responsible.name)),
        (col::RESP_POSTCODE, some(&o.responsible.address.postcode)),
        (col::RESP_TOWN, some(&o.responsible.address.town)),
        (col::TRAINER_NAME, text(&o.trainer.name)),
        (col::PLACE_STREET, some(&o.place.address.street)),
        (col::PLACE_POSTCODE, some(&o.place.address.postcode)),
        (col::PLACE_TOWN, some(&o.place.address.town)),
        (col::CYCLE, o.cycle_months.is_some()),
    ] {
        if present {
            continue;
        }
        let unreadable = o.findings.iter().find(|f| f.column == column);
        out.push(problem(
            Reason::FieldMissing,
            column,
            unreadable.map(|f| f.raw.as_str()),
            Some(match unreadable {
                Some(_) => format!("colonne « {column} » obligatoire : valeur illisible"),
                None => format!("colonne « {column} » obligatoire, vide"),
            }),
        ));
    }
}

/// SIRET, NDA, UAI, Qualiopi, habilitation, disability referent, contact.
pub(super) fn organisation(o: &Offer, ctx: &Context<'_>, out: &mut Vec<Problem>) {
    let refs = ctx.references;
    for (column, siret) in [
        (col::SIRET, &o.responsible.siret),
        (col::TRAINER_SIRET, &o.trainer.siret),
    ] {
        match siret.as_deref().filter(|s| !s.trim().is_empty()) {
            None => out.push(problem(
                Reason::SiretInvalid,
                column,
                None,
                Some("SIRET absent".into()),
            )),
            Some(s) if !id::siret_valid(s) => out.push(problem(
                Reason::SiretInvalid,
                column,
                Some(s),
                Some("le SIRET doit compter 14 chiffres avec une clé de contrôle juste".into()),
            )),
            Some(s) => {
                if let Some(false) = refs.sirene.as_ref().and_then(|t| t.active(s)) {
                    out.push(problem(
                        Reason::SiretInactive,
                        column,
                        Some(s),
                        Some("établissement fermé dans le répertoire SIRENE".into()),
                    ));
                }
            }
        }
    }

    match o
        .responsible
        .nda
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        None => out.push(problem(Reason::NdaMissing, col::NDA, None, None)),
        Some(n) if !id::nda_valid(n) => out.push(problem(
            Reason::NdaInvalid,
            col::NDA,
            Some(n),
            Some("11 caractères attendus : des chiffres, ou un P en 5e position pour un organisme public".into()),
        )),
        Some(n) => {
            if refs.organismes.as_ref().is_some_and(|t| !t.declares(n)) {
                out.push(problem(
                    Reason::NdaUndeclared,
                    col::NDA,
                    Some(n),
                    Some("absent de la liste publique des organismes de formation".into()),
                ));
            }
        }
    }

    match o
        .responsible
        .uai
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        None => out.push(problem(Reason::UaiMissing, col::UAI, None, None)),
        Some(u) if !id::uai_valid(u) => out.push(problem(
            Reason::UaiInvalid,
            col::UAI,
            Some(u),
            Some("7 chiffres suivis d'une lettre clé".into()),
        )),
        Some(_) => {}
    }
    if let Some(u) = o.place.uai.as_deref().filter(|s| !s.trim().is_empty())
        && !id::uai_valid(u)
    {
        out.push(problem(
            Reason::UaiInvalid,
            col::PLACE_UAI,
            Some(u),
            Some("7 chiffres suivis d'une lettre clé".into()),
        ));
    }

    // Qualiopi: the DGEFP list when given (by SIRET, then SIREN), else the declaration.
    match (&refs.organismes, o.responsible.siret.as_deref()) {
        (Some(t), siret) => match siret.and_then(|s| t.qualiopi(s)) {
            Some(true) => {}
            Some(false) => out.push(problem(
                Reason::QualiopiMissing,
                col::QUALIOPI,
                siret,
                Some(
                    "pas de certification Qualiopi « apprentissage » dans la liste publique".into(),
                ),
            )),
            None => out.push(problem(
                Reason::QualiopiMissing,
                col::QUALIOPI,
                siret,
                Some("organisme absent de la liste publique des organismes de formation".into()),
            )),
        },
        (None, _) => {
            if o.responsible.qualiopi != Some(true) {
                out.push(problem(
                    Reason::QualiopiMissing,
                    col::QUALIOPI,
                    Some(declared(o.responsible.qualiopi)),
                    None,
                ));
            }
        }
    }

    // Habilitation: the certifiers and training partners of the sheet when the RNCP
    // table knows it, else the declaration.
    let fiche = refs
        .rncp
        .as_ref()
        .and_then(|t| o.rncp.as_deref().and_then(|c| t.fiche(c)));
    match fiche {
        Some(f) => {
            if !o
                .responsible
                .siret
                .as_deref()
                .is_some_and(|s| f.authorises(s))
            {
                out.push(problem(
                    Reason::HabilitationMissing,
                    col::HABILITATION,
                    o.responsible.siret.as_deref(),
                    Some(format!(
                        "le SIRET n'est ni certificateur ni partenaire habilité de la fiche {}",
                        o.rncp.as_deref().unwrap_or("")
                    )),
                ));
            }
        }
        None => {
            if o.responsible.habilitation != Some(true) {
                out.push(problem(
                    Reason::HabilitationMissing,
                    col::HABILITATION,
                    Some(declared(o.responsible.habilitation)),
                    None,
                ));
            }
        }
    }

    if blank(&o.referent.name) {
        out.push(problem(
            Reason::HandicapReferentMissing,
            col::REFERENT_NAME,
            None,
            None,
        ));
    }
    if !phone_ok(&o.referent.phone) && !email_ok(&o.referent.email) {
        let (column, value) = match (&o.referent.phone, &o.referent.email) {
            (_, Some(e)) if !e.trim().is_empty() => (col::REFERENT_EMAIL, Some(e.as_str())),
            (Some(p), _) => (col::REFERENT_PHONE, Some(p.display.as_str())),
            _ => (col::REFERENT_PHONE, None),
        };
        out.push(problem(
            Reason::HandicapContactMissing,
            column,
            value,
            Some("ni téléphone ni courriel valide".into()),
        ));
    }
    if !phone_ok(&o.contact.phone) && !email_ok(&o.contact.email) {
        let (column, value) = match (&o.contact.phone, &o.contact.email) {
            (_, Some(e)) if !e.trim().is_empty() => (col::EMAIL, Some(e.as_str())),
            (Some(p), _) => (col::PHONE, Some(p.display.as_str())),
            _ => (col::PHONE, None),
        };
        out.push(problem(
            Reason::ContactMissing,
            column,
            value,
            Some("ni téléphone ni courriel valide".into()),
        ));
    }
}

/// `3 ans`, `1 à 2 ans`, `1 an`.
fn years(min: u8, max: u8) -> String {
    let unit = |n: u8| if n > 1 { "ans" } else { "an" };
    if min == max {
        format!("{min} {}", unit(min))
    } else {
        format!("{min} à {max} {}", unit(max))
    }
}

fn declared(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "Oui",
        Some(false) => "Non",
        None => "",
    }
}

/// RNCP code shape; with the France compétences table: registration and apprenticeship.
pub(super) fn certification(o: &Offer, ctx: &Context<'_>, out: &mut Vec<Problem>) {
    let code = match o.rncp.as_deref().filter(|s| !s.trim().is_empty()) {
        None => {
            out.push(problem(
                Reason::RncpMissing,
                col::RNCP,
                None,
                Some("colonne « Code RNCP » obligatoire, vide".into()),
            ));
            return;
        }
        Some(c) if !id::rncp_valid(c) => {
            out.push(problem(
                Reason::RncpMalformed,
                col::RNCP,
                Some(c),
                Some(
                    "attendu RNCP suivi de 3 à 5 chiffres (ou RS pour le répertoire spécifique)"
                        .into(),
                ),
            ));
            return;
        }
        Some(c) => c,
    };
    let Some(table) = &ctx.references.rncp else {
        return;
    };
    let Some(f) = table.fiche(code) else {
        out.push(problem(
            Reason::RncpUnknown,
            col::RNCP,
            Some(code),
            Some("fiche absente de l'export France compétences".into()),
        ));
        return;
    };
    if !f.active {
        out.push(problem(
            Reason::RncpExpired,
            col::RNCP,
            Some(code),
            Some("fiche inactive au répertoire".into()),
        ));
    } else if let (Some(end), Some(start)) = (f.end, o.start)
        && end < start
    {
        out.push(problem(
            Reason::RncpExpired,
            col::RNCP,
            Some(code),
            Some(format!(
                "enregistrement terminé le {}, avant le début de la session ({})",
                french(end),
                french(start)
            )),
        ));
    }
    if !f.apprenticeship {
        out.push(problem(
            Reason::RncpNotApprenticeship,
            col::RNCP,
            Some(code),
            Some("la fiche n'ouvre pas la voie « en contrat d'apprentissage »".into()),
        ));
    }
    if let (Some(expected), Some(level)) = (f.level, o.level)
        && expected != level
    {
        out.push(problem(
            Reason::LevelInconsistent,
            col::LEVEL,
            Some(&level.to_string()),
            Some(format!("la fiche {code} est de niveau {expected}")),
        ));
    }
}

/// Duration, first year, dates, campaign window, the 20 km rule.
pub(super) fn draio(o: &Offer, ctx: &Context<'_>, locator: &Locator<'_>, out: &mut Vec<Problem>) {
    // The official durations of the diploma (by CFD) first, the family's range else.
    let rule = o.diploma.and_then(|d| ctx.durations.rule(d));
    let official = o
        .cfd
        .as_deref()
        .and_then(|c| ctx.official.range(c))
        .map(|r| (r, o.cfd.as_deref().unwrap_or("")));
    let family = o.diploma.map_or("", |d| d.label());
    if let Some(months) = o.cycle_months {
        let expected = match official {
            Some((r, cfd)) => {
                let (min, max) = r.months(rule);
                Some((
                    min,
                    max,
                    format!(
                        "durée officielle du diplôme {cfd} : {}",
                        years(r.min_years, r.max_years)
                    ),
                ))
            }
            None => rule.map(|r| {
                (
                    r.min_months,
                    r.max_months,
                    format!("durée habituelle d'un « {family} »"),
                )
            }),
        };
        if let Some((min, max, why)) = expected
            && !(min..=max).contains(&months)
        {
            out.push(problem(
                Reason::DurationInconsistent,
                col::CYCLE,
                Some(&months.to_string()),
                Some(format!("{why} : cycle attendu de {min} à {max} mois")),
            ));
        }
    }

    let normal = match official {
        Some((r, _)) => Some(r.normal_months(rule)),
        None => rule.and_then(|r| r.normal_months),
    };
    match (o.first_year_apprenticeship, o.cycle_months, normal) {
        (Some(true), Some(months), Some(normal)) if months + 6 < normal => out.push(problem(
            Reason::FirstYearNotApprenticeship,
            col::FIRST_YEAR,
            Some("Oui"),
            Some(format!(
                "un cycle de {months} mois pour un diplôme de {normal} mois commence après la 1re année : \
                 indiquez Non, ou la durée du cycle complet"
            )),
        )),
        (Some(true), _, _) => {}
        (declared_value, _, _) => out.push(problem(
            Reason::FirstYearNotApprenticeship,
            col::FIRST_YEAR,
            Some(declared(declared_value)),
            None,
        )),
    }

    match (o.start, o.end) {
        (None, _) | (_, None) => {
            let column = if o.start.is_none() {
                col::START
            } else {
                col::END
            };
            out.push(problem(Reason::DatesMissing, column, None, None));
        }
        (Some(start), Some(end)) if end < start => out.push(problem(
            Reason::DatesInverted,
            col::END,
            Some(&french(end)),
            Some(format!("la fin précède le début ({})", french(start))),
        )),
        (Some(_), Some(_)) => {}
    }
    if let Some(start) = o.start
        && !campaign::in_window(ctx.campaign_year, start)
    {
        let (first, last) = campaign::window(ctx.campaign_year);
        out.push(problem(
            Reason::DatesOutOfCampaign,
            col::START,
            Some(&french(start)),
            Some(format!(
                "la rentrée doit être comprise entre le {} et le {}",
                french(first),
                french(last)
            )),
        ));
    }

    // The place needs its own UAI beyond 20 km: checked when it has none or reuses the
    // responsible organisation's.
    let place_uai = o
        .place
        .uai
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    let cfa_uai = o
        .responsible
        .uai
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    let shared = place_uai.is_none_or(|p| cfa_uai.is_some_and(|c| c.eq_ignore_ascii_case(p)));
    if shared {
        match locator.distance(o) {
            Some(d) if d > distance::MAX_KM => out.push(problem(
                Reason::UaiDistance,
                col::PLACE_UAI,
                place_uai,
                Some(match o.responsible.address.town.as_deref() {
                    Some(town) => format!(
                        "lieu de formation à {} de l'organisme responsable ({town})",
                        distance::km(d)
                    ),
                    None => format!(
                        "lieu de formation à {} de l'organisme responsable",
                        distance::km(d)
                    ),
                }),
            )),
            Some(_) => {}
            None => out.push(problem(
                Reason::UaiDistanceUnverifiable,
                col::PLACE_TOWN,
                o.place.address.town.as_deref(),
                Some(unlocated(o, ctx)),
            )),
        }
    }
}

/// Which of the two locations could not be found, in plain French.
fn unlocated(o: &Offer, ctx: &Context<'_>) -> String {
    let cfa = ctx.communes.coordinates(&o.responsible.address).is_some();
    let place =
        o.place.coordinates.is_some() || ctx.communes.coordinates(&o.place.address).is_some();
    match (cfa, place) {
        (false, false) => {
            "communes de l'organisme responsable et du lieu de formation non localisées"
        }
        (false, true) => "commune de l'organisme responsable non localisée",
        _ => "commune du lieu de formation non localisée (indiquez ses latitude et longitude)",
    }
    .to_string()
}

/// The warnings: dates vs cycle length, level vs diploma, website, unreadable values.
pub(super) fn warnings(o: &Offer, ctx: &Context<'_>, out: &mut Vec<Problem>) {
    if let (Some(start), Some(end), Some(months)) = (o.start, o.end, o.cycle_months)
        && end >= start
    {
        let length = campaign::months_covered(start, end);
        if (i64::from(length) - i64::from(months)).abs() > 2 {
            out.push(problem(
                Reason::DatesDurationMismatch,
                col::CYCLE,
                Some(&months.to_string()),
                Some(format!(
                    "les dates du {} au {} couvrent {} mois",
                    french(start),
                    french(end),
                    length
                )),
            ));
        }
    }

    if let (Some(d), Some(level)) = (o.diploma, o.level)
        && let Some(rule) = ctx.durations.rule(d)
        && !rule.accepts_level(level)
    {
        let levels: Vec<String> = rule.levels().iter().map(u8::to_string).collect();
        out.push(problem(
            Reason::LevelInconsistent,
            col::LEVEL,
            Some(&level.to_string()),
            Some(format!(
                "niveau attendu pour « {} » : {}",
                d.label(),
                levels.join(" ou ")
            )),
        ));
    }

    if let Some(url) = o
        .contact
        .website
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        && let Some(why) = id::url_problem(url)
    {
        out.push(problem(
            Reason::UrlInvalid,
            col::WEBSITE,
            Some(url),
            Some(why.into()),
        ));
    }

    if let Some(cfd) = o.cfd.as_deref().filter(|c| !c.is_empty())
        && !id::cfd_valid(cfd)
    {
        out.push(problem(
            Reason::CfdMalformed,
            col::CFD,
            Some(cfd),
            Some(
                "8 caractères attendus : 3 lettres ou chiffres, 3 chiffres, 2 lettres ou chiffres"
                    .into(),
            ),
        ));
    }

    for (column, name) in [
        (col::RESP_NAME, &o.responsible.name),
        (col::TRAINER_NAME, &o.trainer.name),
    ] {
        if crate::display::name_suspicious(name) {
            out.push(problem(
                Reason::NameSuspicious,
                column,
                Some(name),
                Some("caractères inattendus dans un nom d'organisme (*, /, #, _…)".into()),
            ));
        }
    }

    for f in &o.findings {
        out.push(Problem {
            reason: Reason::ValueUnreadable,
            column: Some(f.column.clone()),
            value: Some(f.raw.clone()),
            detail: Some(f.problem.clone()),
        });
    }
}
