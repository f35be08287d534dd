//! The command line: parse arguments, call the library, print, set the exit status.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use vitrine::build::{self, BuildError};
use vitrine::config::Config;
use vitrine::inputs::{Flags, Inputs, Paths};

// Rendering 10,000+ pages is allocation-bound (Tera contexts, minifier trees): with
// glibc's allocator malloc/free took ~30% of the build's CPU; mimalloc cuts it by a quarter.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's own C API (linked in by the `mimalloc` crate). The only unsafe code.
#[allow(unsafe_code)]
unsafe extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

// The C library's `prctl` (Linux), called with its five arguments.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
unsafe extern "C" {
    fn prctl(
        option: std::ffi::c_int,
        a: std::ffi::c_ulong,
        b: std::ffi::c_ulong,
        c: std::ffi::c_ulong,
        d: std::ffi::c_ulong,
    ) -> std::ffi::c_int;
}
/// `PR_SET_THP_DISABLE` in linux/prctl.h.
#[cfg(target_os = "linux")]
const PR_SET_THP_DISABLE: std::ffi::c_int = 41;

/// mimalloc asks for transparent huge pages (`MADV_HUGEPAGE`). Each first touch of one
/// then zeroes 2 MiB, and with the kernel's usual `defrag=madvise` may stall on
/// compaction: on a shared 2-core VM a 10,000-offer cold build spent 0.6–2.7 s in the
/// kernel with them, 0.6–1.5 s without, and held 50 MiB more. Builds run back to back
/// gain from them (10,000 offers, 1% changed: 0.295 s against 0.335 s, medians of 16),
/// but such a VM hands free 2 MiB blocks back to its host (virtio-balloon free page
/// reporting, order 9), so a build that starts after a few idle seconds faults each
/// huge page in from the host: 0.615 s against 0.430 s (medians of 10, 5 s idle before
/// each). Turned off for this process only (mimalloc's `allow_thp=0` does the same, but
/// is read before `main`).
#[allow(unsafe_code)]
fn no_huge_pages() {
    // SAFETY: a flag of this process's memory map; no pointer is passed. A kernel that
    // refuses it leaves things as they were.
    #[cfg(target_os = "linux")]
    unsafe {
        prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0)
    };
}
/// `mi_option_purge_delay` in mimalloc.h's `mi_option_e`.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// A build frees and reallocates its page buffers thousands of times a second. By
/// default mimalloc gives freed memory back to the system after 10 ms, and each reuse
/// then faults in (and the kernel zeroes) fresh huge pages: 10,000 faults and about a
/// tenth of a 10,000-offer build's CPU. The process is short-lived and its peak is what
/// it holds anyway, so it keeps what it freed (1,200 faults).
#[allow(unsafe_code)]
fn keep_freed_memory() {
    // SAFETY: sets a plain option before any thread is started; the option exists in
    // the mimalloc version the crate builds (v3).
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

#[derive(Parser)]
#[command(
    name = "vitrine",
    version,
    about = "Catalogue public de l'offre en apprentissage"
)]
struct Cli {
    /// The site folder: where `vitrine.toml` is read and `public/`, `report/` and
    /// `build/` are written.
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    /// Site configuration; default: `vitrine.toml` of the site folder.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Print the time of each phase.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Creates a site folder that builds at once: vitrine.toml, the sample export, the
    /// content pages to edit, netlify.toml and the CI workflow.
    Init {
        /// The folder to create (must be absent or empty); default: the current folder.
        dir: Option<PathBuf>,
        /// The region: INSEE code (93), or short name (paca, idf, bretagne…).
        #[arg(long, default_value = "93")]
        region: String,
    },
    /// Import, controls, report, search index and site.
    Build {
        /// The BROF export (xlsx, ods or csv); default: the one named in vitrine.toml.
        #[arg(long)]
        input: Option<PathBuf>,
        /// Make every file again (by default a file made from the same inputs as in the
        /// previous build is kept as it is: same bytes, same modification time).
        #[arg(long)]
        clean: bool,
        /// Public site folder; default: public/.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Report folder; default: report/.
        #[arg(long)]
        report: Option<PathBuf>,
        #[command(flatten)]
        references: ReferenceArgs,
    },
    /// Query the search index of the last build (same answers as the site's search).
    Search {
        /// The words to look for (every word must match; the last one may be a prefix).
        query: String,
        /// Print JSON (ids, titles, URLs, scores).
        #[arg(long)]
        json: bool,
        /// Number of results.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Filters, as in the page's URL: niveau=4, dep=06, diplome=cap, cfa=SIRET, voie=parcoursup.
        #[arg(long = "filter", value_name = "NAME=VALUE")]
        filters: Vec<String>,
    },
    /// Preview the site on 127.0.0.1, rebuilt and reloaded when data, content or theme change.
    Serve {
        /// Port to listen on.
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// The BROF export (xlsx, ods or csv); default: the one named in vitrine.toml.
        #[arg(long)]
        input: Option<PathBuf>,
    },
    /// Import and controls only: writes the conformity report.
    Check {
        /// The BROF export (xlsx, ods or csv); default: the one named in vitrine.toml.
        #[arg(long)]
        input: Option<PathBuf>,
        /// Report folder; default: report/.
        #[arg(long)]
        report: Option<PathBuf>,
        #[command(flatten)]
        references: ReferenceArgs,
    },
}

/// Optional reference tables; each overrides `[references]` of vitrine.toml.
#[derive(clap::Args)]
struct ReferenceArgs {
    /// France compétences RNCP/RS export (the zip, or a folder of its CSVs).
    #[arg(long)]
    rncp: Option<PathBuf>,
    /// DGEFP public list of training organisations (CSV).
    #[arg(long)]
    organismes: Option<PathBuf>,
    /// SIRENE establishments extract (CSV).
    #[arg(long)]
    sirene: Option<PathBuf>,
}

impl ReferenceArgs {
    fn into_flags(
        self,
        input: Option<PathBuf>,
        public: Option<PathBuf>,
        report: Option<PathBuf>,
    ) -> Flags {
        Flags {
            input,
            public,
            report,
            rncp: self.rncp,
            organismes: self.organismes,
            sirene: self.sirene,
            clean: false,
        }
    }
}

fn main() -> ExitCode {
    keep_freed_memory();
    no_huge_pages();
    let cli = Cli::parse();
    if let Command::Init { dir, region } = &cli.command {
        let dir = dir.clone().unwrap_or_else(|| cli.root.clone());
        return match vitrine::init::init(&dir, region) {
            Ok(made) => {
                println!("{made}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(e.exit_code())
            }
        };
    }
    let config_path = cli
        .config
        .clone()
        .unwrap_or_else(|| cli.root.join("vitrine.toml"));
    let config = match Config::load(&config_path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let load = |flags: &Flags| Inputs::load(config.clone(), flags).map_err(BuildError::from);
    let result = match cli.command {
        Command::Init { .. } => unreachable!("handled above"),
        Command::Search {
            query,
            json,
            limit,
            filters,
        } => return search(&config, &query, json, limit, &filters),
        Command::Serve { port, input } => {
            let flags = Flags {
                input,
                ..Flags::default()
            };
            return match vitrine::serve::serve(&config, &flags, port) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            };
        }
        Command::Build {
            input,
            clean,
            out,
            report,
            references,
        } => {
            // The process ends with the build: what it holds at the end is not freed.
            vitrine::exit_after_run();
            build::load_and_build(
                config.clone(),
                &Flags {
                    clean,
                    ..references.into_flags(input, out, report)
                },
            )
            .map(|done| {
                print!("{}", vitrine::summary::render(&done.checked, cli.verbose));
                println!("  pages written        {:>7}", done.pages);
                println!(
                    "  files rewritten      {:>7} (kept as they were: {})",
                    done.files.written, done.files.kept
                );
                for note in &done.notes {
                    println!("  {note}");
                }
                // The process ends here: freeing every offer and verdict one by one would
                // only delay the exit (10–20 ms at 10,000 offers).
                std::mem::forget(done);
            })
        }
        Command::Check {
            input,
            report,
            references,
        } => load(&references.into_flags(input, None, report))
            .and_then(|inputs| build::check(&inputs))
            .map(|done| print!("{}", vitrine::summary::render(&done, cli.verbose))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn search(config: &Config, query: &str, json: bool, limit: usize, filters: &[String]) -> ExitCode {
    let run = || -> anyhow::Result<vitrine::search::Answer> {
        let mut f = vitrine::search::query::Filters::new();
        for kv in filters {
            let (k, v) = kv
                .split_once('=')
                .ok_or_else(|| anyhow::anyhow!("--filter {kv:?}: expected NAME=VALUE"))?;
            if !vitrine::search::facets::NAMES.contains(&k)
                && !vitrine::search::query::PARAMS.contains(&k)
            {
                anyhow::bail!(
                    "--filter {k}: unknown filter (niveau, dep, diplome, cfa, voie, ville, tri)"
                );
            }
            f.insert(k.to_string(), v.to_string());
        }
        let index = Paths::resolve(config, &Flags::default()).index();
        let opened = vitrine::search::index::Opened::open(&index)?;
        Ok(opened.answer(query, &f, limit)?)
    };
    match run() {
        Ok(answer) if json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&answer).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Ok(answer) => {
            println!("{} offre(s) pour {:?}", answer.count, answer.query);
            for h in &answer.hits {
                println!("{:>8.3}  {:<16} {}  {}", h.score, h.id, h.title, h.url);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn fail(e: &BuildError) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::from(e.exit_code() as u8)
}
