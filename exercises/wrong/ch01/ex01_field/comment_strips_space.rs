//! Second-reader wrong answer for ch01::ex01.
//! class: spec
//! Mistake: the line is split at the first colon and the one optional space is removed before
//! deciding whether it is a comment, so `": ping"` becomes `Comment("ping")` instead of
//! `Comment(" ping")`; the "less one space" rule belongs to field values only.

pub use super::given::Line;

/// Classifies one line (its line ending already removed).
pub fn classify_line(line: &str) -> Line<'_> {
    if line.is_empty() {
        return Line::Blank;
    }
    match line.split_once(':') {
        None => Line::Field {
            name: line,
            value: "",
        },
        Some((name, value)) => {
            let value = value.strip_prefix(' ').unwrap_or(value);
            if name.is_empty() {
                Line::Comment(value)
            } else {
                Line::Field { name, value }
            }
        }
    }
}
