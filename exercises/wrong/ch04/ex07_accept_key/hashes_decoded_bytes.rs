//! The tempting mistake: the key is decoded to check it, and the 16 decoded bytes are what gets
//! hashed with the GUID ("the key IS those 16 bytes; base64 is only how they travel"). RFC 6455
//! 4.2.2 hashes the key as the client sent it, its base64 text: every answer comes out wrong, and
//! the client fails the handshake.
//! class: encoding

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

pub use super::given::{BadKey, WEBSOCKET_GUID, sha1};

/// The `Sec-WebSocket-Accept` value a server answers to the client's `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> Result<String, BadKey> {
    let mut bytes = STANDARD.decode(key).map_err(|_| BadKey)?;
    if bytes.len() != 16 {
        return Err(BadKey);
    }
    bytes.extend_from_slice(WEBSOCKET_GUID.as_bytes());
    Ok(STANDARD.encode(sha1(&bytes)))
}
