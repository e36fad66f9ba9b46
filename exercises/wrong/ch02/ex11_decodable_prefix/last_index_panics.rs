//! The tempting mistake: walking back from `buf[buf.len() - 1]` without checking for an empty
//! buffer. A chunk boundary can leave nothing undecoded, and then `buf.len() - 1` underflows: the
//! client panics on an empty buffer instead of answering 0.
//! class: boundaries

/// How many leading bytes of `buf` a client may decode now.
pub fn decodable_prefix(buf: &[u8]) -> usize {
    // Walk back over continuation bytes (10xxxxxx) to the byte that starts the last character.
    let mut start = buf.len() - 1;
    while start > 0 && buf.len() - start < 4 && buf[start] & 0xC0 == 0x80 {
        start -= 1;
    }
    // Decoding from there fails only for "too short": then it must wait.
    match std::str::from_utf8(&buf[start..]) {
        Err(error) if error.valid_up_to() == 0 && error.error_len().is_none() => start,
        _ => buf.len(),
    }
}
