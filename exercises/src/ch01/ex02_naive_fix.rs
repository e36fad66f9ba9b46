//! Exercise ch01::ex02: fix the naive parser. Book: Chapter 1 › Exercises › "ex02: Fix the naive
//! parser". Stuck? `cargo course hint ch01::ex02`. Test: `cargo test -p exercises --test ch01 ch01_ex02`.

// ANCHOR: stub
/// Returns the data of every event in a complete stream body that uses `\n` line endings.
///
/// The lesson's parser kept only lines starting with `"data: "` and made each one a message. This
/// function follows the spec instead (book: Chapter 1 › Why naive parsers break):
///
/// - a `data` field counts with or without the one space after the colon (`data:x` is valid);
/// - the data lines of one event are joined with `\n`, and a blank line ends the event;
/// - an event with no `data` line produces nothing; other fields and comments are ignored;
/// - an event whose data is exactly `[DONE]` ends the stream (OpenAI's terminator): nothing after
///   it is returned, and `[DONE]` itself is not a message;
/// - an event still open when the body ends was cut off: it is dropped.
///
/// Edge cases to think about: `data` with no colon (empty data, which is still data), two events
/// whose data is empty, `[DONE] soon`, a body whose last line has no line ending.
pub fn data_messages(body: &str) -> Vec<String> {
    // TODO: return the data of each complete event, in order.
    todo!("parse {} bytes", body.len())
}
// ANCHOR_END: stub
