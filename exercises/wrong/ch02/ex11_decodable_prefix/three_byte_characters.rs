//! The tempting mistake: "a character is at most three bytes" (true of the Basic Multilingual
//! Plane only), so only the last TWO bytes are searched for an unfinished one. An emoji cut after
//! its third byte (`F0 9F 98`) is decoded now, as U+FFFD, and its last byte then arrives alone.
//! class: boundaries

/// How many leading bytes of `buf` a client may decode now.
pub fn decodable_prefix(buf: &[u8]) -> usize {
    // An unfinished character is one byte short of a whole one: at most two bytes.
    let earliest = buf.len().saturating_sub(2);
    for start in earliest..buf.len() {
        if let Err(error) = std::str::from_utf8(&buf[start..])
            && error.valid_up_to() == 0
            && error.error_len().is_none()
        {
            return start;
        }
    }
    buf.len()
}
