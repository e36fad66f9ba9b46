//! `cargo course verify`: the proof that the course is sound, run in CI.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;

use crate::book;
use crate::compile;
use crate::hint;
use crate::manifest::{Exercise, Manifest};
use crate::shadow;
use crate::testrun::{self, Outcome, TestRun};
use crate::wrong::{self, VariantOutcome};

/// Runs every check and prints every problem found (not just the first).
pub fn run(root: &Path, manifest: &Manifest, timeout: Duration) -> Result<ExitCode> {
    let mut problems = check_files(root, manifest);
    for page in book::pages_including_hints(&root.join("book/src")) {
        let page = page.strip_prefix(root).unwrap_or(&page).to_path_buf();
        problems.push(format!(
            "{}: includes a hint file; link to `cargo course hint ID` instead, so that the answer \
             stays one deliberate step away",
            page.display()
        ));
    }
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
    let mut test_count = 0;
    match build_and_run(root, &[], "the stubs", timeout)? {
        Err(errors) => problems.push(format!("the stubs do not compile:\n{errors}")),
        Ok(stubs) => {
            for name in stubs.results.keys() {
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
                    problems.push(format!("{}: no test named {prefix}*", exercise.id));
                }
                test_count += tests.len();
                for (name, result) in tests {
                    if result.outcome == Outcome::Passed && !exercise.stub_may_pass {
                        problems.push(format!(
                            "{}: test {name} passes on the stub; it must fail until the exercise \
                             is done (is the stub already solved? `cargo course reset {}`)",
                            exercise.id, exercise.id
                        ));
                    }
                }
            }
        }
    }

    // 2. With the solutions swapped in, every test must pass.
    match build_and_run(
        root,
        &["solutions"],
        "the solutions (--features solutions)",
        timeout,
    )? {
        Err(errors) => problems.push(format!("the solutions do not compile:\n{errors}")),
        Ok(solved) => {
            let mut reports = String::new();
            for (name, result) in &solved.results {
                if result.outcome != Outcome::Passed {
                    problems.push(format!("test {name} does not pass on the solutions"));
                    reports.push_str(&format!("{}\n", result.report));
                }
            }
            if !reports.is_empty() {
                problems.push(format!("what the failing solution tests said:\n{reports}"));
            }
        }
    }

    // 3. With each wrong variant swapped in, its exercise must have a failing test.
    let mut caught_lines = Vec::new();
    let all: Vec<&Exercise> = manifest.exercises.iter().collect();
    match wrong::run(root, manifest, &all, timeout)? {
        Err(errors) => problems.push(format!("the wrong variants could not be judged:\n{errors}")),
        Ok(verdicts) => {
            for verdict in verdicts {
                match &verdict.outcome {
                    VariantOutcome::Caught { .. } => caught_lines.push(verdict.line()),
                    VariantOutcome::Missed { .. } => problems.push(format!(
                        "{}: the tests do not catch the mistake it is about",
                        verdict.line()
                    )),
                    VariantOutcome::DoesNotCompile(errors) => {
                        problems.push(format!("{}:\n{errors}", verdict.line()))
                    }
                }
            }
        }
    }

    if problems.is_empty() {
        println!("\nEach wrong variant, its class, and the tests that caught it:");
        for line in &caught_lines {
            println!("  {line}");
        }
        println!(
            "\nverify: ok: {} exercises, {test_count} tests; every test fails on its stub and passes \
             on its solution; every wrong variant fails; files and book includes complete",
            manifest.exercises.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        if !caught_lines.is_empty() {
            println!("\nWrong variants the tests caught:");
            for line in &caught_lines {
                println!("  {line}");
            }
        }
        eprintln!("\nverify: {} problem(s):", problems.len());
        for problem in &problems {
            eprintln!("  - {problem}");
        }
        Ok(ExitCode::FAILURE)
    }
}

/// `cargo course wrong [FILTER]`: the wrong variants of the exercises the filter names (an id
/// such as `ch02::ex07`, a chapter such as `ch02`, or all), each with the tests that caught it.
pub fn run_wrong(
    root: &Path,
    manifest: &Manifest,
    filter: Option<&str>,
    timeout: Duration,
) -> Result<ExitCode> {
    let chosen: Vec<&Exercise> = match filter {
        None => manifest.exercises.iter().collect(),
        Some(f) if f.contains("::") => vec![manifest.find(f)?],
        Some(chapter) => manifest
            .exercises
            .iter()
            .filter(|e| e.chapter() == chapter)
            .collect(),
    };
    if chosen.is_empty() {
        anyhow::bail!("no exercise matches {filter:?} (an id such as ch02::ex07, or ch02)");
    }
    let mut problems: Vec<String> = chosen
        .iter()
        .flat_map(|e| wrong::check_set(root, e))
        .collect();
    match wrong::run(root, manifest, &chosen, timeout)? {
        Err(errors) => problems.push(format!("the build failed:\n{errors}")),
        Ok(verdicts) => {
            println!();
            for verdict in &verdicts {
                println!("  {}", verdict.line());
                match &verdict.outcome {
                    VariantOutcome::Caught { .. } => {}
                    VariantOutcome::Missed { .. } => problems.push(verdict.line()),
                    VariantOutcome::DoesNotCompile(errors) => {
                        problems.push(format!("{}:\n{errors}", verdict.line()));
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        println!("\nwrong: ok: every variant is caught");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("\nwrong: {} problem(s):", problems.len());
        for problem in &problems {
            eprintln!("  - {problem}");
        }
        Ok(ExitCode::FAILURE)
    }
}

/// Builds with `features` and runs every test, or returns the compile errors as text.
fn build_and_run(
    root: &Path,
    features: &[&str],
    label: &str,
    timeout: Duration,
) -> Result<std::result::Result<TestRun, String>> {
    let build = compile::build(root, features, Some(label))?;
    if !build.success {
        let mut text: Vec<String> = build
            .errors
            .iter()
            .map(|e| format!("{}: {}\n{}", e.location(), e.message, e.rendered.trim_end()))
            .collect();
        if !build.cargo_errors.is_empty() {
            text.push(build.cargo_errors.clone());
        }
        return Ok(Err(text.join("\n")));
    }
    let run = testrun::run(&testrun::Plan {
        root,
        binaries: &build.binaries,
        select: &|_| true,
        timeout,
        announce: true,
    })?;
    Ok(Ok(run))
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
        if exercise.difficulty.is_none() {
            problems.push(format!(
                "{}: no difficulty in exercises/exercises.toml (difficulty = \"easy\", \"medium\" \
                 or \"hard\")",
                exercise.id
            ));
        }
        problems.extend(wrong::check_set(root, exercise));
        for path in wrong::variants(root, exercise) {
            known.insert(path);
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
        if let (Some(hint_text), Some(solution)) =
            (read(&exercise.hint_path()), read(&exercise.solution_path()))
        {
            for leak in hint::leaks(&hint_text, &solution) {
                problems.push(format!(
                    "{}: {} gives the code away ({leak}); a hint asks, points at the book, or \
                     gives the idea in words",
                    exercise.id,
                    exercise.hint_path().display()
                ));
            }
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
        let module_text = read(&module).unwrap_or_default();
        if !(module_text.contains(&swap)
            && module_text.contains(&format!("pub mod {};", exercise.file)))
        {
            problems.push(format!(
                "{}: {} must declare `pub mod {};` with a cfg_attr path to ../../../{swap}",
                exercise.id,
                module.display(),
                exercise.file
            ));
        }
    }
    for path in &manifest.paths {
        if let Err(error) = manifest.for_path(&path.name) {
            problems.push(format!("{error:#}"));
        }
        let page = Path::new("book/src").join(&path.page);
        match read(&page) {
            Some(text) if text.contains(&format!("--path {}", path.name)) => {}
            Some(_) => problems.push(format!(
                "the path {:?}: its page {} does not mention `cargo course progress --path {}`",
                path.name,
                page.display(),
                path.name
            )),
            None => problems.push(format!(
                "the path {:?}: missing its page {}",
                path.name,
                page.display()
            )),
        }
    }
    // `progress` keeps measuring the other exercises when one does not compile by routing each
    // chapter through `.course/shadow/` (crates/course/src/shadow.rs); a chapter without the hook
    // would hide every exercise's progress behind one broken file.
    let lib = read(Path::new("exercises/src/lib.rs")).unwrap_or_default();
    let mut hooked = BTreeSet::new();
    for exercise in &manifest.exercises {
        let chapter = exercise.chapter();
        let hook = shadow::hook(chapter);
        if hooked.insert(chapter) && !lib.contains(&hook) {
            problems.push(format!(
                "exercises/src/lib.rs must route {chapter} through the shadow tree: \
                 #[cfg_attr(all(feature = \"course-shadow\", not(feature = \"solutions\")), \
                 path = \"{hook}\")] before `pub mod {chapter};`"
            ));
        }
    }
    // Orphans: files that look like exercises but are in no manifest entry.
    let chapters: BTreeSet<&str> = manifest.exercises.iter().map(|e| e.chapter()).collect();
    let mut candidates = Vec::new();
    for chapter in &chapters {
        for dir in [
            Path::new("exercises/src").join(chapter),
            Path::new("solutions").join(chapter),
            Path::new("exercises/wrong").join(chapter),
        ] {
            candidates.extend(list(root, &dir).into_iter().filter(|p| {
                p.extension().is_some_and(|e| e == "rs")
                    && p.file_name()
                        .is_some_and(|n| n != "mod.rs" && n != shadow::GIVEN)
            }));
        }
        // Variant files are known above; a folder of variants no exercise owns is an orphan.
        let wrong = Path::new("exercises/wrong").join(chapter);
        for entry in std::fs::read_dir(root.join(&wrong))
            .into_iter()
            .flatten()
            .flatten()
        {
            let dir = wrong.join(entry.file_name());
            if entry.path().is_dir() && !manifest.exercises.iter().any(|e| e.wrong_dir() == dir) {
                candidates.push(dir);
            }
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
