//! WRONG variant of ch04::ex03 (see exercises/wrong/README.md).
//! The mistake: counting the digits of the chunk size in decimal (`len.to_string()`), where HTTP
//! writes it in hexadecimal: off by one byte for 10..=15 bytes, 100..=255, 1000..=4095, ...
//! Caught by `ch04_ex03_overhead_table` (the 1000-byte row) and `ch04_ex03_chunk_size_is_hex`.

/// Bytes of one SSE event.
pub fn sse_event_bytes(id: u64, data: &str) -> usize {
    format!("id: {id}\ndata: {data}\n\n").len()
}

/// Bytes of one HTTP/1.1 chunk carrying `len` bytes.
pub fn chunk_bytes(len: usize) -> usize {
    len.to_string().len() + 2 + len + 2
}

/// Bytes of one WebSocket frame with a payload of `len` bytes.
pub fn websocket_frame_bytes(len: usize, masked: bool) -> usize {
    let extended = if len < 126 {
        0
    } else if len <= 65535 {
        2
    } else {
        8
    };
    2 + extended + if masked { 4 } else { 0 } + len
}
