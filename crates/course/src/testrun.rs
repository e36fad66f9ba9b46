//! Runs the exercise tests with a deadline, naming any test that does not finish.
//!
//! Each chapter's test binary first runs whole (libtest's own threads, so it is as fast as
//! `cargo test`), killed if it is still running after the per-test timeout. Any test it did not
//! report, because it hung, or because the process died of a stack overflow or abort, is then run
//! alone in its own process with the same deadline (as cargo-nextest runs every test). So a test
//! that loops forever is stopped and named while every other test still reports, and "k of n tests"
//! per exercise comes from exact per-test outcomes.

use std::collections::{BTreeMap, VecDeque};
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::child;
use crate::compile::TestBinary;

/// How one test ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// `test name ... ok`
    Passed,
    /// `test name ... FAILED`, or the process died before reporting.
    Failed,
    /// `test name ... ignored`
    Ignored,
    /// Still running at the deadline; killed.
    TimedOut,
}

/// One test's outcome and, unless it passed, what it said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestResult {
    /// How it ended.
    pub outcome: Outcome,
    /// The panic message, snapshot diff or timeout note.
    pub report: String,
}

/// The results of one run.
#[derive(Debug, Default)]
pub struct TestRun {
    /// Test name to result.
    pub results: BTreeMap<String, TestResult>,
}

impl TestRun {
    /// The tests whose names start with `prefix`, in name order.
    pub fn with_prefix<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a TestResult)> {
        self.results
            .iter()
            .filter(move |(name, _)| name.starts_with(prefix))
            .map(|(name, result)| (name.as_str(), result))
    }
}

/// What to run and how long each test may take.
pub struct Plan<'a> {
    /// The course root.
    pub root: &'a Path,
    /// The binaries from the build.
    pub binaries: &'a [TestBinary],
    /// Which test names to run.
    pub select: &'a (dyn Fn(&str) -> bool + Sync),
    /// Each test is killed after this long.
    pub timeout: Duration,
    /// Print a line before and the time after.
    pub announce: bool,
}

/// Runs the selected tests of every binary (see the module doc for how).
pub fn run(plan: &Plan<'_>) -> Result<TestRun> {
    let mut jobs = Vec::new();
    for binary in plan.binaries {
        let names: Vec<String> = list(plan.root, binary)?
            .into_iter()
            .filter(|name| (plan.select)(name))
            .collect();
        if !names.is_empty() {
            jobs.push((binary, names));
        }
    }
    let count: usize = jobs.iter().map(|(_, names)| names.len()).sum();
    if plan.announce {
        println!(
            "Running {count} test{} (any test still running after {} is stopped)...",
            if count == 1 { "" } else { "s" },
            child::human(plan.timeout)
        );
        let _ = std::io::stdout().flush();
    }
    let start = Instant::now();
    let mut results = BTreeMap::new();
    let mut leftovers = VecDeque::new();
    for (binary, names) in jobs {
        let found = run_whole(plan.root, binary, &names, plan.timeout)?;
        for name in names {
            match found.get(&name) {
                Some(result) => {
                    results.insert(name, result.clone());
                }
                None => leftovers.push_back((binary, name)),
            }
        }
    }
    if plan.announce && !leftovers.is_empty() {
        println!(
            "{} test{} did not report; running each alone...",
            leftovers.len(),
            if leftovers.len() == 1 { "" } else { "s" }
        );
    }
    results.extend(run_alone(plan.root, leftovers, plan.timeout)?);
    if plan.announce {
        println!("Ran them in {}.", child::human(start.elapsed()));
    }
    Ok(TestRun { results })
}

/// Runs `names` in one process of `binary`; returns the tests it reported before it ended or was
/// stopped.
fn run_whole(
    root: &Path,
    binary: &TestBinary,
    names: &[String],
    timeout: Duration,
) -> Result<BTreeMap<String, TestResult>> {
    let mut command = test_command(root, binary);
    command.args(names).args(["--exact", "--color", "never"]);
    let finished = child::run(command, Some(timeout), |_| {})?;
    let mut reports = split_failures(&finished.stdout);
    Ok(parse_libtest(&finished.stdout)
        .into_iter()
        .map(|(name, outcome)| {
            let report = if outcome == Outcome::Passed {
                String::new()
            } else {
                reports.remove(&name).unwrap_or_default()
            };
            (name, TestResult { outcome, report })
        })
        .collect())
}

/// Runs each test in its own process, a few at a time.
fn run_alone(
    root: &Path,
    jobs: VecDeque<(&TestBinary, String)>,
    timeout: Duration,
) -> Result<BTreeMap<String, TestResult>> {
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, 8)
        .min(jobs.len().max(1));
    let jobs = Mutex::new(jobs);
    let results = Mutex::new(BTreeMap::new());
    let failure = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    if failure.lock().map_or(true, |f| f.is_some()) {
                        return;
                    }
                    let Some((binary, name)) = jobs.lock().ok().and_then(|mut j| j.pop_front())
                    else {
                        return;
                    };
                    match run_one(root, binary, &name, timeout) {
                        Ok(result) => {
                            if let Ok(mut results) = results.lock() {
                                results.insert(name, result);
                            }
                        }
                        Err(error) => {
                            if let Ok(mut failure) = failure.lock() {
                                failure.get_or_insert(error);
                            }
                            return;
                        }
                    }
                }
            });
        }
    });
    if let Some(error) = failure.into_inner().ok().flatten() {
        return Err(error);
    }
    Ok(results.into_inner().unwrap_or_default())
}

/// The test names in one binary (`--list --format terse` prints `name: test`).
fn list(root: &Path, binary: &TestBinary) -> Result<Vec<String>> {
    let mut command = test_command(root, binary);
    command.args(["--list", "--format", "terse"]);
    let finished = child::run(command, Some(Duration::from_secs(60)), |_| {})
        .with_context(|| format!("listing the tests in {}", binary.path.display()))?;
    if !finished.status.is_some_and(|s| s.success()) {
        bail!(
            "listing the tests in {} failed: {}",
            binary.path.display(),
            finished.stderr.trim()
        );
    }
    Ok(parse_list(&finished.stdout))
}

/// `name: test` lines; benchmarks and summary lines are skipped.
pub fn parse_list(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_owned)
        .collect()
}

fn test_command(root: &Path, binary: &TestBinary) -> Command {
    let package = root.join("exercises");
    let mut command = Command::new(&binary.path);
    command
        // As `cargo test` runs it: from the package directory, with its manifest dir.
        .current_dir(&package)
        .env("CARGO_MANIFEST_DIR", &package)
        // A snapshot mismatch fails the test and writes nothing.
        .env("INSTA_UPDATE", "no")
        .env_remove("INSTA_FORCE_PASS")
        // Tells insta not to advise `cargo insta test`, a tool students do not have.
        .env("INSTA_CARGO_INSTA", "1")
        // insta would otherwise ask `cargo metadata` for the workspace, once per test.
        .env("INSTA_WORKSPACE_ROOT", root);
    command
}

fn run_one(root: &Path, binary: &TestBinary, name: &str, timeout: Duration) -> Result<TestResult> {
    let mut command = test_command(root, binary);
    command.args([name, "--exact", "--color", "never", "--test-threads", "1"]);
    let finished = child::run(command, Some(timeout), |_| {})?;
    if finished.timed_out() {
        return Ok(TestResult {
            outcome: Outcome::TimedOut,
            report: format!(
                "test {name} did not finish within {} and was stopped (an endless loop, or a wait \
                 for something that never comes?)",
                child::human(timeout)
            ),
        });
    }
    let outcome = parse_libtest(&finished.stdout).remove(name);
    Ok(match outcome {
        Some(Outcome::Passed) => TestResult {
            outcome: Outcome::Passed,
            report: String::new(),
        },
        Some(outcome) => TestResult {
            outcome,
            report: failure_report(&finished.stdout),
        },
        None => TestResult {
            outcome: Outcome::Failed,
            report: format!(
                "test {name} crashed before reporting ({}):\n{}{}",
                finished
                    .status
                    .map_or_else(|| "killed".to_owned(), |s| s.to_string()),
                finished.stdout,
                finished.stderr
            ),
        },
    })
}

/// Reads `test NAME ... ok|FAILED|ignored` lines.
pub fn parse_libtest(stdout: &str) -> BTreeMap<String, Outcome> {
    let mut outcomes = BTreeMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, result)) = rest.split_once(" ... ") else {
            continue;
        };
        let outcome = match result.trim() {
            "ok" => Outcome::Passed,
            "FAILED" => Outcome::Failed,
            r if r.starts_with("ignored") => Outcome::Ignored,
            _ => continue,
        };
        outcomes.insert(name.trim().to_owned(), outcome);
    }
    outcomes
}

/// What libtest printed about the failures: the `---- name stdout ----` blocks, without the
/// summary list of names that follows them.
pub fn failure_report(stdout: &str) -> String {
    let Some(start) = stdout.find("\nfailures:\n") else {
        return String::new();
    };
    let details = &stdout[start + "\nfailures:\n".len()..];
    let end = details.find("\nfailures:\n").unwrap_or(details.len());
    details[..end].trim().to_owned()
}

/// The failure report of each failed test: its `---- name stdout ----` block.
pub fn split_failures(stdout: &str) -> BTreeMap<String, String> {
    let report = failure_report(stdout);
    let mut blocks = BTreeMap::new();
    let mut rest = report.as_str();
    while let Some(start) = rest.find("---- ") {
        let block = &rest[start..];
        let header_end = block.find('\n').unwrap_or(block.len());
        let name = block[5..header_end]
            .trim_end_matches(" ----")
            .trim_end_matches(" stdout")
            .trim_end_matches(" stderr")
            .to_owned();
        let next = block[header_end..]
            .find("\n---- ")
            .map_or(block.len(), |i| header_end + i + 1);
        blocks
            .entry(name)
            .and_modify(|text: &mut String| text.push_str(&block[..next]))
            .or_insert_with(|| block[..next].trim_end().to_owned());
        rest = &block[next..];
    }
    blocks
}

/// Counts of one exercise's tests: passed, and all that are not ignored.
pub fn passed_of(run: &TestRun, prefix: &str) -> (usize, usize) {
    let mut passed = 0;
    let mut total = 0;
    for (_, result) in run.with_prefix(prefix) {
        match result.outcome {
            Outcome::Ignored => {}
            Outcome::Passed => {
                passed += 1;
                total += 1;
            }
            Outcome::Failed | Outcome::TimedOut => total += 1,
        }
    }
    (passed, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE_BINARY: &str = "\nrunning 4 tests\ntest ch01_ex01_a ... ok\ntest ch01_ex01_b ... FAILED\n\
        test ch01_ex02_c ... ignored, slow\ntest ch01_ex02_d ... ok\n\nfailures:\n\n\
        ---- ch01_ex01_b stdout ----\n\nthread 'ch01_ex01_b' panicked at tests/ch01.rs:9:5:\n\
        assertion `left == right` failed: field name: left = yours, right = expected\n  left: 1\n right: 2\n\n\n\
        failures:\n    ch01_ex01_b\n\ntest result: FAILED. 2 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out\n";

    #[test]
    fn reads_libtest_lines() {
        let outcomes = parse_libtest(ONE_BINARY);
        assert_eq!(outcomes["ch01_ex01_a"], Outcome::Passed);
        assert_eq!(outcomes["ch01_ex01_b"], Outcome::Failed);
        assert_eq!(outcomes["ch01_ex02_c"], Outcome::Ignored);
        assert_eq!(outcomes.len(), 4, "the summary line is not a test");
    }

    #[test]
    fn counts_k_of_n_per_exercise() {
        let run = TestRun {
            results: parse_libtest(ONE_BINARY)
                .into_iter()
                .map(|(name, outcome)| {
                    let report = String::new();
                    (name, TestResult { outcome, report })
                })
                .collect(),
        };
        assert_eq!(passed_of(&run, "ch01_ex01_"), (1, 2));
        assert_eq!(
            passed_of(&run, "ch01_ex02_"),
            (1, 1),
            "ignored tests do not count"
        );
        assert_eq!(passed_of(&run, "ch01_ex03_"), (0, 0));
    }

    #[test]
    fn keeps_the_failure_details_without_the_name_list() {
        let report = failure_report(ONE_BINARY);
        assert!(
            report.starts_with("---- ch01_ex01_b stdout ----"),
            "{report}"
        );
        assert!(report.contains("left = yours, right = expected"));
        assert!(!report.contains("test result"), "{report}");
        assert!(
            !report.ends_with("ch01_ex01_b"),
            "the summary list is cut: {report}"
        );
        assert_eq!(failure_report("test a ... ok\n"), "");
    }

    #[test]
    fn splits_the_report_per_test() {
        let out = "test a ... FAILED\ntest b ... FAILED\n\nfailures:\n\n---- a stdout ----\nfirst \
                   panic\n---- b stdout ----\nsecond\npanic\n\nfailures:\n    a\n    b\n";
        let blocks = split_failures(out);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks["a"], "---- a stdout ----\nfirst panic");
        assert_eq!(blocks["b"], "---- b stdout ----\nsecond\npanic");
    }

    #[test]
    fn lists_tests_not_benchmarks() {
        let list = "ch01_ex01_a: test\nch01_ex01_b: test\nbench_x: bench\n\n2 tests, 1 benchmark\n";
        assert_eq!(parse_list(list), ["ch01_ex01_a", "ch01_ex01_b"]);
    }
}
