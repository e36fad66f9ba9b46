//! Second-reader wrong answer for ch04::ex03.
//! class: encoding
//! Mistake: the SSE event counts the data with `data.chars().count()` ("the length of the text"),
//! which is right for ASCII but undercounts any non-ASCII data: the wire carries UTF-8 bytes.

// ANCHOR: stub
/// Bytes of one SSE event as the course's encoder writes it: an `id: ` line with `id`, a `data: `
/// line with `data`, each ending in `\n`, then the blank line.
pub fn sse_event_bytes(id: u64, data: &str) -> usize {
    let id_line = "id: ".len() + id.to_string().len() + "\n".len();
    let data_line = "data: ".len() + data.chars().count() + "\n".len();
    id_line + data_line + "\n".len()
}

/// Bytes of one HTTP/1.1 chunk carrying `len` bytes: the chunk size in hex, CRLF, the bytes, CRLF.
pub fn chunk_bytes(len: usize) -> usize {
    format!("{len:x}").len() + "\r\n".len() + len + "\r\n".len()
}

/// Bytes of one WebSocket frame with a payload of `len` bytes (RFC 6455 section 5.2).
pub fn websocket_frame_bytes(len: usize, masked: bool) -> usize {
    let extended_length = if len <= 125 {
        0
    } else if len <= 65535 {
        2
    } else {
        8
    };
    let masking_key = if masked { 4 } else { 0 };
    2 + extended_length + masking_key + len
}
// ANCHOR_END: stub
