//! Exercise ch01::ex03: line endings. Book: Chapter 1 › Exercises › "ex03: CR, LF and CRLF".
//! Stuck? `cargo course hint ch01::ex03`. Test: `cargo test -p exercises --test ch01 ch01_ex03`.

// ANCHOR: stub
/// Splits `buffer` into the complete lines it holds and the unfinished rest.
///
/// A line ends with CRLF, LF or CR. Returns the lines without their endings, and the text after
/// the last line ending (the start of a line that has not arrived completely).
///
/// One subtlety: a CR at the very end of the buffer does not finish its line yet. The next chunk
/// may start with LF, and CR LF is ONE line ending, not a line and then an empty line. So that CR
/// stays in the rest.
pub fn split_lines(buffer: &str) -> (Vec<&str>, &str) {
    // TODO: walk the buffer; at '\n' end a line; at '\r' end a line and also swallow a '\n' that
    //       follows it directly.
    // TODO: a '\r' that is the last character of the buffer: leave the line (and the CR) in the rest.
    todo!("split {buffer:?}")
}
// ANCHOR_END: stub
