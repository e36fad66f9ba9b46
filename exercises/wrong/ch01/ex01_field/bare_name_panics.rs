//! The tempting mistake: every field is assumed to have a colon ("name: value"), so the value is
//! found with `find(':').unwrap()`, and a line with no colon, which the spec allows (`data` alone
//! is a field with an empty value), makes the parser panic on a peer's input.
//! class: errors

pub use super::given::Line;

/// Classifies one line (its line ending already removed).
pub fn classify_line(line: &str) -> Line<'_> {
    if line.is_empty() {
        return Line::Blank;
    }
    if let Some(comment) = line.strip_prefix(':') {
        return Line::Comment(comment);
    }
    let colon = line.find(':').unwrap();
    let (name, value) = (&line[..colon], &line[colon + 1..]);
    Line::Field {
        name,
        value: value.strip_prefix(' ').unwrap_or(value),
    }
}
