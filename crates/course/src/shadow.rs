//! The shadow tree: how `progress` and `watch` keep measuring every other exercise when one file
//! does not compile.
//!
//! All exercises live in one crate, so one broken file stops every test. With the cargo feature
//! `course-shadow` (and without `solutions`), `exercises/src/lib.rs` takes each chapter module from
//! `.course/shadow/chNN/mod.rs` instead of `exercises/src/chNN/mod.rs`. The runner writes those
//! files: one `#[path = "..."] pub mod exMM_slug;` per exercise, pointing at the student's own file,
//! or, for an exercise that does not compile, at its reference solution (whose results are then
//! ignored: that exercise is reported with its error). The student's files are never touched, and
//! the feature only changes the `exercises` crate, so no dependency is rebuilt.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::compile::Diagnostic;
use crate::manifest::{Exercise, Manifest};

/// The cargo feature of the `exercises` package that routes chapters through the shadow tree.
pub const FEATURE: &str = "course-shadow";

/// The file of a chapter's given code (`exercises/src/chNN/given.rs`), declared `pub mod given;`
/// in the chapter's `mod.rs`.
pub const GIVEN: &str = "given.rs";

/// The path `exercises/src/lib.rs` routes a chapter through under the `course-shadow` feature.
pub fn hook(chapter: &str) -> String {
    format!("../../.course/shadow/{chapter}/mod.rs")
}

/// Whether this copy of the course has the shadow hook (older copies do not).
pub fn supported(root: &Path) -> bool {
    std::fs::read_to_string(root.join("exercises/Cargo.toml"))
        .is_ok_and(|text| text.contains(FEATURE))
}

/// Writes `.course/shadow/chNN/mod.rs` for every chapter folder under `exercises/src`: each
/// exercise's module comes from the student's file, or from `replace[id]` (relative to `root`).
pub fn write(root: &Path, manifest: &Manifest, replace: &BTreeMap<String, PathBuf>) -> Result<()> {
    let mut chapters: BTreeMap<String, Vec<&Exercise>> = BTreeMap::new();
    for entry in std::fs::read_dir(root.join("exercises/src"))
        .context("reading exercises/src")?
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && name.starts_with("ch") {
            chapters.entry(name).or_default();
        }
    }
    for exercise in &manifest.exercises {
        chapters
            .entry(exercise.chapter().to_owned())
            .or_default()
            .push(exercise);
    }
    for (chapter, exercises) in chapters {
        let dir = root.join(".course/shadow").join(&chapter);
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let text = module_text(root, &chapter, &exercises, replace);
        let path = dir.join("mod.rs");
        // Rewriting identical text would only make cargo rebuild for nothing.
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
    }
    Ok(())
}

/// The text of one chapter's shadow `mod.rs`.
fn module_text(
    root: &Path,
    chapter: &str,
    exercises: &[&Exercise],
    replace: &BTreeMap<String, PathBuf>,
) -> String {
    let mut text = String::from(
        "//! Written by `cargo course` (see crates/course/src/shadow.rs); rewritten on every run.\n",
    );
    // In rustfmt's module order (by name), not the manifest's: a chapter's short exercises come
    // first in the manifest but have the higher numbers, and `cargo fmt --all --check` reaches
    // this file through `exercises/src/lib.rs`.
    let mut exercises = exercises.to_vec();
    exercises.sort_by(|a, b| a.file.cmp(&b.file));
    for exercise in exercises {
        let file = replace
            .get(&exercise.id)
            .cloned()
            .unwrap_or_else(|| exercise.stub_path());
        // Debug formatting of a str is a valid Rust string literal (quotes, backslashes escaped).
        let literal = format!("{:?}", root.join(file).to_string_lossy());
        text.push_str(&format!(
            "#[path = {literal}]\npub mod {};\n",
            exercise.file
        ));
    }
    // The code a chapter hands to its exercises (types, helpers) is never swapped: every stub,
    // solution and wrong variant uses the same one. Last, where rustfmt's module order puts it.
    let given = root.join("exercises/src").join(chapter).join(GIVEN);
    if given.is_file() {
        let literal = format!("{:?}", given.to_string_lossy());
        text.push_str(&format!("#[path = {literal}]\npub mod given;\n"));
    }
    text
}

/// The exercise a compile error belongs to: its stub, solution or wrong variant, or a test function
/// of that exercise in `exercises/tests/chNN.rs`. `None` for anything else (shared test code, a
/// broken manifest), which cannot be worked around by swapping one exercise.
pub fn attribute<'m>(
    root: &Path,
    manifest: &'m Manifest,
    error: &Diagnostic,
) -> Option<&'m Exercise> {
    let file = error.file.as_deref()?;
    if let Some(exercise) = manifest.exercises.iter().find(|e| {
        file == e.stub_path() || file == e.solution_path() || file.starts_with(e.wrong_dir())
    }) {
        return Some(exercise);
    }
    if !file.starts_with("exercises/tests") {
        return None;
    }
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    let function = enclosing_fn(&text, error.line)?;
    manifest
        .exercises
        .iter()
        .find(|e| function.starts_with(&e.test_prefix()))
}

/// The name of the last function declared at or before 1-based `line`.
fn enclosing_fn(text: &str, line: usize) -> Option<&str> {
    text.lines()
        .take(line)
        .filter_map(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let l = l.strip_prefix("async ").unwrap_or(l);
            l.strip_prefix("fn ")
        })
        .last()
        .map(|rest| {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest::parse(
            "[[exercise]]\nid = \"ch01::ex01\"\nfile = \"ex01_field\"\ntitle = \"a\"\nbook = \"b.md\"\n\
             [[exercise]]\nid = \"ch01::ex02\"\nfile = \"ex02_fix\"\ntitle = \"b\"\nbook = \"b.md\"\n",
        )
        .unwrap()
    }

    fn error_at(file: &str, line: usize) -> Diagnostic {
        Diagnostic {
            file: Some(file.into()),
            line,
            column: 1,
            message: "m".into(),
            rendered: "r".into(),
        }
    }

    #[test]
    fn an_error_in_an_exercise_file_belongs_to_it() {
        let m = manifest();
        let root = Path::new("/nonexistent");
        for file in [
            "exercises/src/ch01/ex02_fix.rs",
            "solutions/ch01/ex02_fix.rs",
            "exercises/wrong/ch01/ex02_fix/off_by_one.rs",
        ] {
            let found = attribute(root, &m, &error_at(file, 3)).map(|e| e.id.as_str());
            assert_eq!(found, Some("ch01::ex02"), "{file}");
        }
        assert!(attribute(root, &m, &error_at("exercises/src/lib.rs", 1)).is_none());
        let mut none = error_at("x", 1);
        none.file = None;
        assert!(attribute(root, &m, &none).is_none());
    }

    #[test]
    fn an_error_in_a_test_belongs_to_the_exercise_of_the_test_fn() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("exercises/tests")).unwrap();
        let tests = "use x;\n\n#[test]\nfn ch01_ex01_a() {\n    one();\n}\n\n#[tokio::test]\n\
                     async fn ch01_ex02_b() {\n    two();\n}\n\nfn helper() {\n    three();\n}\n";
        std::fs::write(dir.path().join("exercises/tests/ch01.rs"), tests).unwrap();
        let m = manifest();
        let at = |line| {
            attribute(dir.path(), &m, &error_at("exercises/tests/ch01.rs", line))
                .map(|e| e.id.clone())
        };
        assert_eq!(at(5).as_deref(), Some("ch01::ex01"));
        assert_eq!(at(10).as_deref(), Some("ch01::ex02"));
        assert_eq!(at(14), None, "shared helpers belong to no exercise");
        assert_eq!(at(1), None);
    }

    #[test]
    fn the_shadow_points_at_student_files_except_the_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("exercises/src/ch01")).unwrap();
        std::fs::create_dir_all(root.join("exercises/src/ch02")).unwrap();
        let replace = BTreeMap::from([(
            "ch01::ex02".to_owned(),
            PathBuf::from("solutions/ch01/ex02_fix.rs"),
        )]);
        write(root, &manifest(), &replace).unwrap();
        let text = std::fs::read_to_string(root.join(".course/shadow/ch01/mod.rs")).unwrap();
        let stub = format!(
            "{:?}",
            root.join("exercises/src/ch01/ex01_field.rs")
                .to_string_lossy()
        );
        let solution = format!(
            "{:?}",
            root.join("solutions/ch01/ex02_fix.rs").to_string_lossy()
        );
        assert!(
            text.contains(&format!("#[path = {stub}]\npub mod ex01_field;\n")),
            "{text}"
        );
        assert!(
            text.contains(&format!("#[path = {solution}]\npub mod ex02_fix;\n")),
            "{text}"
        );
        assert!(
            root.join(".course/shadow/ch02/mod.rs").is_file(),
            "every chapter folder gets a module, even without exercises"
        );
    }
}
