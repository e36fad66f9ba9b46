//! `cargo course progress`: a checklist derived from one test run (no state file to lose).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::manifest::{Exercise, Manifest};
use crate::testrun::{self, Outcome, TestRun};

/// Where one exercise stands.
#[derive(Debug, PartialEq, Eq)]
enum Status {
    Done,
    Partly { passed: usize, total: usize },
    Todo,
}

fn status(run: &TestRun, exercise: &Exercise) -> Status {
    let prefix = exercise.test_prefix();
    let outcomes: Vec<Outcome> = run.with_prefix(&prefix).map(|(_, o)| o).collect();
    let passed = outcomes.iter().filter(|o| **o == Outcome::Passed).count();
    match passed {
        0 => Status::Todo,
        n if n == outcomes.len() => Status::Done,
        n => Status::Partly {
            passed: n,
            total: outcomes.len(),
        },
    }
}

/// Runs the tests and prints the checklist, the bar and the next step.
pub fn run(root: &Path, manifest: &Manifest) -> Result<ExitCode> {
    let run = testrun::run(root, false)?;
    if let Some(errors) = &run.compile_error {
        println!("The exercises do not compile, so no test could run. Fix this first:\n");
        println!("{errors}");
        println!("\n(Every exercise lives in one crate: one broken file stops them all.)");
        return Ok(ExitCode::FAILURE);
    }
    let mut done = 0;
    let mut next: Option<&Exercise> = None;
    let mut chapter = "";
    for exercise in &manifest.exercises {
        if exercise.chapter() != chapter {
            chapter = exercise.chapter();
            println!(
                "\nChapter {}: {}",
                &chapter[2..].trim_start_matches('0'),
                manifest.chapter_title(chapter)
            );
        }
        let status = status(&run, exercise);
        let (mark, note) = match status {
            Status::Done => {
                done += 1;
                ("[x]", String::new())
            }
            Status::Partly { passed, total } => {
                ("[~]", format!("  ({passed} of {total} tests pass)"))
            }
            Status::Todo => ("[ ]", String::new()),
        };
        if status != Status::Done && next.is_none() {
            next = Some(exercise);
        }
        println!("  {mark} {}  {}{note}", exercise.id, exercise.title);
    }
    let total = manifest.exercises.len();
    println!("\n{} {done}/{total} exercises done", bar(done, total, 30));
    match next {
        Some(exercise) => {
            println!("\nNext: {} — {}", exercise.id, exercise.title);
            println!(
                "  read   {} (the \"{}\" section)",
                exercise.book_path().display(),
                exercise.id
            );
            println!("  edit   {}", exercise.stub_path().display());
            println!("  test   {}", exercise.test_command());
            println!("  stuck? cargo course hint {}", exercise.id);
        }
        None => println!("\nEvery exercise passes. Well done!"),
    }
    Ok(ExitCode::SUCCESS)
}

/// A text progress bar: `[██████░░░░]`.
fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    format!("[{}{}]", "█".repeat(filled), "░".repeat(width - filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_fills_in_proportion() {
        assert_eq!(bar(0, 4, 4), "[░░░░]");
        assert_eq!(bar(1, 4, 4), "[█░░░]");
        assert_eq!(bar(4, 4, 4), "[████]");
        assert_eq!(bar(0, 0, 2), "[░░]");
    }

    #[test]
    fn status_counts_the_exercise_tests() {
        let exercise = Exercise {
            id: "ch01::ex02".into(),
            file: "ex02_x".into(),
            title: "t".into(),
            book: "b.md".into(),
            stub_may_pass: false,
            difficulty: None,
        };
        let run = |lines: &str| TestRun {
            outcomes: testrun::parse_libtest(lines),
            compile_error: None,
            failure_report: String::new(),
        };
        let all = "test ch01_ex02_a ... ok\ntest ch01_ex02_b ... ok\ntest ch01_ex01_a ... FAILED\n";
        assert_eq!(status(&run(all), &exercise), Status::Done);
        let some = "test ch01_ex02_a ... ok\ntest ch01_ex02_b ... FAILED\n";
        assert_eq!(
            status(&run(some), &exercise),
            Status::Partly {
                passed: 1,
                total: 2
            }
        );
        assert_eq!(
            status(&run("test ch01_ex02_a ... FAILED\n"), &exercise),
            Status::Todo
        );
        assert_eq!(status(&run(""), &exercise), Status::Todo);
    }
}
