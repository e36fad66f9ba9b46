//! `solve`, `reset` and `restore`: swap one exercise file, never losing the student's version.

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

/// Whether the student's file is the reference solution (as `solve` leaves it).
pub fn holds_solution(root: &Path, exercise: &Exercise) -> bool {
    let read = |p: PathBuf| std::fs::read_to_string(root.join(p)).ok();
    match (read(exercise.stub_path()), read(exercise.solution_path())) {
        (Some(mine), Some(solution)) => mine.trim_end() == solution.trim_end(),
        _ => false,
    }
}

/// Puts the newest saved attempt back (one that differs from the file now), after saving the file.
/// With `list`, only lists the saved attempts.
pub fn restore(root: &Path, exercise: &Exercise, list: bool) -> Result<ExitCode> {
    let saved = saved_copies(root, exercise);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    if list {
        if saved.is_empty() {
            println!("No saved attempt of {}.", exercise.id);
        }
        for copy in saved.iter().rev() {
            println!("{}  (saved {})", copy.path.display(), ago(now, copy.stamp));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let current = std::fs::read_to_string(root.join(exercise.stub_path())).unwrap_or_default();
    let newest = saved.iter().rev().find_map(|copy| {
        let text = std::fs::read_to_string(root.join(&copy.path)).ok()?;
        (text != current).then_some((copy, text))
    });
    let Some((copy, text)) = newest else {
        bail!(
            "no saved attempt of {} to bring back{} (`solve` and `reset` save your file under \
             .course/saved/ before replacing it)",
            exercise.id,
            if saved.is_empty() {
                ""
            } else {
                " that differs from your file"
            }
        );
    };
    replace(
        root,
        exercise,
        &text,
        &format!(
            "your attempt saved {} ({})",
            ago(now, copy.stamp),
            copy.path.display()
        ),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// One file under `.course/saved/`.
#[derive(Debug, PartialEq, Eq)]
pub struct SavedCopy {
    /// Relative to the root.
    pub path: PathBuf,
    /// Unix seconds when it was saved.
    pub stamp: u64,
    /// The tie-breaker for copies saved in the same second.
    pub n: u64,
}

/// The saved copies of `exercise`, oldest first.
pub fn saved_copies(root: &Path, exercise: &Exercise) -> Vec<SavedCopy> {
    let dir = Path::new(".course/saved").join(exercise.chapter());
    let mut copies: Vec<SavedCopy> = std::fs::read_dir(root.join(&dir))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let (stamp, n) = parse_saved_name(&exercise.file, &name)?;
            Some(SavedCopy {
                path: dir.join(&name),
                stamp,
                n,
            })
        })
        .collect();
    copies.sort_by_key(|c| (c.stamp, c.n));
    copies
}

/// `ex01_field.1764312000.rs` -> (1764312000, 0); `ex01_field.1764312000-2.rs` -> (1764312000, 2).
fn parse_saved_name(file: &str, name: &str) -> Option<(u64, u64)> {
    let middle = name
        .strip_prefix(file)?
        .strip_prefix('.')?
        .strip_suffix(".rs")?;
    let (stamp, n) = middle.split_once('-').unwrap_or((middle, "0"));
    Some((stamp.parse().ok()?, n.parse().ok()?))
}

/// `3 min ago`, `2 h ago`, `just now`.
fn ago(now: u64, stamp: u64) -> String {
    match now.saturating_sub(stamp) {
        0..60 => "just now".to_owned(),
        s @ 60..3600 => format!("{} min ago", s / 60),
        s @ 3600..172_800 => format!("{} h ago", s / 3600),
        s => format!("{} days ago", s / 86_400),
    }
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
    if worth_saving(root, exercise, &current) {
        let saved = save_copy(root, exercise, &current)?;
        println!("Your version is saved as {}", saved.display());
    }
    std::fs::write(&path, new_text).with_context(|| format!("writing {}", path.display()))?;
    println!("{} now holds the {what}.", exercise.stub_path().display());
    Ok(())
}

/// Nothing to save if the file is empty, holds the reference solution or the untouched stub, or is
/// already saved.
fn worth_saving(root: &Path, exercise: &Exercise, current: &str) -> bool {
    if current.trim().is_empty() || holds_solution(root, exercise) {
        return false;
    }
    let already = saved_copies(root, exercise)
        .iter()
        .any(|c| std::fs::read_to_string(root.join(&c.path)).is_ok_and(|t| t == current));
    // The stub check asks git, so it comes last; without git the stub is saved, which is harmless.
    !already && original_stub(root, &exercise.stub_path()).ok().as_deref() != Some(current)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Manifest;

    #[test]
    fn reads_saved_names_in_order() {
        assert_eq!(
            parse_saved_name("ex01_field", "ex01_field.1700000000.rs"),
            Some((1_700_000_000, 0))
        );
        assert_eq!(
            parse_saved_name("ex01_field", "ex01_field.1700000000-2.rs"),
            Some((1_700_000_000, 2))
        );
        assert_eq!(
            parse_saved_name("ex01_field", "ex01_fieldx.1700000000.rs"),
            None
        );
        assert_eq!(
            parse_saved_name("ex01", "ex01_field.1700000000.rs"),
            None,
            "another exercise"
        );
        assert_eq!(parse_saved_name("ex01_field", "ex01_field.rs"), None);
    }

    #[test]
    fn restore_brings_back_the_newest_attempt_and_saves_the_current_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let manifest = Manifest::parse(
            "[[exercise]]\nid = \"ch01::ex01\"\nfile = \"ex01_a\"\ntitle = \"t\"\nbook = \"b.md\"\n",
        )
        .unwrap();
        let exercise = &manifest.exercises[0];
        for dir in ["exercises/src/ch01", "solutions/ch01", ".course/saved/ch01"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        let write = |p: &str, t: &str| std::fs::write(root.join(p), t).unwrap();
        let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
        write("solutions/ch01/ex01_a.rs", "solution\n");
        write(".course/saved/ch01/ex01_a.1700000000.rs", "older attempt\n");
        write(
            ".course/saved/ch01/ex01_a.1700000500.rs",
            "newest attempt\n",
        );
        write(
            ".course/saved/ch01/ex01_a.1700000100-1.rs",
            "middle attempt\n",
        );

        // After `solve`: the file is the solution, which is not worth saving.
        write("exercises/src/ch01/ex01_a.rs", "solution\n");
        restore(root, exercise, false).unwrap();
        assert_eq!(read("exercises/src/ch01/ex01_a.rs"), "newest attempt\n");
        assert_eq!(
            saved_copies(root, exercise).len(),
            3,
            "the solution was not saved"
        );

        // A new edit is saved before the newest different attempt comes back.
        write("exercises/src/ch01/ex01_a.rs", "work in progress\n");
        restore(root, exercise, false).unwrap();
        assert_eq!(read("exercises/src/ch01/ex01_a.rs"), "newest attempt\n");
        let copies = saved_copies(root, exercise);
        assert_eq!(copies.len(), 4);
        assert_eq!(read(copies[3].path.to_str().unwrap()), "work in progress\n");

        // Now the newest copy differs from the file: it comes back, nothing is lost.
        restore(root, exercise, false).unwrap();
        assert_eq!(read("exercises/src/ch01/ex01_a.rs"), "work in progress\n");
        assert_eq!(
            saved_copies(root, exercise).len(),
            4,
            "newest attempt was saved already"
        );
    }

    #[test]
    fn restore_without_a_saved_attempt_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = Manifest::parse(
            "[[exercise]]\nid = \"ch01::ex01\"\nfile = \"ex01_a\"\ntitle = \"t\"\nbook = \"b.md\"\n",
        )
        .unwrap();
        let error = restore(dir.path(), &manifest.exercises[0], false)
            .unwrap_err()
            .to_string();
        assert!(error.contains("no saved attempt of ch01::ex01"), "{error}");
    }
}
