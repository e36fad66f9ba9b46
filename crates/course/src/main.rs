//! The course runner, used as `cargo course <command>` (an alias in `.cargo/config.toml`).
//!
//! ```text
//! cargo course progress             build, run every test, show a checklist and what to do next
//!                                   (`--path lesson`: only the lesson's hour)
//! cargo course watch [ID]           rerun the current exercise's tests on each save; move on when
//!                                   they pass (Ctrl-C quits)
//! cargo course hint ch01::ex02      print the first hint level; `--more` prints the fuller one
//! cargo course solve ch01::ex02     put the reference solution in place of your file (yours is saved)
//! cargo course reset ch01::ex02     put the original stub back (yours is saved)
//! cargo course restore ch01::ex02   bring your newest saved attempt back (`--list` lists them)
//! cargo course verify               the instructors' proof: every test fails on its stub and passes
//!                                   on its solution, every wrong variant fails; files, hints,
//!                                   difficulty and book are complete
//! cargo course wrong [ID|CHAPTER]   only the wrong variants' proof, for one exercise or chapter
//! cargo course check-book           only the book's include check
//! ```
//!
//! The runner works on the course it is run in: it walks up from the current directory to the
//! folder holding `exercises/exercises.toml`, so two copies built into one `target/` each judge
//! their own files.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

mod book;
mod child;
mod compile;
mod hint;
mod interrupt;
mod manifest;
mod measure;
mod progress;
mod shadow;
mod swap;
mod testrun;
mod verify;
mod watch;
mod wrong;

use manifest::Manifest;

/// The SSE course runner.
#[derive(Debug, Parser)]
#[command(name = "cargo course", bin_name = "cargo course", about)]
struct Cli {
    /// Stop any single test after this many seconds and name it.
    #[arg(
        long,
        global = true,
        value_name = "SECONDS",
        env = "COURSE_TEST_TIMEOUT",
        default_value_t = 30
    )]
    timeout: u64,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the exercise tests and show your progress and the next exercise (the default).
    Progress {
        /// Only the exercises of this path, in its order (`lesson`: the lesson's hour).
        #[arg(long, value_name = "NAME")]
        path: Option<String>,
    },
    /// Rerun the current exercise's tests each time you save; move on when they pass.
    Watch {
        /// Start with this exercise instead of the first one not done, such as ch01::ex02.
        id: Option<String>,
        /// Only the exercises of this path, in its order (`lesson`: the lesson's hour).
        #[arg(long, value_name = "NAME")]
        path: Option<String>,
    },
    /// Print the hint of an exercise, such as `ch01::ex02`.
    Hint {
        /// The exercise id, such as ch01::ex02.
        id: String,
        /// Print the second, fuller hint level.
        #[arg(long)]
        more: bool,
    },
    /// Replace your exercise file with the reference solution (your version is saved first).
    Solve {
        /// The exercise id, such as ch01::ex02.
        id: String,
    },
    /// Put the original stub back in place of your exercise file (your version is saved first).
    Reset {
        /// The exercise id, such as ch01::ex02.
        id: String,
    },
    /// Bring back your newest saved attempt (saved by `solve`, `reset` and `restore`).
    Restore {
        /// The exercise id, such as ch01::ex02.
        id: String,
        /// Only list the saved attempts, newest first.
        #[arg(long)]
        list: bool,
    },
    /// Prove the course is sound: every exercise test fails on its stub and passes on its
    /// solution; every wrong variant fails a test; every exercise has its files; every book
    /// include resolves.
    Verify,
    /// Run only the wrong variants (`exercises/wrong/chNN/exMM_slug/*.rs`) of one exercise
    /// (`ch02::ex07`), one chapter (`ch02`) or all, and say which tests caught each.
    Wrong {
        /// An exercise id such as ch02::ex07, or a chapter such as ch02; all when left out.
        filter: Option<String>,
    },
    /// Check only that every `{{#include file:anchor}}` in the book resolves to some lines.
    CheckBook,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    interrupt::install();
    let timeout = Duration::from_secs(cli.timeout.max(1));
    match run(
        cli.command.unwrap_or(Command::Progress { path: None }),
        timeout,
    ) {
        Ok(code) => code,
        Err(error) if error.is::<interrupt::Interrupted>() => {
            eprintln!("cargo course: interrupted");
            ExitCode::from(130)
        }
        Err(error) => {
            eprintln!("cargo course: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, timeout: Duration) -> Result<ExitCode> {
    let here = std::env::current_dir().context("reading the current directory")?;
    let root = manifest::find_root(&here)?;
    let manifest = Manifest::load(&root)?;
    match command {
        Command::Progress { path } => {
            let manifest = narrowed(manifest, path.as_deref())?;
            progress::run(&root, &manifest, timeout)
        }
        Command::Watch { id, path } => {
            let manifest = narrowed(manifest, path.as_deref())?;
            let start = id.map(|id| manifest.find(&id)).transpose()?;
            watch::run(&root, &manifest, start, timeout)
        }
        Command::Hint { id, more } => hint::run(&root, manifest.find(&id)?, more),
        Command::Solve { id } => swap::solve(&root, manifest.find(&id)?),
        Command::Reset { id } => swap::reset(&root, manifest.find(&id)?),
        Command::Restore { id, list } => swap::restore(&root, manifest.find(&id)?, list),
        Command::Verify => verify::run(&root, &manifest, timeout),
        Command::Wrong { filter } => {
            verify::run_wrong(&root, &manifest, filter.as_deref(), timeout)
        }
        Command::CheckBook => {
            let problems = book::check_includes(&root.join("book/src"));
            for problem in &problems {
                eprintln!(
                    "{}:{}: {}",
                    problem.page.display(),
                    problem.line,
                    problem.message
                );
            }
            if problems.is_empty() {
                println!("book: every include resolves");
                Ok(ExitCode::SUCCESS)
            } else {
                Ok(ExitCode::FAILURE)
            }
        }
    }
}

/// The whole manifest, or only the exercises of the path `name`.
fn narrowed(manifest: Manifest, name: Option<&str>) -> Result<Manifest> {
    match name {
        None => Ok(manifest),
        Some(name) => {
            let path = manifest.for_path(name)?;
            if let Some(found) = manifest.paths.iter().find(|p| p.name == name) {
                println!("Path `{name}`: {} (book: {})", found.title, found.page);
            }
            Ok(path)
        }
    }
}
