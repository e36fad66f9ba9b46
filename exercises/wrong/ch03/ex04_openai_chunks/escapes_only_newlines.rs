//! The tempting mistake: a hand-written JSON escape that knows the characters everyone thinks of
//! (`\`, `"`, line feed, carriage return) but not the other control characters. JSON forbids
//! every raw character below U+0020 in a string, so a token with a tab, an escape (U+001B) or a
//! NUL makes the chunk invalid JSON.
//! class: encoding

use sse_format::Event;

/// A JSON string literal for `text`.
fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
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
    let mut datas = vec![chunk(r#"{"role":"assistant","content":""}"#, "null")];
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
