//! `cargo course progress`: a checklist derived from one test run (no state file to lose).

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;

use crate::compile::Diagnostic;
use crate::manifest::{Exercise, Manifest};
use crate::measure::{self, Measurement};
use crate::swap;
use crate::testrun::{self, Outcome};

/// Where one exercise stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Every test passes; `by_solve` when the file is the reference solution (`cargo course solve`).
    Done {
        /// Its test count.
        tests: usize,
        /// Taken with `solve`.
        by_solve: bool,
    },
    /// Some tests pass, or none do yet.
    Open {
        /// Tests that pass.
        passed: usize,
        /// Tests that count (not ignored).
        total: usize,
        /// The tests that were stopped at the deadline.
        hung: Vec<String>,
    },
    /// The exercise does not compile: the first error.
    Broken(Diagnostic),
    /// No test of this exercise was found.
    NoTests,
}

impl Status {
    /// Whether the exercise counts as finished.
    pub fn is_done(&self) -> bool {
        matches!(self, Status::Done { .. })
    }

    /// `[x]`, `[s]`, `[~]`, `[ ]`, `[!]` or `[?]`.
    pub fn mark(&self) -> &'static str {
        match self {
            Status::Done {
                by_solve: false, ..
            } => "[x]",
            Status::Done { by_solve: true, .. } => "[s]",
            Status::Open { hung, .. } if !hung.is_empty() => "[!]",
            Status::Broken(_) => "[!]",
            Status::Open { passed: 0, .. } => "[ ]",
            Status::Open { .. } => "[~]",
            Status::NoTests => "[?]",
        }
    }

    /// The note after the title: `2 of 3 tests`, the compile error's place, the hung test.
    pub fn note(&self) -> String {
        match self {
            Status::Done { tests, by_solve } => format!(
                "{tests} of {tests} tests{}",
                if *by_solve {
                    " (the solution, put in by `cargo course solve`)"
                } else {
                    ""
                }
            ),
            Status::Open {
                passed,
                total,
                hung,
            } => match hung.as_slice() {
                [] => format!("{passed} of {total} tests"),
                [test] => format!("{passed} of {total} tests; {test} did not finish (stopped)"),
                [test, more @ ..] => format!(
                    "{passed} of {total} tests; {test} and {} more did not finish (stopped)",
                    more.len()
                ),
            },
            Status::Broken(error) => {
                let in_tests = error
                    .file
                    .as_deref()
                    .is_some_and(|f| f.starts_with("exercises/tests"));
                format!(
                    "does not compile: {}: {}{}",
                    error.location(),
                    error.message,
                    if in_tests {
                        " (in its tests: does your code keep the stub's signatures?)"
                    } else {
                        ""
                    }
                )
            }
            Status::NoTests => "no tests found".to_owned(),
        }
    }
}

/// The status of `exercise` in `measurement`.
pub fn status(root: &Path, measurement: &Measurement, exercise: &Exercise) -> Status {
    if let Some(error) = measurement.broken.get(&exercise.id).and_then(|e| e.first()) {
        return Status::Broken(error.clone());
    }
    let prefix = exercise.test_prefix();
    let (passed, total) = testrun::passed_of(&measurement.run, &prefix);
    let hung = measurement
        .run
        .with_prefix(&prefix)
        .filter(|(_, r)| r.outcome == Outcome::TimedOut)
        .map(|(name, _)| name.to_owned())
        .collect();
    match (passed, total) {
        (_, 0) => Status::NoTests,
        (p, t) if p == t => Status::Done {
            tests: t,
            by_solve: swap::holds_solution(root, exercise),
        },
        _ => Status::Open {
            passed,
            total,
            hung,
        },
    }
}

/// Runs the tests and prints the checklist, the bar and the next step.
pub fn run(root: &Path, manifest: &Manifest, timeout: Duration) -> Result<ExitCode> {
    let measurement = measure::measure(root, manifest, &|_| true, timeout, true)?;
    println!();
    if measurement.blocked() {
        println!(
            "The exercises do not compile, and not because of one exercise file, so no test could run:\n"
        );
        for error in &measurement.blocking {
            println!("{}", error.rendered.trim_end());
        }
        if !measurement.cargo_errors.is_empty() {
            println!("{}", measurement.cargo_errors);
        }
        return Ok(ExitCode::FAILURE);
    }
    let statuses: Vec<(&Exercise, Status)> = manifest
        .shown()
        .into_iter()
        .map(|e| (e, status(root, &measurement, e)))
        .collect();
    print!("{}", checklist(manifest, &statuses));

    for (exercise, status) in &statuses {
        if let Status::Broken(_) = status {
            println!("\n{} does not compile:", exercise.id);
            for error in measurement
                .broken
                .get(&exercise.id)
                .into_iter()
                .flatten()
                .take(3)
            {
                println!("{}", error.rendered.trim_end());
            }
        }
    }
    for (exercise, status) in &statuses {
        if let Status::Open { hung, .. } = status
            && let Some(test) = hung.first()
        {
            println!(
                "\n{}: {test} did not finish within {} and was stopped: an endless loop, or a wait \
                 for something that never comes? Run it alone: {} {test}",
                exercise.id,
                crate::child::human(timeout),
                exercise
                    .test_command()
                    .rsplit_once(' ')
                    .map_or("", |(c, _)| c),
            );
        }
    }
    match statuses.iter().find(|(_, s)| !s.is_done()) {
        Some((exercise, _)) => print!("\n{}", next_steps(exercise, manifest.path_name())),
        None => println!("\nEvery exercise passes. Well done!"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The chapter headings, one line per exercise, the bar and the legend.
pub fn checklist(manifest: &Manifest, statuses: &[(&Exercise, Status)]) -> String {
    let width = statuses
        .iter()
        .map(|(e, _)| e.title.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    let mut chapter = "";
    for (exercise, status) in statuses {
        if exercise.chapter() != chapter {
            chapter = exercise.chapter();
            out.push_str(&format!(
                "{}Chapter {}: {}\n",
                if out.is_empty() { "" } else { "\n" },
                chapter.get(2..).unwrap_or(chapter).trim_start_matches('0'),
                manifest.chapter_title(chapter)
            ));
        }
        let difficulty = exercise.difficulty.map_or("", |d| d.as_str());
        out.push_str(&format!(
            "  {} {}  {:width$}  {difficulty:6}  {}\n",
            status.mark(),
            exercise.id,
            exercise.title,
            status.note()
        ));
    }
    let done = statuses.iter().filter(|(_, s)| s.is_done()).count();
    let by_solve = statuses
        .iter()
        .filter(|(_, s)| matches!(s, Status::Done { by_solve: true, .. }))
        .count();
    let total = statuses.len();
    out.push_str(&format!(
        "\n{} {done}/{total} exercises done{}\n",
        bar(done, total, 30),
        if by_solve > 0 {
            format!(" ({by_solve} with `cargo course solve`)")
        } else {
            String::new()
        }
    ));
    out.push_str(
        "[x] done  [s] the solution, put in by `solve`  [~] some tests pass  [ ] to do  \
         [!] does not compile or hangs\n",
    );
    out
}

/// What to do for the next exercise.
pub fn next_steps(exercise: &Exercise, path: Option<&str>) -> String {
    let watch = match path {
        Some(name) => format!("cargo course watch --path {name}"),
        None => "cargo course watch".to_owned(),
    };
    format!(
        "Next: {} — {}\n  read   {} (the \"{}\" section)\n  edit   {}\n  test   {}\n  \
         watch  {watch}   (reruns its tests each time you save)\n  stuck? cargo course hint {}\n",
        exercise.id,
        exercise.title,
        exercise.book_path().display(),
        exercise.id,
        exercise.stub_path().display(),
        exercise.test_command(),
        exercise.id
    )
}

/// A text progress bar: `[██████░░░░]`.
fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0).min(width);
    format!("[{}{}]", "█".repeat(filled), "░".repeat(width - filled))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testrun::{TestResult, TestRun};

    #[test]
    fn bar_fills_in_proportion() {
        assert_eq!(bar(0, 4, 4), "[░░░░]");
        assert_eq!(bar(1, 4, 4), "[█░░░]");
        assert_eq!(bar(4, 4, 4), "[████]");
        assert_eq!(bar(0, 0, 2), "[░░]");
    }

    fn manifest() -> Manifest {
        Manifest::parse(
            "[[chapter]]\nid = \"ch01\"\ntitle = \"The wire format\"\n\
             [[exercise]]\nid = \"ch01::ex01\"\nfile = \"ex01_a\"\ntitle = \"First\"\nbook = \"b.md\"\ndifficulty = \"easy\"\n\
             [[exercise]]\nid = \"ch01::ex02\"\nfile = \"ex02_b\"\ntitle = \"Second one\"\nbook = \"b.md\"\ndifficulty = \"hard\"\n\
             [[exercise]]\nid = \"ch01::ex03\"\nfile = \"ex03_c\"\ntitle = \"Third\"\nbook = \"b.md\"\n",
        )
        .unwrap()
    }

    fn measurement(lines: &[(&str, Outcome)]) -> Measurement {
        let results = lines
            .iter()
            .map(|(name, outcome)| {
                let result = TestResult {
                    outcome: *outcome,
                    report: String::new(),
                };
                ((*name).to_owned(), result)
            })
            .collect();
        Measurement {
            run: TestRun { results },
            ..Measurement::default()
        }
    }

    #[test]
    fn status_counts_k_of_n_and_names_a_hung_test() {
        let m = manifest();
        let root = Path::new("/nonexistent");
        let run = measurement(&[
            ("ch01_ex01_a", Outcome::Passed),
            ("ch01_ex01_b", Outcome::Passed),
            ("ch01_ex02_a", Outcome::Passed),
            ("ch01_ex02_b", Outcome::Failed),
            ("ch01_ex02_c", Outcome::TimedOut),
        ]);
        assert_eq!(
            status(root, &run, &m.exercises[0]),
            Status::Done {
                tests: 2,
                by_solve: false
            }
        );
        let second = status(root, &run, &m.exercises[1]);
        assert_eq!(
            second,
            Status::Open {
                passed: 1,
                total: 3,
                hung: vec!["ch01_ex02_c".into()]
            }
        );
        assert_eq!(second.mark(), "[!]");
        assert_eq!(
            second.note(),
            "1 of 3 tests; ch01_ex02_c did not finish (stopped)"
        );
        assert_eq!(status(root, &run, &m.exercises[2]), Status::NoTests);
    }

    #[test]
    fn a_broken_exercise_shows_its_file_and_line() {
        let m = manifest();
        let mut run = measurement(&[("ch01_ex01_a", Outcome::Passed)]);
        run.broken.insert(
            "ch01::ex01".into(),
            vec![Diagnostic {
                file: Some("exercises/src/ch01/ex01_a.rs".into()),
                line: 7,
                column: 9,
                message: "mismatched types".into(),
                rendered: String::new(),
            }],
        );
        let s = status(Path::new("/nonexistent"), &run, &m.exercises[0]);
        assert_eq!(s.mark(), "[!]");
        assert_eq!(
            s.note(),
            "does not compile: exercises/src/ch01/ex01_a.rs:7:9: mismatched types"
        );
    }

    #[test]
    fn the_checklist_shows_marks_difficulty_and_counts() {
        let m = manifest();
        let statuses = vec![
            (
                &m.exercises[0],
                Status::Done {
                    tests: 2,
                    by_solve: true,
                },
            ),
            (
                &m.exercises[1],
                Status::Open {
                    passed: 1,
                    total: 3,
                    hung: vec![],
                },
            ),
            (
                &m.exercises[2],
                Status::Open {
                    passed: 0,
                    total: 2,
                    hung: vec![],
                },
            ),
        ];
        let text = checklist(&m, &statuses);
        assert!(text.starts_with("Chapter 1: The wire format\n"), "{text}");
        assert!(
            text.contains("  [s] ch01::ex01  First       easy    2 of 2 tests (the solution"),
            "{text}"
        );
        assert!(
            text.contains("  [~] ch01::ex02  Second one  hard    1 of 3 tests\n"),
            "{text}"
        );
        assert!(
            text.contains("  [ ] ch01::ex03  Third               0 of 2 tests\n"),
            "{text}"
        );
        assert!(
            text.contains("1/3 exercises done (1 with `cargo course solve`)"),
            "{text}"
        );
    }
}
