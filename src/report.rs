//! The conformity report: verdicts → `report/` files (never inside `public/`).
//! Owner: controls work (issue 3) extends it with the HTML and CSV report.

use crate::import::Import;
use crate::model::{Reason, Status, Verdict};
use crate::output::Files;
use serde::Serialize;
use std::collections::BTreeMap;

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
    /// Whether the input could carry colour markings (a CSV cannot).
    pub markings_read: bool,
}

impl Summary {
    /// Counts the verdicts.
    pub fn of(import: &Import, verdicts: &[Verdict]) -> Summary {
        let mut s = Summary {
            rows_read: verdicts.len(),
            markings_read: import.source.has_markings,
            ..Summary::default()
        };
        let bump = |map: &mut BTreeMap<String, usize>, r: &Reason| {
            *map.entry(r.code().to_string()).or_default() += 1;
        };
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

/// The report files: `verdicts.json` and `summary.json`.
pub fn render(summary: &Summary, verdicts: &[Verdict]) -> Files {
    let mut files = Files::new();
    let json = |v: &dyn erased::Json| v.to_pretty();
    files.insert("verdicts.json", json(&verdicts));
    files.insert("summary.json", json(summary));
    files
}

mod erased {
    /// Pretty JSON with a final newline; serialising our own types cannot fail.
    pub(super) trait Json {
        fn to_pretty(&self) -> Vec<u8>;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_pretty(&self) -> Vec<u8> {
            let mut v = serde_json::to_vec_pretty(self).expect("report types serialise");
            v.push(b'\n');
            v
        }
    }
}
