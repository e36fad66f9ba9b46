//! Independent reader's wrong answer for ch02::ex09.
//! class: encoding
//! Mistake: splits the stream on `\n` and strips a trailing `\r`, which handles LF and CRLF but not a
//! lone CR; a student who has only ever seen LF/CRLF streams forgets that CR alone ends a line too.

// ANCHOR: stub
/// The `Last-Event-ID` a client sends when it reconnects: it started with the last event ID
/// `initial` (`""` for none) and then received the text `stream`, which the connection may have cut
/// anywhere, even in the middle of an event or of a line (book: Chapter 2 › Resuming with
/// Last-Event-ID).
pub fn last_event_id_after(stream: &str, initial: &str) -> String {
    let mut buffer = initial.to_owned();
    let mut last_event_id = initial.to_owned();

    let mut pieces: Vec<&str> = stream.split('\n').collect();
    // The piece after the last `\n` was never finished: the cut left it incomplete.
    pieces.pop();

    for piece in pieces {
        let line = piece.strip_suffix('\r').unwrap_or(piece);
        if line.is_empty() {
            last_event_id.clone_from(&buffer);
            continue;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        if field == "id" && !value.contains('\0') {
            buffer = value.to_owned();
        }
    }
    last_event_id
}
// ANCHOR_END: stub
