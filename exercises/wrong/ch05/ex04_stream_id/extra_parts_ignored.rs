//! The tempting mistake: the id is split on every `-` and the first two pieces are read; a third
//! part (`1-2-3`) is never looked at, so text with extra parts passes as an id.
//! class: spec

/// Reads `<ms>-<seq>` (or a bare `<ms>`) as two numbers.
pub fn parse_stream_id(text: &str) -> Option<(u64, u64)> {
    let mut parts = text.split('-');
    let ms = parts.next()?;
    let seq = parts.next().unwrap_or("0");
    let part = |p: &str| {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse::<u64>().ok()
    };
    Some((part(ms)?, part(seq)?))
}
