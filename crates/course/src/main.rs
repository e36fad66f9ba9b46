//! The course runner, used as `cargo course <command>` (an alias in `.cargo/config.toml`).
//!
//! ```text
//! cargo course progress          run the tests, show a checklist and what to do next
//! cargo course hint ch01::ex02   print the hint of an exercise
//! cargo course solve ch01::ex02  put the reference solution in place of your file (yours is saved)
//! cargo course reset ch01::ex02  put the original stub back (yours is saved)
//! cargo course verify            the instructors' proof: every test fails on its stub and passes
//!                                on its solution; manifest, hints and book are complete
//! cargo course check-book        only the book's include check
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

mod book;
mod manifest;
mod progress;
mod swap;
mod testrun;
mod verify;

use manifest::Manifest;

/// The SSE course runner.
#[derive(Debug, Parser)]
#[command(name = "cargo course", bin_name = "cargo course", about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the exercise tests and show your progress and the next exercise (the default).
    Progress,
    /// Print the hint of an exercise, such as `ch01::ex02`.
    Hint {
        /// The exercise id, such as ch01::ex02.
        id: String,
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
    /// Prove the course is sound: every exercise test fails on its stub and passes on its
    /// solution; every exercise has its files; every book include resolves.
    Verify,
    /// Check only that every `{{#include file:anchor}}` in the book resolves to some lines.
    CheckBook,
}

/// The workspace root: two levels above this crate.
fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().nth(2).unwrap_or(here).to_path_buf()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command.unwrap_or(Command::Progress)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("cargo course: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<ExitCode> {
    let root = root();
    let manifest = Manifest::load(&root)?;
    match command {
        Command::Progress => progress::run(&root, &manifest),
        Command::Hint { id } => {
            let exercise = manifest.find(&id)?;
            let path = root.join(exercise.hint_path());
            let hint = std::fs::read_to_string(&path)
                .with_context(|| format!("reading the hint {}", path.display()))?;
            println!(
                "Hint for {} ({}):\n\n{}",
                exercise.id,
                exercise.title,
                hint.trim_end()
            );
            println!(
                "\nStill stuck? `cargo course solve {}` shows the answer.",
                exercise.id
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Solve { id } => swap::solve(&root, manifest.find(&id)?),
        Command::Reset { id } => swap::reset(&root, manifest.find(&id)?),
        Command::Verify => verify::run(&root, &manifest),
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
