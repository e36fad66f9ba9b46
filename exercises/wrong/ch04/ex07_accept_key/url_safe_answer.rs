//! The tempting mistake: the answer goes in a header, so it is encoded with the URL-safe base64
//! alphabet (`-` and `_` instead of `+` and `/`, "safer in HTTP"). RFC 6455 4.2.2 uses the
//! standard alphabet: the RFC's own example answer has a `+`, and a client compares the header
//! byte for byte.
//! class: encoding

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};

pub use super::given::{BadKey, WEBSOCKET_GUID, sha1};

/// The `Sec-WebSocket-Accept` value a server answers to the client's `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> Result<String, BadKey> {
    match STANDARD.decode(key) {
        Ok(bytes) if bytes.len() == 16 => {}
        _ => return Err(BadKey),
    }
    let digest = sha1(format!("{key}{WEBSOCKET_GUID}").as_bytes());
    Ok(URL_SAFE.encode(digest))
}
