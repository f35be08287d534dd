//! Cycle lengths and levels: the usual ones per diploma family
//! (`data/durees-diplomes.toml`), and the official durations of each diploma by CFD
//! (`data/bcn-durees-diplomes.csv`, from the Éducation nationale's BCN `N_MEF` table):
//! the `duration_inconsistent`, `level_inconsistent` and first-year controls.

use crate::model::Diploma;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
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
    /// The diploma's normal length from its first year, when the family has one: a
    /// cycle entered "in the first year" must cover it.
    pub normal_months: Option<u32>,
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
    normal_months: Option<u32>,
}

/// Name under `data/` of the built-in family ranges.
pub const SHIPPED: &str = "durees-diplomes.toml";

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
            if let Some(n) = r.normal_months
                && !(r.min_months..=r.max_months).contains(&n)
            {
                return Err(format!(
                    "[{code}]: normal_months ({n}) must be between min_months ({}) and max_months ({})",
                    r.min_months, r.max_months
                ));
            }
            out.rules[i] = Some(DurationRule {
                min_months: r.min_months,
                max_months: r.max_months,
                levels,
                normal_months: r.normal_months,
            });
        }
        Ok(out)
    }

    /// The shipped table.
    pub fn shipped() -> Durations {
        Self::parse(crate::builtin::text(SHIPPED)).expect("the shipped durations file parses")
    }

    /// The rule of a family, when the file has one.
    pub fn rule(&self, diploma: Diploma) -> Option<&DurationRule> {
        let i = Diploma::ALL.iter().position(|d| *d == diploma)?;
        self.rules[i].as_ref()
    }
}

/// The official durations of diplomas by CFD: the BCN's `N_MEF` durations
/// (`DUREE_DISPOSITIF`, in years) of the MEFs of each diploma that may be prepared by
/// apprenticeship. A CAP has MEFs of 1, 2 and 3 years (positioning), most BTS of 1
/// and 2, the BTS Podo-orthésiste only of 3.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Official {
    /// Shortest and longest duration in years, by the 8-character CFD.
    years: HashMap<[u8; 8], (u8, u8)>,
}

/// The official durations file could not be used.
#[derive(Debug, thiserror::Error)]
#[error("official diploma durations, line {line}: {message}")]
pub struct OfficialError {
    pub line: usize,
    pub message: String,
}

/// Name under `data/` of the built-in official durations.
pub const BCN_SHIPPED: &str = "bcn-durees-diplomes.csv";

/// What the official durations say about one cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficialRange {
    pub min_years: u8,
    pub max_years: u8,
}

impl OfficialRange {
    /// The cycle lengths accepted: from one year less than the shortest official
    /// duration (positioning, Code du travail L6222-7-1) but never under the family's
    /// minimum, up to the longest official duration.
    pub fn months(&self, family: Option<&DurationRule>) -> (u32, u32) {
        let max = 12 * u32::from(self.max_years);
        let floor = family.map_or(6, |r| r.min_months);
        let min = (12 * u32::from(self.min_years))
            .saturating_sub(12)
            .max(floor)
            .min(max);
        (min, max)
    }

    /// The normal length from the first year: the family's when the official durations
    /// allow it, else the longest official one (a three-year BTS).
    pub fn normal_months(&self, family: Option<&DurationRule>) -> u32 {
        let (min, max) = (
            12 * u32::from(self.min_years),
            12 * u32::from(self.max_years),
        );
        match family.and_then(|r| r.normal_months) {
            Some(n) if (min..=max).contains(&n) => n,
            _ => max,
        }
    }
}

impl Official {
    /// Parses `cfd;durees;libelle` (durations in years separated by spaces, e.g.
    /// `50033107;1 2 3;PODO-ORTHESISTE (CAP)`); the header line is required.
    pub fn parse(text: &str) -> Result<Official, OfficialError> {
        let err = |line: usize, message: String| OfficialError { line, message };
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, h)) if h.trim_start_matches('\u{feff}').starts_with("cfd;durees") => {}
            _ => return Err(err(1, "expected the header `cfd;durees;libelle`".into())),
        }
        let mut years = HashMap::new();
        for (i, line) in lines {
            if line.trim().is_empty() {
                continue;
            }
            let mut fields = line.split(';');
            let cfd = fields.next().unwrap_or("").trim();
            let cfd: [u8; 8] = cfd
                .as_bytes()
                .try_into()
                .ok()
                .filter(|_| crate::identifiers::cfd_valid(cfd))
                .ok_or_else(|| err(i + 1, format!("not a CFD: {cfd:?}")))?;
            let mut range: Option<(u8, u8)> = None;
            for y in fields.next().unwrap_or("").split_whitespace() {
                let y: u8 = y
                    .parse()
                    .ok()
                    .filter(|y| (1..=5).contains(y))
                    .ok_or_else(|| err(i + 1, format!("not a duration in years: {y:?}")))?;
                range = Some(range.map_or((y, y), |(a, b)| (a.min(y), b.max(y))));
            }
            let range = range.ok_or_else(|| err(i + 1, "no duration".into()))?;
            years.insert(cfd, range);
        }
        Ok(Official { years })
    }

    /// The shipped table.
    pub fn builtin() -> Official {
        Self::parse(crate::builtin::text(BCN_SHIPPED))
            .expect("the shipped official durations parse")
    }

    /// The official durations of a CFD (its first 8 characters; a 9th speciality letter
    /// does not change the duration).
    pub fn range(&self, cfd: &str) -> Option<OfficialRange> {
        let key: [u8; 8] = cfd.as_bytes().get(..8)?.try_into().ok()?;
        self.years
            .get(&key)
            .map(|&(min_years, max_years)| OfficialRange {
                min_years,
                max_years,
            })
    }

    /// Number of diplomas known.
    pub fn len(&self) -> usize {
        self.years.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.years.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_official_table_knows_the_three_year_bts_and_the_cap_positioning() {
        let o = Official::builtin();
        assert!(o.len() > 700, "{}", o.len());
        let d = Durations::shipped();
        let bts = d.rule(Diploma::Bts);
        // BTS Podo-orthésiste (32033105) and Prothésiste-orthésiste (32033104): 3 years.
        for cfd in ["32033105", "32033104"] {
            let r = o.range(cfd).unwrap();
            assert_eq!((r.min_years, r.max_years), (3, 3), "{cfd}");
            assert_eq!(r.months(bts), (24, 36));
            assert_eq!(r.normal_months(bts), 36);
        }
        // BTS MCO (32031213): 1 or 2 years; the family's 24 months is the normal length.
        let mco = o.range("32031213").unwrap();
        assert_eq!(mco.months(bts), (12, 24));
        assert_eq!(mco.normal_months(bts), 24);
        // CAP Podo-orthésiste (50033107): 1, 2 or 3 years.
        let cap = d.rule(Diploma::Cap);
        let r = o.range("50033107").unwrap();
        assert_eq!(r.months(cap), (12, 36));
        assert_eq!(r.normal_months(cap), 24);
        assert!(o.range("99999999").is_none());
        assert!(o.range("320").is_none());
    }

    #[test]
    fn a_wrong_official_table_names_the_line() {
        let e = Official::parse("cfd;durees;libelle\n32033105;3;X\n3203;2;Y\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        let e = Official::parse("cfd;durees;libelle\n32033105;trois;X\n").unwrap_err();
        assert!(e.to_string().contains("trois"), "{e}");
        assert!(Official::parse("x;y\n").is_err());
    }

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
