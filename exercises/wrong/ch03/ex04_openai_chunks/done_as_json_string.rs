//! Second-reader wrong answer for ch03::ex04.
//! class: protocol
//! Mistake: every event's data is produced the same way, by serialising a `serde_json::Value`, and
//! the terminator is pushed as `Value::from("[DONE]")`, so it goes out as the JSON string
//! `"[DONE]"` (with quotes) instead of the plain text `[DONE]` that clients compare against.

// ANCHOR: stub
use serde_json::{Value, json};
use sse_format::Event;

/// The wire bytes of a streamed OpenAI Chat Completions answer made of `tokens`.
pub fn chat_stream(id: &str, model: &str, tokens: &[&str]) -> Vec<u8> {
    let chunk = |delta: Value, finish_reason: Option<&str>| {
        json!({
            "id": id,
            "object": "chat.completion.chunk",
            "created": 0,
            "model": model,
            "choices": [{
                "index": 0,
                "delta": delta,
                "finish_reason": finish_reason,
            }],
        })
    };

    let mut payloads = Vec::with_capacity(tokens.len() + 3);
    payloads.push(chunk(json!({"role": "assistant", "content": ""}), None));
    payloads.extend(
        tokens
            .iter()
            .map(|token| chunk(json!({ "content": token }), None)),
    );
    payloads.push(chunk(json!({}), Some("stop")));
    // The end-of-stream sentinel.
    payloads.push(Value::from("[DONE]"));

    let mut out = Vec::new();
    for payload in payloads {
        // Compact JSON: never a raw line break, so one `data:` line per event.
        Event::new()
            .data(payload.to_string())
            .encode(&mut out)
            .expect("a data-only event always encodes");
    }
    out
}
// ANCHOR_END: stub
