//! The tempting mistake: looking only at the last byte. A last byte that starts a multi-byte
//! character (`>= 0xC0`) is held back, but a character cut after its SECOND or third byte (`E2 82`
//! of `€`, `F0 9F 98` of `😀`) ends in a continuation byte, so it is decoded now and corrupted.
//! class: encoding

/// How many leading bytes of `buf` a client may decode now.
pub fn decodable_prefix(buf: &[u8]) -> usize {
    match buf.last() {
        // A lead byte at the very end: its character has not arrived yet.
        Some(&last) if last >= 0xC0 => buf.len() - 1,
        _ => buf.len(),
    }
}
