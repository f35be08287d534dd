//! The command line: parse arguments, call the library, print, set the exit status.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use vitrine::build::{self, BuildError, Options};
use vitrine::config::Config;

// Rendering 10,000+ pages is allocation-bound (Tera contexts, minifier trees): with
// glibc's allocator malloc/free took ~30% of the build's CPU; mimalloc cuts it by a quarter.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "vitrine",
    version,
    about = "Catalogue public de l'offre en apprentissage"
)]
struct Cli {
    /// Site configuration.
    #[arg(long, global = true, default_value = "vitrine.toml")]
    config: PathBuf,
    /// Print the time of each phase.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import, controls, report, search index and site.
    Build {
        /// The BROF export (xlsx, ods or csv); default: the one named in vitrine.toml.
        #[arg(long)]
        input: Option<PathBuf>,
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
    fn apply(self, opts: &mut Options) {
        let r = &mut opts.references;
        r.rncp = self.rncp.or(r.rncp.take());
        r.organismes = self.organismes.or(r.organismes.take());
        r.sirene = self.sirene.or(r.sirene.take());
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(&cli.config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Search {
            query,
            json,
            limit,
            filters,
        } => return search(&config, &query, json, limit, &filters),
        Command::Serve { port, input } => {
            let opts = Options::new(&config, input, None, None);
            return match vitrine::serve::serve(&config, &opts, port) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            };
        }
        Command::Build {
            input,
            out,
            report,
            references,
        } => {
            let mut opts = Options::new(&config, input, report, out);
            references.apply(&mut opts);
            build::build(&config, &opts).map(|done| {
                print!("{}", vitrine::summary::render(&done.checked, cli.verbose));
                println!("  pages written        {:>7}", done.pages);
                for note in &done.notes {
                    println!("  {note}");
                }
            })
        }
        Command::Check {
            input,
            report,
            references,
        } => {
            let mut opts = Options::new(&config, input, report, None);
            references.apply(&mut opts);
            build::check(&config, &opts)
                .map(|done| print!("{}", vitrine::summary::render(&done, cli.verbose)))
        }
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
        let opened = vitrine::search::index::Opened::open(&vitrine::search::index_dir(config))?;
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
