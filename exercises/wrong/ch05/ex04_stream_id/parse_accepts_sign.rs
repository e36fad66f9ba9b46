//! The tempting mistake: each part is read with `str::parse::<u64>()` alone, trusting it to mean
//! "ASCII digits only"; it also accepts a leading `+` (`+5-0`, `5-+1`), which is not an id.
//! class: spec

/// Reads `<ms>-<seq>` (or a bare `<ms>`) as two numbers.
pub fn parse_stream_id(text: &str) -> Option<(u64, u64)> {
    let (ms, seq) = text.split_once('-').unwrap_or((text, "0"));
    Some((ms.parse().ok()?, seq.parse().ok()?))
}
