//! Second-reader wrong answer for ch01::ex02.
//! class: spec
//! Mistake: the data is kept in a plain `String`, joined with `\n` "if there is already
//! something", and "no data line" is tested with `is_empty()`; so an event whose data is empty
//! (`data` or `data:` alone) is dropped as if it had no data line, and `data:` twice gives `""`
//! instead of `"\n"`.

/// Returns the data of every event in a complete stream body that uses `\n` line endings.
pub fn data_messages(body: &str) -> Vec<String> {
    let mut messages = Vec::new();
    let mut data = String::new();
    for raw in body.split_inclusive('\n') {
        // A last line with no line ending is cut off: it never completes.
        let Some(line) = raw.strip_suffix('\n') else {
            break;
        };
        if line.is_empty() {
            if data.is_empty() {
                continue;
            }
            if data == "[DONE]" {
                break;
            }
            messages.push(std::mem::take(&mut data));
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
            if !data.is_empty() {
                data.push('\n');
            }
            data.push_str(value);
        }
    }
    messages
}
