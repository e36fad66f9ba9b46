//! Independent reader's wrong answer for ch04::ex07.
//! class: spec
//! Mistake: the key is trimmed before it is checked and hashed, being "liberal in what you
//! accept" about header whitespace, so a key with spaces or a tab around it gets an accept value
//! instead of `Err(BadKey)` (the contract says the parser already trimmed: nothing more is).

// ANCHOR: stub
/// Given (in `exercises/src/ch04/given.rs`): RFC 6455's GUID, a SHA-1 function, and the error.
pub use super::given::{BadKey, WEBSOCKET_GUID, sha1};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

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
    // Header values may carry optional whitespace (RFC 9110, section 5.5): ignore it.
    let key = key.trim();
    match STANDARD.decode(key) {
        Ok(bytes) if bytes.len() == 16 => {}
        _ => return Err(BadKey),
    }
    let text = format!("{key}{WEBSOCKET_GUID}");
    Ok(STANDARD.encode(sha1(text.as_bytes())))
}
// ANCHOR_END: stub
