//! The tempting mistake: the key is never checked ("the client made it up anyway; just hash it"),
//! so any string gets an accept value and `BadKey` is never returned. RFC 6455 4.2.1 item 4 makes
//! a server refuse a key that is not base64 of 16 bytes: whoever sent it is not a WebSocket
//! client that follows the protocol, and the error is swallowed instead of answered with a 400.
//! class: errors

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

pub use super::given::{BadKey, WEBSOCKET_GUID, sha1};

/// The `Sec-WebSocket-Accept` value a server answers to the client's `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> Result<String, BadKey> {
    Ok(STANDARD.encode(sha1(format!("{key}{WEBSOCKET_GUID}").as_bytes())))
}
