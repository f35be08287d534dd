//! The ledger of every URL ever published (`data/urls-publiees.csv`), so that links
//! never break: a renamed offer's old URL redirects to the new one, a withdrawn offer's
//! URL keeps answering with a page that says so. The build reads it, updates it, and
//! writes it back after a successful build; CI commits it after each import.
//!
//! One row per URL, sorted by type, id and path (a stable diff in git):
//! `type,id,chemin,statut,titre,chemin_cfa,diplome,departement,domaine,empreinte`
//! - `type`: `offre` or `cfa`; `id`: the N° action, or the CFA key (SIRET…);
//! - `statut`: `publiee` (the current URL of a published page), `retiree` (the last URL
//!   of something no longer published), `redirigee` (an older URL of the same id);
//! - `diplome`, `departement`, `domaine`: what "similar offers" are looked up by once
//!   the offer is gone; `empreinte`: a hash of the public fields, to tell what changed.

use super::SiteError;
use std::collections::BTreeMap;
use std::path::Path;

/// What a URL is the page of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Offer,
    Cfa,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Offer => "offre",
            Kind::Cfa => "cfa",
        }
    }
}

/// Where a URL stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Published,
    Withdrawn,
    Redirected,
}

impl State {
    fn code(self) -> &'static str {
        match self {
            State::Published => "publiee",
            State::Withdrawn => "retiree",
            State::Redirected => "redirigee",
        }
    }
}

/// One URL of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    pub id: String,
    pub path: String,
    pub state: State,
    pub title: String,
    pub cfa_path: String,
    pub diploma: String,
    pub department: String,
    pub domain: String,
    pub fingerprint: String,
}

/// Every URL ever published, keyed by (type, id, path).
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// Sorted by (type, id, path), one row each: the map this was held in copied each
    /// row's id and path for its key (100,000 rows read and written by every build).
    entries: Vec<Entry>,
}

impl Entry {
    fn key(&self) -> (Kind, &str, &str) {
        (self.kind, &self.id, &self.path)
    }
}

const HEADER: [&str; 10] = [
    "type",
    "id",
    "chemin",
    "statut",
    "titre",
    "chemin_cfa",
    "diplome",
    "departement",
    "domaine",
    "empreinte",
];

fn ledger_error(file: &Path, line: u64, message: impl Into<String>) -> SiteError {
    SiteError::Ledger {
        file: file.to_path_buf(),
        line,
        message: message.into(),
    }
}

impl Ledger {
    /// Reads the ledger; a missing file is an empty ledger (the first build).
    pub fn load(path: &Path) -> Result<Ledger, SiteError> {
        match std::fs::read(path) {
            Ok(bytes) => Ledger::parse(&bytes, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Ledger::default()),
            Err(e) => Err(ledger_error(path, 0, e.to_string())),
        }
    }

    /// Parses ledger bytes; `file` names the source in errors.
    pub fn parse(bytes: &[u8], file: &Path) -> Result<Ledger, SiteError> {
        let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
        let headers = reader
            .headers()
            .map_err(|e| ledger_error(file, 1, e.to_string()))?
            .clone();
        if headers.iter().collect::<Vec<_>>() != HEADER {
            return Err(ledger_error(
                file,
                1,
                format!("expected the header `{}`", HEADER.join(",")),
            ));
        }
        // The rows gathered, then sorted (the file is written sorted: one run, checked
        // in one pass). A row given twice keeps its last line.
        let mut rows = Vec::new();
        // One record read into again and again, not one made per row.
        let mut rec = csv::StringRecord::new();
        for line in 2.. {
            if !reader
                .read_record(&mut rec)
                .map_err(|e| ledger_error(file, line, e.to_string()))?
            {
                break;
            }
            let f = |n: usize| rec.get(n).unwrap_or("").to_string();
            let kind = match rec.get(0) {
                Some("offre") => Kind::Offer,
                Some("cfa") => Kind::Cfa,
                other => {
                    return Err(ledger_error(
                        file,
                        line,
                        format!("unknown type `{}` (offre or cfa)", other.unwrap_or("")),
                    ));
                }
            };
            let state = match rec.get(3) {
                Some("publiee") => State::Published,
                Some("retiree") => State::Withdrawn,
                Some("redirigee") => State::Redirected,
                other => {
                    return Err(ledger_error(
                        file,
                        line,
                        format!(
                            "unknown status `{}` (publiee, retiree or redirigee)",
                            other.unwrap_or("")
                        ),
                    ));
                }
            };
            let path = f(2);
            if !is_site_path(&path) {
                return Err(ledger_error(
                    file,
                    line,
                    format!("path `{path}` is not a page path of the site"),
                ));
            }
            let e = Entry {
                kind,
                id: f(1),
                path,
                state,
                title: f(4),
                cfa_path: f(5),
                diploma: f(6),
                department: f(7),
                domain: f(8),
                fingerprint: f(9),
            };
            rows.push(e);
        }
        Ok(Ledger::of(rows))
    }

    /// The ledger of `rows`, sorted; of rows with the same key, the last one.
    fn of(mut rows: Vec<Entry>) -> Ledger {
        // Stable: rows with the same key stay in the order they came.
        rows.sort_by(|a, b| a.key().cmp(&b.key()));
        rows.dedup_by(|later, kept| {
            let same = later.key() == kept.key();
            if same {
                std::mem::swap(later, kept);
            }
            same
        });
        Ledger { entries: rows }
    }

    /// Every row, in file order.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter()
    }

    /// Number of URLs.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the ledger is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The CSV bytes (UTF-8, LF, sorted).
    pub fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        w.write_record(HEADER).expect("in-memory write");
        for e in &self.entries {
            w.write_record([
                e.kind.code(),
                &e.id,
                &e.path,
                e.state.code(),
                &e.title,
                &e.cfa_path,
                &e.diploma,
                &e.department,
                &e.domain,
                &e.fingerprint,
            ])
            .expect("in-memory write");
        }
        w.into_inner().expect("in-memory write")
    }

    /// Folds this build's published pages (`live`, state ignored) into the ledger.
    pub fn update(&self, live: Vec<Entry>) -> Changes {
        let mut changes = Changes::default();
        // Borrowed keys: a catalogue's ledger has a row per page ever published.
        let mut by_id: BTreeMap<(Kind, &str), Vec<&Entry>> = BTreeMap::new();
        for e in &self.entries {
            by_id.entry((e.kind, e.id.as_str())).or_default().push(e);
        }
        // The groups no live page has.
        let gone: Vec<(&(Kind, &str), &Vec<&Entry>)> = {
            let live_ids: rustc_hash::FxHashSet<(Kind, &str)> =
                live.iter().map(|e| (e.kind, e.id.as_str())).collect();
            by_id
                .iter()
                .filter(|(k, _)| !live_ids.contains(k))
                .collect()
        };
        // The rows of the next ledger, sorted at the end (a row given twice: the last).
        let mut next: Vec<Entry> = Vec::with_capacity(self.entries.len() + live.len());
        for mut now in live {
            now.state = State::Published;
            let old = by_id
                .get(&(now.kind, now.id.as_str()))
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let was_current = old.iter().find(|e| e.state == State::Published);
            match was_current {
                None => changes.added.push((now.kind, now.id.clone())),
                Some(prev) => {
                    if prev.path != now.path {
                        changes.renamed.push((now.kind, now.id.clone()));
                    } else if prev.fingerprint != now.fingerprint {
                        changes.changed.push((now.kind, now.id.clone()));
                    }
                }
            }
            for e in old.iter().filter(|e| e.path != now.path) {
                let mut r = (*e).clone();
                r.state = State::Redirected;
                changes
                    .redirects
                    .push((r.kind, r.path.clone(), now.path.clone()));
                next.push(r);
            }
            next.push(now);
        }
        for (&(kind, id), old) in gone {
            // The current URL: the published one, else the last withdrawn one, else
            // (a hand-edited ledger) the last row.
            let current = old
                .iter()
                .find(|e| e.state == State::Published)
                .or_else(|| old.iter().rev().find(|e| e.state == State::Withdrawn))
                .or(old.last())
                .expect("a group has rows");
            if current.state == State::Published {
                changes.withdrawn.push((kind, id.to_string()));
            }
            for e in old {
                let mut r = (*e).clone();
                if e.path == current.path {
                    r.state = State::Withdrawn;
                    changes.retired.push(r.clone());
                } else {
                    r.state = State::Redirected;
                    changes
                        .redirects
                        .push((r.kind, r.path.clone(), current.path.clone()));
                }
                next.push(r);
            }
        }
        changes.redirects.sort();
        changes.ledger = Ledger::of(next);
        changes
    }
}

/// What one build changed, and what it must serve for old URLs.
#[derive(Debug, Default)]
pub struct Changes {
    /// The updated ledger.
    pub ledger: Ledger,
    /// Published now, not before (new, or back after a withdrawal).
    pub added: Vec<(Kind, String)>,
    /// Published before, not now.
    pub withdrawn: Vec<(Kind, String)>,
    /// Same URL, different public fields.
    pub changed: Vec<(Kind, String)>,
    /// New URL (the old one now redirects).
    pub renamed: Vec<(Kind, String)>,
    /// (kind, old path, current path): every URL that must redirect.
    pub redirects: Vec<(Kind, String, String)>,
    /// Current URLs of everything not published now: each gets a "no longer offered"
    /// page.
    pub retired: Vec<Entry>,
}

impl Changes {
    /// Lines for the terminal summary.
    pub fn notes(&self) -> Vec<String> {
        let count = |v: &[(Kind, String)], k: Kind| v.iter().filter(|(x, _)| *x == k).count();
        let ids = |v: &[(Kind, String)], k: Kind| {
            let list: Vec<&str> = v
                .iter()
                .filter(|(x, _)| *x == k)
                .map(|(_, id)| id.as_str())
                .take(10)
                .collect();
            let more = count(v, k).saturating_sub(list.len());
            if list.is_empty() {
                String::new()
            } else if more > 0 {
                format!(" ({}, +{more})", list.join(", "))
            } else {
                format!(" ({})", list.join(", "))
            }
        };
        let mut notes = Vec::new();
        for (label, v) in [
            ("offers added", &self.added),
            ("offers withdrawn", &self.withdrawn),
            ("offers changed", &self.changed),
            ("offers renamed", &self.renamed),
        ] {
            notes.push(format!(
                "{label:<21}{:>7}{}",
                count(v, Kind::Offer),
                ids(v, Kind::Offer)
            ));
        }
        notes.push(format!("{:<21}{:>7}", "redirects", self.redirects.len()));
        notes
    }
}

/// Whether a ledger path is a page path this site could have published.
fn is_site_path(p: &str) -> bool {
    p.starts_with('/')
        && p.ends_with('/')
        && !p.contains("//")
        && p.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, path: &str, fp: &str) -> Entry {
        Entry {
            kind: Kind::Offer,
            id: id.into(),
            path: path.into(),
            state: State::Published,
            title: format!("Titre {id}"),
            cfa_path: "/cfa/x-1/".into(),
            diploma: "cap".into(),
            department: "13".into(),
            domain: "coiffure".into(),
            fingerprint: fp.into(),
        }
    }

    #[test]
    fn a_renamed_offer_keeps_its_old_url_as_a_redirect() {
        let first = Ledger::default().update(vec![entry("1", "/formations/01/a-1/", "h1")]);
        assert_eq!(first.added.len(), 1);
        let second = first
            .ledger
            .update(vec![entry("1", "/formations/01/b-1/", "h2")]);
        assert_eq!(second.renamed, vec![(Kind::Offer, "1".to_string())]);
        assert_eq!(
            second.redirects,
            vec![(
                Kind::Offer,
                "/formations/01/a-1/".to_string(),
                "/formations/01/b-1/".to_string()
            )]
        );
        // Renamed again: both old URLs go straight to the newest (no chains).
        let third = second
            .ledger
            .update(vec![entry("1", "/formations/01/c-1/", "h3")]);
        assert_eq!(third.redirects.len(), 2);
        assert!(third.redirects.iter().all(|r| r.2 == "/formations/01/c-1/"));
    }

    #[test]
    fn a_withdrawn_offer_keeps_answering_and_can_come_back() {
        let first = Ledger::default().update(vec![
            entry("1", "/formations/01/a-1/", "h"),
            entry("2", "/formations/02/b-2/", "h"),
        ]);
        let second = first
            .ledger
            .update(vec![entry("2", "/formations/02/b-2/", "h")]);
        assert_eq!(second.withdrawn, vec![(Kind::Offer, "1".to_string())]);
        assert_eq!(second.retired.len(), 1);
        assert_eq!(second.retired[0].path, "/formations/01/a-1/");
        assert_eq!(second.ledger.len(), 2);
        // Still withdrawn a year later: still served, not counted again.
        let third = second
            .ledger
            .update(vec![entry("2", "/formations/02/b-2/", "h")]);
        assert!(third.withdrawn.is_empty());
        assert_eq!(third.retired.len(), 1);
        let back = third.ledger.update(vec![
            entry("1", "/formations/01/a-1/", "h"),
            entry("2", "/formations/02/b-2/", "x"),
        ]);
        assert_eq!(back.added, vec![(Kind::Offer, "1".to_string())]);
        assert_eq!(back.changed, vec![(Kind::Offer, "2".to_string())]);
        assert!(back.retired.is_empty());
    }

    #[test]
    fn the_csv_round_trips_in_a_stable_order() {
        let l = Ledger::default()
            .update(vec![
                entry("2", "/formations/02/b-2/", "h"),
                entry("1", "/formations/01/a,\"quoted\"-1/", "h"),
            ])
            .ledger;
        let bytes = l.to_csv();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("type,id,chemin,statut,"));
        // A path outside the safe alphabet is refused when read back.
        assert!(Ledger::parse(&bytes, Path::new("urls.csv")).is_err());
        let l = Ledger::default()
            .update(vec![
                entry("2", "/formations/02/b-2/", "h"),
                entry("1", "/formations/01/a-1/", "h"),
            ])
            .ledger;
        let bytes = l.to_csv();
        let again = Ledger::parse(&bytes, Path::new("urls.csv")).unwrap();
        assert_eq!(again.to_csv(), bytes);
        let ids: Vec<_> = again.entries().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["1", "2"]);
    }

    #[test]
    fn a_hand_edited_ledger_is_read_in_any_order_and_a_repeated_row_keeps_its_last_line() {
        let text = "type,id,chemin,statut,titre,chemin_cfa,diplome,departement,domaine,empreinte\n\
            offre,2,/formations/02/b-2/,publiee,B,,,,,\n\
            offre,1,/formations/01/a-1/,publiee,A,,,,,\n\
            offre,2,/formations/02/b-2/,retiree,B again,,,,,\n";
        let l = Ledger::parse(text.as_bytes(), Path::new("urls.csv")).unwrap();
        let rows: Vec<_> = l
            .entries()
            .map(|e| (e.id.as_str(), e.title.as_str(), e.state == State::Withdrawn))
            .collect();
        assert_eq!(rows, [("1", "A", false), ("2", "B again", true)]);
    }

    #[test]
    fn a_broken_ledger_names_its_line() {
        let text = "type,id,chemin,statut,titre,chemin_cfa,diplome,departement,domaine,empreinte\noffre,1,/a/,perdue,,,,,,\n";
        let err = Ledger::parse(text.as_bytes(), Path::new("urls.csv")).unwrap_err();
        assert!(err.to_string().contains("urls.csv:2"), "{err}");
    }
}
