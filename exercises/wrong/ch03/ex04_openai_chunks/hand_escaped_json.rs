//! Second-reader wrong answer for ch03::ex04.
//! class: encoding
//! Mistake: the chunks are written with `format!` and a hand-made escape that handles `\` and `"`
//! but not control characters, so a token with a line break puts a raw LF into the JSON: the
//! encoder splits it into two `data:` lines and the rejoined data is not valid JSON.

// ANCHOR: stub
use serde_json::{Value, json};
use sse_format::Event;

/// A JSON string literal for `text` (backslashes first, then quotes).
fn json_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The wire bytes of a streamed OpenAI Chat Completions answer made of `tokens`.
pub fn chat_stream(id: &str, model: &str, tokens: &[&str]) -> Vec<u8> {
    let chunk = |delta: &str, finish_reason: &str| {
        format!(
            r#"{{"id":{},"object":"chat.completion.chunk","created":0,"model":{},"choices":[{{"index":0,"delta":{},"finish_reason":{}}}]}}"#,
            json_string(id),
            json_string(model),
            delta,
            finish_reason,
        )
    };

    let mut datas = Vec::with_capacity(tokens.len() + 3);
    datas.push(chunk(r#"{"role":"assistant","content":""}"#, "null"));
    for token in tokens {
        datas.push(chunk(
            &format!(r#"{{"content":{}}}"#, json_string(token)),
            "null",
        ));
    }
    datas.push(chunk("{}", r#""stop""#));
    datas.push("[DONE]".to_owned());

    let mut out = Vec::new();
    for data in datas {
        Event::new()
            .data(data)
            .encode(&mut out)
            .expect("a data-only event always encodes");
    }
    out
}
// ANCHOR_END: stub
