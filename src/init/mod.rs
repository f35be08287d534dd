//! `vitrine init [DIR] [--region CODE]`: a site folder that builds at once.
//!
//! The folder holds only the site's own files: `vitrine.toml` (commented, region set),
//! `data/` with the sample export and an empty URL ledger, `content/` with the default
//! pages to edit, an empty `templates/` with a README on overriding, `netlify.toml`, the
//! CI workflow and a README for the site's maintainers. Everything else (theme,
//! communes, durations, search vocabulary) is built into the binary.

use crate::builtin;
use crate::regions::{self, Region};
use std::path::{Path, PathBuf};

const NETLIFY: &str = include_str!("netlify.toml");
const WORKFLOW: &str = include_str!("deploy.yml");
const README: &str = include_str!("README.site.md");
const TEMPLATES_README: &str = include_str!("README.templates.md");
const GITIGNORE: &str = "/public\n/report\n/build\n";

/// `init` could not make the site.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0}: the folder is not empty; vitrine init only creates a new site")]
    NotEmpty(PathBuf),
    #[error("unknown region `{0}`; known: {1}")]
    UnknownRegion(String, String),
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl InitError {
    /// 2 for a wrong request (a used folder, an unknown region), 1 for a failed write.
    pub fn exit_code(&self) -> u8 {
        match self {
            InitError::NotEmpty(_) | InitError::UnknownRegion(..) => 2,
            InitError::Write { .. } => 1,
        }
    }
}

/// Creates the site in `dir` (absent or empty) for the region named by its INSEE code or
/// short name. Returns what to do next, for the terminal.
pub fn init(dir: &Path, region: &str) -> Result<String, InitError> {
    let region = regions::find(region).ok_or_else(|| {
        let known: Vec<String> = regions::ALL
            .iter()
            .map(|r| format!("{} ({})", r.code, r.slug))
            .collect();
        InitError::UnknownRegion(region.to_string(), known.join(", "))
    })?;
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(InitError::NotEmpty(dir.to_path_buf()));
        }
    }
    for (rel, bytes) in files(region) {
        let path = dir.join(&rel);
        let write = || -> std::io::Result<()> {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &bytes)
        };
        write().map_err(|source| InitError::Write {
            path: path.clone(),
            source,
        })?;
    }
    Ok(format!(
        "Site « {} » créé dans {}.\nEnsuite : cd {} && vitrine build   (puis remplacez data/offre-apprentissage-2027.xlsx par votre export)",
        site_title(region),
        dir.display(),
        dir.display()
    ))
}

/// Every file of a new site, as (relative path, bytes).
pub fn files(region: &Region) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = vec![
        ("vitrine.toml".into(), config(region).into_bytes()),
        ("netlify.toml".into(), NETLIFY.as_bytes().to_vec()),
        (
            ".github/workflows/deploy.yml".into(),
            WORKFLOW.as_bytes().to_vec(),
        ),
        (".gitignore".into(), GITIGNORE.as_bytes().to_vec()),
        (
            "README.md".into(),
            README.replace("{{region}}", region.name).into_bytes(),
        ),
        (
            "templates/README.md".into(),
            TEMPLATES_README.as_bytes().to_vec(),
        ),
        (
            "data/urls-publiees.csv".into(),
            crate::site::ledger::Ledger::default().to_csv(),
        ),
    ];
    for (name, bytes) in builtin::sample_files() {
        // The sample's ledger is the sample site's history, not the new site's.
        if name.ends_with(".xlsx") {
            out.push((format!("data/{name}"), bytes.to_vec()));
        }
    }
    for (name, bytes) in builtin::content_files() {
        out.push((format!("content/{name}"), bytes.to_vec()));
    }
    // The calendar to start from: the built-in one, the collection's steps named after
    // the region's Carif-Oref.
    let year = crate::config::Campaign::default().year;
    let calendar = format!("calendrier-{year}.toml");
    if let Some(bytes) = builtin::data(&calendar) {
        let text = String::from_utf8_lossy(bytes).replace(regions::SAMPLE_REGION_NAME, region.name);
        out.push((format!("data/{calendar}"), text.into_bytes()));
    }
    out
}

fn site_title(region: &Region) -> String {
    format!("Apprentissage {}", region.in_name())
}

/// The commented `vitrine.toml` of a new site.
pub fn config(region: &Region) -> String {
    format!(
        r##"# vitrine site configuration. Every key is optional; relative paths are read from this
# file's folder. The theme, the content pages, the calendar and the data tables are built
# into vitrine: a file of this folder with the same name replaces the built-in one
# (templates/offer.html, static/style.css, content/handicap.md, data/calendrier-2027.toml,
# data/durees-diplomes.toml, data/synonymes.toml…).

[site]
title = "{title}"
# The address the site is served from (canonical links, sitemap, feeds).
base_url = "https://apprentissage.example.org"
publisher = "Carif-Oref {region}"
# INSEE code of the region ({region}).
region = "{code}"
# Identity: a logo from this site's static/ folder, and an accent colour from which the
# theme derives its palette (refused at build time if text on it reads below 4.5:1).
# logo = "logo.svg"
# accent = "#0b4f8a"
# Maps are drawn from department outlines built into vitrine, with no request outside
# the site. An optional tile layer sends visitors' browsers to its host (add the host to
# the CSP's img-src in netlify.toml):
# map_tiles = "https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png"
# map_attribution = "© les contributeurs d'OpenStreetMap"

[input]
# The BROF export: replace the sample with yours (xlsx, ods or csv).
export = "data/offre-apprentissage-2027.xlsx"
# Every URL ever published, updated by each build: commit it (links never break).
ledger = "data/urls-publiees.csv"

[campaign]
# Offers start between 1 August of this year and 31 July of the next.
year = 2027

[references]
# Optional reference tables; without them the controls use the export's declared values.
# rncp = "data/references/export-fiches-csv-2026-11-01.zip"
# organismes = "data/references/liste-publique-of.csv"
# sirene = "data/references/sirene-etablissements.csv"

[privacy]
# Publish the disability referent's name (false: the role and the contact only).
publish_referent_name = true
"##,
        title = site_title(region),
        region = region.name,
        code = region.code,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workflow_caches_the_vitrine_binary_under_the_commit_it_installs() {
        // The cache step of the binary, and the install that fills it.
        let binary = WORKFLOW
            .split("- uses: actions/cache@v4")
            .find(|step| step.contains("path: ~/.cargo/bin/vitrine"))
            .expect("a cache step for the binary");
        let key = binary
            .lines()
            .find_map(|l| l.trim().strip_prefix("key: "))
            .expect("a cache key");
        assert!(key.contains("steps.tool.outputs.rev"), "{key}");
        assert!(!key.contains("vars.VITRINE_GIT"), "{key}");
        assert!(
            WORKFLOW.contains("--rev \"${{ steps.tool.outputs.rev }}\""),
            "the install takes the commit the key names"
        );
        assert!(WORKFLOW.contains("git ls-remote \"${{ vars.VITRINE_GIT }}\" HEAD"));
    }

    #[test]
    fn a_new_site_has_its_own_files_only() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("mon-site");
        init(&dir, "bretagne").unwrap();
        let toml = std::fs::read_to_string(dir.join("vitrine.toml")).unwrap();
        assert!(toml.contains("region = \"53\""), "{toml}");
        assert!(toml.contains("Apprentissage en Bretagne"), "{toml}");
        let config: crate::config::Config = toml::from_str(&toml).unwrap();
        assert_eq!(config.site.region.as_deref(), Some("53"));
        for f in [
            "netlify.toml",
            ".github/workflows/deploy.yml",
            "README.md",
            "templates/README.md",
            "content/handicap.md",
            "data/offre-apprentissage-2027.xlsx",
            "data/calendrier-2027.toml",
        ] {
            assert!(dir.join(f).is_file(), "{f} missing");
        }
        let ledger = std::fs::read_to_string(dir.join("data/urls-publiees.csv")).unwrap();
        assert_eq!(
            ledger.lines().count(),
            1,
            "an empty ledger: the header only"
        );
        let calendar = std::fs::read_to_string(dir.join("data/calendrier-2027.toml")).unwrap();
        assert!(
            !calendar.contains("Provence"),
            "the calendar names the site's region"
        );
        assert!(!dir.join("themes").exists() && !dir.join("public").exists());
    }

    #[test]
    fn init_refuses_a_folder_that_is_not_empty() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("x"), "mine").unwrap();
        let err = init(tmp.path(), "93").unwrap_err();
        assert!(matches!(err, InitError::NotEmpty(_)));
        assert_eq!(std::fs::read(tmp.path().join("x")).unwrap(), b"mine");
    }

    #[test]
    fn an_unknown_region_is_refused_with_the_known_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let err = init(&tmp.path().join("s"), "atlantide").unwrap_err();
        assert!(err.to_string().contains("93 (paca)"), "{err}");
        assert!(!tmp.path().join("s").exists());
    }
}
