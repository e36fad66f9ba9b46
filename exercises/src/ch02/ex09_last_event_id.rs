//! Exercise ch02::ex09: which Last-Event-ID to send. Book: Chapter 2 › Resuming with Last-Event-ID.
//! Stuck? `cargo course hint ch02::ex09`. Test: `cargo test -p exercises --test ch02 ch02_ex09`.

// ANCHOR: stub
/// The `Last-Event-ID` a client sends when it reconnects: it started with the last event ID
/// `initial` (`""` for none) and then received the text `stream`, which the connection may have cut
/// anywhere, even in the middle of an event or of a line (book: Chapter 2 › Resuming with
/// Last-Event-ID).
///
/// Work the rule out yourself: `sse_format::Parser` is what the tests compare you with.
///
/// The contract (the spec's "Interpreting an event stream", for `id` only):
/// - Lines end with CRLF, LF or CR. Text after the last line ending is a line the cut left
///   unfinished: it is ignored. `stream` is already decoded text, with no byte-order mark.
/// - A line `id: VALUE` sets the *buffer* to VALUE: the text after the first colon, less one
///   leading space if there is one. `id` alone (no colon) sets it to the empty string. An `id`
///   value that contains U+0000 NULL is ignored: the buffer keeps what it had. Any other line
///   (a comment starting with `:`, `data`, `ID`, `idx`, ...) leaves it alone.
/// - A blank line copies the buffer into the last event ID, whether or not the block had data.
///   Nothing else changes the last event ID: it persists across blocks without an `id` line, and
///   an `id` line in a block that no blank line ended (the cut one) does not count.
/// - Return the last event ID after the whole `stream`.
///
/// Edge cases to think about: `"id: 7\n\n"` (no data), `"id\n\n"`, `"id: 3\r\r"`, a stream that
/// ends right after `"id: 8\n"`.
pub fn last_event_id_after(stream: &str, initial: &str) -> String {
    // TODO: follow the contract above, line by line.
    todo!("the Last-Event-ID after {stream:?}")
}
// ANCHOR_END: stub
