//! Solution to ch04::ex07: the handshake's accept key.

// ANCHOR: solution
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

pub use super::given::{BadKey, WEBSOCKET_GUID, sha1};

/// The `Sec-WebSocket-Accept` value a server answers to the client's `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> Result<String, BadKey> {
    // RFC 6455 4.2.1 item 4: the key must decode to 16 bytes. Their base64 is always 24
    // characters (22 and the padding `==`), so anything longer is refused before decoding it,
    // and the decoder allocates at most 18 bytes. `STANDARD` is RFC 4648's alphabet with the
    // padding required: no URL-safe `-` or `_`, no missing `=`, no whitespace.
    if key.len() != 24 {
        return Err(BadKey);
    }
    match STANDARD.decode(key) {
        Ok(bytes) if bytes.len() == 16 => {}
        _ => return Err(BadKey),
    }
    // 4.2.2 item 5.4: hash the key's TEXT, as the client sent it (the decoded bytes only served
    // the check), followed by the GUID; the answer is the digest in the same base64.
    let mut text = String::with_capacity(key.len() + WEBSOCKET_GUID.len());
    text.push_str(key);
    text.push_str(WEBSOCKET_GUID);
    Ok(STANDARD.encode(sha1(text.as_bytes())))
}
// ANCHOR_END: solution
