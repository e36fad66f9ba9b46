//! WRONG variant of ch01::ex01 (see exercises/wrong/README.md).
//! The mistake: `trim_start()` on the value, which strips every leading space and tab, where the
//! spec removes exactly one U+0020. Caught by `ch01_ex01_classifies_lines` (the two-space and tab
//! rows) and `ch01_ex01_only_one_space_is_removed`.

/// What one line of an event stream (without its line ending) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// An empty line: it dispatches the event.
    Blank,
    /// A line starting with `:`; holds the text after the colon.
    Comment(&'a str),
    /// A field: the name and its value.
    Field { name: &'a str, value: &'a str },
}

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
