//! `duplicate_offer`: the same offer entered twice under two ids — same responsible
//! SIRET, same diploma (CFD, else RNCP), same place, same start date. The site shows it
//! once: the first copy that passes every blocking control (else the first copy) keeps a
//! `duplicate_offer` warning naming the others; each other copy is held back with
//! `duplicate_offer_copy` naming the one published. The report lists both.

use super::col;
use super::identifiers::siret_digits;
use crate::model::{Offer, Problem, Reason, Verdict, fold};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;

/// What makes two rows the same offer.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Key {
    siret: [u8; 14],
    diploma: String,
    place: String,
    start: NaiveDate,
}

/// The key of an offer, when it has every part (an offer missing one is not compared:
/// its own controls already name what is missing).
fn key(o: &Offer) -> Option<Key> {
    let siret = siret_digits(o.responsible.siret.as_deref()?)?;
    let diploma = o
        .cfd
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(|c| format!("cfd:{c}"))
        .or_else(|| {
            o.rncp
                .as_deref()
                .filter(|c| !c.is_empty())
                .map(|c| format!("rncp:{c}"))
        })?;
    let a = &o.place.address;
    let town = a.town.as_deref().map(fold).filter(|t| !t.is_empty())?;
    let place = format!(
        "{}|{town}|{}",
        a.postcode.as_deref().unwrap_or(""),
        a.street.as_deref().map(fold).unwrap_or_default()
    );
    Some(Key {
        siret,
        diploma,
        place,
        start: o.start?,
    })
}

/// Adds the duplicate problems to the verdicts (same order as `offers`) and rebuilds the
/// verdicts they change.
pub(super) fn mark(offers: &[Offer], verdicts: &mut [Verdict]) {
    let mut groups: FxHashMap<Key, Vec<usize>> = FxHashMap::default();
    for (i, o) in offers.iter().enumerate() {
        if o.marks.closed {
            continue;
        }
        if let Some(k) = key(o) {
            groups.entry(k).or_default().push(i);
        }
    }
    let mut repeated: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    // Deterministic order whatever the hash map's.
    repeated.sort_unstable();
    for group in repeated {
        let kept = group
            .iter()
            .copied()
            .find(|&i| verdicts[i].reasons.is_empty())
            .unwrap_or(group[0]);
        let keeper = &offers[kept];
        let copies: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&i| i != kept && offers[i].id != keeper.id)
            .collect();
        if copies.is_empty() {
            // Same id on every row: `duplicate_id` already says it.
            continue;
        }
        let named: Vec<String> = copies
            .iter()
            .map(|&i| format!("{} (ligne {})", offers[i].id, offers[i].row))
            .collect();
        add(
            &offers[kept],
            &mut verdicts[kept],
            Problem {
                reason: Reason::DuplicateOffer,
                column: Some(col::ID.to_string()),
                value: Some(keeper.id.clone()),
                detail: Some(format!(
                    "même offre que {} ; seule celle-ci est publiée",
                    named.join(", ")
                )),
            },
        );
        for i in copies {
            add(
                &offers[i],
                &mut verdicts[i],
                Problem {
                    reason: Reason::DuplicateOfferCopy,
                    column: Some(col::ID.to_string()),
                    value: Some(offers[i].id.clone()),
                    detail: Some(format!(
                        "même offre que {} (ligne {}), publiée à sa place",
                        keeper.id, keeper.row
                    )),
                },
            );
        }
    }
}

fn add(offer: &Offer, verdict: &mut Verdict, p: Problem) {
    let mut problems = std::mem::take(&mut verdict.problems);
    problems.push(p);
    *verdict = Verdict::from_problems(offer, problems);
}
