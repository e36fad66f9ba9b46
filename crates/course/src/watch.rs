//! `cargo course watch`: reruns the current exercise's tests each time a file is saved, and moves
//! on to the next exercise when they pass. Ctrl-C quits.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result};
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer};

use crate::interrupt::{self, Interrupted};
use crate::manifest::{Exercise, Manifest};
use crate::measure::{self, Measurement};
use crate::progress::{self, Status};
use crate::testrun::Outcome;

/// An editor's save is often several writes; they become one rerun.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// Which exercise is current, given which are done. Pure, so it is tested on its own.
#[derive(Debug)]
pub struct Course {
    order: Vec<String>,
    done: BTreeSet<String>,
    current: Option<String>,
}

/// What to do after the current exercise's tests ran.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Not passing yet: wait for the next save.
    Wait,
    /// It passes: run this exercise next.
    MoveOn(String),
    /// Every exercise passes.
    Finished,
}

impl Course {
    /// `order` is the manifest's order; `start` (an exercise id) wins over the first one not done.
    pub fn new(order: Vec<String>, done: BTreeSet<String>, start: Option<String>) -> Course {
        let mut course = Course {
            order,
            done,
            current: None,
        };
        course.current = start.or_else(|| course.next_open(None));
        course
    }

    /// The exercise being worked on.
    pub fn current(&self) -> Option<&str> {
        self.current.as_deref()
    }

    /// Records whether the current exercise passes now.
    pub fn record(&mut self, passes: bool) -> Step {
        let Some(current) = self.current.clone() else {
            return Step::Finished;
        };
        if !passes {
            self.done.remove(&current);
            return Step::Wait;
        }
        self.done.insert(current.clone());
        self.current = self.next_open(Some(&current));
        match &self.current {
            Some(next) => Step::MoveOn(next.clone()),
            None => Step::Finished,
        }
    }

    /// The first exercise not done after `after` in course order, wrapping around to the start.
    fn next_open(&self, after: Option<&str>) -> Option<String> {
        let start = after
            .and_then(|a| self.order.iter().position(|id| id == a))
            .map_or(0, |i| i + 1);
        let (before, rest) = self.order.split_at(start.min(self.order.len()));
        rest.iter()
            .chain(before)
            .find(|id| !self.done.contains(*id))
            .cloned()
    }
}

/// Whether a changed path should trigger a rerun: Rust sources and snapshots, not what cargo,
/// insta or editors write beside them.
pub fn is_relevant(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if name.starts_with('.') || name.ends_with('~') {
        return false;
    }
    path.extension().is_some_and(|e| e == "rs" || e == "snap")
}

/// What the watched files held when last seen, so that only a real change triggers a rerun: the
/// watcher also reports files being opened and read (rustc reads every source on each build), and
/// editors often rewrite a file with the same text.
#[derive(Debug, Default)]
pub struct Seen {
    hashes: BTreeMap<PathBuf, Option<u64>>,
}

impl Seen {
    /// Records every relevant file under `dirs`.
    pub fn scan(dirs: &[PathBuf]) -> Seen {
        let mut seen = Seen::default();
        let mut stack: Vec<PathBuf> = dirs.to_vec();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if is_relevant(&path) {
                    seen.hashes.insert(path.clone(), hash_of(&path));
                }
            }
        }
        seen
    }

    /// Whether `path` now differs from when it was last seen (records the new state).
    pub fn changed(&mut self, path: &Path) -> bool {
        if !is_relevant(path) {
            return false;
        }
        let now = hash_of(path);
        self.hashes.insert(path.to_path_buf(), now) != Some(now)
    }
}

fn hash_of(path: &Path) -> Option<u64> {
    let bytes = std::fs::read(path).ok()?;
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    Some(hasher.finish())
}

/// Runs the watch loop until every exercise passes or Ctrl-C.
pub fn run(
    root: &Path,
    manifest: &Manifest,
    start: Option<&Exercise>,
    timeout: Duration,
) -> Result<ExitCode> {
    match watch(root, manifest, start, timeout) {
        Err(error) if error.is::<Interrupted>() => {
            println!("\nStopped watching.");
            Ok(ExitCode::SUCCESS)
        }
        other => other,
    }
}

fn watch(
    root: &Path,
    manifest: &Manifest,
    start: Option<&Exercise>,
    timeout: Duration,
) -> Result<ExitCode> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, tx).context("starting the file watcher")?;
    let dirs: Vec<PathBuf> = ["exercises", "solutions"]
        .iter()
        .map(|d| root.join(d))
        .filter(|d| d.is_dir())
        .collect();
    for dir in &dirs {
        debouncer
            .watcher()
            .watch(dir, RecursiveMode::Recursive)
            .with_context(|| format!("watching {}", dir.display()))?;
    }
    let mut seen = Seen::scan(&dirs);
    let mut rx = Changes {
        rx,
        seen: &mut seen,
    };

    let mut first = measure::measure(root, manifest, &|_| true, timeout, true)?;
    while first.blocked() {
        print_blocking(&first);
        wait_for_change(root, &mut rx)?;
        first = measure::measure(root, manifest, &|_| true, timeout, true)?;
    }
    let shown = manifest.shown();
    let done = shown
        .iter()
        .filter(|e| progress::status(root, &first, e).is_done())
        .map(|e| e.id.clone())
        .collect();
    let order = shown.iter().map(|e| e.id.clone()).collect();
    let mut course = Course::new(order, done, start.map(|e| e.id.clone()));
    let mut measurement = Some(first);
    loop {
        let Some(id) = course.current().map(str::to_owned) else {
            println!("\nEvery exercise passes. Well done!");
            return Ok(ExitCode::SUCCESS);
        };
        let exercise = manifest.find(&id)?;
        let current = match measurement.take() {
            Some(m) => m,
            None => {
                let prefix = exercise.test_prefix();
                measure::measure(
                    root,
                    manifest,
                    &|name: &str| name.starts_with(&prefix),
                    timeout,
                    true,
                )?
            }
        };
        if current.blocked() {
            print_blocking(&current);
            wait_for_change(root, &mut rx)?;
            continue;
        }
        let status = progress::status(root, &current, exercise);
        report(exercise, &status, &current);
        match course.record(status.is_done()) {
            Step::Wait => {
                println!(
                    "\nWatching for changes: save {} to rerun (Ctrl-C to stop).",
                    exercise.stub_path().display()
                );
                wait_for_change(root, &mut rx)?;
            }
            Step::MoveOn(next) => {
                let next = manifest.find(&next)?;
                println!(
                    "\n{}",
                    progress::next_steps(next, manifest.path_name()).trim_end()
                );
            }
            Step::Finished => {}
        }
    }
}

fn report(exercise: &Exercise, status: &Status, measurement: &Measurement) {
    println!(
        "\n{} {}  {}: {}",
        status.mark(),
        exercise.id,
        exercise.title,
        status.note()
    );
    if let Status::Broken(_) = status {
        for error in measurement
            .broken
            .get(&exercise.id)
            .into_iter()
            .flatten()
            .take(3)
        {
            println!("{}", error.rendered.trim_end());
        }
        return;
    }
    for (name, result) in measurement.run.with_prefix(&exercise.test_prefix()) {
        let word = match result.outcome {
            Outcome::Passed => "ok     ",
            Outcome::Failed => "FAILED ",
            Outcome::Ignored => "ignored",
            Outcome::TimedOut => "STOPPED",
        };
        println!("  {word} {name}");
    }
    for (_, result) in measurement.run.with_prefix(&exercise.test_prefix()) {
        if !result.report.is_empty() {
            println!("\n{}", result.report.trim_end());
        }
    }
}

fn print_blocking(measurement: &Measurement) {
    println!("\nThe exercises do not compile, and not because of one exercise file:\n");
    for error in &measurement.blocking {
        println!("{}", error.rendered.trim_end());
    }
    if !measurement.cargo_errors.is_empty() {
        println!("{}", measurement.cargo_errors);
    }
    println!("\nWatching for changes (Ctrl-C to stop).");
}

/// The watcher's events and what the files held when last seen.
struct Changes<'a> {
    rx: mpsc::Receiver<DebounceEventResult>,
    seen: &'a mut Seen,
}

/// Blocks until a relevant file's content changes, or returns [`Interrupted`] on Ctrl-C.
fn wait_for_change(root: &Path, changes: &mut Changes<'_>) -> Result<()> {
    loop {
        if interrupt::requested() {
            return Err(Interrupted.into());
        }
        match changes.rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok(events)) => {
                let mut changed = None;
                for event in &events {
                    // Every event is checked so each file's new state is recorded.
                    if changes.seen.changed(&event.path) && changed.is_none() {
                        changed = Some(event.path.clone());
                    }
                }
                if let Some(path) = changed {
                    let shown = path.strip_prefix(root).unwrap_or(&path);
                    println!("\n{} changed: rerunning.", shown.display());
                    return Ok(());
                }
            }
            Ok(Err(error)) => eprintln!("file watcher: {error}"),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                anyhow::bail!("the file watcher stopped")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_first_exercise_not_done_is_current() {
        let done = BTreeSet::from(["a".to_owned()]);
        let course = Course::new(ids(&["a", "b", "c"]), done, None);
        assert_eq!(course.current(), Some("b"));
        let course = Course::new(ids(&["a", "b"]), BTreeSet::new(), Some("b".into()));
        assert_eq!(course.current(), Some("b"), "an exercise asked for wins");
        let all = BTreeSet::from(["a".to_owned()]);
        assert_eq!(Course::new(ids(&["a"]), all, None).current(), None);
    }

    #[test]
    fn passing_moves_on_skipping_done_ones_and_wrapping_around() {
        let done = BTreeSet::from(["c".to_owned()]);
        let mut course = Course::new(ids(&["a", "b", "c", "d"]), done, Some("b".into()));
        assert_eq!(course.record(false), Step::Wait);
        assert_eq!(course.current(), Some("b"), "failing stays");
        assert_eq!(
            course.record(true),
            Step::MoveOn("d".into()),
            "c is done already"
        );
        assert_eq!(
            course.record(true),
            Step::MoveOn("a".into()),
            "wraps to the start"
        );
        assert_eq!(course.record(true), Step::Finished);
        assert_eq!(course.current(), None);
    }

    #[test]
    fn only_a_new_content_counts_as_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("src/ex01.rs");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "fn a() {}").unwrap();
        let mut seen = Seen::scan(&[dir.path().to_path_buf()]);
        assert!(
            !seen.changed(&file),
            "read, not changed (rustc opening it during a build)"
        );
        std::fs::write(&file, "fn a() {}").unwrap();
        assert!(!seen.changed(&file), "rewritten with the same text");
        std::fs::write(&file, "fn a() { 1; }").unwrap();
        assert!(seen.changed(&file), "new content");
        assert!(
            !seen.changed(&file),
            "recorded: the same event again is no change"
        );
        let new = dir.path().join("src/ex02.rs");
        std::fs::write(&new, "").unwrap();
        assert!(seen.changed(&new), "a new file");
        std::fs::remove_file(&new).unwrap();
        assert!(seen.changed(&new), "a deleted file");
        assert!(!seen.changed(&dir.path().join("notes.md")), "not a source");
    }

    #[test]
    fn only_sources_and_snapshots_trigger_a_rerun() {
        assert!(is_relevant(Path::new(
            "/c/exercises/src/ch01/ex01_field.rs"
        )));
        assert!(is_relevant(Path::new(
            "/c/exercises/tests/snapshots/ch01__x.snap"
        )));
        assert!(!is_relevant(Path::new(
            "/c/exercises/tests/snapshots/ch01__x.snap.new"
        )));
        assert!(!is_relevant(Path::new(
            "/c/exercises/src/ch01/.ex01_field.rs.swp"
        )));
        assert!(!is_relevant(Path::new(
            "/c/exercises/src/ch01/ex01_field.rs~"
        )));
        assert!(!is_relevant(Path::new("/c/exercises/hints/ch01_ex01.md")));
    }
}
