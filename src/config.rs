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
    /// Whether `vitrine.toml` exists (a bare run in an empty folder has none).
    #[serde(skip)]
    pub found: bool,
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
    /// INSEE code of the region the catalogue covers (`93` Provence-Alpes-Côte d'Azur,
    /// `11` Île-de-France…): the departments the site lists first. `None`: the
    /// departments of the offers only.
    pub region: Option<String>,
    /// The site's logo: the name of a file of the site's `static/` folder
    /// (`logo.svg`), shown beside the title. None: the title alone.
    pub logo: Option<String>,
    /// Accent colour `#rrggbb`: links, buttons, and the tints of the header derive from
    /// it. Refused at build time when text on it would read below 4.5:1.
    pub accent: Option<String>,
    /// Optional raster tile layer under the maps, `https://…/{z}/{x}/{y}.png`. Off by
    /// default: the maps then need nothing outside the site. Setting one sends every
    /// visitor's browser to that host (add it to the CSP's `img-src`).
    pub map_tiles: Option<String>,
    /// Attribution the tile layer's licence asks for (required with `map_tiles`).
    pub map_attribution: Option<String>,
}

impl Default for Site {
    fn default() -> Self {
        Site {
            title: "Apprentissage en Provence-Alpes-Côte d'Azur".into(),
            base_url: "https://apprentissage-paca.netlify.app".into(),
            theme: "default".into(),
            publisher: "Carif-Oref Provence-Alpes-Côte d'Azur".into(),
            region: None,
            logo: None,
            accent: None,
            map_tiles: None,
            map_attribution: None,
        }
    }
}

/// `[input]`: the export and the site's own files. The data tables are built into the
/// binary; a key left unset reads the site's file of the built-in name when there is one
/// (`data/calendrier-2027.toml`), else the built-in copy; a key that is set must name an
/// existing file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Input {
    /// The BROF export (xlsx, ods or csv).
    pub export: PathBuf,
    /// Communes with their coordinates (distance control, "near a town" search).
    pub communes: Option<PathBuf>,
    /// Usual cycle lengths per diploma (duration control).
    pub durations: Option<PathBuf>,
    /// Parcoursup / Affelnet / collection calendar (default: `calendrier-{year}.toml`).
    pub calendar: Option<PathBuf>,
    /// Every URL ever published (links that never break). Without a `vitrine.toml` (a
    /// bare `vitrine build --input FILE`), it is kept in the build folder instead.
    pub ledger: PathBuf,
    /// Markdown content pages of the site (each replaces the built-in page of its name).
    pub content: PathBuf,
    /// The site's own theme folders (`themes/{site.theme}/`), if any.
    pub themes: PathBuf,
}

impl Default for Input {
    fn default() -> Self {
        Input {
            export: "data/offre-apprentissage-2027.xlsx".into(),
            communes: None,
            durations: None,
            calendar: None,
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
            Ok(text) => {
                let mut c = toml::from_str::<Config>(&text).map_err(|e| ConfigError::Parse {
                    path: path.to_path_buf(),
                    source: Box::new(e),
                })?;
                c.found = true;
                c
            }
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
