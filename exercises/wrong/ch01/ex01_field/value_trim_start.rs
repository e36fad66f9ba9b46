//! Second-reader wrong answer for ch01::ex01.
//! class: spec
//! Mistake: the value is cleaned with `trim_start()`, the usual way to "drop the space after the
//! colon", which removes every leading whitespace character (`"data:  x"` gives `"x"`, and a tab
//! is eaten) instead of at most one U+0020.

pub use super::given::Line;

/// Classifies one line (its line ending already removed).
pub fn classify_line(line: &str) -> Line<'_> {
    if line.is_empty() {
        Line::Blank
    } else if let Some(comment) = line.strip_prefix(':') {
        Line::Comment(comment)
    } else if let Some((name, value)) = line.split_once(':') {
        Line::Field {
            name,
            value: value.trim_start(),
        }
    } else {
        Line::Field {
            name: line,
            value: "",
        }
    }
}
