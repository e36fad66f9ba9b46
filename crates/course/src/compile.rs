//! Building the exercise tests with `cargo test --no-run --message-format=json`: the test binaries
//! to run, and rustc's errors with their file and line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Deserialize;

use crate::child;

/// One compiled test binary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestBinary {
    /// The cargo target name: `ch01` for `tests/ch01.rs`, `exercises` for the library's unit tests.
    pub target: String,
    /// The executable.
    pub path: PathBuf,
}

/// One rustc error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file of the primary span, relative to the course root when inside it.
    pub file: Option<PathBuf>,
    /// 1-based line of the primary span (0 if none).
    pub line: usize,
    /// 1-based column of the primary span (0 if none).
    pub column: usize,
    /// The one-line message, such as `mismatched types`.
    pub message: String,
    /// The full text rustc would have printed.
    pub rendered: String,
}

impl Diagnostic {
    /// `exercises/src/ch01/ex01_field.rs:12:5`, or `(no file)`.
    pub fn location(&self) -> String {
        match &self.file {
            Some(file) => format!("{}:{}:{}", file.display(), self.line, self.column),
            None => "(no file)".to_owned(),
        }
    }
}

/// What one build produced.
#[derive(Debug, Default)]
pub struct Build {
    /// Whether cargo reported success.
    pub success: bool,
    /// The test binaries it produced.
    pub binaries: Vec<TestBinary>,
    /// rustc's errors (warnings are left out).
    pub errors: Vec<Diagnostic>,
    /// cargo's own error lines, for failures that are not rustc's (a broken manifest, say).
    pub cargo_errors: String,
    /// How long the build took.
    pub elapsed: Duration,
}

/// Builds the tests of the `exercises` package under `root` with `features`. With a `label` (such as
/// "the exercises"), prints a line before (even without a terminal: a first build takes minutes)
/// and the time after.
pub fn build(root: &Path, features: &[&str], label: Option<&str>) -> Result<Build> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args([
            "test",
            "-p",
            "exercises",
            "--no-run",
            "--message-format=json",
        ])
        .env("CARGO_TERM_COLOR", "never");
    if !features.is_empty() {
        command.args(["--features", &features.join(",")]);
    }
    let spinner = if let Some(label) = label {
        println!("Compiling {label} (the first build takes a few minutes, later ones seconds)...");
        let _ = std::io::stdout().flush();
        let spinner = ProgressBar::new_spinner();
        spinner.set_style(
            ProgressStyle::with_template("  {spinner} {msg} {elapsed}").expect("valid template"),
        );
        spinner.enable_steady_tick(Duration::from_millis(120));
        Some(spinner)
    } else {
        None
    };
    let finished = child::run(command, None, |line| {
        if let (Some(spinner), Some(rest)) =
            (&spinner, line.trim_start().strip_prefix("Compiling "))
        {
            spinner.set_message(format!(
                "compiling {}",
                rest.split(" (").next().unwrap_or(rest)
            ));
        }
    });
    if let Some(spinner) = &spinner {
        spinner.finish_and_clear();
    }
    let finished = finished?;
    let mut build = parse_messages(root, &finished.stdout);
    build.elapsed = finished.elapsed;
    if !build.success {
        build.cargo_errors = finished
            .stderr
            .lines()
            .filter(|l| l.starts_with("error"))
            .collect::<Vec<_>>()
            .join("\n");
    }
    if label.is_some() {
        let verb = if build.success {
            "Compiled"
        } else {
            "The build failed"
        };
        println!("{verb} in {}.", child::human(build.elapsed));
    }
    Ok(build)
}

#[derive(Deserialize)]
struct Message {
    reason: String,
    #[serde(default)]
    executable: Option<PathBuf>,
    #[serde(default)]
    target: Option<Target>,
    #[serde(default)]
    profile: Option<Profile>,
    #[serde(default)]
    message: Option<RustcMessage>,
    #[serde(default)]
    success: Option<bool>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
}

#[derive(Deserialize)]
struct Profile {
    test: bool,
}

#[derive(Deserialize)]
struct RustcMessage {
    message: String,
    level: String,
    #[serde(default)]
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    file_name: PathBuf,
    line_start: usize,
    column_start: usize,
    #[serde(default)]
    is_primary: bool,
    #[serde(default)]
    expansion: Option<Box<Expansion>>,
}

/// Where a macro was called: an error inside `assert_eq!` has its primary span in the standard
/// library's macro and the student's line here.
#[derive(Deserialize)]
struct Expansion {
    span: Span,
}

impl Span {
    /// The first span along the macro call chain that lies in the course (a relative path, or an
    /// absolute one under `root`), or the span itself.
    fn in_course(&self, root: &Path) -> &Span {
        let mut span = self;
        loop {
            if span.file_name.is_relative() || span.file_name.starts_with(root) {
                return span;
            }
            match &span.expansion {
                Some(expansion) => span = &expansion.span,
                None => return self,
            }
        }
    }
}

/// Reads cargo's JSON lines (anything that is not a JSON message is skipped).
pub fn parse_messages(root: &Path, stdout: &str) -> Build {
    let mut build = Build::default();
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<Message>(line) else {
            continue;
        };
        match message.reason.as_str() {
            "compiler-artifact" => {
                if let (Some(path), Some(target), Some(Profile { test: true })) =
                    (message.executable, message.target, message.profile)
                {
                    build.binaries.push(TestBinary {
                        target: target.name,
                        path,
                    });
                }
            }
            "compiler-message" => {
                let Some(m) = message.message else { continue };
                if !m.level.starts_with("error") || m.message.starts_with("aborting due to") {
                    continue;
                }
                let primary = m
                    .spans
                    .iter()
                    .find(|s| s.is_primary)
                    .or(m.spans.first())
                    .map(|s| s.in_course(root));
                let error = Diagnostic {
                    file: primary.map(|s| relative(root, &s.file_name)),
                    line: primary.map_or(0, |s| s.line_start),
                    column: primary.map_or(0, |s| s.column_start),
                    rendered: m.rendered.unwrap_or_else(|| m.message.clone()),
                    message: m.message,
                };
                // The library is compiled twice (for the test binaries and for its own unit
                // tests), so each of its errors comes twice.
                if !build.errors.contains(&error) {
                    build.errors.push(error);
                }
            }
            "build-finished" => build.success = message.success.unwrap_or(false),
            _ => {}
        }
    }
    build
}

/// `file` relative to `root` if it is inside it (rustc names workspace files relative to the
/// workspace root, and files reached through an absolute `#[path]` absolutely).
fn relative(root: &Path, file: &Path) -> PathBuf {
    file.strip_prefix(root).unwrap_or(file).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Trimmed from real `cargo test --no-run --message-format=json` output.
    const OUTPUT: &str = r#"{"reason":"compiler-artifact","package_id":"path+file:///c/exercises#0.1.0","target":{"kind":["lib"],"name":"exercises"},"profile":{"test":false},"executable":null,"fresh":true}
{"reason":"compiler-message","package_id":"path+file:///c/exercises#0.1.0","target":{"kind":["lib"],"name":"exercises"},"message":{"rendered":"warning: unused variable: `x`\n","$message_type":"diagnostic","children":[],"code":null,"level":"warning","message":"unused variable: `x`","spans":[{"file_name":"exercises/src/ch01/ex01_field.rs","line_start":3,"column_start":9,"is_primary":true}]}}
{"reason":"compiler-message","package_id":"path+file:///c/exercises#0.1.0","target":{"kind":["lib"],"name":"exercises"},"message":{"rendered":"error[E0308]: mismatched types\n --> exercises/src/ch01/ex02_naive_fix.rs:14:5\n","$message_type":"diagnostic","children":[{"message":"expected due to this","spans":[]}],"code":{"code":"E0308"},"level":"error","message":"mismatched types","spans":[{"file_name":"exercises/src/ch01/ex02_naive_fix.rs","line_start":10,"column_start":20,"is_primary":false},{"file_name":"exercises/src/ch01/ex02_naive_fix.rs","line_start":14,"column_start":5,"is_primary":true}]}}
{"reason":"compiler-message","package_id":"path+file:///c/exercises#0.1.0","target":{"kind":["lib"],"name":"exercises"},"message":{"rendered":"error: expected `;`\n","$message_type":"diagnostic","children":[],"code":null,"level":"error","message":"expected `;`","spans":[{"file_name":"/c/.course/../exercises/src/ch02/ex01_x.rs","line_start":7,"column_start":1,"is_primary":true}]}}
{"reason":"compiler-message","package_id":"path+file:///c/exercises#0.1.0","target":{"kind":["lib"],"name":"exercises"},"message":{"rendered":"error: aborting due to 2 previous errors\n","$message_type":"diagnostic","children":[],"code":null,"level":"error","message":"aborting due to 2 previous errors","spans":[]}}
{"reason":"compiler-artifact","package_id":"path+file:///c/exercises#0.1.0","target":{"kind":["test"],"name":"ch01"},"profile":{"test":true},"executable":"/c/target/debug/deps/ch01-49a2e389932bcfa5","fresh":false}
   Compiling exercises v0.1.0 (not json: skipped)
{"reason":"build-finished","success":false}
"#;

    #[test]
    fn reads_binaries_errors_and_the_verdict() {
        let build = parse_messages(Path::new("/c"), OUTPUT);
        assert!(!build.success);
        assert_eq!(
            build.binaries,
            [TestBinary {
                target: "ch01".into(),
                path: "/c/target/debug/deps/ch01-49a2e389932bcfa5".into()
            }]
        );
        assert_eq!(
            build.errors.len(),
            2,
            "warnings and 'aborting' are left out"
        );
        let first = &build.errors[0];
        assert_eq!(
            first.location(),
            "exercises/src/ch01/ex02_naive_fix.rs:14:5"
        );
        assert_eq!(first.message, "mismatched types");
        assert!(first.rendered.starts_with("error[E0308]"));
        assert_eq!(
            build.errors[1].file.as_deref(),
            Some(Path::new(".course/../exercises/src/ch02/ex01_x.rs")),
            "an absolute path inside the root is made relative"
        );
    }

    #[test]
    fn an_error_inside_a_macro_is_placed_at_the_call() {
        let line = r#"{"reason":"compiler-message","message":{"rendered":"error[E0277]: can't compare","level":"error","message":"can't compare `u8` with `&str`","spans":[{"file_name":"/rustc/5980/library/core/src/macros/mod.rs","line_start":46,"column_start":22,"is_primary":true,"expansion":{"span":{"file_name":"exercises/tests/ch02.rs","line_start":66,"column_start":5,"is_primary":false,"expansion":null},"macro_decl_name":"assert_eq!","def_site_span":{"file_name":"/rustc/5980/library/core/src/macros/mod.rs","line_start":40,"column_start":1,"is_primary":false,"expansion":null}}}]}}"#;
        let build = parse_messages(Path::new("/c"), line);
        assert_eq!(build.errors[0].location(), "exercises/tests/ch02.rs:66:5");
    }

    #[test]
    fn a_successful_build_with_no_tests() {
        let build = parse_messages(
            Path::new("/c"),
            "{\"reason\":\"build-finished\",\"success\":true}\n",
        );
        assert!(build.success);
        assert!(build.binaries.is_empty() && build.errors.is_empty());
    }
}
