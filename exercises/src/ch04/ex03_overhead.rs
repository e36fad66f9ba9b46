//! Exercise ch04::ex03: overhead bytes. Book: Chapter 4 › Exercises › "ch04::ex03".
//! Stuck? `cargo course hint ch04::ex03`. Test: `cargo test -p exercises --test ch04 ch04_ex03`.

// ANCHOR: stub
/// The length, in bytes on the wire, of one SSE event as the course's encoder writes it: an `id`
/// field with `id` in decimal, a `data` field with `data`, each field on its own line (`name: value`
/// and `\n`), then the blank line that dispatches it (book: Chapter 1 › Encoding events safely).
/// `data` is any text without line breaks, not empty; `id` is any `u64`.
pub fn sse_event_bytes(id: u64, data: &str) -> usize {
    // TODO: the byte count of the event described above, for every id and every text.
    todo!("sse bytes for {data:?}")
}

/// The length, in bytes on the wire, of one HTTP/1.1 chunk carrying `len` bytes of data (RFC 9112
/// section 7.1, "Chunked Transfer Coding": the chunk-size line, the data, the CRLF that ends
/// it; the chunk size is hexadecimal, without leading zeros, and has no extensions here). This is
/// how an SSE response without `Content-Length` sends each event.
///
/// Edge cases to think about: 15 and 16 bytes; 255 and 256.
pub fn chunk_bytes(len: usize) -> usize {
    // TODO: the byte count of the chunk described above.
    todo!("chunk bytes for {len}")
}

/// The length, in bytes on the wire, of one WebSocket frame carrying a payload of `len` bytes,
/// unfragmented and without extensions (RFC 6455 section 5.2, "Base Framing Protocol"; book:
/// Chapter 4 › What the numbers mean, "WebSocket framing and masking"). `masked` says whether the
/// frame carries a masking key: every frame a client sends is masked, no frame a server sends is.
///
/// Edge cases to think about: 125, 126, 65535, 65536.
pub fn websocket_frame_bytes(len: usize, masked: bool) -> usize {
    // TODO: the byte count of the frame, with the header RFC 6455 prescribes for this length.
    todo!("frame bytes for {len}")
}
// ANCHOR_END: stub
