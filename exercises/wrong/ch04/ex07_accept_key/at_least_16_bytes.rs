//! The tempting mistake: the check is "enough randomness", at least 16 decoded bytes, so the
//! base64 of 17, 18 or 32 bytes is accepted as a key. RFC 6455 4.2.1 item 4 asks for exactly 16.
//! class: boundaries

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

pub use super::given::{BadKey, WEBSOCKET_GUID, sha1};

/// The `Sec-WebSocket-Accept` value a server answers to the client's `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> Result<String, BadKey> {
    let bytes = STANDARD.decode(key).map_err(|_| BadKey)?;
    if bytes.len() < 16 {
        return Err(BadKey);
    }
    Ok(STANDARD.encode(sha1(format!("{key}{WEBSOCKET_GUID}").as_bytes())))
}
