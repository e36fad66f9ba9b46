//! Solution to ch04::ex03: overhead bytes.

// ANCHOR: solution
/// Bytes of one SSE event `id: {id}` + `data: {data}` + the blank line.
pub fn sse_event_bytes(id: u64, data: &str) -> usize {
    // `str::len` is the length in bytes (UTF-8), which is what the wire carries; `chars().count()`
    // would undercount any non-ASCII text. The id's digits are counted the same way, exactly,
    // for 0 and for `u64::MAX` alike (no floating-point logarithm to round wrong).
    "id: ".len() + id.to_string().len() + 1 + "data: ".len() + data.len() + 1 + 1
}

/// Bytes of one HTTP/1.1 chunk carrying `len` bytes.
pub fn chunk_bytes(len: usize) -> usize {
    // The size line is the length in hex, then CRLF; the data is followed by CRLF.
    format!("{len:x}").len() + 2 + len + 2
}

/// Bytes of one WebSocket frame with a payload of `len` bytes.
pub fn websocket_frame_bytes(len: usize, masked: bool) -> usize {
    // RFC 6455 section 5.2: a 7-bit length holds 0..=125; 126 announces a 16-bit length, 127 a
    // 64-bit one.
    let extended = match len {
        0..=125 => 0,
        126..=65535 => 2,
        _ => 8,
    };
    // Browsers must mask what they send (so that a proxy cannot be fooled into caching it);
    // servers must not.
    let mask = if masked { 4 } else { 0 };
    2 + extended + mask + len
}
// ANCHOR_END: solution
