//! Exercise ch03::ex04: an OpenAI-compatible stream. Book: Chapter 3 › Exercises › "ch03::ex04".
//! Stuck? `cargo course hint ch03::ex04`. Test: `cargo test -p exercises --test ch03 ch03_ex04`.

// ANCHOR: stub
use serde_json::{Value, json};
use sse_format::Event;

/// The wire bytes of a streamed OpenAI Chat Completions answer made of `tokens`:
///
/// 1. a first chunk whose delta is `{"role": "assistant", "content": ""}`;
/// 2. one chunk per token, delta `{"content": token}`;
/// 3. a chunk with an empty delta `{}` and `"finish_reason": "stop"`;
/// 4. `data: [DONE]`.
///
/// Every chunk is `{"id": id, "object": "chat.completion.chunk", "created": 0, "model": model,
/// "choices": [{"index": 0, "delta": ..., "finish_reason": null or "stop"}]}`, as one `data:`
/// event (no `event:` line: this API is data-only).
pub fn chat_stream(id: &str, model: &str, tokens: &[&str]) -> Vec<u8> {
    // TODO: build each chunk with `json!`, encode it with `Event::new().data(chunk.to_string())`,
    //       and append the bytes; end with the `[DONE]` event.
    todo!("stream {} tokens", tokens.len())
}
// ANCHOR_END: stub
