//! `cargo course hint ID [--more]`: hints in two levels, split by a line that is exactly
//! `<!-- more -->` (an HTML comment, so the book can fold the hint file in whole).

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

#[cfg(test)]
mod tests {
    use super::*;

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
