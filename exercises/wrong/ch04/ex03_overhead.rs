//! Exercise ch04::ex03: overhead bytes. Book: Chapter 4 › Exercises › "ch04::ex03".
//! Stuck? `cargo course hint ch04::ex03`. Test: `cargo test -p exercises --test ch04 ch04_ex03`.

// ANCHOR: stub
/// Bytes of one SSE event `id: {id}` + `data: {data}` + the blank line, as the server encodes it.
/// (Assume `data` is not empty and has no line breaks.)
pub fn sse_event_bytes(id: u64, data: &str) -> usize {
    // TODO: "id: " + digits + "\n" + "data: " + data + "\n" + "\n".
    todo!("sse bytes for {data:?}")
}

/// Bytes of one HTTP/1.1 chunk carrying `len` bytes: the length in hexadecimal, CRLF, the
/// bytes, CRLF. (This is how an SSE response without Content-Length sends each event.)
pub fn chunk_bytes(len: usize) -> usize {
    // TODO: format!("{len:x}").len() + 2 + len + 2.
    todo!("chunk bytes for {len}")
}

/// Bytes of one WebSocket frame with a payload of `len` bytes (RFC 6455 section 5.2): 2 header
/// bytes, plus 2 more if the length is 126..=65535, or 8 more if larger; plus a 4-byte masking
/// key on frames sent by a client (`masked`).
pub fn websocket_frame_bytes(len: usize, masked: bool) -> usize {
    // TODO: the header, the extended length, the mask, the payload.
    todo!("frame bytes for {len}")
}
// ANCHOR_END: stub
