//! `vitrine.toml`: one struct per section, every field defaulted, so an empty file works.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The whole site configuration.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub site: Site,
    pub input: Input,
    pub output: Output,
    pub campaign: Campaign,
    pub references: References,
    pub limits: Limits,
    pub privacy: Privacy,
    /// Folder the relative paths above are resolved against (the folder of `vitrine.toml`).
    #[serde(skip)]
    pub root: PathBuf,
}

/// `[site]`: what the public site says about itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Site {
    /// Shown in every page title.
    pub title: String,
    /// Absolute URL the site is served from, without trailing slash; used for canonical
    /// URLs, the sitemap and feeds.
    pub base_url: String,
    /// Theme folder under `themes/`.
    pub theme: String,
    /// Name of the publisher (legal notice, feeds).
    pub publisher: String,
}

impl Default for Site {
    fn default() -> Self {
        Site {
            title: "Apprentissage en Provence-Alpes-Côte d'Azur".into(),
            base_url: "https://apprentissage-paca.netlify.app".into(),
            theme: "default".into(),
            publisher: "Carif-Oref Provence-Alpes-Côte d'Azur".into(),
        }
    }
}

/// `[input]`: the export and the data files shipped in `data/`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Input {
    /// The BROF export (xlsx, ods or csv).
    pub export: PathBuf,
    /// Communes with their coordinates (distance control, "near a town" search).
    pub communes: PathBuf,
    /// Usual cycle lengths per diploma (duration control).
    pub durations: PathBuf,
    /// Parcoursup / Affelnet / collection calendar.
    pub calendar: PathBuf,
    /// Every URL ever published (links that never break).
    pub ledger: PathBuf,
    /// Markdown content pages.
    pub content: PathBuf,
    /// Theme folders.
    pub themes: PathBuf,
}

impl Default for Input {
    fn default() -> Self {
        Input {
            export: "data/offre-apprentissage-2027.xlsx".into(),
            communes: "data/communes-france.csv".into(),
            durations: "data/durees-diplomes.toml".into(),
            calendar: "data/calendrier-2027.toml".into(),
            ledger: "data/urls-publiees.csv".into(),
            content: "content".into(),
            themes: "themes".into(),
        }
    }
}

/// `[output]`: where things are written.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Output {
    /// The public site (what is deployed).
    pub public: PathBuf,
    /// The conformity report (never deployed).
    pub report: PathBuf,
    /// Build artefacts kept between builds (the tantivy index).
    pub build: PathBuf,
}

impl Default for Output {
    fn default() -> Self {
        Output {
            public: "public".into(),
            report: "report".into(),
            build: "build".into(),
        }
    }
}

/// `[campaign]`: which intake the export describes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Campaign {
    /// The intake year: offers start between 1 August of it and 31 July of the next.
    pub year: i32,
}

impl Default for Campaign {
    fn default() -> Self {
        Campaign { year: 2027 }
    }
}

/// `[references]`: optional reference tables; a control without its table falls back
/// to the export's declared values.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct References {
    /// France compétences RNCP/RS export (the zip or a folder of its CSVs).
    pub rncp: Option<PathBuf>,
    /// DGEFP public list of training organisations (CSV).
    pub organismes: Option<PathBuf>,
    /// SIRENE establishments extract (CSV).
    pub sirene: Option<PathBuf>,
}

/// `[limits]`: bounds that protect the run from hostile or broken files.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest uncompressed sheet XML accepted (decompression bombs).
    pub max_sheet_bytes: u64,
    /// Largest cell text accepted.
    pub max_cell_chars: usize,
    /// Largest number of data rows accepted. A regional export holds a few thousand
    /// offers; 200,000 leaves room for a national one while keeping memory bounded
    /// (a million rows would need ~2 GiB before the first page is written).
    pub max_rows: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_sheet_bytes: 256 * 1024 * 1024,
            max_cell_chars: 100_000,
            max_rows: 200_000,
        }
    }
}

/// `[privacy]`: what is published about people.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Privacy {
    /// Publish the disability referent's name; when false, only the role and the
    /// professional contact are shown.
    pub publish_referent_name: bool,
}

impl Default for Privacy {
    fn default() -> Self {
        Privacy {
            publish_referent_name: true,
        }
    }
}

/// A configuration file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the configuration: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: invalid configuration: {source}")]
    Parse {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
}

impl Config {
    /// Reads `vitrine.toml`; a missing file gives the defaults rooted at its folder.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let mut config = match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str::<Config>(&text).map_err(|e| ConfigError::Parse {
                path: path.to_path_buf(),
                source: Box::new(e),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Config::default(),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        config.root = root;
        Ok(config)
    }

    /// A path from the configuration, resolved against the configuration's folder.
    pub fn path(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.root.join(p)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_gives_the_defaults() {
        let c: Config = toml::from_str("").unwrap();
        assert_eq!(c.campaign.year, 2027);
        assert_eq!(c.limits.max_sheet_bytes, 256 * 1024 * 1024);
        assert!(c.references.rncp.is_none());
    }

    #[test]
    fn an_unknown_key_is_an_error_not_a_silent_default() {
        assert!(toml::from_str::<Config>("[campaign]\nyaer = 2028\n").is_err());
    }

    #[test]
    fn relative_paths_resolve_against_the_config_folder() {
        let c = Config {
            root: PathBuf::from("/srv/site"),
            ..Config::default()
        };
        assert_eq!(
            c.path(Path::new("data/x.csv")),
            PathBuf::from("/srv/site/data/x.csv")
        );
        assert_eq!(c.path(Path::new("/abs")), PathBuf::from("/abs"));
    }
}
