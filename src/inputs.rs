//! Every input of a command, resolved and loaded once (Zola's `Site::load`): the flags,
//! `vitrine.toml` and the built-in defaults give each path; each table is read once and
//! handed to the stages as data. No stage reads the configuration's paths.
//!
//! A site file replaces the built-in one of the same relative path: `data/<name>` for
//! the tables, `content/<page>.md`, `templates/<name>` and `static/<name>` for the theme.

use crate::builtin;
use crate::communes::{Communes, CommunesError};
use crate::config::{Config, References};
use crate::controls::durations::{Durations, DurationsError, Official};
use crate::controls::{Tables, TablesError};
use crate::search::vocabulary::{self, Vocabulary};
use crate::site::SiteError;
use crate::site::calendar::CalendarFile;
use crate::site::content::{self, ContentPage};
use crate::site::ledger::Ledger;
use crate::site::theme::{Theme, ThemeFiles, theme_files};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// Built-in name of the communes table under `data/`.
pub const COMMUNES: &str = crate::communes::BUILTIN_FILE;
/// Built-in name of the diploma durations under `data/`.
pub const DURATIONS: &str = "durees-diplomes.toml";
/// Built-in name of the official durations by CFD (BCN) under `data/`.
pub const OFFICIAL: &str = "bcn-durees-diplomes.csv";
/// The URL ledger's name in the build folder when the run has no `vitrine.toml`.
const BARE_LEDGER: &str = "urls-publiees.csv";

/// What the command line says, over `vitrine.toml`.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub input: Option<PathBuf>,
    pub public: Option<PathBuf>,
    pub report: Option<PathBuf>,
    pub rncp: Option<PathBuf>,
    pub organismes: Option<PathBuf>,
    pub sirene: Option<PathBuf>,
    /// Make every file again, ignoring what the previous build left (`--clean`).
    pub clean: bool,
}

/// Paths of a run, resolved.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The site folder (the folder of `vitrine.toml`).
    pub root: PathBuf,
    pub export: PathBuf,
    pub public: PathBuf,
    pub report: PathBuf,
    pub build: PathBuf,
    pub ledger: PathBuf,
    pub references: References,
}

impl Paths {
    /// The configuration's paths, overridden by the flags where given.
    pub fn resolve(config: &Config, flags: &Flags) -> Paths {
        let or = |flag: &Option<PathBuf>, configured: Option<&Path>| {
            flag.clone().or_else(|| configured.map(|p| config.path(p)))
        };
        let build = config.path(&config.output.build);
        Paths {
            root: config.root.clone(),
            export: or(&flags.input, Some(&config.input.export)).expect("a default export"),
            public: or(&flags.public, Some(&config.output.public)).expect("a default"),
            report: or(&flags.report, Some(&config.output.report)).expect("a default"),
            // A bare run (no vitrine.toml) writes nothing outside its output folders.
            ledger: if config.found {
                config.path(&config.input.ledger)
            } else {
                build.join(BARE_LEDGER)
            },
            build,
            references: References {
                rncp: or(&flags.rncp, config.references.rncp.as_deref()),
                organismes: or(&flags.organismes, config.references.organismes.as_deref()),
                sirene: or(&flags.sirene, config.references.sirene.as_deref()),
            },
        }
    }

    /// Where the tantivy index of the last build is kept.
    pub fn index(&self) -> PathBuf {
        self.build.join("index")
    }
}

/// A data file that could not be found or read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: cannot read {what}: {source}")]
    Read {
        path: PathBuf,
        what: &'static str,
        source: std::io::Error,
    },
    #[error("{path}: {what}: not UTF-8 text")]
    Encoding { path: PathBuf, what: &'static str },
    #[error(
        "no {what} for this site: add `{wanted}` to the site's data/ folder or set it in vitrine.toml"
    )]
    Missing { what: &'static str, wanted: String },
}

/// A data file's text and where it came from (a path, or `(built-in) data/x`).
#[derive(Debug, Clone)]
pub struct DataFile {
    pub origin: PathBuf,
    pub text: Cow<'static, str>,
}

/// Reads a table: the configured path (must exist), else the site's `data/<name>`, else
/// the built-in copy.
pub fn data_file(
    config: &Config,
    configured: Option<&Path>,
    name: &str,
    what: &'static str,
) -> Result<DataFile, InputError> {
    let read = |path: PathBuf| -> Result<DataFile, InputError> {
        let bytes = std::fs::read(&path).map_err(|source| InputError::Read {
            path: path.clone(),
            what,
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|_| InputError::Encoding {
            path: path.clone(),
            what,
        })?;
        Ok(DataFile {
            origin: path,
            text: Cow::Owned(text),
        })
    };
    if let Some(p) = configured {
        return read(config.path(p));
    }
    let own = config.root.join("data").join(name);
    if own.is_file() {
        return read(own);
    }
    let origin = PathBuf::from(format!("(built-in) data/{name}"));
    let bytes = builtin::data(name).ok_or_else(|| InputError::Missing {
        what,
        wanted: format!("data/{name}"),
    })?;
    let text = std::str::from_utf8(bytes).map_err(|_| InputError::Encoding {
        path: origin.clone(),
        what,
    })?;
    Ok(DataFile {
        origin,
        text: Cow::Borrowed(text),
    })
}

/// Inputs of `check` (and the first half of `build`): paths and control tables.
pub struct Inputs {
    pub config: Config,
    pub paths: Paths,
    pub tables: Tables,
    /// The search's job names, synonyms and acronyms (built in, or the site's files).
    pub vocabulary: Vocabulary,
    /// `--clean`: a cold build whatever the previous one left.
    pub clean: bool,
}

impl Inputs {
    /// Resolves every path and loads the control tables (communes, durations,
    /// references). The tables come first: a malformed file fails before a long import.
    pub fn load(config: Config, flags: &Flags) -> Result<Inputs, TablesError> {
        let paths = Paths::resolve(&config, flags);
        // The two largest tables, parsed side by side.
        let (communes, vocabulary) = rayon::join(
            || load_communes_kept(&config, &paths.build, !flags.clean),
            || load_vocabulary(&config),
        );
        let communes = communes?;
        let file = data_file(
            &config,
            config.input.durations.as_deref(),
            DURATIONS,
            "the diploma durations",
        )
        .map_err(|e| DurationsError {
            file: PathBuf::from(DURATIONS),
            message: e.to_string(),
        })?;
        let durations = Durations::parse(&file.text).map_err(|message| DurationsError {
            file: file.origin.clone(),
            message,
        })?;
        let file =
            data_file(&config, None, OFFICIAL, "the official diploma durations").map_err(|e| {
                DurationsError {
                    file: PathBuf::from(OFFICIAL),
                    message: e.to_string(),
                }
            })?;
        let official = match file.text {
            Cow::Borrowed(_) => Official::builtin(),
            Cow::Owned(text) => Official::parse(&text).map_err(|e| DurationsError {
                file: file.origin.clone(),
                message: e.to_string(),
            })?,
        };
        let tables = Tables::with(communes, durations, official, &paths.references)?;
        let vocabulary = vocabulary?;
        Ok(Inputs {
            config,
            paths,
            tables,
            vocabulary,
            clean: flags.clean,
        })
    }

    /// Loads what the site is made from besides the offers.
    pub fn site(&self) -> Result<SiteSources, SiteError> {
        SiteSources::load(&self.config, &self.paths)
    }
}

/// The search vocabulary: the built-in ROME job names, synonyms and glossary, each
/// replaced by the site's `data/rome-metiers.tsv`, `data/synonymes.txt` or
/// `data/glossaire.toml` when it holds one.
pub fn load_vocabulary(config: &Config) -> Result<Vocabulary, TablesError> {
    let mut vocabulary = Vocabulary::builtin();
    let own = |name: &str| config.root.join("data").join(name);
    let failed = |path: &Path, e: &dyn std::fmt::Display| {
        TablesError::Vocabulary(format!("{}: {e}", path.display()))
    };
    let rome = own(vocabulary::ROME_FILE);
    if rome.is_file() {
        let text = std::fs::read_to_string(&rome).map_err(|e| failed(&rome, &e))?;
        vocabulary.rome = vocabulary::Rome::parse(&text).map_err(|e| failed(&rome, &e))?;
    }
    let synonyms = own(vocabulary::SYNONYMS_FILE);
    if synonyms.is_file() {
        let text = std::fs::read_to_string(&synonyms).map_err(|e| failed(&synonyms, &e))?;
        vocabulary.synonyms =
            vocabulary::Synonyms::parse(&text).map_err(|e| failed(&synonyms, &e))?;
    }
    let glossary = own(GLOSSARY);
    if glossary.is_file() {
        let text = std::fs::read_to_string(&glossary).map_err(|e| failed(&glossary, &e))?;
        vocabulary.glossary =
            crate::site::glossary::Glossary::parse(&text).map_err(|e| failed(&glossary, &e))?;
    }
    Ok(vocabulary)
}

/// The key of the site's own files the search documents are made from (communes,
/// ROME job names, synonyms, glossary; the built-in ones are the binary's).
pub fn search_sources_key(config: &Config) -> crate::output::Key {
    let own = |name: &str| config.root.join("data").join(name);
    let communes = match config.input.communes.as_deref() {
        Some(p) => config.path(p),
        None => own(COMMUNES),
    };
    let files = [
        communes,
        own(vocabulary::ROME_FILE),
        own(vocabulary::SYNONYMS_FILE),
        own(GLOSSARY),
    ];
    let texts: Vec<Vec<u8>> = files
        .iter()
        .map(|p| std::fs::read(p).unwrap_or_default())
        .collect();
    let parts: Vec<&[u8]> = texts.iter().map(Vec::as_slice).collect();
    crate::output::key_of(&parts)
}

/// The communes table: the site's (`[input] communes`, else its `data/` copy; read
/// within [`crate::communes::MAX_BYTES`]) or the built-in one (parsed once per process).
pub fn load_communes(config: &Config) -> Result<Communes, CommunesError> {
    if let Some(p) = config.input.communes.as_deref() {
        return Communes::load(&config.path(p));
    }
    let own = config.root.join("data").join(COMMUNES);
    if own.is_file() {
        return Communes::load(&own);
    }
    Ok(Communes::builtin())
}

/// [`load_communes`], read back from what the previous build kept in `build` of the
/// same table (unless `reuse` is off: `--clean`), and kept there for the next build.
pub fn load_communes_kept(
    config: &Config,
    build: &Path,
    reuse: bool,
) -> Result<Communes, CommunesError> {
    let kept = build.join(COMMUNES_KEPT);
    if let Some(p) = config.input.communes.as_deref() {
        return Communes::load_kept(Some(&config.path(p)), &kept, reuse);
    }
    let own = config.root.join("data").join(COMMUNES);
    match own.is_file() {
        true => Communes::load_kept(Some(&own), &kept, reuse),
        false => Communes::load_kept(None, &kept, reuse),
    }
}

/// The site's own glossary, in its `data/` folder (the site and the search read it).
const GLOSSARY: &str = "glossaire.toml";

/// In the build folder: the communes table as the previous build indexed it.
const COMMUNES_KEPT: &str = "communes";

/// What the site is made from besides the offers: the compiled theme, the content
/// pages, the calendar and the URL ledger.
pub struct SiteSources {
    pub theme: Theme,
    /// Key of the theme's files (a changed template or static file makes every page
    /// again).
    pub fingerprint: crate::output::Key,
    /// URL of the site's logo (`[site] logo`, a file of its `static/` folder).
    pub logo_url: Option<String>,
    /// Meanings of the acronyms (`data/glossaire.toml`).
    pub glossary: crate::site::glossary::Glossary,
    /// Department outlines of the maps (`data/departements.geojson`).
    pub outlines: crate::site::map::Outlines,
    /// Links out of offer pages and the disability page (`data/liens-*.toml`).
    pub platforms: crate::site::outlinks::Platforms,
    pub resources: crate::site::outlinks::Resources,
    pub content: Vec<ContentPage>,
    pub calendar: CalendarFile,
    pub ledger: Ledger,
}

impl SiteSources {
    pub fn load(config: &Config, paths: &Paths) -> Result<SiteSources, SiteError> {
        let files = theme_of(config)?;
        let mut theme = Theme::compile(&files)?;
        // The site's identity: the palette derived from its accent colour (refused when
        // text on it would be hard to read) and its logo.
        let identity_err = |message: String| SiteError::Theme {
            path: config.root.join("vitrine.toml"),
            message,
        };
        let accent = config
            .site
            .accent
            .as_deref()
            .unwrap_or(crate::site::palette::DEFAULT_ACCENT);
        let palette = crate::site::palette::Palette::from_accent(accent)
            .map_err(|e| identity_err(e.to_string()))?;
        let site_css =
            palette.css() + &crate::site::palette::print_links_css(&config.site.base_url);
        theme.assets.add("palette.css", site_css.into_bytes());
        let logo_url = match config.site.logo.as_deref() {
            None => None,
            Some(name) => Some(theme.assets.urls.get(name).cloned().ok_or_else(|| {
                identity_err(format!(
                    "[site] logo `{name}`: no such file in the site's static/ folder"
                ))
            })?),
        };
        let mut parts: Vec<&[u8]> = Vec::new();
        for (name, text) in &files.templates {
            parts.extend([name.as_bytes(), text.as_bytes()]);
        }
        for (name, bytes) in &files.statics {
            parts.extend([name.as_bytes(), bytes.as_slice()]);
        }
        let fingerprint = crate::output::key_of(&parts);
        let content = content::from_files(&content_of(config)?)?;
        let name = format!("calendrier-{}.toml", config.campaign.year);
        let file = data_file(
            config,
            config.input.calendar.as_deref(),
            &name,
            "the campaign calendar",
        )
        .map_err(|e| SiteError::Calendar {
            file: PathBuf::from(&name),
            message: e.to_string(),
        })?;
        let calendar = CalendarFile::parse(&file.text, &file.origin)?;
        let ledger = Ledger::load(&paths.ledger)?;
        use crate::site::{glossary::Glossary, map::Outlines, outlinks};
        Ok(SiteSources {
            glossary: own_or_builtin(config, GLOSSARY, Glossary::parse, Glossary::builtin)?,
            outlines: own_or_builtin(
                config,
                "departements.geojson",
                Outlines::parse,
                Outlines::builtin,
            )?,
            platforms: own_or_builtin(
                config,
                "liens-plateformes.toml",
                outlinks::Platforms::parse,
                outlinks::Platforms::builtin,
            )?,
            resources: own_or_builtin(
                config,
                "liens-handicap.toml",
                outlinks::Resources::parse,
                outlinks::Resources::builtin,
            )?,
            theme,
            fingerprint,
            logo_url,
            content,
            calendar,
            ledger,
        })
    }
}

/// A table of the site's `data/<name>` when it holds one, else the built-in one.
fn own_or_builtin<T, E: std::fmt::Display>(
    config: &Config,
    name: &str,
    parse: impl Fn(&str) -> Result<T, E>,
    builtin: impl Fn() -> T,
) -> Result<T, SiteError> {
    let own = config.root.join("data").join(name);
    if !own.is_file() {
        return Ok(builtin());
    }
    let failed = |message: String| SiteError::Content {
        file: own.clone(),
        message,
    };
    let text = std::fs::read_to_string(&own).map_err(|e| failed(e.to_string()))?;
    parse(&text).map_err(|e| failed(e.to_string()))
}

/// The theme's files: the site's own `themes/{theme}/` if it has one, else the built-in
/// theme of that name; then the site's `templates/` and `static/` laid over it.
pub fn theme_of(config: &Config) -> Result<ThemeFiles, SiteError> {
    let name = &config.site.theme;
    let own = config.path(&config.input.themes).join(name);
    let mut files = ThemeFiles::default();
    if own.join("templates").is_dir() {
        files.origin = own.display().to_string();
        read_folder(&own.join("templates"), |n, b| {
            files.templates.insert(n, text_of(&own, b)?);
            Ok(())
        })?;
        read_folder(&own.join("static"), |n, b| {
            files.statics.insert(n, b);
            Ok(())
        })?;
    } else if builtin::has_theme(name) {
        files.origin = format!("(built-in) themes/{name}");
        for (n, b) in builtin::theme_files(name, "templates") {
            let text = std::str::from_utf8(b).map_err(|_| SiteError::Theme {
                path: PathBuf::from(&files.origin).join("templates").join(&n),
                message: "not UTF-8 text".into(),
            })?;
            files.templates.insert(n, text.to_string());
        }
        for (n, b) in builtin::theme_files(name, "static") {
            files.statics.insert(n, b.to_vec());
        }
    } else {
        return Err(SiteError::Theme {
            path: own.join("templates"),
            message: format!(
                "no theme `{name}`: neither built in nor in the site (set [site] theme in vitrine.toml)"
            ),
        });
    }
    let root = &config.root;
    read_folder(&root.join("templates"), |n, b| {
        files.templates.insert(n, text_of(root, b)?);
        Ok(())
    })?;
    read_folder(&root.join("static"), |n, b| {
        files.statics.insert(n, b);
        Ok(())
    })?;
    Ok(files)
}

/// The content pages: the built-in ones, each replaced by the site's file of the same
/// name, plus the site's own.
pub fn content_of(config: &Config) -> Result<Vec<(PathBuf, String)>, SiteError> {
    let mut pages: std::collections::BTreeMap<String, (PathBuf, String)> = builtin::content_files()
        .into_iter()
        .filter(|(n, _)| n.ends_with(".md") && !n.contains('/'))
        .map(|(n, b)| {
            let origin = PathBuf::from(format!("(built-in) content/{n}"));
            (n, (origin, String::from_utf8_lossy(b).into_owned()))
        })
        .collect();
    let dir = config.path(&config.input.content);
    read_folder(&dir, |n, b| {
        if n.ends_with(".md") && !n.contains('/') {
            let path = dir.join(&n);
            let text = String::from_utf8(b).map_err(|_| SiteError::Content {
                file: path.clone(),
                message: "not UTF-8 text".into(),
            })?;
            pages.insert(n, (path, text));
        }
        Ok(())
    })?;
    Ok(pages.into_values().collect())
}

fn text_of(dir: &Path, bytes: Vec<u8>) -> Result<String, SiteError> {
    String::from_utf8(bytes).map_err(|_| SiteError::Theme {
        path: dir.to_path_buf(),
        message: "a template is not UTF-8 text".into(),
    })
}

/// Calls `f(name, bytes)` for every file of a site folder (none when it is absent).
fn read_folder(
    dir: &Path,
    mut f: impl FnMut(String, Vec<u8>) -> Result<(), SiteError>,
) -> Result<(), SiteError> {
    for (name, path) in theme_files(dir)? {
        let bytes = std::fs::read(&path).map_err(|e| SiteError::Theme {
            path: path.clone(),
            message: e.to_string(),
        })?;
        f(name, bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bare(dir: &Path) -> Config {
        Config {
            root: dir.to_path_buf(),
            ..Config::default()
        }
    }

    #[test]
    fn a_bare_run_takes_every_table_from_the_binary() {
        let tmp = tempfile::tempdir().unwrap();
        let inputs = Inputs::load(bare(tmp.path()), &Flags::default()).unwrap();
        assert!(inputs.tables.communes.all().len() > 100);
        let site = inputs.site().unwrap();
        assert!(site.theme.has("offer.html"));
        assert!(site.content.iter().any(|c| c.path == "/handicap/"));
        assert!(!site.calendar.calendars.is_empty());
        // Without a vitrine.toml the ledger stays in the build folder.
        assert_eq!(
            inputs.paths.ledger,
            tmp.path().join("build/urls-publiees.csv")
        );
    }

    #[test]
    fn a_site_file_replaces_the_built_in_one_of_the_same_name() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("templates/404.html"), "mine").unwrap();
        std::fs::write(
            root.join("content/handicap.md"),
            "+++\ntitle = \"Le nôtre\"\n+++\nTexte.\n",
        )
        .unwrap();
        std::fs::write(
            root.join("content/a-propos.md"),
            "+++\ntitle = \"x\"\ndraft = true\n+++\n",
        )
        .unwrap();
        let config = bare(root);
        let theme = theme_of(&config).unwrap();
        assert_eq!(theme.templates["404.html"], "mine");
        assert!(theme.templates["offer.html"].contains("{%"));
        let pages = content::from_files(&content_of(&config).unwrap()).unwrap();
        let handicap = pages.iter().find(|p| p.name == "handicap").unwrap();
        assert_eq!(handicap.title, "Le nôtre");
        assert!(
            pages.iter().all(|p| p.name != "a-propos"),
            "a draft hides the page"
        );
        assert!(pages.iter().any(|p| p.name == "apprentissage"));
    }

    #[test]
    fn a_site_data_file_replaces_the_built_in_table_and_is_checked() {
        let tmp = tempfile::tempdir().unwrap();
        let config = bare(tmp.path());
        let paths = Paths::resolve(&config, &Flags::default());
        let builtin = SiteSources::load(&config, &paths).unwrap();
        assert!(builtin.glossary.meaning("CAP").is_some());
        std::fs::create_dir_all(tmp.path().join("data")).unwrap();
        std::fs::write(
            tmp.path().join("data/departements.geojson"),
            "pas du GeoJSON",
        )
        .unwrap();
        let err = SiteSources::load(&config, &paths)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("departements.geojson"), "{err}");
    }

    #[test]
    fn a_configured_table_must_exist() {
        let tmp = tempfile::tempdir().unwrap();
        let mut config = bare(tmp.path());
        config.input.durations = Some("absent.toml".into());
        let err = Inputs::load(config, &Flags::default()).err().unwrap();
        assert!(err.to_string().contains("absent.toml"), "{err}");
    }

    #[test]
    fn a_calendar_of_another_year_must_be_given() {
        let tmp = tempfile::tempdir().unwrap();
        let mut config = bare(tmp.path());
        config.campaign.year = 2031;
        let paths = Paths::resolve(&config, &Flags::default());
        let err = SiteSources::load(&config, &paths).err().unwrap();
        assert!(err.to_string().contains("calendrier-2031.toml"), "{err}");
    }
}
