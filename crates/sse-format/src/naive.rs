//! The lesson's hand-written parser, kept so the course can show what it gets wrong.
//!
//! It is the parser most tutorials write first (the shape of the lesson's TypeScript `parseSSE`):
//! decode each network chunk on its own, split it on `"\n"`, keep the lines that start with
//! `"data: "`, stop at `[DONE]`. Every rule it skips is a bug that real servers trigger; the tests in
//! `tests/naive.rs` put each one next to [`crate::Parser`]'s answer. **Do not use it.**

// ANCHOR: naive
/// What the naive parser makes of a stream delivered as `chunks`: one string per `data: ` line.
pub fn naive_parse(chunks: &[&[u8]]) -> Vec<String> {
    let mut messages = Vec::new();
    for chunk in chunks {
        // Bug 1: each chunk is decoded alone, so a character split across chunks becomes U+FFFD.
        let text = String::from_utf8_lossy(chunk);
        // Bug 2: a line split across chunks is seen as two broken lines.
        // Bug 3: only "\n" ends a line; a lone "\r" does not, and "\r\n" leaves a "\r" behind.
        for line in text.split('\n') {
            // Bug 4: "data:x" (no space) is valid, but ignored here.
            // Bug 5: each data line is its own message; multi-line data is never joined.
            // Bug 6: event types, ids and the blank-line dispatch rule are ignored.
            if let Some(data) = line.strip_prefix("data: ") {
                if data == "[DONE]" {
                    return messages;
                }
                messages.push(data.to_owned());
            }
        }
    }
    messages
}
// ANCHOR_END: naive
