//! Exercise ch02::ex02: OpenAI content deltas. Book: Chapter 2 › Exercises › "ch02::ex02".
//! Stuck? `cargo course hint ch02::ex02`. Test: `cargo test -p exercises --test ch02 ch02_ex02`.

// ANCHOR: stub
use sse_format::MessageEvent;

/// How an OpenAI Chat Completions stream ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatOutcome {
    /// `data: [DONE]` arrived: the text is complete.
    Complete {
        text: String,
        finish_reason: Option<String>,
    },
    /// A `{"error": {"message": ...}}` object arrived mid-stream.
    Error {
        partial_text: String,
        message: String,
    },
    /// The events ran out before `[DONE]`.
    Cut { partial_text: String },
}

/// Assembles the text of choice 0 from Chat Completions events (data-only chunks).
pub fn assemble_chat(events: &[MessageEvent]) -> ChatOutcome {
    // TODO: stop at an event whose data is exactly "[DONE]": it is not JSON.
    // TODO: parse every other event with serde_json; an object with an "error" key is an error.
    // TODO: append choices[i].delta.content for the choice with "index": 0. Careful: the usage
    //       chunk has an EMPTY choices array, and "content" may be null or missing.
    // TODO: remember the last non-null finish_reason.
    todo!("assemble {} events", events.len())
}
// ANCHOR_END: stub
