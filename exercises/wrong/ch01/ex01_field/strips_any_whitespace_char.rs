//! The tempting mistake: "one optional space" is read as one whitespace character, so the value
//! loses a leading tab or a no-break space (U+00A0) as well; the spec removes only U+0020 SPACE.
//! class: encoding

pub use super::given::Line;

/// Classifies one line (its line ending already removed).
pub fn classify_line(line: &str) -> Line<'_> {
    if line.is_empty() {
        return Line::Blank;
    }
    if let Some(comment) = line.strip_prefix(':') {
        return Line::Comment(comment);
    }
    match line.split_once(':') {
        // At most one character is removed, and only if it is whitespace.
        Some((name, value)) => Line::Field {
            name,
            value: value.strip_prefix(char::is_whitespace).unwrap_or(value),
        },
        None => Line::Field {
            name: line,
            value: "",
        },
    }
}
