//! `cargo course hint ID [--more]`: hints in two levels, split by a line that is exactly
//! `<!-- more -->`. The first level asks a question or names the book section and the spec step;
//! the second gives the idea in words; neither gives the code, which only the solution holds
//! ([`leaks`] is the check `verify` runs). The book links to `cargo course hint` instead of
//! printing hints, so the answer stays one deliberate step away.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::manifest::Exercise;

/// The line that separates the first level from the fuller second one.
pub const MORE: &str = "<!-- more -->";

/// A hint file's two levels.
#[derive(Debug, PartialEq, Eq)]
pub struct Hint<'a> {
    /// The nudge: a question or a pointer to the book section and spec step.
    pub first: &'a str,
    /// The fuller hint, if the file has one.
    pub more: Option<&'a str>,
}

/// Splits a hint file at its first `<!-- more -->` line.
pub fn split(text: &str) -> Hint<'_> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']).trim() == MORE {
            let more = text[offset + line.len()..].trim();
            return Hint {
                first: text[..offset].trim(),
                more: (!more.is_empty()).then_some(more),
            };
        }
        offset += line.len();
    }
    Hint {
        first: text.trim(),
        more: None,
    }
}

/// Prints the first level, or with `more` the second.
pub fn run(root: &Path, exercise: &Exercise, more: bool) -> Result<ExitCode> {
    let path = root.join(exercise.hint_path());
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading the hint {}", path.display()))?;
    let hint = split(&text);
    match (more, hint.more) {
        (false, _) => {
            println!(
                "Hint for {} ({}):\n\n{}",
                exercise.id, exercise.title, hint.first
            );
            if hint.more.is_some() {
                println!(
                    "\nStill stuck? `cargo course hint {} --more` gives a fuller hint.",
                    exercise.id
                );
            } else {
                println!(
                    "\nStill stuck? `cargo course solve {}` shows the answer (your file is saved).",
                    exercise.id
                );
            }
        }
        (true, Some(second)) => {
            println!(
                "More help for {} ({}):\n\n{second}",
                exercise.id, exercise.title
            );
            println!(
                "\nStill stuck? `cargo course solve {}` shows the answer (your file is saved).",
                exercise.id
            );
        }
        (true, None) => {
            println!("{} has one hint level only:\n\n{}", exercise.id, hint.first);
            println!(
                "\nStill stuck? `cargo course solve {}` shows the answer (your file is saved).",
                exercise.id
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Where a hint gives code away: a fenced code block, a line of the solution's code quoted, or an
/// inline code span that is an expression or statement (a call with arguments, a comparison, an
/// assignment) rather than a name. Names (`checked_add`, `Duration::MAX`, `Last-Event-ID`) are
/// fine: they point the way without writing it.
pub fn leaks(hint: &str, solution: &str) -> Vec<String> {
    let mut found = Vec::new();
    if hint.lines().any(|l| l.trim_start().starts_with("```")) {
        found.push("a code block".to_owned());
    }
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let flat = squeeze(hint);
    for line in solution.lines() {
        let code = line.trim();
        if code.starts_with("//") || code.starts_with('#') || code.starts_with("use ") {
            continue;
        }
        let squeezed = squeeze(code);
        // Short lines (`}`, `Ok(())`, `None =>`) say nothing about the answer.
        if squeezed.len() >= 24 && flat.contains(&squeezed) {
            found.push(format!("the solution's line `{code}`"));
        }
    }
    for span in hint.split('`').skip(1).step_by(2) {
        let expression = [
            "(", " = ", "==", "!=", ">=", "<=", " < ", " > ", "&&", "||", "+=", "=>",
        ]
        .iter()
        .any(|mark| span.contains(mark));
        let call_with_arguments = span
            .find('(')
            .is_some_and(|open| span[open + 1..].chars().next().is_some_and(|c| c != ')'));
        if span.len() >= 12 && expression && (call_with_arguments || !span.contains('(')) {
            found.push(format!("the code `{span}`"));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_in_a_hint_is_found_and_names_are_not() {
        let solution = "fn f() {\n    let deadline = now.checked_add(self.idle_timeout);\n}\n";
        assert!(
            leaks(
                "Which `Instant` method cannot panic? See `checked_add`.",
                solution
            )
            .is_empty()
        );
        assert!(
            leaks(
                "What does `Duration::MAX` mean, and `Last-Event-ID`?",
                solution
            )
            .is_empty()
        );
        let quoted = leaks(
            "Write let deadline =\n now.checked_add(self.idle_timeout);",
            solution,
        );
        assert_eq!(quoted.len(), 1, "{quoted:?}");
        let span = leaks("Use `now.checked_add(idle_timeout)`.", solution);
        assert_eq!(span, ["the code `now.checked_add(idle_timeout)`"]);
        let condition = leaks("The replay works when `oldest <= last + 1`.", solution);
        assert_eq!(condition.len(), 1, "{condition:?}");
        assert_eq!(
            leaks("```rust\nlet x = 1;\n```\n", solution)
                .first()
                .map(String::as_str),
            Some("a code block")
        );
    }

    #[test]
    fn splits_at_the_more_line() {
        let hint = split("What ends a line?\n\n<!-- more -->\n\nThree things: CRLF, LF, CR.\n");
        assert_eq!(hint.first, "What ends a line?");
        assert_eq!(hint.more, Some("Three things: CRLF, LF, CR."));
    }

    #[test]
    fn a_hint_without_the_line_has_one_level() {
        let hint = split("Read section 1.3.\n");
        assert_eq!(
            hint,
            Hint {
                first: "Read section 1.3.",
                more: None
            }
        );
    }

    #[test]
    fn the_line_must_be_exactly_the_marker() {
        let text = "Do not write `<!-- more -->` inline.\n";
        assert_eq!(
            split(text).more,
            None,
            "a mention inside a sentence is not a split"
        );
        let crlf = split("first\r\n<!-- more -->\r\nsecond\r\n");
        assert_eq!((crlf.first, crlf.more), ("first", Some("second")));
        assert_eq!(
            split("first\n<!-- more -->\n\n").more,
            None,
            "an empty second level is none"
        );
    }
}
