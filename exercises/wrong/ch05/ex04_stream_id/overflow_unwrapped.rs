//! The tempting mistake: once every byte is checked to be a digit, the parse "cannot fail", so it
//! is unwrapped; a part past `u64::MAX` (`18446744073709551616-0`) panics instead of being `None`.
//! class: errors

/// Reads `<ms>-<seq>` (or a bare `<ms>`) as two numbers.
pub fn parse_stream_id(text: &str) -> Option<(u64, u64)> {
    let (ms, seq) = text.split_once('-').unwrap_or((text, "0"));
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(ms) || !digits(seq) {
        return None;
    }
    Some((ms.parse().unwrap(), seq.parse().unwrap()))
}
