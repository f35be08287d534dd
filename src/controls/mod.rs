//! Controls: offers → one verdict per offer, in the same order.
//!
//! Each rule reads one offer and pushes [`Problem`]s carrying the canonical column, the
//! value found and a detail in plain French; [`Verdict::from_problems`] turns them into
//! a status. Closed (yellow) rows get no controls. The rules and what a CFA must do for
//! each reason code are documented in `docs/controles.md`.

pub mod campaign;
pub mod distance;
mod duplicates;
pub mod durations;
pub mod explain;
pub use crate::identifiers;
pub mod references;
mod rules;

use crate::communes::{Communes, CommunesError};
use crate::model::{Offer, Reason, Verdict};
use durations::{Durations, DurationsError, Official};
use rayon::prelude::*;
use references::{ReferenceError, References};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Canonical column headers (`shared/brof-format.md`), as the report names fields.
pub mod col {
    pub const ID: &str = "N° action";
    pub const TITLE: &str = "Intitulé de la formation";
    pub const DIPLOMA_TYPE: &str = "Type de diplôme";
    pub const LEVEL: &str = "Niveau";
    pub const RNCP: &str = "Code RNCP";
    pub const SIRET: &str = "SIRET organisme responsable";
    pub const UAI: &str = "UAI organisme responsable";
    pub const NDA: &str = "N° de déclaration d'activité (NDA)";
    pub const QUALIOPI: &str = "Qualiopi mention apprentissage";
    pub const HABILITATION: &str = "Habilitation certificateur";
    pub const TRAINER_SIRET: &str = "SIRET organisme formateur";
    pub const PLACE_UAI: &str = "UAI lieu de formation";
    pub const PLACE_TOWN: &str = "Commune";
    pub const PLACE_STREET: &str = "Adresse lieu de formation";
    pub const PLACE_POSTCODE: &str = "Code postal";
    pub const RESP_NAME: &str = "Organisme responsable";
    pub const RESP_POSTCODE: &str = "Code postal organisme responsable";
    pub const RESP_TOWN: &str = "Commune organisme responsable";
    pub const TRAINER_NAME: &str = "Organisme formateur";
    pub const PHONE: &str = "Téléphone";
    pub const EMAIL: &str = "Courriel";
    pub const WEBSITE: &str = "Site web";
    pub const CFD: &str = "Code diplôme (CFD)";
    pub const REFERENT_NAME: &str = "Référent handicap (nom)";
    pub const REFERENT_PHONE: &str = "Référent handicap (téléphone)";
    pub const REFERENT_EMAIL: &str = "Référent handicap (courriel)";
    pub const CYCLE: &str = "Durée du cycle (mois)";
    pub const FIRST_YEAR: &str = "Entrée en 1re année en apprentissage";
    pub const START: &str = "Date de début 2027";
    pub const END: &str = "Date de fin 2027";
}

/// Everything the controls read besides the offers.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// `[campaign] year`: starts must fall between 1 August of it and 31 July after.
    pub campaign_year: i32,
    pub communes: &'a Communes,
    pub durations: &'a Durations,
    /// Official durations by CFD (BCN), used before the family ranges.
    pub official: &'a Official,
    pub references: &'a References,
}

/// The tables a run loads once: communes, durations and the optional references.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    pub communes: Communes,
    pub durations: Durations,
    pub official: Official,
    pub references: References,
    /// File names of the reference tables used (for the report).
    pub reference_files: ReferenceFiles,
}

/// Which reference file fed each table (file names only, so the report is the same
/// whatever folder the build ran in).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReferenceFiles {
    pub rncp: Option<String>,
    pub organismes: Option<String>,
    pub sirene: Option<String>,
}

/// A data or reference file the controls need could not be used (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum TablesError {
    #[error(transparent)]
    Communes(#[from] CommunesError),
    #[error(transparent)]
    Durations(#[from] DurationsError),
    /// A site's search vocabulary file (`data/rome-metiers.tsv`, `data/synonymes.txt`).
    #[error("search vocabulary {0}")]
    Vocabulary(String),
    #[error(transparent)]
    Reference(#[from] ReferenceError),
}

impl Tables {
    /// The tables of a run: the communes and durations already loaded (see
    /// [`crate::inputs`]), and the reference tables read from the paths given.
    pub fn with(
        communes: Communes,
        durations: Durations,
        official: Official,
        references: &crate::config::References,
    ) -> Result<Tables, TablesError> {
        let name = |p: &Option<PathBuf>| {
            p.as_deref()
                .and_then(Path::file_name)
                .map(|n| n.to_string_lossy().into_owned())
        };
        Ok(Tables {
            references: References::load(
                references.rncp.as_deref(),
                references.organismes.as_deref(),
                references.sirene.as_deref(),
            )?,
            reference_files: ReferenceFiles {
                rncp: name(&references.rncp),
                organismes: name(&references.organismes),
                sirene: name(&references.sirene),
            },
            communes,
            durations,
            official,
        })
    }

    /// The context of a run of the given campaign.
    pub fn context(&self, campaign_year: i32) -> Context<'_> {
        Context {
            campaign_year,
            communes: &self.communes,
            durations: &self.durations,
            official: &self.official,
            references: &self.references,
        }
    }
}

/// Which controls could not use a reference table this run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Checked on the export's declared values only (no reference table given).
    pub declared_only: Vec<Reason>,
    /// Not checked at all: they need a table that was not given.
    pub not_checked: Vec<Reason>,
}

impl Context<'_> {
    /// What the missing reference tables leave unverified.
    pub fn coverage(&self) -> Coverage {
        let r = self.references;
        let mut c = Coverage::default();
        if r.organismes.is_none() {
            c.declared_only.push(Reason::QualiopiMissing);
            c.not_checked.push(Reason::NdaUndeclared);
        }
        if r.rncp.is_none() {
            c.declared_only.push(Reason::HabilitationMissing);
            c.not_checked.extend([
                Reason::RncpExpired,
                Reason::RncpNotApprenticeship,
                Reason::RncpUnknown,
            ]);
        }
        if r.sirene.is_none() {
            c.not_checked.push(Reason::SiretInactive);
        }
        c.declared_only.sort();
        c.not_checked.sort();
        c
    }
}

/// Runs every control and returns one verdict per offer, in the same order.
pub fn run(offers: &[Offer], ctx: &Context<'_>) -> Vec<Verdict> {
    // Rows of each repeated id, to name the other rows in a duplicate's message. Counted
    // first, so that only the (rare) repeated ids get a list.
    let mut count: FxHashMap<&str, u32> =
        FxHashMap::with_capacity_and_hasher(offers.len(), Default::default());
    for o in offers {
        *count.entry(o.id.as_str()).or_default() += 1;
    }
    let mut rows: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for o in offers {
        if count[o.id.as_str()] > 1 {
            rows.entry(o.id.as_str()).or_default().push(o.row);
        }
    }
    drop(count);
    let locator = distance::Locator::new(ctx.communes, offers);
    let mut verdicts: Vec<Verdict> = offers
        .par_iter()
        .map(|o| {
            if o.marks.closed {
                return Verdict::from_problems(o, Vec::new());
            }
            let mut problems = Vec::new();
            let same = rows.get(o.id.as_str()).map_or(&[][..], Vec::as_slice);
            rules::duplicate(o, same, &mut problems);
            rules::required(o, &mut problems);
            rules::organisation(o, ctx, &mut problems);
            rules::certification(o, ctx, &mut problems);
            rules::draio(o, ctx, &locator, &mut problems);
            rules::warnings(o, ctx, &mut problems);
            Verdict::from_problems(o, problems)
        })
        .collect();
    duplicates::mark(offers, &mut verdicts);
    verdicts
}

#[cfg(test)]
mod tests;
