//! Exercise ch02::ex03: an Anthropic tool call. Book: Chapter 2 › Exercises › "ch02::ex03".
//! Stuck? `cargo course hint ch02::ex03`. Test: `cargo test -p exercises --test ch02 ch02_ex03`.

// ANCHOR: stub
use sse_format::MessageEvent;

pub use super::given::{Assembled, ToolUse};

/// Assembles a Messages stream (book: Chapter 2 › SSE in AI APIs, the Anthropic part).
/// Dispatch on `event.event_type()`; each event's data is a JSON object.
///
/// The contract:
/// - `content_block_start` opens content block number `"index"`: a `"text"` block, or a
///   `"tool_use"` block with an `"id"` and a `"name"`.
/// - `content_block_delta` adds to block `"index"`: a `"text_delta"` carries `"text"` for
///   [`Assembled::text`]; an `"input_json_delta"` carries a `"partial_json"` FRAGMENT of the
///   tool's input. A fragment on its own is usually not valid JSON.
/// - `content_block_stop` closes block `"index"`: a tool block becomes a [`ToolUse`], in the
///   order the blocks close (which need not be the order they opened). A tool that received no
///   fragments, or only empty ones, has the input `{}`. Fragments that do not join into valid
///   JSON (a broken or cut stream) give the input `null`: the data is the server's, so it must
///   never make your code panic.
/// - `message_delta` carries `"delta"."stop_reason"` and `"usage"."output_tokens"`. The usage
///   figures in these events are CUMULATIVE: each one is the total so far, not an increment.
/// - `message_stop` ends the message: later events are ignored. `ping`, `message_start` and
///   event types you do not know are ignored.
///
/// Edge cases to think about: two `message_delta` events; a text block and a tool block
/// interleaved with `ping`s; a tool with no input; two tool blocks open at the same time.
pub fn assemble_message(events: &[MessageEvent]) -> Assembled {
    // TODO: follow the contract above.
    todo!("assemble {} events", events.len())
}
// ANCHOR_END: stub
