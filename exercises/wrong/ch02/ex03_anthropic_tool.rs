//! Exercise ch02::ex03: an Anthropic tool call. Book: Chapter 2 › Exercises › "ch02::ex03".
//! Stuck? `cargo course hint ch02::ex03`. Test: `cargo test -p exercises --test ch02 ch02_ex03`.

// ANCHOR: stub
use serde_json::Value;
use sse_format::MessageEvent;

/// A `tool_use` content block, assembled.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolUse {
    pub id: String,
    pub name: String,
    /// The input object, parsed from the concatenated `partial_json` fragments.
    pub input: Value,
}

/// An assembled Anthropic message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assembled {
    pub text: String,
    pub tools: Vec<ToolUse>,
    pub stop_reason: Option<String>,
    /// `output_tokens` from the LAST `message_delta` (the counts are cumulative).
    pub output_tokens: Option<u64>,
}

/// Assembles a Messages stream. Dispatch on `event.event_type()`; ignore `ping` and unknown events.
pub fn assemble_message(events: &[MessageEvent]) -> Assembled {
    // TODO: content_block_start: a "text" block, or a "tool_use" block with "id" and "name".
    // TODO: content_block_delta: "text_delta" adds "text"; "input_json_delta" adds "partial_json"
    //       to that block's JSON string (by the event's "index").
    // TODO: content_block_stop: parse the tool's JSON string (an empty string means {}).
    // TODO: message_delta: "delta"."stop_reason", and "usage"."output_tokens" (overwrite, never add).
    // TODO: message_stop ends the message.
    todo!("assemble {} events", events.len())
}
// ANCHOR_END: stub
