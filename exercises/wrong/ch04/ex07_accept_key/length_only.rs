//! The tempting mistake: "16 bytes in base64 are 24 characters", so the check is the length of the
//! text. It lets through 24 characters that are not base64 at all, the URL-safe alphabet, and the
//! base64 of 17 or 18 bytes, which are 24 characters too.
//! class: spec

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

pub use super::given::{BadKey, WEBSOCKET_GUID, sha1};

/// The `Sec-WebSocket-Accept` value a server answers to the client's `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> Result<String, BadKey> {
    if key.len() != 24 {
        return Err(BadKey);
    }
    Ok(STANDARD.encode(sha1(format!("{key}{WEBSOCKET_GUID}").as_bytes())))
}
