//! `cargo course verify`: the proof that the course is sound, run in CI.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::book;
use crate::manifest::Manifest;
use crate::testrun::{self, Outcome};

/// Runs every check and prints every problem found (not just the first).
pub fn run(root: &Path, manifest: &Manifest) -> Result<ExitCode> {
    let mut problems = check_files(root, manifest);
    for problem in book::check_includes(&root.join("book/src")) {
        let page = problem.page.strip_prefix(root).unwrap_or(&problem.page);
        problems.push(format!(
            "{}:{}: {}",
            page.display(),
            problem.line,
            problem.message
        ));
    }

    // 1. On the stubs, every exercise test must fail.
    let stubs = testrun::run(root, false)?;
    let mut test_count = 0;
    if let Some(errors) = &stubs.compile_error {
        problems.push(format!("the stubs do not compile:\n{errors}"));
    } else {
        for name in stubs.outcomes.keys() {
            if !manifest
                .exercises
                .iter()
                .any(|e| name.starts_with(&e.test_prefix()))
            {
                problems.push(format!(
                    "test {name} belongs to no exercise (names start with chNN_exMM_)"
                ));
            }
        }
        for exercise in &manifest.exercises {
            let prefix = exercise.test_prefix();
            let tests: Vec<_> = stubs.with_prefix(&prefix).collect();
            if tests.is_empty() {
                problems.push(format!(
                    "{}: no test named {}*",
                    exercise.id,
                    exercise.test_prefix()
                ));
            }
            test_count += tests.len();
            for (name, outcome) in tests {
                if outcome == Outcome::Passed && !exercise.stub_may_pass {
                    problems.push(format!(
                        "{}: test {name} passes on the stub; it must fail until the exercise is done \
                         (is the stub already solved? `cargo course reset {}`)",
                        exercise.id, exercise.id
                    ));
                }
            }
        }
    }

    // 2. With the solutions swapped in, every test must pass.
    let solved = testrun::run(root, true)?;
    if let Some(errors) = &solved.compile_error {
        problems.push(format!("the solutions do not compile:\n{errors}"));
    } else {
        let failing: Vec<&str> = solved
            .outcomes
            .iter()
            .filter(|(_, o)| **o != Outcome::Passed)
            .map(|(n, _)| n.as_str())
            .collect();
        for name in &failing {
            problems.push(format!("test {name} does not pass on the solutions"));
        }
        if !failing.is_empty() {
            problems.push(format!(
                "what the failing solution tests said:\n{}",
                solved.failure_report
            ));
        }
    }

    if problems.is_empty() {
        println!(
            "verify: ok: {} exercises, {test_count} tests; every test fails on its stub and passes on \
             its solution; files and book includes complete",
            manifest.exercises.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("verify: {} problem(s):", problems.len());
        for problem in &problems {
            eprintln!("  - {problem}");
        }
        Ok(ExitCode::FAILURE)
    }
}

/// Every exercise has its stub, solution, hint, test and book page; nothing is orphaned.
fn check_files(root: &Path, manifest: &Manifest) -> Vec<String> {
    let mut problems = Vec::new();
    let read = |path: &Path| std::fs::read_to_string(root.join(path)).ok();
    let mut ids = BTreeSet::new();
    let mut known = BTreeSet::new();
    for exercise in &manifest.exercises {
        if !ids.insert(exercise.id.as_str()) {
            problems.push(format!("{}: listed twice in the manifest", exercise.id));
        }
        for path in [
            exercise.stub_path(),
            exercise.solution_path(),
            exercise.hint_path(),
        ] {
            known.insert(path.clone());
            match read(&path) {
                None => problems.push(format!("{}: missing {}", exercise.id, path.display())),
                Some(text) if text.trim().is_empty() => {
                    problems.push(format!("{}: {} is empty", exercise.id, path.display()));
                }
                Some(_) => {}
            }
        }
        if read(&exercise.stub_path()).is_some_and(|t| !t.contains("todo!("))
            && !exercise.stub_may_pass
        {
            problems.push(format!(
                "{}: the stub has no todo!(); is it solved?",
                exercise.id
            ));
        }
        match read(&exercise.test_path()) {
            Some(text) if text.contains(&format!("fn {}", exercise.test_prefix())) => {}
            _ => problems.push(format!(
                "{}: {} has no test fn {}*",
                exercise.id,
                exercise.test_path().display(),
                exercise.test_prefix()
            )),
        }
        match read(&exercise.book_path()) {
            Some(text) if text.contains(&exercise.id) => {}
            Some(_) => problems.push(format!(
                "{}: the book page {} does not mention {}",
                exercise.id,
                exercise.book_path().display(),
                exercise.id
            )),
            None => problems.push(format!(
                "{}: missing book page {}",
                exercise.id,
                exercise.book_path().display()
            )),
        }
        let module = Path::new("exercises/src")
            .join(exercise.chapter())
            .join("mod.rs");
        let swap = format!("solutions/{}/{}.rs", exercise.chapter(), exercise.file);
        match read(&module) {
            Some(text)
                if text.contains(&swap)
                    && text.contains(&format!("pub mod {};", exercise.file)) => {}
            _ => problems.push(format!(
                "{}: {} must declare `pub mod {};` with a cfg_attr path to ../../../{swap}",
                exercise.id,
                module.display(),
                exercise.file
            )),
        }
    }
    // Orphans: files that look like exercises but are in no manifest entry.
    let chapters: BTreeSet<&str> = manifest.exercises.iter().map(|e| e.chapter()).collect();
    let mut candidates = Vec::new();
    for chapter in &chapters {
        for dir in [
            Path::new("exercises/src").join(chapter),
            Path::new("solutions").join(chapter),
        ] {
            candidates.extend(list(root, &dir).into_iter().filter(|p| {
                p.extension().is_some_and(|e| e == "rs")
                    && p.file_name().is_some_and(|n| n != "mod.rs")
            }));
        }
    }
    candidates.extend(list(root, Path::new("exercises/hints")));
    for path in candidates {
        if !known.contains(&path) {
            problems.push(format!(
                "{} belongs to no exercise in exercises/exercises.toml",
                path.display()
            ));
        }
    }
    problems
}

/// Files directly in `dir` (relative to root), sorted.
fn list(root: &Path, dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(root.join(dir))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| dir.join(e.file_name()))
        .collect();
    out.sort();
    out
}
