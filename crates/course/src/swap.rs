//! `solve` and `reset`: swap one exercise file, never losing the student's version.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};

use crate::manifest::Exercise;

/// Copies the solution over the student's file, after saving it.
pub fn solve(root: &Path, exercise: &Exercise) -> Result<ExitCode> {
    let solution_path = root.join(exercise.solution_path());
    let solution = std::fs::read_to_string(&solution_path)
        .with_context(|| format!("reading the solution {}", solution_path.display()))?;
    replace(root, exercise, &solution, "solution")?;
    println!(
        "Now run `{}`. `cargo course reset {}` brings the stub back.",
        exercise.test_command(),
        exercise.id
    );
    Ok(ExitCode::SUCCESS)
}

/// Puts the original stub back, after saving the student's file.
pub fn reset(root: &Path, exercise: &Exercise) -> Result<ExitCode> {
    let stub = original_stub(root, &exercise.stub_path())?;
    replace(root, exercise, &stub, "original stub")?;
    Ok(ExitCode::SUCCESS)
}

fn replace(root: &Path, exercise: &Exercise, new_text: &str, what: &str) -> Result<()> {
    let path = root.join(exercise.stub_path());
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current == new_text {
        println!(
            "{} already holds the {what}; nothing changed.",
            exercise.stub_path().display()
        );
        return Ok(());
    }
    // Nothing to save if the file is empty or just holds the reference solution.
    let solution = std::fs::read_to_string(root.join(exercise.solution_path())).unwrap_or_default();
    if !current.is_empty() && current != solution {
        let saved = save_copy(root, exercise, &current)?;
        println!("Your version is saved as {}", saved.display());
    }
    std::fs::write(&path, new_text).with_context(|| format!("writing {}", path.display()))?;
    println!("{} now holds the {what}.", exercise.stub_path().display());
    Ok(())
}

/// Saves `text` under `.course/saved/<chapter>/<file>.<unix time>.rs` (ignored by git).
fn save_copy(root: &Path, exercise: &Exercise, text: &str) -> Result<PathBuf> {
    let dir = root.join(".course/saved").join(exercise.chapter());
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut path = dir.join(format!("{}.{stamp}.rs", exercise.file));
    let mut n = 1;
    while path.exists() {
        path = dir.join(format!("{}.{stamp}-{n}.rs", exercise.file));
        n += 1;
    }
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    Ok(path.strip_prefix(root).unwrap_or(&path).to_path_buf())
}

/// The stub as the course shipped it: the newest version in git history that still has a
/// `todo!(`, so it works even after the student committed their own work.
fn original_stub(root: &Path, stub: &Path) -> Result<String> {
    let git = |args: &[&str]| -> Result<String> {
        let output = Command::new("git")
            .current_dir(root)
            .args(args)
            .output()
            .context("running git (needed to find the original stub)")?;
        if !output.status.success() {
            bail!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let path = stub.to_string_lossy().replace('\\', "/");
    let commits = git(&["log", "--format=%H", "--", &path])?;
    for commit in commits.lines() {
        if let Ok(text) = git(&["show", &format!("{commit}:{path}")])
            && text.contains("todo!(")
        {
            return Ok(text);
        }
    }
    bail!(
        "no version of {path} with a todo!() in git history; restore it with `git checkout <commit> -- {path}`"
    )
}
