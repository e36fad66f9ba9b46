//! Exercise ch01::ex02: fix the naive parser. Book: Chapter 1 › Exercises › "ex02: Fix the naive
//! parser". Stuck? `cargo course hint ch01::ex02`. Test: `cargo test -p exercises --test ch01 ch01_ex02`.

// ANCHOR: stub
/// Returns the data of every event in a complete stream body that uses `\n` line endings.
///
/// The lesson's parser kept only lines starting with `"data: "` and made each one a message. Do
/// better:
pub fn data_messages(body: &str) -> Vec<String> {
    // TODO: accept `data:` with or without the one space after the colon ("data:x" is valid).
    // TODO: join the data lines of one event with '\n'; a blank line ends the event.
    // TODO: an event with no data line produces nothing; other fields and comments are ignored.
    // TODO: an event whose data is exactly "[DONE]" ends the stream (OpenAI's terminator).
    // TODO: an event still open when the body ends was cut off: drop it.
    todo!("parse {} bytes", body.len())
}
// ANCHOR_END: stub
