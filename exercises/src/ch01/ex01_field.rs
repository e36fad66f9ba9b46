//! Exercise ch01::ex01: classify a line. Book: Chapter 1 › Exercises › "ex01: Classify a line".
//! Stuck? `cargo course hint ch01::ex01`. Test: `cargo test -p exercises --test ch01 ch01_ex01`.

// ANCHOR: stub
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

/// Classifies one line, following the spec:
pub fn classify_line(line: &str) -> Line<'_> {
    // TODO: an empty line is `Line::Blank`.
    // TODO: a line starting with ':' is a comment; keep the text after the colon.
    // TODO: otherwise split at the FIRST colon into name and value, and remove ONE leading
    //       space (U+0020 only) from the value.
    // TODO: a line with no colon at all is a field whose value is empty.
    todo!("classify {line:?}")
}
// ANCHOR_END: stub
