//! The tempting mistake: building the JSON with `format!`, pasting each token between quotes
//! without escaping it. A token with a `"`, a `\` or a line break gives invalid JSON (and a raw
//! line break would even split the `data:` line).
//! class: encoding

use serde_json::{Value, json};
use sse_format::Event;

/// The wire bytes of a streamed OpenAI Chat Completions answer made of `tokens`.
pub fn chat_stream(id: &str, model: &str, tokens: &[&str]) -> Vec<u8> {
    let chunk = |delta: String, finish: &str| {
        format!(
            r#"{{"id":"{id}","object":"chat.completion.chunk","created":0,"model":"{model}","choices":[{{"index":0,"delta":{delta},"finish_reason":{finish}}}]}}"#
        )
    };
    let mut out = String::new();
    out += &format!(
        "data: {}\n\n",
        chunk(r#"{"role":"assistant","content":""}"#.to_string(), "null")
    );
    for token in tokens {
        out += &format!(
            "data: {}\n\n",
            chunk(format!(r#"{{"content":"{token}"}}"#), "null")
        );
    }
    out += &format!("data: {}\n\n", chunk("{}".to_string(), r#""stop""#));
    out += "data: [DONE]\n\n";
    out.into_bytes()
}
