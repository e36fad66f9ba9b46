//! The tempting mistake: writing each chunk with `serde_json::to_string_pretty`, which is easier
//! to read while debugging. The JSON is valid, and `Event::data` splits it into several `data:`
//! lines that an SSE parser joins back, but OpenAI's clients parse each `data:` line as one JSON
//! object: every chunk breaks them.
//! class: protocol

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
        let text = serde_json::to_string_pretty(&chunk).expect("a Value always serialises");
        Event::new()
            .data(text)
            .encode(&mut out)
            .expect("data-only events are valid");
    }
    Event::new().data("[DONE]").encode(&mut out).expect("valid");
    out
}
