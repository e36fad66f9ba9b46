//! Exercise ch02::ex02: OpenAI content deltas. Book: Chapter 2 › Exercises › "ch02::ex02".
//! Stuck? `cargo course hint ch02::ex02`. Test: `cargo test -p exercises --test ch02 ch02_ex02`.

// ANCHOR: stub
use sse_format::MessageEvent;

pub use super::given::ChatOutcome;

/// Assembles the text of choice 0 from Chat Completions events (data-only chunks; book:
/// Chapter 2 › SSE in AI APIs).
///
/// The contract:
/// - An event whose data is exactly `[DONE]` ends the stream: [`ChatOutcome::Complete`]. It is
///   not JSON. Events after it are ignored.
/// - Every other event's data is a JSON object. If it has an `"error"` key, the stream failed:
///   [`ChatOutcome::Error`] with the error's `"message"` (`"unknown error"` if it has none). Data
///   that is not JSON is an error too (any message).
/// - The text is the concatenation of `delta.content` over the chunks, for the choice whose
///   `"index"` is 0 only. `finish_reason` is the last non-null one seen for that choice.
/// - No `[DONE]` before the events run out: [`ChatOutcome::Cut`].
///
/// Edge cases to think about: the final usage chunk has an EMPTY `choices` array; `content` can
/// be `null` or missing; with `n > 1`, a chunk can carry several choices, in any order.
pub fn assemble_chat(events: &[MessageEvent]) -> ChatOutcome {
    // TODO: follow the contract above (serde_json::Value is enough to read the chunks).
    todo!("assemble {} events", events.len())
}
// ANCHOR_END: stub
