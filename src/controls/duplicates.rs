//! `duplicate_offer`: the same offer entered twice under two ids — same responsible
//! SIRET, same diploma (CFD, else RNCP), same place, same start date. The site shows it
//! once: the first copy that passes every blocking control (else the first copy) keeps a
//! `duplicate_offer` warning naming the others; each other copy is held back with
//! `duplicate_offer_copy` naming the one published. The report lists both.

use super::col;
use super::identifiers::siret_digits;
use crate::model::{Offer, Problem, Reason, Verdict};
use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};

/// What makes two rows the same offer: the SIRET and start date as they are, the
/// diploma and the place as 64-bit hashes of their compared forms (no allocation per
/// offer; a collision between two different offers is out of reach at 2^-64).
#[derive(Debug, PartialEq, Eq, Hash)]
struct Key {
    siret: [u8; 14],
    diploma: u64,
    place: u64,
    start: NaiveDate,
}

/// Hashes text as it is compared: letters and digits only, lower case, the accents of
/// French dropped (`12, Rue de la République` = `12 rue de la republique`).
fn hash_folded(h: &mut FxHasher, text: &str) {
    for c in text.chars() {
        let base = match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'î' | 'ï' | 'Î' | 'Ï' => 'i',
            'ô' | 'ö' | 'Ô' | 'Ö' => 'o',
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            'ÿ' | 'Ÿ' => 'y',
            c if c.is_alphanumeric() => c,
            _ => continue,
        };
        for l in base.to_lowercase() {
            l.hash(h);
        }
    }
    // A separator, so that ("ab", "c") and ("a", "bc") differ.
    '|'.hash(h);
}

/// The key of an offer, when it has every part (an offer missing one is not compared:
/// its own controls already name what is missing).
fn key(o: &Offer) -> Option<Key> {
    let siret = siret_digits(o.responsible.siret.as_deref()?)?;
    let start = o.start?;
    let mut h = FxHasher::default();
    match (o.cfd.as_deref(), o.rncp.as_deref()) {
        (Some(c), _) if !c.is_empty() => ("cfd", c).hash(&mut h),
        (_, Some(r)) if !r.is_empty() => ("rncp", r).hash(&mut h),
        _ => return None,
    }
    let diploma = h.finish();
    let a = &o.place.address;
    let town = a
        .town
        .as_deref()
        .filter(|t| t.chars().any(char::is_alphanumeric))?;
    let mut h = FxHasher::default();
    hash_folded(&mut h, a.postcode.as_deref().unwrap_or(""));
    hash_folded(&mut h, town);
    hash_folded(&mut h, a.street.as_deref().unwrap_or(""));
    Some(Key {
        siret,
        diploma,
        place: h.finish(),
        start,
    })
}

/// Adds the duplicate problems to the verdicts (same order as `offers`) and rebuilds the
/// verdicts they change.
pub(super) fn mark(offers: &[Offer], verdicts: &mut [Verdict]) {
    let keys: Vec<Option<Key>> = offers
        .par_iter()
        .map(|o| if o.marks.closed { None } else { key(o) })
        .collect();
    let mut groups: FxHashMap<Key, Vec<usize>> =
        FxHashMap::with_capacity_and_hasher(offers.len(), Default::default());
    for (i, k) in keys.into_iter().enumerate() {
        if let Some(k) = k {
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
