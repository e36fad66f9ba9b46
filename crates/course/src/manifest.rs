//! `exercises/exercises.toml`: the list of exercises, and every path derived from it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The parsed manifest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Chapters, for titles.
    #[serde(rename = "chapter", default)]
    pub chapters: Vec<Chapter>,
    /// Exercises in course order.
    #[serde(rename = "exercise", default)]
    pub exercises: Vec<Exercise>,
}

/// A chapter entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    /// `ch01`.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// One exercise entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// `ch01::ex02`.
    pub id: String,
    /// The module file name without `.rs`, such as `ex02_naive_fix`.
    pub file: String,
    /// The title shown in progress and the book.
    pub title: String,
    /// The book page under `book/src` presenting the exercise.
    pub book: String,
    /// Whether a test of this exercise may pass on the stub.
    #[serde(default)]
    pub stub_may_pass: bool,
    /// `easy`, `medium` or `hard`.
    #[serde(default)]
    pub difficulty: Option<String>,
}

impl Exercise {
    /// `ch01`.
    pub fn chapter(&self) -> &str {
        self.id.split("::").next().unwrap_or_default()
    }

    /// `ex02`.
    pub fn number(&self) -> &str {
        self.id.split("::").nth(1).unwrap_or_default()
    }

    /// Every test of this exercise starts with this: `ch01_ex02_`.
    pub fn test_prefix(&self) -> String {
        format!("{}_{}_", self.chapter(), self.number())
    }

    /// `exercises/src/ch01/ex02_naive_fix.rs`.
    pub fn stub_path(&self) -> PathBuf {
        Path::new("exercises/src")
            .join(self.chapter())
            .join(format!("{}.rs", self.file))
    }

    /// `solutions/ch01/ex02_naive_fix.rs`.
    pub fn solution_path(&self) -> PathBuf {
        Path::new("solutions")
            .join(self.chapter())
            .join(format!("{}.rs", self.file))
    }

    /// `exercises/hints/ch01_ex02.md`.
    pub fn hint_path(&self) -> PathBuf {
        Path::new("exercises/hints").join(format!("{}_{}.md", self.chapter(), self.number()))
    }

    /// `exercises/tests/ch01.rs`.
    pub fn test_path(&self) -> PathBuf {
        Path::new("exercises/tests").join(format!("{}.rs", self.chapter()))
    }

    /// `book/src/ch01/exercises.md`.
    pub fn book_path(&self) -> PathBuf {
        Path::new("book/src").join(&self.book)
    }

    /// The command that runs just this exercise's tests.
    pub fn test_command(&self) -> String {
        format!(
            "cargo test -p exercises --test {} {}",
            self.chapter(),
            self.test_prefix().trim_end_matches('_')
        )
    }
}

impl Manifest {
    /// Reads and checks the manifest under `root`.
    pub fn load(root: &Path) -> Result<Manifest> {
        let path = root.join("exercises/exercises.toml");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading the course manifest {}", path.display()))?;
        let manifest: Manifest =
            toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        for exercise in &manifest.exercises {
            let valid = |part: &str, prefix: &str| {
                part.len() == prefix.len() + 2
                    && part.starts_with(prefix)
                    && part[prefix.len()..].bytes().all(|b| b.is_ascii_digit())
            };
            let parts: Vec<&str> = exercise.id.split("::").collect();
            if parts.len() != 2 || !valid(parts[0], "ch") || !valid(parts[1], "ex") {
                bail!(
                    "{}: exercise id {:?} is not of the form chNN::exMM",
                    path.display(),
                    exercise.id
                );
            }
        }
        Ok(manifest)
    }

    /// Finds an exercise by id (`ch01::ex02`; `ch01_ex02` and `ch1::ex2`-style typos are not
    /// guessed at, but the error lists the ids).
    pub fn find(&self, id: &str) -> Result<&Exercise> {
        let wanted = id.replace('_', "::");
        self.exercises
            .iter()
            .find(|e| e.id == wanted)
            .with_context(|| {
                let ids: Vec<&str> = self.exercises.iter().map(|e| e.id.as_str()).collect();
                format!("no exercise {id:?}; the exercises are: {}", ids.join(", "))
            })
    }

    /// The chapter title, or the id if the manifest has none.
    pub fn chapter_title<'a>(&'a self, chapter: &'a str) -> &'a str {
        self.chapters
            .iter()
            .find(|c| c.id == chapter)
            .map_or(chapter, |c| c.title.as_str())
    }
}
