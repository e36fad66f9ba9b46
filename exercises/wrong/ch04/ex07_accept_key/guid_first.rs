//! The tempting mistake: the GUID and the key concatenated the other way round ("the fixed part
//! first"). RFC 6455 4.2.2 hashes the key followed by the GUID; SHA-1 of the swapped text is
//! another digest entirely.
//! class: spec

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

pub use super::given::{BadKey, WEBSOCKET_GUID, sha1};

/// The `Sec-WebSocket-Accept` value a server answers to the client's `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> Result<String, BadKey> {
    match STANDARD.decode(key) {
        Ok(bytes) if bytes.len() == 16 => {}
        _ => return Err(BadKey),
    }
    Ok(STANDARD.encode(sha1(format!("{WEBSOCKET_GUID}{key}").as_bytes())))
}
