//! The tempting mistake: `trim_start()` on the value, which strips every leading space and tab
//! (and any other Unicode whitespace, such as U+00A0), where the spec removes exactly one U+0020.
//! class: spec

pub use super::given::Line;

/// Classifies one line.
pub fn classify_line(line: &str) -> Line<'_> {
    if line.is_empty() {
        return Line::Blank;
    }
    if let Some(comment) = line.strip_prefix(':') {
        return Line::Comment(comment);
    }
    match line.split_once(':') {
        Some((name, value)) => Line::Field {
            name,
            value: value.trim_start(),
        },
        None => Line::Field {
            name: line,
            value: "",
        },
    }
}
