//! The runner end to end, on a two-exercise course (tests/fixtures/course) copied to a temporary
//! folder: real cargo builds, real test binaries. Every wait is bounded.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Generous: a cold build of the fixture on a loaded 2-core machine.
const LIMIT: Duration = Duration::from_secs(300);

struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// A fresh copy of the fixture course.
fn course() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("course");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/course"),
        &root,
    );
    (dir, root)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read fixture dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_course"));
    command
        .current_dir(dir)
        .args(args)
        .env_remove("COURSE_TEST_TIMEOUT")
        .env_remove("CARGO_TARGET_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Runs the runner to its end within `LIMIT`, or kills it and fails the test.
fn run(mut command: Command) -> Output {
    let mut child = command.spawn().expect("start the runner");
    let stdout = reader(child.stdout.take().expect("stdout"));
    let stderr = reader(child.stderr.take().expect("stderr"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the runner did not finish within {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        code: status.code(),
        stdout: stdout
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_default(),
        stderr: stderr
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_default(),
    }
}

fn reader(mut pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        let _ = tx.send(text);
    });
    rx
}

fn write(root: &Path, path: &str, text: &str) {
    std::fs::write(root.join(path), text).expect("write fixture file");
}

fn read(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).expect("read fixture file")
}

const STUB_01: &str = "exercises/src/ch01/ex01_add.rs";
const STUB_02: &str = "exercises/src/ch01/ex02_largest.rs";
/// A correct ex01 that is not the reference solution's text.
const MINE_01: &str = "pub fn add(a: u32, b: u32) -> u32 {\n    b.saturating_add(a)\n}\n";

/// The checklist line of exercise `id` in `progress` output.
fn line_with<'a>(text: &'a str, id: &str) -> &'a str {
    text.lines()
        .find(|l| l.trim_start().starts_with('[') && l.contains(id))
        .unwrap_or_else(|| panic!("no checklist line for {id:?} in:\n{text}"))
}

#[test]
fn hint_prints_the_first_level_and_the_second_on_request() {
    let (_dir, root) = course();
    let first = run(command(&root, &["hint", "ch01::ex01"]));
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert!(
        first.stdout.contains("What does the book say about sums?"),
        "{}",
        first.stdout
    );
    assert!(
        !first.stdout.contains("operator"),
        "the second level stays hidden: {}",
        first.stdout
    );
    assert!(
        first.stdout.contains("cargo course hint ch01::ex01 --more"),
        "{}",
        first.stdout
    );

    let more = run(command(&root, &["hint", "ch01::ex01", "--more"]));
    assert!(
        more.stdout.contains("The `+` operator adds two numbers."),
        "{}",
        more.stdout
    );

    let single = run(command(&root, &["hint", "ch01::ex02"]));
    assert!(
        !single.stdout.contains("--more"),
        "no second level, no mention: {}",
        single.stdout
    );
    assert!(
        single.stdout.contains("cargo course solve ch01::ex02"),
        "{}",
        single.stdout
    );
}

#[test]
fn outside_a_course_the_runner_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(command(dir.path(), &["progress"]));
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("no course here"), "{}", out.stderr);
}

/// The bug this guards against: two copies built into one target dir, and `progress` in one
/// reporting the other's exercises (the runner used the path it was compiled in).
#[test]
fn each_copy_is_judged_by_its_own_files_even_with_one_target_dir() {
    let (_a_dir, a) = course();
    let (_b_dir, b) = course();
    let target = tempfile::tempdir().expect("temp dir");
    write(&b, STUB_01, MINE_01);

    let progress = |root: &Path| {
        // From a folder inside the course: the runner walks up to its root.
        let mut c = command(&root.join("exercises/src"), &["progress"]);
        c.env("CARGO_TARGET_DIR", target.path());
        run(c)
    };
    let in_b = progress(&b);
    assert_eq!(in_b.code, Some(0), "{}\n{}", in_b.stdout, in_b.stderr);
    assert!(
        line_with(&in_b.stdout, "ch01::ex01").contains("[x]"),
        "B's own solved file counts: {}",
        in_b.stdout
    );
    assert!(line_with(&in_b.stdout, "ch01::ex01").contains("3 of 3 tests"));
    assert!(
        line_with(&in_b.stdout, "ch01::ex01").contains("easy"),
        "difficulty shown"
    );
    assert!(
        line_with(&in_b.stdout, "ch01::ex02").contains("[ ]"),
        "{}",
        in_b.stdout
    );
    assert!(line_with(&in_b.stdout, "ch01::ex02").contains("0 of 3 tests"));
    // Said before the build, without a terminal, and timed after.
    let compiling = in_b
        .stdout
        .find("Compiling the exercises")
        .expect("a line before the build");
    let compiled = in_b.stdout.find("Compiled in ").expect("the build time");
    assert!(compiling < compiled);
    assert!(in_b.stdout.contains("Next: ch01::ex02"), "{}", in_b.stdout);

    let in_a = progress(&a);
    assert!(
        line_with(&in_a.stdout, "ch01::ex01").contains("[ ]"),
        "A's stub is not B's solution: {}",
        in_a.stdout
    );
    assert!(in_a.stdout.contains("Next: ch01::ex01"), "{}", in_a.stdout);
}

#[test]
fn solve_is_marked_and_restore_brings_the_attempt_back() {
    let (_dir, root) = course();
    let attempt = "pub fn add(a: u32, b: u32) -> u32 {\n    a * b // my attempt\n}\n";
    write(&root, STUB_01, attempt);
    let solve = run(command(&root, &["solve", "ch01::ex01"]));
    assert_eq!(solve.code, Some(0), "{}", solve.stderr);
    assert!(
        solve.stdout.contains(".course/saved/ch01/ex01_add."),
        "{}",
        solve.stdout
    );
    assert_eq!(
        read(&root, STUB_01),
        read(&root, "solutions/ch01/ex01_add.rs")
    );

    let progress = run(command(&root, &["progress"]));
    let line = line_with(&progress.stdout, "ch01::ex01");
    assert!(
        line.contains("[s]") && line.contains("cargo course solve"),
        "{}",
        progress.stdout
    );
    assert!(
        progress.stdout.contains("0/2 exercises done")
            || progress.stdout.contains("1/2 exercises done (1 with"),
        "{}",
        progress.stdout
    );

    let restore = run(command(&root, &["restore", "ch01::ex01"]));
    assert_eq!(restore.code, Some(0), "{}", restore.stderr);
    assert_eq!(read(&root, STUB_01), attempt, "the attempt is back");
    let list = run(command(&root, &["restore", "ch01::ex01", "--list"]));
    assert!(
        list.stdout.contains(".course/saved/ch01/ex01_add."),
        "{}",
        list.stdout
    );
}

#[test]
fn a_compile_error_names_its_file_and_line_and_the_others_still_show() {
    let (_dir, root) = course();
    write(&root, STUB_01, MINE_01);
    write(
        &root,
        STUB_02,
        "pub fn largest(numbers: &[i64]) -> Option<i64> {\n    let n: i64 = \"many\";\n    Some(n)\n}\n",
    );
    let out = run(command(&root, &["progress"]));
    assert_eq!(out.code, Some(0), "{}\n{}", out.stdout, out.stderr);
    let broken = line_with(&out.stdout, "ch01::ex02");
    assert!(broken.contains("[!]"), "{}", out.stdout);
    assert!(
        broken.contains("exercises/src/ch01/ex02_largest.rs:2:"),
        "file and line of the error: {}",
        out.stdout
    );
    assert!(out.stdout.contains("mismatched types"), "{}", out.stdout);
    assert!(
        line_with(&out.stdout, "ch01::ex01").contains("[x]"),
        "the other exercise is still measured: {}",
        out.stdout
    );
    assert_eq!(
        read(&root, STUB_01),
        MINE_01,
        "the student's files are untouched"
    );
}

#[test]
fn a_test_that_hangs_is_stopped_and_named() {
    let (_dir, root) = course();
    write(&root, STUB_01, MINE_01);
    write(
        &root,
        STUB_02,
        "pub fn largest(numbers: &[i64]) -> Option<i64> {\n    loop {\n        std::thread::sleep(std::time::Duration::from_millis(20));\n    }\n}\n",
    );
    let start = Instant::now();
    let out = run(command(&root, &["--timeout", "5", "progress"]));
    assert_eq!(out.code, Some(0), "{}\n{}", out.stdout, out.stderr);
    let hung = line_with(&out.stdout, "ch01::ex02");
    assert!(
        hung.contains("[!]") && hung.contains("did not finish"),
        "{}",
        out.stdout
    );
    assert!(
        hung.contains("ch01_ex02_"),
        "the test is named: {}",
        out.stdout
    );
    assert!(
        line_with(&out.stdout, "ch01::ex01").contains("[x]"),
        "{}",
        out.stdout
    );
    assert!(start.elapsed() < LIMIT);
}

#[test]
fn verify_proves_each_wrong_variant_fails_and_reports_one_that_does_not() {
    let (_dir, root) = course();
    let ok = run(command(&root, &["verify"]));
    assert_eq!(ok.code, Some(0), "{}\n{}", ok.stdout, ok.stderr);
    for line in [
        "ch01::ex02 [boundaries] exercises/wrong/ch01/ex02_largest/from_zero.rs: caught by \
         ch01_ex02_empty, ch01_ex02_negative (2 of 3 tests fail)",
        "ch01::ex02 [errors] exercises/wrong/ch01/ex02_largest/indexes.rs: caught by \
         ch01_ex02_empty (1 of 3 tests fail)",
        "ch01::ex01 [boundaries] exercises/wrong/ch01/ex01_add/wrapping.rs: caught by \
         ch01_ex01_saturates (1 of 3 tests fail)",
        "ch01::ex01 [spec] exercises/wrong/ch01/ex01_add/bits.rs: caught by ch01_ex01_carries, \
         ch01_ex01_small_numbers (2 of 3 tests fail)",
    ] {
        assert!(ok.stdout.contains(line), "{line}\n{}", ok.stdout);
    }

    // A wrong variant the tests cannot tell from the solution, and a difficulty left out.
    write(
        &root,
        "exercises/wrong/ch01/ex01_add/wrapping.rs",
        &format!(
            "//! class: boundaries\n{}",
            read(&root, "solutions/ch01/ex01_add.rs")
        ),
    );
    let manifest = read(&root, "exercises/exercises.toml").replace("difficulty = \"medium\"\n", "");
    write(&root, "exercises/exercises.toml", &manifest);
    let bad = run(command(&root, &["verify"]));
    assert_eq!(bad.code, Some(1), "{}\n{}", bad.stdout, bad.stderr);
    assert!(
        bad.stderr.contains(
            "ch01::ex01 [boundaries] exercises/wrong/ch01/ex01_add/wrapping.rs: NOT CAUGHT (all 3 \
             tests pass): the tests do not catch the mistake it is about"
        ),
        "{}",
        bad.stderr
    );
    assert!(
        bad.stderr.contains("ch01::ex02: no difficulty"),
        "{}",
        bad.stderr
    );

    // Fewer than three variants, or a variant without its class, is reported like a missing hint.
    std::fs::remove_file(root.join("exercises/wrong/ch01/ex02_largest/first.rs")).expect("remove");
    write(
        &root,
        "exercises/wrong/ch01/ex01_add/bits.rs",
        "pub fn add(a: u32, b: u32) -> u32 {\n    a | b\n}\n",
    );
    // And a chapter that is not routed through the shadow tree: its variants cannot be judged.
    write(&root, "exercises/src/lib.rs", "pub mod ch01;\n");
    let missing = run(command(&root, &["verify"]));
    assert_eq!(missing.code, Some(1));
    for problem in [
        "ch01::ex02: 2 wrong variant(s) in exercises/wrong/ch01/ex02_largest; each exercise needs \
         at least 3",
        "exercises/wrong/ch01/ex01_add/bits.rs: no `//! class: NAME` line",
        "the wrong variants cannot be swapped in",
        "exercises/src/lib.rs must route ch01 through the shadow tree",
    ] {
        assert!(
            missing.stderr.contains(problem),
            "{problem}\n{}",
            missing.stderr
        );
    }
}

#[test]
fn wrong_runs_one_exercise_and_names_what_caught_each_variant() {
    let (_dir, root) = course();
    let out = run(command(&root, &["wrong", "ch01::ex02"]));
    assert_eq!(out.code, Some(0), "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("exercises/wrong/ch01/ex02_largest/first.rs: caught by")
    );
    assert!(
        !out.stdout.contains("ex01_add"),
        "only the exercise asked for: {}",
        out.stdout
    );
    // A variant that does not compile is named with its error; the others are still judged.
    write(
        &root,
        "exercises/wrong/ch01/ex02_largest/first.rs",
        "//! class: spec\npub fn largest(numbers: &[i64]) -> Option<i64> {\n    \"x\"\n}\n",
    );
    let out = run(command(&root, &["wrong", "ch01"]));
    assert_eq!(out.code, Some(1), "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("exercises/wrong/ch01/ex02_largest/first.rs: does not compile"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("mismatched types"), "{}", out.stderr);
    assert!(
        out.stdout
            .contains("exercises/wrong/ch01/ex01_add/bits.rs: caught by"),
        "{}",
        out.stdout
    );
}

#[cfg(unix)]
#[test]
fn watch_reruns_on_save_moves_on_and_quits_on_ctrl_c() {
    let (_dir, root) = course();
    let mut child: Child = command(&root, &["watch"]).spawn().expect("start watch");
    let (tx, rx) = mpsc::channel::<String>();
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = String::new();
    let mut wait_for = |needle: &str, limit: Duration| {
        let deadline = Instant::now() + limit;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(line) => {
                    seen.push_str(&line);
                    seen.push('\n');
                    if line.contains(needle) {
                        return;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("no line with {needle:?} within {limit:?}; output so far:\n{seen}");
    };
    let stop = |child: &mut Child| {
        let _ = child.kill();
        let _ = child.wait();
    };

    wait_for(
        "Watching for changes: save exercises/src/ch01/ex01_add.rs",
        LIMIT,
    );
    write(&root, STUB_01, MINE_01);
    wait_for("ex01_add.rs changed: rerunning", Duration::from_secs(30));
    wait_for("[x] ch01::ex01", LIMIT);
    wait_for("Next: ch01::ex02", Duration::from_secs(30));
    wait_for(
        "Watching for changes: save exercises/src/ch01/ex02_largest.rs",
        LIMIT,
    );

    let pid = child.id().to_string();
    let signal = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill -INT");
    assert!(signal.success());
    wait_for("Stopped watching.", Duration::from_secs(30));
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            stop(&mut child);
            panic!("watch did not exit after Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "Ctrl-C is a clean exit: {status}");
}

#[test]
fn a_test_that_crashes_its_process_fails_alone() {
    let (_dir, root) = course();
    write(&root, STUB_01, MINE_01);
    // Unbounded recursion: a stack overflow aborts the whole test process.
    write(
        &root,
        STUB_02,
        "pub fn largest(numbers: &[i64]) -> Option<i64> {\n    let deeper = largest(numbers);\n    deeper.map(|n| n + 1)\n}\n",
    );
    let out = run(command(&root, &["progress"]));
    assert_eq!(out.code, Some(0), "{}\n{}", out.stdout, out.stderr);
    assert!(
        line_with(&out.stdout, "ch01::ex02").contains("0 of 3 tests"),
        "{}",
        out.stdout
    );
    assert!(
        line_with(&out.stdout, "ch01::ex01").contains("[x]"),
        "the other exercise's tests still report: {}",
        out.stdout
    );
}

#[test]
fn progress_along_a_path_shows_only_its_exercises_in_its_order() {
    let (_dir, root) = course();
    write(
        &root,
        "exercises/paths.toml",
        "[[path]]\nname = \"quick\"\ntitle = \"The quick one\"\npage = \"ch01/exercises.md\"\n\
         exercises = [\"ch01::ex02\"]\n",
    );
    write(&root, STUB_01, MINE_01);
    let out = run(command(&root, &["progress", "--path", "quick"]));
    assert_eq!(out.code, Some(0), "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("Path `quick`: The quick one"),
        "{}",
        out.stdout
    );
    assert!(
        line_with(&out.stdout, "ch01::ex02").contains("[ ]"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("ch01::ex01"),
        "an exercise off the path is not shown: {}",
        out.stdout
    );
    assert!(
        out.stdout.contains("cargo course watch --path quick"),
        "the next step stays on the path: {}",
        out.stdout
    );
    let unknown = run(command(&root, &["progress", "--path", "nowhere"]));
    assert_eq!(unknown.code, Some(1));
    assert!(
        unknown
            .stderr
            .contains("no path \"nowhere\"; the paths are: quick"),
        "{}",
        unknown.stderr
    );
}
