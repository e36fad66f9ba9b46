//! The tempting mistake: the digits of the chunk size counted in decimal (`len.to_string()`),
//! the way numbers are usually written, where HTTP writes the size in hexadecimal: one byte off
//! for 10..=15 bytes, 100..=255, 1000..=4095, ...
//! class: spec

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
