//! The tempting mistake: putting `"finish_reason": "stop"` on the chunk of the last token instead
//! of sending a separate final chunk with an empty delta. It saves a chunk and reads naturally
//! ("this token is the last"), but the contract (and OpenAI's stream) ends with the empty-delta
//! chunk, and with no tokens at all there is no chunk to carry the reason.
//! class: spec

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
    for (n, token) in tokens.iter().enumerate() {
        let finish_reason = if n + 1 == tokens.len() {
            json!("stop")
        } else {
            Value::Null
        };
        chunks.push(chunk(json!({"content": token}), finish_reason));
    }
    if tokens.is_empty() {
        chunks.push(chunk(json!({}), json!("stop")));
    }

    let mut out = Vec::new();
    for chunk in chunks {
        Event::new()
            .data(chunk.to_string())
            .encode(&mut out)
            .expect("data-only events are valid");
    }
    Event::new().data("[DONE]").encode(&mut out).expect("valid");
    out
}
