//! The wrong variants: tempting mistakes the tests must catch, several per exercise.
//!
//! Each exercise has a folder `exercises/wrong/chNN/exMM_slug/` of files with the stub's public
//! API, each one plausible answer with one mistake, and a line `//! class: NAME` saying which class
//! of mistake it is ([`CLASSES`]). A file is proved caught when at least one of its exercise's tests
//! fails (or is stopped) with it in place of the stub.
//!
//! Building once per variant would take an hour; instead the variants run in rounds. Round `k`
//! compiles, through the shadow tree ([`shadow`]), the `k`-th variant of every exercise that has
//! one and the solution of every other exercise, and runs only the tests of the exercises that
//! have a variant in that round. Exercises never use each other's modules, so one exercise's
//! variant cannot make another exercise's test fail: a round judges all its variants at once, and
//! the whole proof costs as many builds as the exercise with the most variants has files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Result;

use crate::compile;
use crate::manifest::{Exercise, Manifest};
use crate::shadow;
use crate::testrun::{self, Outcome};

/// The classes of mistakes a wrong variant may name in its `//! class:` line.
pub const CLASSES: [(&str, &str); 7] = [
    (
        "boundaries",
        "0, empty, exactly at a limit, u64::MAX, overflow, an input form the contract allows",
    ),
    (
        "resources",
        "unbounded allocation, waiting without a bound, busy polling instead of a notification",
    ),
    (
        "errors",
        "errors swallowed, no give-up, a panic on bad input",
    ),
    ("concurrency", "check-then-wait races, a task that panics"),
    (
        "encoding",
        "bytes vs chars, non-ASCII, CR/CRLF, media-type parameters",
    ),
    (
        "protocol",
        "a protocol duty skipped: answer Close, read the socket, one JSON object per data line",
    ),
    ("spec", "a rule of the spec or of the contract misread"),
];

/// At least this many variants per exercise, of at least this many different classes.
pub const MIN_VARIANTS: usize = 3;

/// The `.rs` files in the exercise's wrong folder (relative to `root`), sorted by name.
pub fn variants(root: &Path, exercise: &Exercise) -> Vec<PathBuf> {
    let dir = exercise.wrong_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(&dir))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_file() && e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| dir.join(e.file_name()))
        .collect();
    files.sort();
    files
}

/// The class a variant's text names in its `//! class: NAME` line, if any.
pub fn class_of(text: &str) -> Option<&str> {
    text.lines()
        .take_while(|line| line.starts_with("//!") || line.trim().is_empty())
        .find_map(|line| line.strip_prefix("//!")?.trim().strip_prefix("class:"))
        .map(str::trim)
}

/// Problems with an exercise's set of variants: too few, a missing or unknown class, too few
/// different classes.
pub fn check_set(root: &Path, exercise: &Exercise) -> Vec<String> {
    let files = variants(root, exercise);
    let mut problems = Vec::new();
    if files.len() < MIN_VARIANTS {
        problems.push(format!(
            "{}: {} wrong variant(s) in {}; each exercise needs at least {MIN_VARIANTS}, each a \
             different class of mistake",
            exercise.id,
            files.len(),
            exercise.wrong_dir().display()
        ));
    }
    let mut classes = BTreeMap::<String, usize>::new();
    for file in &files {
        let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
        match class_of(&text) {
            Some(class) if CLASSES.iter().any(|(name, _)| *name == class) => {
                *classes.entry(class.to_owned()).or_default() += 1;
            }
            Some(class) => problems.push(format!(
                "{}: unknown class {class:?} (one of: {})",
                file.display(),
                class_names()
            )),
            None => problems.push(format!(
                "{}: no `//! class: NAME` line at the top (one of: {})",
                file.display(),
                class_names()
            )),
        }
    }
    if files.len() >= MIN_VARIANTS && classes.len() < MIN_VARIANTS {
        problems.push(format!(
            "{}: its wrong variants cover {} class(es) ({}); they need at least {MIN_VARIANTS} \
             different ones",
            exercise.id,
            classes.len(),
            classes.keys().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    problems
}

fn class_names() -> String {
    CLASSES
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// How one variant fared.
#[derive(Debug)]
pub struct Verdict {
    /// The exercise id.
    pub exercise: String,
    /// The variant's file, relative to the root.
    pub file: PathBuf,
    /// Its class, as its file says.
    pub class: String,
    /// What happened.
    pub outcome: VariantOutcome,
}

/// The outcome of one variant.
#[derive(Debug)]
pub enum VariantOutcome {
    /// These tests failed (or were stopped), out of `of`.
    Caught {
        /// The tests that failed, with "(timed out)" for those stopped.
        by: Vec<String>,
        /// How many tests the exercise has.
        of: usize,
    },
    /// Every test of its exercise passed: the tests miss this mistake.
    Missed {
        /// How many tests the exercise has.
        of: usize,
    },
    /// It does not compile (the rustc errors, rendered).
    DoesNotCompile(String),
}

impl Verdict {
    /// One line for the report.
    pub fn line(&self) -> String {
        let head = format!("{} [{}] {}", self.exercise, self.class, self.file.display());
        match &self.outcome {
            VariantOutcome::Caught { by, of } => {
                format!(
                    "{head}: caught by {} ({} of {of} tests fail)",
                    by.join(", "),
                    by.len()
                )
            }
            VariantOutcome::Missed { of } => format!("{head}: NOT CAUGHT (all {of} tests pass)"),
            VariantOutcome::DoesNotCompile(_) => format!("{head}: does not compile"),
        }
    }
}

/// Runs every variant of the `chosen` exercises in rounds and says how each fared. `Err` holds
/// build errors that belong to no variant (a broken test file, say).
pub fn run(
    root: &Path,
    manifest: &Manifest,
    chosen: &[&Exercise],
    timeout: Duration,
) -> Result<std::result::Result<Vec<Verdict>, String>> {
    let sets: Vec<(&Exercise, Vec<PathBuf>)> = chosen
        .iter()
        .map(|e| (*e, variants(root, e)))
        .filter(|(_, files)| !files.is_empty())
        .collect();
    // Variants are swapped in through the shadow tree; a chapter not routed through it would
    // compile its stubs instead, and every variant would look caught.
    let lib = std::fs::read_to_string(root.join("exercises/src/lib.rs")).unwrap_or_default();
    let unhooked: Vec<&str> = sets
        .iter()
        .map(|(e, _)| e.chapter())
        .filter(|chapter| !lib.contains(&shadow::hook(chapter)))
        .collect();
    if !shadow::supported(root) || !unhooked.is_empty() {
        return Ok(Err(format!(
            "the wrong variants cannot be swapped in: exercises/Cargo.toml needs the `{}` feature \
             and exercises/src/lib.rs must route every chapter through .course/shadow/ (not: {})",
            shadow::FEATURE,
            unhooked.join(", ")
        )));
    }
    let rounds = sets.iter().map(|(_, files)| files.len()).max().unwrap_or(0);
    let mut verdicts = Vec::new();
    for round in 0..rounds {
        // This round's variant of each exercise that has one; everything else is its solution.
        let mut in_round: Vec<(&Exercise, PathBuf)> = sets
            .iter()
            .filter_map(|(e, files)| files.get(round).map(|f| (*e, f.clone())))
            .collect();
        let label = format!(
            "wrong variants, round {} of {rounds} ({} variant{})",
            round + 1,
            in_round.len(),
            if in_round.len() == 1 { "" } else { "s" }
        );
        let build = loop {
            let mut replace: BTreeMap<String, PathBuf> = manifest
                .exercises
                .iter()
                .map(|e| (e.id.clone(), e.solution_path()))
                .collect();
            for (exercise, file) in &in_round {
                replace.insert(exercise.id.clone(), file.clone());
            }
            shadow::write(root, manifest, &replace)?;
            let build = compile::build(root, &[shadow::FEATURE], Some(&label))?;
            if build.success {
                break build;
            }
            // Errors in a variant's own file: report that variant and retry the round without it.
            let mut failing: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
            let mut other = Vec::new();
            for error in &build.errors {
                let owner = error
                    .file
                    .as_ref()
                    .and_then(|f| in_round.iter().find(|(_, v)| v == f));
                match owner {
                    Some((_, file)) => failing
                        .entry(file.clone())
                        .or_default()
                        .push(error.rendered.clone()),
                    None => other.push(format!("{}: {}", error.location(), error.rendered)),
                }
            }
            if failing.is_empty() || !other.is_empty() || build.errors.is_empty() {
                let mut text = other.join("\n");
                if !build.cargo_errors.is_empty() {
                    text.push_str(&build.cargo_errors);
                }
                for errors in failing.values() {
                    text.push_str(&errors.join("\n"));
                }
                return Ok(Err(text));
            }
            in_round.retain(|(exercise, file)| match failing.remove(file) {
                Some(errors) => {
                    verdicts.push(verdict(
                        root,
                        exercise,
                        file,
                        VariantOutcome::DoesNotCompile(errors.join("\n")),
                    ));
                    false
                }
                None => true,
            });
            if in_round.is_empty() {
                break build;
            }
        };
        if in_round.is_empty() {
            continue;
        }
        let prefixes: Vec<String> = in_round.iter().map(|(e, _)| e.test_prefix()).collect();
        let select = |name: &str| prefixes.iter().any(|p| name.starts_with(p));
        let run = testrun::run(&testrun::Plan {
            root,
            binaries: &build.binaries,
            select: &select,
            timeout,
            announce: true,
        })?;
        for (exercise, file) in &in_round {
            let prefix = exercise.test_prefix();
            let tests: Vec<_> = run.with_prefix(&prefix).collect();
            let by: Vec<String> = tests
                .iter()
                .filter_map(|(name, result)| match result.outcome {
                    Outcome::Failed => Some((*name).to_owned()),
                    Outcome::TimedOut => Some(format!("{name} (timed out)")),
                    Outcome::Passed | Outcome::Ignored => None,
                })
                .collect();
            let of = tests.len();
            let outcome = if by.is_empty() {
                VariantOutcome::Missed { of }
            } else {
                VariantOutcome::Caught { by, of }
            };
            verdicts.push(verdict(root, exercise, file, outcome));
        }
    }
    // Back to the student's own files for `progress`, which rewrites the tree anyway.
    shadow::write(root, manifest, &BTreeMap::new())?;
    verdicts.sort_by(|a, b| (&a.exercise, &a.file).cmp(&(&b.exercise, &b.file)));
    Ok(Ok(verdicts))
}

fn verdict(root: &Path, exercise: &Exercise, file: &Path, outcome: VariantOutcome) -> Verdict {
    let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
    Verdict {
        exercise: exercise.id.clone(),
        file: file.to_path_buf(),
        class: class_of(&text).unwrap_or("no class").to_owned(),
        outcome,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_class_line_is_read_from_the_header_only() {
        let text = "//! Mistake: counts chars.\n//! class: encoding\n\nfn f() {}\n// class: spec\n";
        assert_eq!(class_of(text), Some("encoding"));
        assert_eq!(
            class_of("//! nothing here\nfn f() {}\n//! class: spec\n"),
            None
        );
        assert_eq!(class_of("//!class:   boundaries  \n"), Some("boundaries"));
    }
}
