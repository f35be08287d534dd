//! Usual cycle lengths and levels per diploma family (`data/durees-diplomes.toml`):
//! the `duration_inconsistent` and `level_inconsistent` controls.

use crate::model::Diploma;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The rule of one diploma family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DurationRule {
    /// Shortest accepted cycle, in months (included).
    pub min_months: u32,
    /// Longest accepted cycle, in months (included).
    pub max_months: u32,
    /// Accepted levels as a bit set (bit `n` for level `n`); 0 means any level.
    levels: u16,
}

impl DurationRule {
    /// Whether a cycle length is in the range.
    pub fn accepts_months(&self, months: u32) -> bool {
        (self.min_months..=self.max_months).contains(&months)
    }

    /// Whether a level fits the family (always true when the file sets no levels).
    pub fn accepts_level(&self, level: u8) -> bool {
        self.levels == 0 || (level < 16 && self.levels & (1 << level) != 0)
    }

    /// The accepted levels, ascending (empty: any).
    pub fn levels(&self) -> Vec<u8> {
        (0..16).filter(|l| self.levels & (1 << l) != 0).collect()
    }
}

/// The table, indexed by family for a lookup without hashing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Durations {
    rules: [Option<DurationRule>; Diploma::ALL.len()],
}

/// The durations file could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct DurationsError {
    pub file: PathBuf,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleToml {
    min_months: u32,
    max_months: u32,
    #[serde(default)]
    levels: Vec<u8>,
}

/// The file shipped in `data/`, embedded as the default.
pub const SHIPPED: &str = include_str!("../../data/durees-diplomes.toml");

impl Durations {
    /// Reads the TOML file (see `data/durees-diplomes.toml`).
    pub fn load(path: &Path) -> Result<Durations, DurationsError> {
        let text = std::fs::read_to_string(path).map_err(|e| DurationsError {
            file: path.to_path_buf(),
            message: format!("cannot read the diploma durations: {e}"),
        })?;
        Self::parse(&text).map_err(|message| DurationsError {
            file: path.to_path_buf(),
            message,
        })
    }

    /// Parses the TOML text; the error says which family and field is wrong.
    pub fn parse(text: &str) -> Result<Durations, String> {
        let raw: BTreeMap<String, RuleToml> =
            toml::from_str(text).map_err(|e| format!("invalid diploma durations: {e}"))?;
        let mut out = Durations::default();
        for (code, r) in raw {
            let Some(i) = Diploma::ALL.iter().position(|d| d.code() == code) else {
                let known: Vec<_> = Diploma::ALL.iter().map(|d| d.code()).collect();
                return Err(format!(
                    "[{code}]: unknown diploma family (known: {})",
                    known.join(", ")
                ));
            };
            if r.min_months == 0 || r.min_months > r.max_months {
                return Err(format!(
                    "[{code}]: min_months ({}) must be at least 1 and at most max_months ({})",
                    r.min_months, r.max_months
                ));
            }
            let mut levels = 0u16;
            for l in r.levels {
                if !(3..=8).contains(&l) {
                    return Err(format!("[{code}]: level {l} is not between 3 and 8"));
                }
                levels |= 1 << l;
            }
            out.rules[i] = Some(DurationRule {
                min_months: r.min_months,
                max_months: r.max_months,
                levels,
            });
        }
        Ok(out)
    }

    /// The shipped table.
    pub fn shipped() -> Durations {
        Self::parse(SHIPPED).expect("the shipped durations file parses")
    }

    /// The rule of a family, when the file has one.
    pub fn rule(&self, diploma: Diploma) -> Option<&DurationRule> {
        let i = Diploma::ALL.iter().position(|d| *d == diploma)?;
        self.rules[i].as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_has_the_reference_ranges() {
        let d = Durations::shipped();
        let range = |f| {
            let r = d.rule(f).unwrap();
            (r.min_months, r.max_months)
        };
        assert_eq!(range(Diploma::Cap), (12, 36));
        assert_eq!(range(Diploma::BacPro), (24, 36));
        assert_eq!(range(Diploma::Bts), (12, 24));
        assert!(d.rule(Diploma::Autre).is_none());
        let bts = d.rule(Diploma::Bts).unwrap();
        assert!(bts.accepts_months(12) && bts.accepts_months(24));
        assert!(!bts.accepts_months(11) && !bts.accepts_months(25));
        assert!(bts.accepts_level(5) && !bts.accepts_level(4));
        assert!(d.rule(Diploma::Cqp).unwrap().accepts_level(3));
    }

    #[test]
    fn a_wrong_file_says_what_is_wrong() {
        let e = Durations::parse("[capp]\nmin_months = 1\nmax_months = 2\n").unwrap_err();
        assert!(e.contains("[capp]"), "{e}");
        let e = Durations::parse("[cap]\nmin_months = 30\nmax_months = 12\n").unwrap_err();
        assert!(e.contains("min_months"), "{e}");
        let e = Durations::parse("[cap]\nmin_months = 12\nmax_months = 36\nlevels = [9]\n")
            .unwrap_err();
        assert!(e.contains("level 9"), "{e}");
        assert!(Durations::parse("[cap]\nmin = 12\n").is_err());
    }
}
