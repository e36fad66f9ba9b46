//! Exercise ch01::ex03: line endings. Book: Chapter 1 › Exercises › "ex03: CR, LF and CRLF".
//! Stuck? `cargo course hint ch01::ex03`. Test: `cargo test -p exercises --test ch01 ch01_ex03`.

// ANCHOR: stub
/// Splits text that arrives piece by piece into lines, on all three line endings of the spec:
/// CRLF, LF and a lone CR (book: Chapter 1 › Line endings, chunks and UTF-8).
///
/// The caller keeps the unfinished rest of each call and passes it back in front of the next piece
/// of text: `split(rest + next piece)`.
#[derive(Debug, Default)]
pub struct LineSplitter {
    // TODO: whatever must be remembered from one call to the next.
}

impl LineSplitter {
    /// A splitter at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Returns the complete lines in `buffer`, without their line endings, and the rest: the text
    /// after the last line ending (the start of a line that has not arrived completely).
    ///
    /// The contract:
    /// - LF ends a line; CR ends a line; CR followed by LF is ONE line ending, not a line and then
    ///   an empty line.
    /// - A line ended by CR is complete AT ONCE: it is returned by this call, even when the CR is
    ///   the last character of `buffer`. (Holding it back until more text comes could delay an
    ///   event until the next chunk arrives, maybe a 15-second keep-alive later.)
    /// - So when `buffer` ends with CR, the LF of a CRLF may be the first character of the NEXT
    ///   call's buffer: it belongs to that CR and must not produce an empty line.
    /// - An empty buffer changes nothing.
    ///
    /// Edge cases to think about: `"a\r"` then `"\nb\n"`; `"a\r"` then `""` then `"\n"`; `"a\r"`
    /// then `"\r\n"` (a second, empty line); `"\n\r"`; non-ASCII text next to the line endings.
    pub fn split<'a>(&mut self, buffer: &'a str) -> (Vec<&'a str>, &'a str) {
        // TODO: return the complete lines and the rest, following the contract above.
        todo!("split {buffer:?}")
    }
}
// ANCHOR_END: stub
