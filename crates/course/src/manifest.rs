//! `exercises/exercises.toml`: the list of exercises, and every path derived from it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The parsed manifest.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Chapters, for titles.
    #[serde(rename = "chapter", default)]
    pub chapters: Vec<Chapter>,
    /// Exercises in course order.
    #[serde(rename = "exercise", default)]
    pub exercises: Vec<Exercise>,
    /// Shorter ways through the course (`exercises/paths.toml`), such as the lesson's hour.
    #[serde(skip)]
    pub paths: Vec<LearningPath>,
    /// Set by [`Manifest::for_path`]: the path whose exercises `progress` and `watch` show, in
    /// its order. Building and measuring still cover every exercise (one crate holds them all).
    #[serde(skip)]
    pub focus: Option<LearningPath>,
}

/// A way through part of the course: some book sections and the exercises that go with them, in
/// order (`cargo course progress --path NAME`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearningPath {
    /// Its name on the command line, such as `lesson`.
    pub name: String,
    /// What it is, shown above its checklist.
    pub title: String,
    /// The book page (under `book/src`) that walks through it.
    pub page: String,
    /// Its exercises, in the order to do them.
    pub exercises: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Paths {
    #[serde(rename = "path", default)]
    paths: Vec<LearningPath>,
}

/// Where the paths live under the course root (optional).
pub const PATHS: &str = "exercises/paths.toml";

/// A chapter entry.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    /// `ch01`.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// One exercise entry.
#[derive(Clone, Debug, Deserialize)]
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
    /// `easy`, `medium` or `hard` (required by `verify`, shown by `progress`).
    #[serde(default)]
    pub difficulty: Option<Difficulty>,
}

/// How hard an exercise is, as the manifest says.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    /// A direct application of one section.
    Easy,
    /// Combines a few ideas or needs care with edge cases.
    Medium,
    /// Concurrency, I/O or a subtle spec rule.
    Hard,
}

impl Difficulty {
    /// The word used in the manifest and in `progress`.
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
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

    /// `exercises/wrong/ch01/ex02_naive_fix/`: the folder of tempting mistakes the tests must
    /// catch, one file each (see `wrong.rs`).
    pub fn wrong_dir(&self) -> PathBuf {
        Path::new("exercises/wrong")
            .join(self.chapter())
            .join(&self.file)
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

/// Where the manifest lives under the course root.
pub const MANIFEST: &str = "exercises/exercises.toml";

/// The course root: the nearest of `start` and its ancestors that holds `exercises/exercises.toml`.
/// The runner judges the copy of the course it runs in, never the one it was compiled from.
pub fn find_root(start: &Path) -> Result<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(MANIFEST).is_file())
        .map(Path::to_path_buf)
        .with_context(|| {
            format!(
                "no course here: neither {} nor any folder above it holds {MANIFEST}; run \
                 `cargo course` inside your copy of the course",
                start.display()
            )
        })
}

impl Manifest {
    /// Reads and checks the manifest under `root`.
    pub fn load(root: &Path) -> Result<Manifest> {
        let path = root.join(MANIFEST);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading the course manifest {}", path.display()))?;
        let mut manifest = Self::parse(&text).with_context(|| format!("in {}", path.display()))?;
        let paths = root.join(PATHS);
        if paths.is_file() {
            let text = std::fs::read_to_string(&paths)
                .with_context(|| format!("reading {}", paths.display()))?;
            let parsed: Paths =
                toml::from_str(&text).with_context(|| format!("parsing {}", paths.display()))?;
            manifest.paths = parsed.paths;
        }
        Ok(manifest)
    }

    /// The manifest narrowed to the path `name`: its exercises only, in its order.
    pub fn for_path(&self, name: &str) -> Result<Manifest> {
        let path = self
            .paths
            .iter()
            .find(|p| p.name == name)
            .with_context(|| {
                let names: Vec<&str> = self.paths.iter().map(|p| p.name.as_str()).collect();
                format!(
                    "no path {name:?}; the paths are: {} (in {PATHS})",
                    if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(", ")
                    }
                )
            })?;
        let mut narrowed = self.clone();
        for id in &path.exercises {
            self.find(id)
                .with_context(|| format!("in the path {name:?} of {PATHS}"))?;
        }
        narrowed.focus = Some(path.clone());
        Ok(narrowed)
    }

    /// The exercises to show, in order: the path's when narrowed to one, else all of them.
    pub fn shown(&self) -> Vec<&Exercise> {
        match &self.focus {
            None => self.exercises.iter().collect(),
            Some(path) => path
                .exercises
                .iter()
                .filter_map(|id| self.find(id).ok())
                .collect(),
        }
    }

    /// The name of the path `progress` and `watch` follow, if any.
    pub fn path_name(&self) -> Option<&str> {
        self.focus.as_ref().map(|path| path.name.as_str())
    }

    /// Parses and checks manifest text.
    pub fn parse(text: &str) -> Result<Manifest> {
        let manifest: Manifest = toml::from_str(text).context("parsing the course manifest")?;
        for exercise in &manifest.exercises {
            let valid = |part: &str, prefix: &str| {
                part.len() == prefix.len() + 2
                    && part.starts_with(prefix)
                    && part[prefix.len()..].bytes().all(|b| b.is_ascii_digit())
            };
            let parts: Vec<&str> = exercise.id.split("::").collect();
            if parts.len() != 2 || !valid(parts[0], "ch") || !valid(parts[1], "ex") {
                bail!(
                    "exercise id {:?} is not of the form chNN::exMM",
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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(extra: &str) -> String {
        format!(
            "[[exercise]]\nid = \"ch01::ex01\"\nfile = \"ex01_field\"\ntitle = \"t\"\nbook = \"b.md\"\n{extra}"
        )
    }

    #[test]
    fn reads_each_difficulty() {
        for (word, want) in [
            ("easy", Difficulty::Easy),
            ("medium", Difficulty::Medium),
            ("hard", Difficulty::Hard),
        ] {
            let manifest = Manifest::parse(&entry(&format!("difficulty = \"{word}\""))).unwrap();
            assert_eq!(manifest.exercises[0].difficulty, Some(want));
            assert_eq!(want.as_str(), word);
        }
        let manifest = Manifest::parse(&entry("")).unwrap();
        assert_eq!(
            manifest.exercises[0].difficulty, None,
            "verify reports it missing"
        );
    }

    #[test]
    fn rejects_an_unknown_difficulty_and_says_what_is_allowed() {
        let error = Manifest::parse(&entry("difficulty = \"tricky\"")).unwrap_err();
        let text = format!("{error:#}");
        assert!(text.contains("tricky"), "{text}");
        assert!(
            text.contains("easy") && text.contains("medium") && text.contains("hard"),
            "{text}"
        );
    }

    #[test]
    fn rejects_a_malformed_id() {
        let bad = entry("").replace("ch01::ex01", "ch1::ex01");
        assert!(format!("{:#}", Manifest::parse(&bad).unwrap_err()).contains("chNN::exMM"));
    }

    #[test]
    fn derives_every_path_from_id_and_file() {
        let manifest = Manifest::parse(&entry("")).unwrap();
        let e = &manifest.exercises[0];
        assert_eq!(e.stub_path(), Path::new("exercises/src/ch01/ex01_field.rs"));
        assert_eq!(e.solution_path(), Path::new("solutions/ch01/ex01_field.rs"));
        assert_eq!(e.wrong_dir(), Path::new("exercises/wrong/ch01/ex01_field"));
        assert_eq!(e.hint_path(), Path::new("exercises/hints/ch01_ex01.md"));
        assert_eq!(e.test_prefix(), "ch01_ex01_");
    }

    #[test]
    fn finds_the_root_from_a_folder_inside_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("exercises/src/ch01")).unwrap();
        std::fs::write(root.join(MANIFEST), "").unwrap();
        assert_eq!(find_root(&root.join("exercises/src/ch01")).unwrap(), root);
        assert_eq!(find_root(root).unwrap(), root);
        let elsewhere = tempfile::tempdir().unwrap();
        let error = find_root(elsewhere.path()).unwrap_err().to_string();
        assert!(error.contains("no course here"), "{error}");
    }
}
