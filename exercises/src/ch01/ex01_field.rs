//! Exercise ch01::ex01: classify a line. Book: Chapter 1 › Exercises › "ex01: Classify a line".
//! Stuck? `cargo course hint ch01::ex01`. Test: `cargo test -p exercises --test ch01 ch01_ex01`.

// The types this exercise uses are given: exercises/src/ch01/given.rs.
pub use super::given::Line;

// ANCHOR: stub
/// Classifies one line (its line ending already removed) as the spec's "interpret a line" step
/// does (book: Chapter 1 › Fields and dispatch).
///
/// - An empty line is [`Line::Blank`].
/// - A line that starts with `:` is a [`Line::Comment`]; it holds everything after that colon.
/// - A line with a colon is a field: the name is what comes before the FIRST colon, the value
///   what comes after it, less one leading space if there is one.
/// - A line with no colon at all is a field whose whole line is the name and whose value is empty.
///
/// Edge cases to think about: `"data:  x"` (two spaces), `"data:\tx"` (a tab is not a space),
/// `"data: a:b"` (more colons in the value), `" data"` (a leading space belongs to the name).
pub fn classify_line(line: &str) -> Line<'_> {
    // TODO: return the right `Line` for each of the four cases above.
    todo!("classify {line:?}")
}
// ANCHOR_END: stub
