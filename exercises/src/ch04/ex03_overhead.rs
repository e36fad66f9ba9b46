//! Exercise ch04::ex03: overhead bytes. Book: Chapter 4 › Exercises › "ch04::ex03".
//! Stuck? `cargo course hint ch04::ex03`. Test: `cargo test -p exercises --test ch04 ch04_ex03`.

// ANCHOR: stub
/// Bytes of one SSE event as the course's encoder writes it: an `id: ` line with `id`, a `data: `
/// line with `data`, each ending in `\n`, then the blank line (book: Chapter 1 › Encoding events
/// safely). Assume `data` is not empty and has no line breaks.
pub fn sse_event_bytes(id: u64, data: &str) -> usize {
    // TODO: count the bytes of each line.
    todo!("sse bytes for {data:?}")
}

/// Bytes of one HTTP/1.1 chunk carrying `len` bytes (RFC 9112 section 7.1, "Chunked Transfer
/// Coding"): the chunk size, CRLF, the bytes, CRLF. The chunk size is written in HEXADECIMAL,
/// without leading zeros. (This is how an SSE response without `Content-Length` sends each event.)
///
/// Edge cases to think about: 15 and 16 bytes; 255 and 256.
pub fn chunk_bytes(len: usize) -> usize {
    // TODO: the size line, the data, the CRLF after it.
    todo!("chunk bytes for {len}")
}

/// Bytes of one WebSocket frame with a payload of `len` bytes (RFC 6455 section 5.2; book:
/// Chapter 4 › What the numbers mean, "WebSocket framing and masking"): 2 header bytes; then an
/// extended payload length of 2 bytes if `len` is 126..=65535, or 8 bytes if it is larger; then a
/// 4-byte masking key if the frame is `masked` (RFC 6455: every frame a client sends is masked,
/// and no frame a server sends is); then the payload.
///
/// Edge cases to think about: 125, 126, 65535, 65536.
pub fn websocket_frame_bytes(len: usize, masked: bool) -> usize {
    // TODO: add up the parts above.
    todo!("frame bytes for {len}")
}
// ANCHOR_END: stub
