//! The tempting mistake: cutting the body into events with `split("\n\n")`. The last piece is
//! taken as an event even when the body ended before its blank line, so a cut-off event is
//! returned.
//! class: boundaries

/// Returns the data of every event in a complete stream body that uses `\n` line endings.
pub fn data_messages(body: &str) -> Vec<String> {
    let mut messages = Vec::new();
    for block in body.split("\n\n") {
        let mut data: Option<String> = None;
        for line in block.lines() {
            let (name, value) = line.split_once(':').unwrap_or((line, ""));
            if name == "data" {
                let value = value.strip_prefix(' ').unwrap_or(value);
                match &mut data {
                    Some(text) => {
                        text.push('\n');
                        text.push_str(value);
                    }
                    None => data = Some(value.to_owned()),
                }
            }
        }
        if let Some(data) = data {
            if data == "[DONE]" {
                break;
            }
            messages.push(data);
        }
    }
    messages
}
