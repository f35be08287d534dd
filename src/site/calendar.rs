//! Campaign calendars (`data/calendrier-2027.toml`) and their `.ics` downloads.
//!
//! The `.ics` files follow RFC 5545: CRLF line ends, lines folded at 75 octets (never
//! inside a UTF-8 character), TEXT values escaped, one stable `UID` per step, and a
//! `DTSTAMP` taken from the data file rather than the clock so that two builds give the
//! same bytes.

use super::SiteError;
use super::views::french_date;
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The calendar data file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarFile {
    /// When the dates were last checked, `YYYY-MM-DDTHH:MM:SSZ`: the `DTSTAMP` of
    /// every event.
    pub dtstamp: String,
    /// Where the dates come from (shown on the pages).
    pub source: Option<String>,
    pub calendars: Vec<Calendar>,
}

/// One campaign calendar (Parcoursup 2027, Affelnet 2027, the data collection).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// URL segment and UID prefix (`parcoursup-2027`).
    pub slug: String,
    pub title: String,
    /// Who it is for, in one or two sentences.
    pub intro: String,
    /// Whose tasks its steps are: families' (the default) or CFAs'. Only families'
    /// steps reach the home page.
    #[serde(default)]
    pub audience: Audience,
    pub steps: Vec<Step>,
}

/// Who does what a step says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Young people and their families (candidates).
    #[default]
    Familles,
    /// Training centres (collection and publication of their offer).
    Cfa,
}

/// One dated step.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Stable identifier within the calendar (part of the UID).
    pub uid: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub start: NaiveDate,
    /// Last day (inclusive); a one-day step leaves it out.
    pub end: Option<NaiveDate>,
    /// Dates not confirmed yet by the ministry or the region.
    #[serde(default)]
    pub provisional: bool,
    /// Shown on the home page (only when it is for families).
    #[serde(default)]
    pub highlight: bool,
    /// Whose task it is when not the calendar's audience.
    pub audience: Option<Audience>,
}

/// A step as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub title: String,
    pub description: String,
    pub when: String,
    pub start_iso: String,
    pub end_iso: Option<String>,
    pub provisional: bool,
    pub calendar: String,
    pub calendar_path: String,
    /// A task of the CFAs, not of families.
    pub for_cfa: bool,
}

/// A calendar as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarView {
    pub slug: String,
    pub title: String,
    pub intro: String,
    pub path: String,
    pub ics_path: String,
    pub steps: Vec<StepView>,
}

impl CalendarFile {
    /// Reads and checks the data file.
    pub fn load(path: &Path) -> Result<CalendarFile, SiteError> {
        let err = |message: String| SiteError::Calendar {
            file: path.to_path_buf(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        Self::parse(&text, path)
    }

    /// Parses and checks the TOML text; `path` names the source in errors.
    pub fn parse(text: &str, path: &Path) -> Result<CalendarFile, SiteError> {
        let err = |message: String| SiteError::Calendar {
            file: path.to_path_buf(),
            message,
        };
        let file: CalendarFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        file.check().map_err(err)?;
        Ok(file)
    }

    fn check(&self) -> Result<(), String> {
        self.stamp()?;
        let mut slugs = std::collections::BTreeSet::new();
        for c in &self.calendars {
            if crate::urls::slug(&c.slug) != c.slug || !slugs.insert(&c.slug) {
                return Err(format!(
                    "calendar slug `{}` must be unique, a-z 0-9 -",
                    c.slug
                ));
            }
            let mut uids = std::collections::BTreeSet::new();
            for s in &c.steps {
                if !uids.insert(&s.uid) || crate::urls::slug(&s.uid) != s.uid {
                    return Err(format!(
                        "{}: step uid `{}` must be unique, a-z 0-9 -",
                        c.slug, s.uid
                    ));
                }
                if s.end.is_some_and(|e| e < s.start) {
                    return Err(format!(
                        "{}: step `{}` ends before it starts",
                        c.slug, s.uid
                    ));
                }
            }
        }
        Ok(())
    }

    /// The fixed `DTSTAMP`.
    pub fn stamp(&self) -> Result<NaiveDateTime, String> {
        NaiveDateTime::parse_from_str(&self.dtstamp, "%Y-%m-%dT%H:%M:%SZ")
            .map_err(|_| format!("dtstamp `{}` must read YYYY-MM-DDTHH:MM:SSZ", self.dtstamp))
    }

    /// The calendars with formatted dates.
    pub fn views(&self) -> Vec<CalendarView> {
        self.calendars
            .iter()
            .map(|c| {
                let path = format!("/calendrier/{}/", c.slug);
                CalendarView {
                    slug: c.slug.clone(),
                    title: c.title.clone(),
                    intro: c.intro.clone(),
                    ics_path: format!("/calendrier/{}.ics", c.slug),
                    steps: c.steps.iter().map(|s| step_view(c, s, &path)).collect(),
                    path,
                }
            })
            .collect()
    }

    /// Highlighted steps of every calendar, by date.
    pub fn highlights(&self) -> Vec<StepView> {
        let mut out: Vec<(NaiveDate, StepView)> = self
            .calendars
            .iter()
            .flat_map(|c| {
                let path = format!("/calendrier/{}/", c.slug);
                c.steps
                    .iter()
                    .filter(|s| {
                        s.highlight && s.audience.unwrap_or(c.audience) == Audience::Familles
                    })
                    .map(move |s| (s.start, step_view(c, s, &path)))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.title.cmp(&b.1.title)));
        out.into_iter().map(|(_, s)| s).collect()
    }
}

fn step_view(c: &Calendar, s: &Step, path: &str) -> StepView {
    let when = match s.end.filter(|e| *e != s.start) {
        Some(end) => format!("du {} au {}", french_date(s.start), french_date(end)),
        None => format!("le {}", french_date(s.start)),
    };
    StepView {
        title: s.title.clone(),
        description: s.description.clone(),
        when,
        start_iso: s.start.to_string(),
        end_iso: s.end.map(|e| e.to_string()),
        provisional: s.provisional,
        calendar: c.title.clone(),
        calendar_path: path.to_string(),
        for_cfa: s.audience.unwrap_or(c.audience) == Audience::Cfa,
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a character (§3.1).
pub fn fold_line(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// The `.ics` of one calendar.
pub fn ics(cal: &Calendar, stamp: NaiveDateTime, base_url: &str) -> String {
    let host = base_url
        .split("://")
        .nth(1)
        .unwrap_or(base_url)
        .split('/')
        .next()
        .unwrap_or("vitrine");
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//vitrine//Catalogue apprentissage//FR".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", escape_text(&cal.title)),
    ];
    let page = format!("{base_url}/calendrier/{}/", cal.slug);
    for s in &cal.steps {
        let end = s.end.unwrap_or(s.start) + Duration::days(1);
        let mut description = s.description.clone();
        if s.provisional {
            if !description.is_empty() {
                description.push('\n');
            }
            description.push_str("Date provisoire, à confirmer.");
        }
        let summary = if s.provisional {
            format!("{} (date provisoire)", s.title)
        } else {
            s.title.clone()
        };
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}-{}@{host}", cal.slug, s.uid));
        lines.push(format!("DTSTAMP:{}", stamp.format("%Y%m%dT%H%M%SZ")));
        lines.push(format!("DTSTART;VALUE=DATE:{}", s.start.format("%Y%m%d")));
        lines.push(format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")));
        lines.push(format!("SUMMARY:{}", escape_text(&summary)));
        if !description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape_text(&description)));
        }
        lines.push(format!(
            "STATUS:{}",
            if s.provisional {
                "TENTATIVE"
            } else {
                "CONFIRMED"
            }
        ));
        lines.push("TRANSP:TRANSPARENT".into());
        lines.push(format!("URL:{page}"));
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in &lines {
        fold_line(l, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_as_rfc_5545_says() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(60));
        fold_line(&line, &mut out);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn the_home_page_highlights_only_families_dates() {
        let text = r#"
dtstamp = "2026-11-16T00:00:00Z"
[[calendars]]
slug = "affelnet-2027"
title = "Affelnet 2027"
intro = "x"
[[calendars.steps]]
uid = "integration"
audience = "cfa"
title = "Intégration de l'offre"
start = "2026-12-01"
highlight = true
[[calendars.steps]]
uid = "voeux"
title = "Saisie des vœux"
start = "2027-05-03"
highlight = true
[[calendars]]
slug = "collecte"
title = "Collecte"
intro = "x"
audience = "cfa"
[[calendars.steps]]
uid = "collecte"
title = "Collecte"
start = "2026-06-01"
highlight = true
"#;
        let file: CalendarFile = toml::from_str(text).unwrap();
        let titles: Vec<String> = file.highlights().into_iter().map(|s| s.title).collect();
        assert_eq!(titles, ["Saisie des vœux"]);
        let views = file.views();
        assert!(views[0].steps[0].for_cfa && !views[0].steps[1].for_cfa);
        assert!(views[1].steps[0].for_cfa);
    }

    #[test]
    fn events_are_all_day_with_an_exclusive_end_and_a_fixed_stamp() {
        let cal = Calendar {
            slug: "parcoursup-2027".into(),
            title: "Parcoursup 2027".into(),
            intro: String::new(),
            audience: Audience::Familles,
            steps: vec![Step {
                uid: "ouverture".into(),
                title: "Ouverture du site".into(),
                description: String::new(),
                start: NaiveDate::from_ymd_opt(2026, 12, 17).unwrap(),
                end: None,
                provisional: true,
                highlight: true,
                audience: None,
            }],
        };
        let stamp =
            NaiveDateTime::parse_from_str("2026-11-01T00:00:00Z", "%Y-%m-%dT%H:%M:%SZ").unwrap();
        let text = ics(&cal, stamp, "https://exemple.fr");
        assert!(text.contains("UID:parcoursup-2027-ouverture@exemple.fr\r\n"));
        assert!(text.contains("DTSTAMP:20261101T000000Z\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20261217\r\nDTEND;VALUE=DATE:20261218\r\n"));
        assert!(text.contains("STATUS:TENTATIVE"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }
}
