//! The tempting mistake: the key is trimmed before anything else ("be lenient with headers"), so
//! a key with spaces, a tab or a CRLF around it is accepted and hashed without them. The HTTP
//! parser has already removed the whitespace that belongs to the header's syntax; what is left is
//! part of the value, and a value with whitespace in it is not base64 of 16 bytes.
//! class: spec

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

pub use super::given::{BadKey, WEBSOCKET_GUID, sha1};

/// The `Sec-WebSocket-Accept` value a server answers to the client's `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> Result<String, BadKey> {
    let key = key.trim();
    match STANDARD.decode(key) {
        Ok(bytes) if bytes.len() == 16 => {}
        _ => return Err(BadKey),
    }
    Ok(STANDARD.encode(sha1(format!("{key}{WEBSOCKET_GUID}").as_bytes())))
}
