//! Exercise ch04::ex07: the handshake's accept key. Book: Chapter 4 › What the numbers mean ›
//! "ch04::ex07". Stuck? `cargo course hint ch04::ex07`.
//! Test: `cargo test -p exercises --test ch04 ch04_ex07`.

// ANCHOR: stub
/// Given (in `exercises/src/ch04/given.rs`): RFC 6455's GUID, a SHA-1 function, and the error.
pub use super::given::{BadKey, WEBSOCKET_GUID, sha1};

/// The `Sec-WebSocket-Accept` value a server answers to the client's `Sec-WebSocket-Key`
/// (book: Chapter 4 › What the numbers mean › The upgrade and its accept key; RFC 6455 sections
/// 4.1, 4.2.1 and 4.2.2).
///
/// The contract:
/// - `key` is the header's value as received (the HTTP parser has already removed the whitespace
///   around it: nothing more is trimmed). It is valid when it is the base64 of exactly 16 bytes,
///   in the standard alphabet of RFC 4648 section 4 (`A`-`Z`, `a`-`z`, `0`-`9`, `+`, `/`),
///   padded with `=`, and canonical: the 4 bits the last character holds past the 16th byte
///   are zero (RFC 4648 section 3.5), so each key has one spelling. Anything else is
///   `Err(BadKey)`.
/// - The answer is the base64 (same alphabet, padded) of the SHA-1 digest of the key's text
///   followed by `WEBSOCKET_GUID`. The key is hashed as the client sent it, as text: not the 16
///   bytes it decodes to.
/// - It never panics, whatever the input.
pub fn accept_key(key: &str) -> Result<String, BadKey> {
    // TODO: check the key, then compute the accept value from it.
    todo!("the accept value for {key:?}")
}
// ANCHOR_END: stub
