//! Solution to ch01::ex02: fix the naive parser.

// ANCHOR: solution
/// Returns the data of every event in a complete stream body that uses `\n` line endings.
pub fn data_messages(body: &str) -> Vec<String> {
    let mut messages = Vec::new();
    // `None` until the event has a data line: "no data" and "empty data" are different.
    let mut data: Option<String> = None;
    // `split('\n')` yields a last piece after the final '\n'; it is not a complete line, and
    // skipping it is what drops a cut-off event's last line.
    let mut lines = body.split('\n').peekable();
    while let Some(line) = lines.next() {
        if lines.peek().is_none() {
            break;
        }
        if line.is_empty() {
            if let Some(done) = data.take() {
                if done == "[DONE]" {
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
// ANCHOR_END: solution
