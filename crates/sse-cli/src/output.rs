//! Printing events: the JSON-lines and human formats shared by `parse` and `listen`.

use std::io::Write;

use sse_format::{Frame, Limits, MessageEvent};

// ANCHOR: escape
/// Whether printing `c` raw could drive the terminal: C0 and C1 controls (ESC starts the escape
/// sequences that recolour, retitle or rewrite the screen), and the bidirectional overrides that
/// make text display in another order than it reads.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character written as a Rust escape (`\u{1b}`, `\r`): what a server
/// sends is shown, never executed by the terminal.
pub fn escape_controls(text: &str) -> String {
    escape(text, false)
}

/// As [`escape_controls`], but line feeds and tabs are kept (for multi-line answer text).
pub fn escape_controls_keep_lines(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, keep_lines: bool) -> String {
    if !text.chars().any(is_unsafe) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if keep_lines && (c == '\n' || c == '\t') || !is_unsafe(c) {
            out.push(c);
        } else {
            out.extend(c.escape_unicode());
        }
    }
    out
}
// ANCHOR_END: escape

/// A `-H "Name: value"` option, split and trimmed.
pub fn parse_header(header: &str) -> anyhow::Result<(&str, &str)> {
    match header.split_once(':') {
        Some((name, value)) => Ok((name.trim(), value.trim())),
        None => anyhow::bail!("header {header:?} is not of the form 'Name: value'"),
    }
}

/// The parser limits for `--max-event-size BYTES`: events of up to that many bytes of data, and
/// lines of up to that plus room for a field name (`data: `).
pub fn parse_limits(max_event_size: u64) -> Limits {
    let bytes = usize::try_from(max_event_size).unwrap_or(usize::MAX);
    Limits::default()
        .max_event_size(bytes)
        .max_line_len(bytes.saturating_add(64))
}

/// `--ca-file PEM`: the builder also trusts the certificates in that file.
pub fn trust_ca_file(
    builder: sse_client::Builder,
    path: &std::path::Path,
) -> anyhow::Result<sse_client::Builder> {
    use anyhow::Context;
    let pem = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    builder
        .root_certificates_pem(&pem)
        .with_context(|| format!("--ca-file {}", path.display()))
}

/// Writes one event: `{"event","data","id"}` as JSON, or a readable block with control
/// characters escaped (JSON escapes them by itself).
pub fn write_event(out: &mut impl Write, event: &MessageEvent, json: bool) -> std::io::Result<()> {
    if json {
        let line = serde_json::json!({
            "event": event.event_type(),
            "data": event.data(),
            "id": event.last_event_id(),
        });
        return writeln!(out, "{line}");
    }
    write!(out, "event: {}", escape_controls(event.event_type()))?;
    if !event.last_event_id().is_empty() {
        write!(
            out,
            "  (last event id \"{}\")",
            escape_controls(event.last_event_id())
        )?;
    }
    writeln!(out)?;
    for line in event.data().split('\n') {
        writeln!(out, "  | {}", escape_controls(line))?;
    }
    Ok(())
}

/// Writes one frame: an event, or a reconnection-time update.
pub fn write_frame(out: &mut impl Write, frame: &Frame, json: bool) -> std::io::Result<()> {
    match frame {
        Frame::Event(event) => write_event(out, event, json),
        Frame::Retry(time) if json => {
            writeln!(
                out,
                "{}",
                serde_json::json!({ "retry": time.as_millis() as u64 })
            )
        }
        Frame::Retry(time) => writeln!(
            out,
            "retry: reconnection time is now {} ms",
            time.as_millis()
        ),
        // A kind of frame newer than this command: shown, never dropped silently.
        other if json => writeln!(
            out,
            "{}",
            serde_json::json!({ "other": format!("{other:?}") })
        ),
        other => writeln!(out, "(frame: {other:?})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escape_sequences_in_events_are_shown_not_run() {
        let event = MessageEvent::new(
            "x\u{1b}]0;owned\u{7}",
            "a\u{1b}[2Jb\r\nc\u{9b}31m\u{202e}",
            "7\u{1b}[31m",
        );
        let mut out = Vec::new();
        write_event(&mut out, &event, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "event: x\\u{1b}]0;owned\\u{7}  (last event id \"7\\u{1b}[31m\")\n  | a\\u{1b}[2Jb\\u{d}\n  | c\\u{9b}31m\\u{202e}\n"
        );
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        assert_eq!(
            escape_controls("gr\u{fc}\u{df}e \u{1f600}"),
            "gr\u{fc}\u{df}e \u{1f600}"
        );
        assert_eq!(escape_controls_keep_lines("a\n\tb\r"), "a\n\tb\\u{d}");
    }
}
