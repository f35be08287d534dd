//! Helpers shared by the site tests: a throw-away site folder using the repository's
//! theme, content and calendars; realistic offers; small readers for the output.
#![allow(dead_code)]

use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use vitrine::config::Config;
use vitrine::inputs::{Flags, Paths, SiteSources};
use vitrine::model::{Address, Coordinates, Diploma, Offer, Phone};
use vitrine::output::Files;
use vitrine::search::SearchAssets;
use vitrine::site::{self, Rendered, SiteInput};

/// The repository root (themes, content, data).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site folder of its own (ledger, overrides) using the repository's theme and data.
pub struct TestSite {
    pub dir: tempfile::TempDir,
    pub config: Config,
}

impl TestSite {
    pub fn new() -> TestSite {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config {
            root: dir.path().to_path_buf(),
            ..Config::default()
        };
        config.site.base_url = "https://exemple.test".into();
        config.input.ledger = "data/urls-publiees.csv".into();
        config.found = true;
        TestSite { dir, config }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Renders, panicking with the error's message.
    pub fn render(&self, offers: &[Offer], verdicts: &[vitrine::model::Verdict]) -> Rendered {
        self.try_render(offers, verdicts, &SearchAssets::default())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Renders with the given search files; the site's inputs are loaded as a build would.
    pub fn try_render(
        &self,
        offers: &[Offer],
        verdicts: &[vitrine::model::Verdict],
        search: &SearchAssets,
    ) -> Result<Rendered, vitrine::site::SiteError> {
        let paths = Paths::resolve(&self.config, &Flags::default());
        let sources = SiteSources::load(&self.config, &paths)?;
        site::render(&SiteInput {
            config: &self.config,
            sources: &sources,
            ledger_path: &paths.ledger,
            communes: &vitrine::communes::Communes::builtin(),
            offers,
            verdicts,
            search: &site::Later::ready(search.clone()),
            offer_keys: &[],
            previous_view_keys: &[],
            views_made_of: 0,
        })
    }
}

struct Cfa {
    name: &'static str,
    siret: &'static str,
    uai: &'static str,
    street: &'static str,
    postcode: &'static str,
    town: &'static str,
    lat: f64,
    lon: f64,
    phone: (&'static str, &'static str),
    referent: &'static str,
}

const CFAS: [Cfa; 3] = [
    Cfa {
        name: "CFA Régional des Métiers d'Art",
        siret: "35600000000048",
        uai: "0061234X",
        street: "12 avenue Jean Médecin",
        postcode: "06000",
        town: "Nice",
        lat: 43.7034,
        lon: 7.2663,
        phone: ("04 93 12 34 56", "+33493123456"),
        referent: "Claire Martin",
    },
    Cfa {
        name: "CFA des Métiers de Marseille",
        siret: "73282932000074",
        uai: "0131234A",
        street: "5 boulevard de la Libération",
        postcode: "13001",
        town: "Marseille",
        lat: 43.2965,
        lon: 5.3698,
        phone: ("04 91 12 34 56", "+33491123456"),
        referent: "Karim Benali",
    },
    Cfa {
        name: "Lycée agricole de Hyères – UFA",
        siret: "19350030300014",
        uai: "0831234K",
        street: "Route de Toulon",
        postcode: "83400",
        town: "Hyères",
        lat: 43.1204,
        lon: 6.1286,
        phone: ("04 94 00 11 22", "+33494001122"),
        referent: "Sophie Durand",
    },
];

const TRAININGS: [(&str, &str, Diploma, u8, &str, &str, u32); 3] = [
    (
        "CAP Métiers de la coiffure",
        "CAP",
        Diploma::Cap,
        3,
        "RNCP37875",
        "Coiffure, esthétique",
        24,
    ),
    (
        "Bac pro Métiers du commerce et de la vente",
        "BAC PRO",
        Diploma::BacPro,
        4,
        "RNCP32208",
        "Commerce, vente",
        36,
    ),
    (
        "BTS Gestion et protection de la nature",
        "BTSA",
        Diploma::Btsa,
        5,
        "RNCP38241",
        "Agriculture, environnement",
        24,
    ),
];

/// Offer number `n` (1-based): CFA and training cycle through three of each.
pub fn offer(n: usize) -> Offer {
    let c = &CFAS[n % 3];
    let t = &TRAININGS[(n / 3) % 3];
    let mut o = Offer {
        id: format!("AF_2027_{n:06}"),
        row: n as u32 + 1,
        title: if n <= 3 {
            t.0.to_string()
        } else {
            format!("{} – groupe {n}", t.0)
        },
        diploma_type: t.1.into(),
        diploma: Some(t.2),
        level: Some(t.3),
        rncp: Some(t.4.into()),
        cfd: Some("50033616".into()),
        rome: vec!["D1202".into()],
        domain: Some(t.5.into()),
        description: Some(format!(
            "Une formation de {} en alternance.\n\nAccessible après la 3e ou le bac.",
            t.0
        )),
        cycle_months: Some(t.6),
        rhythm: Some("2 jours au CFA, 3 jours en entreprise".into()),
        capacity: Some(12),
        first_year_apprenticeship: Some(true),
        parcoursup: Some(t.3 >= 5),
        affelnet: Some(t.3 <= 4),
        start: NaiveDate::from_ymd_opt(2027, 9, 1),
        end: NaiveDate::from_ymd_opt(2027 + (t.6 / 12) as i32, 6, 30),
        ..Offer::default()
    };
    o.responsible.name = c.name.into();
    o.responsible.siret = Some(c.siret.into());
    o.responsible.uai = Some(c.uai.into());
    o.responsible.nda = Some("93131234513".into());
    o.responsible.qualiopi = Some(true);
    o.responsible.habilitation = Some(true);
    o.responsible.address = Address {
        street: Some(c.street.into()),
        postcode: Some(c.postcode.into()),
        town: Some(c.town.into()),
        insee: None,
    };
    o.trainer.name = c.name.into();
    o.trainer.siret = Some(c.siret.into());
    o.place.uai = Some(c.uai.into());
    o.place.address = o.responsible.address.clone();
    o.place.coordinates = Some(Coordinates {
        lat: c.lat,
        lon: c.lon,
    });
    o.contact.name = Some("Accueil du CFA".into());
    o.contact.phone = Some(Phone {
        display: c.phone.0.into(),
        international: Some(c.phone.1.into()),
    });
    o.contact.email = Some(format!("contact{}@cfa-exemple.fr", n % 3));
    o.contact.website = Some("https://www.cfa-exemple.fr/formations".into());
    o.referent.name = Some(c.referent.into());
    o.referent.phone = o.contact.phone.clone();
    o.referent.email = Some(format!("handicap{}@cfa-exemple.fr", n % 3));
    o.marks.new = n % 4 == 1;
    o
}

/// The HTML of a page by its URL path (`/a/` → `a/index.html`).
pub fn page(files: &Files, path: &str) -> String {
    let file = format!("{}index.html", path.trim_start_matches('/'));
    String::from_utf8(
        files
            .get(&file)
            .unwrap_or_else(|| panic!("no page {file}"))
            .to_vec(),
    )
    .unwrap()
}

/// Offer pages of the tree (published ones, not redirects or withdrawn pages).
pub fn offer_pages(files: &Files) -> Vec<String> {
    files
        .iter()
        .filter(|(p, b)| {
            p.starts_with("formations/")
                && p.ends_with("/index.html")
                && String::from_utf8_lossy(b).contains("application/ld+json")
        })
        .map(|(p, _)| p.to_string())
        .collect()
}

/// `href` targets under a prefix (quoted or not).
pub fn links_under(html: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for part in html.split("href=").skip(1) {
        let v = part.trim_start_matches(['"', '\'']);
        let end = v
            .find(|c: char| c == '"' || c == '\'' || c == '>' || c.is_whitespace())
            .unwrap_or(v.len());
        let link = &v[..end];
        if link.starts_with(prefix) {
            out.insert(link.to_string());
        }
    }
    out
}

/// How a value appears once HTML-escaped.
pub fn attr_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('\'', "&#x27;")
}

/// The JSON-LD block of a page, parsed.
pub fn json_ld(html: &str) -> serde_json::Value {
    let start = html.find("application/ld+json").expect("a JSON-LD block");
    let body = &html[start..];
    let open = body.find('>').unwrap() + 1;
    let close = body.find("</script>").unwrap();
    serde_json::from_str(&body[open..close]).expect("JSON-LD parses")
}

/// A small RFC 5545 checker: CRLF line ends, folded lines of at most 75 octets,
/// balanced BEGIN/END, the required properties of VCALENDAR and VEVENT, valid property
/// names, DATE values, unique UIDs, and no unescaped `,` `;` in TEXT values. Returns
/// the number of events.
pub fn check_ics(text: &str) -> Result<usize, String> {
    if !text.ends_with("\r\n") {
        return Err("does not end with CRLF".into());
    }
    let raw: Vec<&str> = text[..text.len() - 2].split("\r\n").collect();
    for (i, l) in raw.iter().enumerate() {
        if l.contains('\n') || l.contains('\r') {
            return Err(format!("line {}: bare LF or CR", i + 1));
        }
        if l.len() > 75 {
            return Err(format!("line {}: {} octets (max 75)", i + 1, l.len()));
        }
    }
    // Unfold.
    let mut lines: Vec<String> = Vec::new();
    for l in raw {
        if let Some(cont) = l.strip_prefix(' ').or_else(|| l.strip_prefix('\t')) {
            lines.last_mut().ok_or("continuation first")?.push_str(cont);
        } else {
            lines.push(l.to_string());
        }
    }
    let mut stack: Vec<String> = Vec::new();
    let mut props: Vec<Vec<String>> = Vec::new();
    let mut events = 0;
    let mut uids = BTreeSet::new();
    for l in &lines {
        let (head, value) = l.split_once(':').ok_or(format!("no colon: {l}"))?;
        let name = head.split(';').next().unwrap();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(format!("bad property name: {l}"));
        }
        match name {
            "BEGIN" => {
                stack.push(value.to_string());
                props.push(Vec::new());
            }
            "END" => {
                if stack.pop().as_deref() != Some(value) {
                    return Err(format!("unbalanced END:{value}"));
                }
                let seen = props.pop().unwrap();
                let need: &[&str] = match value {
                    "VCALENDAR" => &["PRODID", "VERSION"],
                    "VEVENT" => &["UID", "DTSTAMP", "DTSTART"],
                    _ => &[],
                };
                for n in need {
                    if !seen.iter().any(|s| s == n) {
                        return Err(format!("{value} without {n}"));
                    }
                }
                if value == "VEVENT" {
                    events += 1;
                }
            }
            _ => {
                props
                    .last_mut()
                    .ok_or(format!("property outside a component: {l}"))?
                    .push(name.to_string());
                if name == "UID" && !uids.insert(value.to_string()) {
                    return Err(format!("duplicate UID {value}"));
                }
                if head.contains("VALUE=DATE")
                    && !head.contains("DATE-TIME")
                    && (value.len() != 8 || !value.bytes().all(|b| b.is_ascii_digit()))
                {
                    return Err(format!("bad DATE: {l}"));
                }
                if name == "DTSTAMP"
                    && (value.len() != 16 || !value.ends_with('Z') || &value[8..9] != "T")
                {
                    return Err(format!("bad DTSTAMP: {l}"));
                }
                if matches!(name, "SUMMARY" | "DESCRIPTION" | "X-WR-CALNAME") {
                    let mut chars = value.chars();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' => match chars.next() {
                                Some('\\' | ';' | ',' | 'n' | 'N') => {}
                                other => return Err(format!("bad escape \\{other:?}: {l}")),
                            },
                            ';' | ',' => return Err(format!("unescaped {c} in TEXT: {l}")),
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    if !stack.is_empty() {
        return Err("unclosed component".into());
    }
    Ok(events)
}

/// The markup of a document with the text of `<title>`, the data of `<script>` and
/// every quoted attribute value blanked: what is left is what a browser parses as tags, so a `<script` in it
/// is a real element, not escaped text.
pub fn tags_only(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<title>") {
            let end = rest.find("</title>").expect("closed title");
            out.push_str("<title>");
            rest = &rest[end..];
            out.push_str("</title>");
            rest = &rest["</title>".len()..];
            continue;
        }
        let in_script = rest.starts_with("<script");
        let mut chars = rest.char_indices();
        let mut end = rest.len();
        let mut quote: Option<char> = None;
        for (i, c) in chars.by_ref() {
            match (quote, c) {
                (Some(q), c) if c == q => {
                    quote = None;
                    out.push(c);
                }
                (Some(_), _) => {}
                (None, '"' | '\'') => {
                    quote = Some(c);
                    out.push(c);
                }
                (None, '>') => {
                    out.push('>');
                    end = i + 1;
                    break;
                }
                (None, c) => out.push(c),
            }
        }
        rest = &rest[end..];
        if in_script {
            // Script data (JSON-LD) is not markup: skip to its end tag.
            let close = rest.find("</script>").expect("closed script");
            rest = &rest[close..];
        }
    }
    out.push_str(rest);
    out
}
