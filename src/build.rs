//! The orchestration: each command is a list of named phases, timed for `--verbose`.

use crate::config::Config;
use crate::controls;
use crate::import::{self, Import, ImportError};
use crate::inputs::{Flags, Inputs, Paths};
use crate::model::Status;
use crate::model::Verdict;
use crate::output::{Key, Manifest, OutputError, Staged, Written, key_of};
use crate::report::{self, Summary};
use crate::search::{self, SearchError};
use crate::site::{self, SiteError, SiteInput};
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

/// The result of `check`: what was read, what was decided, and how long each phase took.
#[derive(Debug)]
pub struct Checked {
    pub import: Import,
    pub verdicts: Vec<Verdict>,
    pub summary: Summary,
    pub timings: Vec<(&'static str, Duration)>,
    /// Wall time of the whole run (phases may overlap: their sum can be larger).
    pub elapsed: Duration,
}

/// Import and controls, then the report written atomically.
pub fn check(inputs: &Inputs) -> Result<Checked, BuildError> {
    let start = Instant::now();
    let mut checked = check_only(inputs, || {
        read_export(&inputs.paths.export, &inputs.config.limits)
    })?;
    let t = Instant::now();
    report::render(&checked.summary, &checked.import.offers, &checked.verdicts)?
        .write_atomic(&inputs.paths.report)?;
    checked.timings.push(("report", t.elapsed()));
    checked.elapsed = start.elapsed();
    Ok(checked)
}

/// The export read, and how long it took.
type Read = (Result<Import, ImportError>, Duration);

fn read_export(export: &std::path::Path, limits: &crate::config::Limits) -> Read {
    let t = Instant::now();
    (import::read(export, limits), t.elapsed())
}

/// Import (`read`) and controls, nothing written.
fn check_only(inputs: &Inputs, read: impl FnOnce() -> Read) -> Result<Checked, BuildError> {
    let (config, tables) = (&inputs.config, &inputs.tables);
    let (import, took) = read();
    let import = import?;
    let mut timings = vec![("import", took)];
    let mut phase = |name: &'static str, start: Instant| timings.push((name, start.elapsed()));

    let t = Instant::now();
    let ctx = tables.context(config.campaign.year);
    let verdicts = controls::run(&import.offers, &ctx);
    phase("controls", t);

    let summary = Summary::of(&import, &verdicts, &ctx.coverage(), &tables.reference_files);
    Ok(Checked {
        import,
        verdicts,
        summary,
        timings,
        elapsed: Duration::ZERO,
    })
}

/// Puts the calling thread at the lowest priority (Linux: a thread's nice value is its
/// own); a system that refuses leaves it as it was.
fn lower_priority() {
    let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19);
}

/// The result of `build`: the check, plus what the site stage reported.
#[derive(Debug)]
pub struct Built {
    pub checked: Checked,
    pub pages: usize,
    /// Public files written anew and kept from the previous build.
    pub files: Written,
    pub notes: Vec<String>,
}

/// [`build`] from the configuration: the export is read on a thread of its own while the
/// tables and the site's sources load, since neither needs the other (an export takes
/// one core for a quarter of a second per 10,000 offers). A table that cannot be used is
/// still the error reported, once the export is read.
pub fn load_and_build(config: Config, flags: &Flags) -> Result<Built, BuildError> {
    // The run's time counts from here: the tables' load is part of it.
    let started = Instant::now();
    let paths = Paths::resolve(&config, flags);
    let limits = config.limits.clone();
    std::thread::scope(|scope| {
        let reading = std::thread::Builder::new()
            .name("import".into())
            .spawn_scoped(scope, || read_export(&paths.export, &limits));
        let inputs = Inputs::load(config, flags)?;
        let tables = started.elapsed();
        let ran = Ran {
            started,
            tables: Some(tables),
        };
        let built = build_reading(&inputs, ran, || match reading {
            Ok(thread) => thread.join().expect("reading the export does not panic"),
            // No thread to be had: read here.
            Err(_) => read_export(&inputs.paths.export, &inputs.config.limits),
        });
        // The tables (the national communes among them) are freed off the run's end.
        crate::drop_later(inputs);
        built
    })
}

/// The whole job: check, search index, site, each tree swapped in atomically. The report
/// and the site are both rendered before either is written, so a failure leaves both
/// previous trees as they were.
pub fn build(inputs: &Inputs) -> Result<Built, BuildError> {
    let ran = Ran {
        started: Instant::now(),
        tables: None,
    };
    build_reading(inputs, ran, || {
        read_export(&inputs.paths.export, &inputs.config.limits)
    })
}

/// When a build started, and how long its tables took to load when it loaded them.
struct Ran {
    started: Instant,
    tables: Option<Duration>,
}

fn build_reading(
    inputs: &Inputs,
    ran: Ran,
    read: impl FnOnce() -> Read,
) -> Result<Built, BuildError> {
    let paths = &inputs.paths;
    let trash = crate::output::Trash::empty(&paths.build);
    // ROME codes by RNCP sheet (France compétences export, when given): the search
    // indexes the trades of offers whose export has no `Codes ROME`.
    let mut vocabulary = inputs.vocabulary.clone();
    vocabulary.rncp_rome = inputs
        .tables
        .references
        .rncp
        .as_ref()
        .map(|t| t.rome_codes())
        .unwrap_or_default();
    // The export is read a while yet (load_and_build reads it on a thread of its own; with
    // the row conversion it takes about 1.2 cores of 2): meanwhile, side by side, this
    // loads the site's sources, what the previous build left (its manifests: a stat of
    // every file) and the search's places and kept documents. One after the other on
    // this thread they outlasted the reading of a 10,000-offer export, and the controls
    // waited for them (perf timeline of a 1%-changed rebuild).
    let view_keys_path = paths.build.join(VIEW_KEYS);
    let (
        (sources, previous_view_keys, site_loaded),
        (manifests, (prepared, tables_key), preloaded),
    ) = rayon::join(
        || {
            let t = Instant::now();
            let previous_view_keys = previous_view_keys(inputs, &view_keys_path);
            (inputs.site(), previous_view_keys, t.elapsed())
        },
        || {
            let t = Instant::now();
            let (manifests, prepared) = rayon::join(
                || {
                    rayon::join(
                        || previous_manifest(inputs, &paths.public, ""),
                        || previous_manifest(inputs, &paths.report, "report."),
                    )
                },
                || {
                    inputs.vocabulary.rome.warm();
                    // The tables the search and the offers' views are made from
                    // (the communes among them), by the key of their files.
                    let tables_key = crate::inputs::search_sources_key(&inputs.config);
                    let prepared = search::prepare(
                        &paths.index(),
                        &inputs.tables.communes,
                        &vocabulary,
                        tables_key,
                        !inputs.clean,
                    );
                    (prepared, tables_key)
                },
            );
            (manifests, prepared, t.elapsed())
        },
    );
    let sources = sources?;
    let mut checked = check_only(inputs, read)?;
    checked.timings.splice(
        0..0,
        ran.tables.map(|t| ("tables ∥", t)).into_iter().chain([
            ("theme, ledger ∥", site_loaded),
            ("previous, places ∥", preloaded),
        ]),
    );
    // Each offer's key, made once: the search documents and the CFAs' workbooks of
    // unchanged offers are kept by it.
    let offer_keys = crate::output::keys_of(&checked.import.offers);
    let (published, published_keys): (Vec<_>, Vec<Key>) = checked
        .import
        .offers
        .iter()
        .zip(&offer_keys)
        .zip(&checked.verdicts)
        .filter(|(_, v)| v.status == Status::Published)
        .map(|((o, k), _)| (o, *k))
        .unzip();

    let (offers, verdicts, summary) = (&checked.import.offers, &checked.verdicts, &checked.summary);
    let global = global_key(&inputs.config, &sources);
    // Three stages side by side: the search index and the report on threads of their
    // own, the site here. The site waits for the search only to make the search page.
    let (public_manifest, report_manifest) = manifests;
    let (search, report, site) = std::thread::scope(|scope| {
        let (send_search, later) = site::Later::channel();
        let search = scope.spawn(move || {
            let t = Instant::now();
            // A pool of its own: the search is the longest path of a rebuild, and in the
            // shared pool its documents would wait behind every page job the site queued.
            let pool = rayon::ThreadPoolBuilder::new()
                .thread_name(|i| format!("search-{i}"))
                .build()
                .map_err(|e| SearchError::Index(format!("threads: {e}")))?;
            let assets = pool.install(|| {
                search::build_reusing(
                    &paths.index(),
                    &inputs.tables.communes,
                    &published,
                    &published_keys,
                    &vocabulary,
                    prepared,
                    (!inputs.clean).then_some(paths.public.as_path()),
                )
            })?;
            let _ = send_search.send(assets);
            Ok::<_, BuildError>(t.elapsed())
        });
        let report = scope.spawn(|| {
            let t = Instant::now();
            // A pool of its own, at the lowest priority: the report is needed only at
            // the end, and in the shared pool its workbooks held up the site's first
            // steps (at 100,000 offers, grouping the CFAs took 0.25 s of a rebuild
            // behind them); at low priority it takes what the site's serial steps
            // leave idle instead. A cold build (no previous report) keeps the shared
            // pool: with threads of its own the report ran beside the whole site and
            // added to its peak memory (100,000 offers, peak RSS: 1,147-1,299 MiB in the
            // shared pool, 1,373-1,404 MiB on its own at low priority, 1,523-1,536 MiB
            // on its own at normal priority).
            let cold = report_manifest.1.is_empty();
            let pool = (!cold).then(|| {
                lower_priority();
                rayon::ThreadPoolBuilder::new()
                    .thread_name(|i| format!("report-{i}"))
                    .start_handler(|_| lower_priority())
                    .build()
            });
            let render = || {
                render_report(
                    inputs,
                    global,
                    report_manifest,
                    summary,
                    offers,
                    &offer_keys,
                    verdicts,
                )
            };
            // No threads to be had: made in the shared pool.
            let staged = match pool {
                Some(Ok(pool)) => pool.install(render),
                Some(Err(_)) | None => render(),
            }?;
            Ok::<_, BuildError>((staged, t.elapsed()))
        });
        let t = Instant::now();
        let site = render_site(
            inputs,
            global,
            public_manifest,
            &sources,
            Offers {
                offers,
                verdicts,
                keys: &offer_keys,
            },
            (
                &previous_view_keys,
                key_of(&[&global.to_le_bytes(), &tables_key.to_le_bytes()]),
            ),
            &later,
        )
        .map(|r| (r, t.elapsed()));
        // A failed search stage is the cause of the site's "search index not made".
        let search = search.join().expect("the search stage does not panic");
        let report = report.join().expect("the report stage does not panic");
        (search, report, site)
    });
    checked.timings.push(("search index ∥", search?));
    let (report, report_time) = report?;
    let ((rendered, public), render_time) = site?;
    checked.timings.push(("render ∥", render_time));
    checked.timings.push(("report ∥", report_time));

    let t = Instant::now();
    // The trees of the previous build are gone before this build throws in its own.
    trash.wait();
    report.commit()?;
    let files = public.commit()?;
    // The ledger follows the site it describes: written only once the site is in place.
    site::write_ledger(&rendered)?;
    // Only a later build's time is lost if they cannot be kept.
    if !rendered.view_keys.is_empty() {
        let _ = crate::output::write_replacing(&view_keys_path, |out| {
            std::io::Write::write_all(out, &rendered.view_keys)
        });
    }
    // The theme, the content and the previous ledger are freed off the run's end.
    crate::drop_later(sources);
    checked.timings.push(("write", t.elapsed()));
    checked.elapsed = ran.started.elapsed();

    Ok(Built {
        pages: rendered.pages,
        files,
        notes: rendered.notes,
        checked,
    })
}

/// Where a build keeps its offers' view keys for the next one, in `build/`
/// ([`site::view_keys`]).
const VIEW_KEYS: &str = "view-keys";

/// The view keys the previous build left in `path` (none with `--clean`), read within
/// the bound the export has: one entry an offer.
fn previous_view_keys(inputs: &Inputs, path: &std::path::Path) -> Vec<u8> {
    if inputs.clean {
        return Vec::new();
    }
    let most = 64 * inputs.config.limits.max_rows as u64 + 1024;
    let mut bytes = Vec::new();
    match std::fs::File::open(path)
        .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, most), &mut bytes))
    {
        Ok(_) => bytes,
        Err(_) => Vec::new(),
    }
}

/// The offers read, their verdicts and their keys (same order).
struct Offers<'a> {
    offers: &'a [crate::model::Offer],
    verdicts: &'a [Verdict],
    keys: &'a [Key],
}

/// The site rendered into a staged public tree, kept files reused from the previous
/// build (incremental: a file made from the same inputs is hard-linked, not made again).
/// `view_keys`: the previous build's view keys (the file's bytes) and the key of what
/// every view is made of besides its offer.
fn render_site(
    inputs: &Inputs,
    global: Key,
    previous: (std::path::PathBuf, Manifest),
    sources: &crate::inputs::SiteSources,
    offers: Offers<'_>,
    view_keys: (&[u8], Key),
    search: &site::Later<search::SearchAssets>,
) -> Result<(site::Rendered, Staged), BuildError> {
    let Offers {
        offers,
        verdicts,
        keys: offer_keys,
    } = offers;
    let (previous_view_keys, views_made_of) = view_keys;
    let (config, paths) = (&inputs.config, &inputs.paths);
    let public = staged_incremental(&paths.public, previous, global)?;
    // A live count on a terminal (indicatif draws nothing when stderr is not one, so
    // CI logs and the output stay clean).
    let progress = Progress {
        staged: &public,
        bar: indicatif::ProgressBar::new_spinner().with_style(
            indicatif::ProgressStyle::with_template("{spinner} {human_pos} pages ({elapsed})")
                .expect("a valid template"),
        ),
    };
    let rendered = site::render_into(
        &SiteInput {
            config,
            sources,
            ledger_path: &paths.ledger,
            communes: &inputs.tables.communes,
            offers,
            verdicts,
            search,
            offer_keys,
            previous_view_keys,
            views_made_of,
        },
        &progress,
    )?;
    progress.bar.finish_and_clear();
    // What the sink did not take as it was made (the feeds, calendars, the theme's
    // assets...), side by side.
    {
        use rayon::prelude::*;
        let files: Vec<(&str, &[u8])> = rendered.files.iter().collect();
        files
            .par_iter()
            .try_for_each(|(path, bytes)| public.write(path, bytes))?;
    }
    Ok((rendered, public))
}

/// Where the manifest of the tree `dir` lives, and what it says of the previous build's
/// files (nothing with `--clean`). One manifest per folder: `--out elsewhere` never
/// takes another tree's.
fn previous_manifest(
    inputs: &Inputs,
    dir: &std::path::Path,
    prefix: &str,
) -> (std::path::PathBuf, Manifest) {
    let name = dir
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let manifest = inputs.paths.build.join(format!("{prefix}{name}.manifest"));
    let previous = if inputs.clean {
        Manifest::default()
    } else {
        let mut previous = Manifest::load(&manifest);
        previous.look_at(dir);
        previous
    };
    (manifest, previous)
}

/// An empty staged tree beside `dir` that keeps the previous build's files made from
/// the same inputs (`previous`, from [`previous_manifest`]).
fn staged_incremental(
    dir: &std::path::Path,
    (manifest, previous): (std::path::PathBuf, Manifest),
    global: Key,
) -> Result<Staged, BuildError> {
    Ok(crate::output::Files::new()
        .stage(dir)?
        .incremental(previous, global, &manifest))
}

/// The report staged beside `report/`; a CFA's workbook made from the same rows as in
/// the previous build is kept, not made again.
fn render_report(
    inputs: &Inputs,
    global: Key,
    previous: (std::path::PathBuf, Manifest),
    summary: &Summary,
    offers: &[crate::model::Offer],
    offer_keys: &[Key],
    verdicts: &[Verdict],
) -> Result<Staged, BuildError> {
    let staged = staged_incremental(&inputs.paths.report, previous, global)?;
    // A file that cannot be linked from the previous tree is simply made again.
    let keep = |path: &str, key: Key| staged.reuse(path, key).unwrap_or(false);
    // Each file is written as soon as it is made: the report is never held whole.
    let put = |path: &str, bytes: Vec<u8>, key: Option<Key>| {
        staged
            .write_keyed(path, &bytes, key)
            .map_err(BuildError::from)
    };
    report::render_keyed(summary, offers, offer_keys, verdicts, &keep, &put)?;
    Ok(staged)
}

/// The key of what every public file depends on besides its own data: the binary (its
/// version, size and time: a rebuilt vitrine makes everything again), the configuration
/// and the theme.
fn global_key(config: &crate::config::Config, sources: &crate::inputs::SiteSources) -> Key {
    let binary = crate::output::binary_stamp();
    let config = serde_json::to_vec(config).unwrap_or_default();
    key_of(&[
        binary.as_bytes(),
        &config,
        &sources.fingerprint.to_le_bytes(),
    ])
}

/// The staged public tree, counting pages on the terminal as they come.
struct Progress<'a> {
    staged: &'a Staged,
    bar: indicatif::ProgressBar,
}

impl site::PageSink for Progress<'_> {
    fn reuse(&self, file: &str, key: Key) -> Result<bool, OutputError> {
        let kept = self.staged.reuse(file, key)?;
        if kept {
            self.bar.inc(1);
        }
        Ok(kept)
    }
    fn write(&self, file: &str, bytes: &[u8], key: Key) -> Result<(), OutputError> {
        self.bar.inc(1);
        self.staged.write_keyed(file, bytes, Some(key))
    }
    fn previous(&self) -> Option<&Manifest> {
        self.staged.previous()
    }
    fn given(&self, file: &str) -> Option<std::fs::File> {
        self.staged.open_staged(file)
    }
    fn open(
        &self,
        file: &str,
    ) -> Result<Option<Box<dyn crate::output::Splice + Send>>, OutputError> {
        site::PageSink::open(self.staged, file)
    }
    fn streamed(&self, file: &str, key: Key) -> Result<(), OutputError> {
        self.staged.finish_streamed(file, key)
    }
    fn previous_beside(&self, file: &str) -> Option<(std::fs::File, Vec<u8>)> {
        self.staged.previous_beside(file)
    }
    fn keep_beside(&self, file: &str, data: &[u8]) -> Result<(), OutputError> {
        self.staged.keep_beside(file, data)
    }
    fn take_file(&self, file: &str, bytes: &[u8]) -> Result<bool, OutputError> {
        site::PageSink::take_file(self.staged, file, bytes)
    }
}
