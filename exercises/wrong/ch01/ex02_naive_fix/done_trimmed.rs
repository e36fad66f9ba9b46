//! The tempting mistake: the terminator is recognised with `data.trim() == "[DONE]"`, "to be
//! lenient", so an event whose data is `[DONE] ` or ` [DONE]` (ordinary data, which must be
//! returned) ends the stream; only data that is exactly `[DONE]` does.
//! class: spec

/// Returns the data of every event in a complete stream body that uses `\n` line endings.
pub fn data_messages(body: &str) -> Vec<String> {
    let mut messages = Vec::new();
    let mut data: Option<String> = None;
    for raw in body.split_inclusive('\n') {
        let Some(line) = raw.strip_suffix('\n') else {
            break;
        };
        if line.is_empty() {
            if let Some(done) = data.take() {
                if done.trim() == "[DONE]" {
                    break;
                }
                messages.push(done);
            }
            continue;
        }
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
    messages
}
