//! The tempting mistake: the digits of the id counted with a floating-point logarithm
//! (`log10(id) + 1`, with 0 as a special case), the textbook formula. Fine for small ids, but an
//! `f64` holds only 53 bits: an id like 999_999_999_999_999_999 rounds up to 1e18 and gains a
//! digit. Ids are `u64`s, and large ones are common (timestamps, snowflake ids).
//! class: boundaries

/// Bytes of one SSE event.
pub fn sse_event_bytes(id: u64, data: &str) -> usize {
    let id_digits = if id == 0 {
        1
    } else {
        (id as f64).log10().floor() as usize + 1
    };
    "id: ".len() + id_digits + 1 + "data: ".len() + data.len() + 1 + 1
}

/// Bytes of one HTTP/1.1 chunk carrying `len` bytes.
pub fn chunk_bytes(len: usize) -> usize {
    format!("{len:x}").len() + 2 + len + 2
}

/// Bytes of one WebSocket frame with a payload of `len` bytes.
pub fn websocket_frame_bytes(len: usize, masked: bool) -> usize {
    let extended = match len {
        0..=125 => 0,
        126..=65535 => 2,
        _ => 8,
    };
    2 + extended + if masked { 4 } else { 0 } + len
}
