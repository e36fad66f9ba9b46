//! Solution to ch03::ex04: an OpenAI-compatible stream.

// ANCHOR: solution
use serde_json::{Value, json};
use sse_format::Event;

/// The wire bytes of a streamed OpenAI Chat Completions answer made of `tokens`.
pub fn chat_stream(id: &str, model: &str, tokens: &[&str]) -> Vec<u8> {
    let chunk = |delta: Value, finish_reason: Value| {
        json!({
            "id": id,
            "object": "chat.completion.chunk",
            "created": 0,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
        })
    };
    let mut chunks = vec![chunk(
        json!({"role": "assistant", "content": ""}),
        Value::Null,
    )];
    chunks.extend(
        tokens
            .iter()
            .map(|token| chunk(json!({"content": token}), Value::Null)),
    );
    chunks.push(chunk(json!({}), json!("stop")));

    let mut out = Vec::new();
    for chunk in chunks {
        // serde_json escapes every control character in a string, and compact JSON has no
        // line breaks between members: each chunk is exactly one `data:` line.
        Event::new()
            .data(chunk.to_string())
            .encode(&mut out)
            .expect("data-only events are valid");
    }
    Event::new().data("[DONE]").encode(&mut out).expect("valid");
    out
}
// ANCHOR_END: solution
