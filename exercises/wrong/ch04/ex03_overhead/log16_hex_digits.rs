//! Second-reader wrong answer for ch04::ex03.
//! class: boundaries
//! Mistake: the number of hex digits of the chunk size is computed as `ceil(log16(len))` (at least
//! 1), which is one short exactly at the powers of 16: 16 is `10` and 256 is `100` in hex, two
//! and three digits, not one and two.

// ANCHOR: stub
/// Bytes of one SSE event as the course's encoder writes it: an `id: ` line with `id`, a `data: `
/// line with `data`, each ending in `\n`, then the blank line.
pub fn sse_event_bytes(id: u64, data: &str) -> usize {
    let id_line = "id: ".len() + id.to_string().len() + 1;
    let data_line = "data: ".len() + data.len() + 1;
    id_line + data_line + 1
}

/// Bytes of one HTTP/1.1 chunk carrying `len` bytes: the chunk size in hex, CRLF, the bytes, CRLF.
pub fn chunk_bytes(len: usize) -> usize {
    // Digits of `len` in base 16 (a size of 0 or 1 still takes one digit).
    let hex_digits = ((len as f64).log(16.0).ceil() as usize).max(1);
    hex_digits + 2 + len + 2
}

/// Bytes of one WebSocket frame with a payload of `len` bytes (RFC 6455 section 5.2).
pub fn websocket_frame_bytes(len: usize, masked: bool) -> usize {
    let extended_length = match len {
        0..=125 => 0,
        126..=65535 => 2,
        _ => 8,
    };
    let mask = if masked { 4 } else { 0 };
    2 + extended_length + mask + len
}
// ANCHOR_END: stub
