//! The tempting mistake: a header value arrives on a line, so the text is trimmed first; `5-0\r`
//! or ` 5-0` then reads as an id, although a line ending or a space is not part of one.
//! class: encoding

/// Reads `<ms>-<seq>` (or a bare `<ms>`) as two numbers.
pub fn parse_stream_id(text: &str) -> Option<(u64, u64)> {
    let text = text.trim();
    let (ms, seq) = text.split_once('-').unwrap_or((text, "0"));
    let part = |p: &str| {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse::<u64>().ok()
    };
    Some((part(ms)?, part(seq)?))
}
