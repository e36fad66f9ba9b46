//! Runs the exercise tests with cargo and reads libtest's per-test lines.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

/// How one test ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// `test name ... ok`
    Passed,
    /// `test name ... FAILED`
    Failed,
    /// `test name ... ignored`
    Ignored,
}

/// The result of one `cargo test -p exercises` run.
#[derive(Debug)]
pub struct TestRun {
    /// Test name to outcome.
    pub outcomes: BTreeMap<String, Outcome>,
    /// Set when the exercises did not compile: cargo's error output.
    pub compile_error: Option<String>,
    /// libtest's report of the failures (panic messages, snapshot diffs).
    pub failure_report: String,
}

impl TestRun {
    /// Outcomes of the tests whose names start with `prefix`.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, Outcome)> {
        self.outcomes
            .iter()
            .filter(move |(name, _)| name.starts_with(prefix))
            .map(|(name, outcome)| (name.as_str(), *outcome))
    }
}

/// Runs the exercise tests (with the solutions swapped in if `solutions`).
pub fn run(root: &Path, solutions: bool) -> Result<TestRun> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["test", "-p", "exercises", "--tests", "--no-fail-fast"])
        // A snapshot mismatch must fail the test, never write a new snapshot.
        .env("INSTA_UPDATE", "no")
        .env("CARGO_TERM_COLOR", "never");
    if solutions {
        command.args(["--features", "solutions"]);
    }
    command.args(["--", "--color", "never"]);

    let spinner = ProgressBar::new_spinner().with_message(if solutions {
        "running the exercise tests against the solutions…"
    } else {
        "running the exercise tests…"
    });
    spinner.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("valid template"),
    );
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let output = command.output().context("running cargo test")?;
    spinner.finish_and_clear();

    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let outcomes = parse_libtest(&stdout);
    let compile_error = (!output.status.success() && outcomes.is_empty()
        || stderr.contains("could not compile"))
    .then(|| compiler_errors(&stderr));
    Ok(TestRun {
        outcomes,
        compile_error,
        failure_report: failure_report(&stdout),
    })
}

/// Reads `test NAME ... ok|FAILED|ignored` lines.
pub fn parse_libtest(stdout: &str) -> BTreeMap<String, Outcome> {
    let mut outcomes = BTreeMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, result)) = rest.split_once(" ... ") else {
            continue;
        };
        let outcome = match result.trim() {
            "ok" => Outcome::Passed,
            "FAILED" => Outcome::Failed,
            r if r.starts_with("ignored") => Outcome::Ignored,
            _ => continue,
        };
        outcomes.insert(name.trim().to_owned(), outcome);
    }
    outcomes
}

/// The part of libtest's output after "failures:", which explains each failure.
fn failure_report(stdout: &str) -> String {
    stdout
        .find("\nfailures:\n")
        .map(|at| stdout[at + 1..].to_owned())
        .unwrap_or_default()
}

/// Cargo's stderr without the "Compiling ..." progress lines.
fn compiler_errors(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("Compiling ")
                || t.starts_with("Finished ")
                || t.starts_with("Running "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libtest_lines() {
        let out = "running 3 tests\ntest ch01_ex01_a ... ok\ntest ch01_ex01_b ... FAILED\n\
                   test ch01_ex02_c ... ignored, slow\ntest result: FAILED. 1 passed\n";
        let outcomes = parse_libtest(out);
        assert_eq!(outcomes["ch01_ex01_a"], Outcome::Passed);
        assert_eq!(outcomes["ch01_ex01_b"], Outcome::Failed);
        assert_eq!(outcomes["ch01_ex02_c"], Outcome::Ignored);
        assert_eq!(outcomes.len(), 3);
    }

    #[test]
    fn keeps_the_failure_report() {
        let out = "test a ... FAILED\n\nfailures:\n\n---- a stdout ----\npanicked\n";
        assert!(failure_report(out).starts_with("failures:\n"));
        assert!(failure_report(out).contains("panicked"));
    }
}
