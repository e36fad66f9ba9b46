//! Solution to ch01::ex01: classify a line.

// ANCHOR: solution
pub use super::given::Line;

/// Classifies one line, following the spec (empty, comment, field with or without a colon).
pub fn classify_line(line: &str) -> Line<'_> {
    if line.is_empty() {
        return Line::Blank;
    }
    if let Some(comment) = line.strip_prefix(':') {
        return Line::Comment(comment);
    }
    // `split_once` splits at the first colon only, so "data: a:b" keeps "a:b" whole.
    match line.split_once(':') {
        Some((name, value)) => Line::Field {
            name,
            // Exactly one space, and only U+0020: a tab or a second space is part of the value.
            value: value.strip_prefix(' ').unwrap_or(value),
        },
        None => Line::Field {
            name: line,
            value: "",
        },
    }
}
// ANCHOR_END: solution
