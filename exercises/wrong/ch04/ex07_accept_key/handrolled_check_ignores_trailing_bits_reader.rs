//! Independent reader's wrong answer for ch04::ex07.
//! class: encoding
//! Mistake: the key is checked by hand (24 characters, 22 from the alphabet, then "==") instead
//! of being decoded, so a non-canonical key whose last character has its low 4 bits set (e.g.
//! `...ZQ==` changed to `...ZR==`), which the standard engine refuses, is accepted.

// ANCHOR: stub
/// Given (in `exercises/src/ch04/given.rs`): RFC 6455's GUID, a SHA-1 function, and the error.
pub use super::given::{BadKey, WEBSOCKET_GUID, sha1};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// 16 bytes are 5 full groups of 3 (20 characters) and one byte left over, which base64 writes
/// as 2 characters and `==`: 24 characters in all.
fn is_base64_of_16_bytes(key: &str) -> bool {
    let bytes = key.as_bytes();
    bytes.len() == 24
        && bytes[..22]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
        && bytes[22..] == *b"=="
}

/// The `Sec-WebSocket-Accept` value a server answers to the client's `Sec-WebSocket-Key`
/// (book: Chapter 4 › What the numbers mean › The upgrade and its accept key; RFC 6455 sections
/// 4.1, 4.2.1 and 4.2.2).
///
/// The contract:
/// - `key` is the header's value as received (the HTTP parser has already removed the whitespace
///   around it: nothing more is trimmed). It is valid when it is the base64 of exactly 16 bytes,
///   in the standard alphabet of RFC 4648 section 4 (`A`-`Z`, `a`-`z`, `0`-`9`, `+`, `/`),
///   padded with `=`. Anything else is `Err(BadKey)`.
/// - The answer is the base64 (same alphabet, padded) of the SHA-1 digest of the key's text
///   followed by `WEBSOCKET_GUID`. The key is hashed as the client sent it, as text: not the 16
///   bytes it decodes to.
/// - It never panics, whatever the input.
pub fn accept_key(key: &str) -> Result<String, BadKey> {
    if !is_base64_of_16_bytes(key) {
        return Err(BadKey);
    }
    let mut input = Vec::with_capacity(key.len() + WEBSOCKET_GUID.len());
    input.extend_from_slice(key.as_bytes());
    input.extend_from_slice(WEBSOCKET_GUID.as_bytes());
    Ok(STANDARD.encode(sha1(&input)))
}
// ANCHOR_END: stub
