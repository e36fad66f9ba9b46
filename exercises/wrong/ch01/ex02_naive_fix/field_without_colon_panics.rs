//! The tempting mistake: every field line is assumed to be `name: value`, so it is split with
//! `split_once(':').unwrap()`; a line with no colon (`data` alone, which the spec reads as data
//! with an empty value) panics on a peer's input instead of being parsed.
//! class: errors

/// Returns the data of every event in a complete stream body that uses `\n` line endings.
pub fn data_messages(body: &str) -> Vec<String> {
    let mut messages = Vec::new();
    let mut data: Option<String> = None;
    for raw in body.split_inclusive('\n') {
        // A last line without its line ending was cut off.
        let Some(line) = raw.strip_suffix('\n') else {
            break;
        };
        if line.is_empty() {
            if let Some(done) = data.take() {
                if done == "[DONE]" {
                    break;
                }
                messages.push(done);
            }
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        let (name, value) = line.split_once(':').unwrap();
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
