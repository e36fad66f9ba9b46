//! Second-reader wrong answer for ch01::ex02.
//! class: boundaries
//! Mistake: the body is cut with `split('\n')`, which yields a final empty piece after the last
//! line ending; that piece is taken for a blank line, so a body ending `"data: x\n"` (cut off
//! before its blank line) dispatches `x` instead of dropping it.

/// Returns the data of every event in a complete stream body that uses `\n` line endings.
pub fn data_messages(body: &str) -> Vec<String> {
    let mut messages = Vec::new();
    let mut data: Option<String> = None;
    for line in body.split('\n') {
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
        let (name, value) = match line.split_once(':') {
            Some((name, value)) => (name, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        if name == "data" {
            match &mut data {
                Some(buffer) => {
                    buffer.push('\n');
                    buffer.push_str(value);
                }
                None => data = Some(value.to_string()),
            }
        }
    }
    messages
}
