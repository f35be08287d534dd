//! The orchestration: each command is a list of named phases, timed for `--verbose`.

use crate::config::{Config, References};
use crate::controls;
use crate::import::{self, Import, ImportError};
use crate::model::Status;
use crate::model::Verdict;
use crate::output::OutputError;
use crate::report::{self, Summary};
use crate::search::{self, SearchError};
use crate::site::{self, SiteError, SiteInput};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What a run can fail on. Every variant is about the run's inputs or outputs; a bad
/// offer is a verdict, never an error.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(transparent)]
    Site(#[from] SiteError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Report(#[from] report::ReportError),
    /// A data file (communes, durations) or a reference table is unusable.
    #[error(transparent)]
    Tables(#[from] controls::TablesError),
}

impl BuildError {
    /// Exit status: 2 when the input itself was unusable, 1 for anything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            BuildError::Import(_) | BuildError::Tables(_) => 2,
            BuildError::Output(_)
            | BuildError::Site(_)
            | BuildError::Search(_)
            | BuildError::Report(_) => 1,
        }
    }
}

/// Options common to `check` and `build`, already resolved against the configuration.
#[derive(Debug, Clone)]
pub struct Options {
    pub input: PathBuf,
    pub report: PathBuf,
    pub public: PathBuf,
    /// Reference tables (`[references]`, overridden by `--rncp`, `--organismes`,
    /// `--sirene`), paths resolved.
    pub references: References,
}

impl Options {
    /// The configuration's paths, overridden by the command line where given.
    pub fn new(
        config: &Config,
        input: Option<PathBuf>,
        report: Option<PathBuf>,
        public: Option<PathBuf>,
    ) -> Self {
        Options {
            input: input.unwrap_or_else(|| config.path(&config.input.export)),
            report: report.unwrap_or_else(|| config.path(&config.output.report)),
            public: public.unwrap_or_else(|| config.path(&config.output.public)),
            references: References {
                rncp: config.references.rncp.as_deref().map(|p| config.path(p)),
                organismes: config
                    .references
                    .organismes
                    .as_deref()
                    .map(|p| config.path(p)),
                sirene: config.references.sirene.as_deref().map(|p| config.path(p)),
            },
        }
    }
}

/// The result of `check`: what was read, what was decided, and how long each phase took.
#[derive(Debug)]
pub struct Checked {
    pub import: Import,
    pub verdicts: Vec<Verdict>,
    pub summary: Summary,
    pub timings: Vec<(&'static str, Duration)>,
    /// ROME codes by RNCP sheet (France compétences export, when given): the search
    /// indexes the trades of offers whose export has no `Codes ROME`.
    pub rncp_rome: std::collections::HashMap<String, Vec<String>>,
}

/// Import and controls, then the report written atomically.
pub fn check(config: &Config, opts: &Options) -> Result<Checked, BuildError> {
    let mut checked = check_only(config, opts)?;
    let t = Instant::now();
    report::render(&checked.summary, &checked.import.offers, &checked.verdicts)?
        .write_atomic(&opts.report)?;
    checked.timings.push(("report", t.elapsed()));
    Ok(checked)
}

/// Import and controls, nothing written.
fn check_only(config: &Config, opts: &Options) -> Result<Checked, BuildError> {
    let mut timings = Vec::new();
    let mut phase = |name: &'static str, start: Instant| timings.push((name, start.elapsed()));

    // The tables first: a malformed reference file fails before a long import.
    let t = Instant::now();
    let tables = controls::Tables::load(config, &opts.references)?;
    phase("reference tables", t);

    let t = Instant::now();
    let import = import::read(&opts.input, &config.limits)?;
    phase("import", t);

    let t = Instant::now();
    let ctx = tables.context(config.campaign.year);
    let verdicts = controls::run(&import.offers, &ctx);
    phase("controls", t);

    let summary = Summary::of(&import, &verdicts, &ctx.coverage(), &tables.reference_files);

    let rncp_rome = tables
        .references
        .rncp
        .as_ref()
        .map(|t| t.rome_codes())
        .unwrap_or_default();
    Ok(Checked {
        import,
        verdicts,
        summary,
        timings,
        rncp_rome,
    })
}

/// The result of `build`: the check, plus what the site stage reported.
#[derive(Debug)]
pub struct Built {
    pub checked: Checked,
    pub pages: usize,
    pub notes: Vec<String>,
}

/// The whole job: check, search index, site, each tree swapped in atomically. The report
/// and the site are both rendered before either is written, so a failure leaves both
/// previous trees as they were.
pub fn build(config: &Config, opts: &Options) -> Result<Built, BuildError> {
    let mut checked = check_only(config, opts)?;
    let published: Vec<_> = checked
        .import
        .offers
        .iter()
        .zip(&checked.verdicts)
        .filter(|(_, v)| v.status == Status::Published)
        .map(|(o, _)| o)
        .collect();

    let t = Instant::now();
    let mut vocabulary = search::vocabulary::Vocabulary::builtin();
    vocabulary.rncp_rome = std::mem::take(&mut checked.rncp_rome);
    let assets = search::build_with(config, &published, &vocabulary)?;
    checked.timings.push(("search index", t.elapsed()));

    // The pages stream into the staged public tree as they render (100,000 pages would
    // not fit in memory); the site's other files follow. Both trees are staged before
    // either is swapped in: a failure leaves both as they were.
    let t = Instant::now();
    let public = crate::output::Files::new().stage(&opts.public)?;
    // A live count on a terminal (indicatif draws nothing when stderr is not one, so
    // CI logs and the output stay clean).
    let progress = indicatif::ProgressBar::new_spinner().with_style(
        indicatif::ProgressStyle::with_template("{spinner} {human_pos} pages written ({elapsed})")
            .expect("a valid template"),
    );
    let rendered = site::render_into(
        &SiteInput {
            config,
            offers: &checked.import.offers,
            verdicts: &checked.verdicts,
            search: &assets,
        },
        &|path: &str, bytes: &[u8]| {
            progress.inc(1);
            public.write(path, bytes)
        },
    )?;
    progress.finish_and_clear();
    for (path, bytes) in rendered.files.iter() {
        public.write(path, bytes)?;
    }
    checked.timings.push(("render", t.elapsed()));

    let t = Instant::now();
    let report = report::render(&checked.summary, &checked.import.offers, &checked.verdicts)?
        .stage(&opts.report)?;
    report.commit()?;
    public.commit()?;
    // The ledger follows the site it describes: written only once the site is in place.
    site::write_ledger(&rendered)?;
    checked.timings.push(("write", t.elapsed()));

    Ok(Built {
        pages: rendered.pages,
        notes: rendered.notes,
        checked,
    })
}
