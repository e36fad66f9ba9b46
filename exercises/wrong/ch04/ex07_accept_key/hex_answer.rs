//! The tempting mistake: a digest is written the way `sha1sum` prints it, in hexadecimal (40
//! characters). RFC 6455 4.2.2 sends the 20 bytes in base64 (28 characters).
//! class: encoding

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::fmt::Write as _;

pub use super::given::{BadKey, WEBSOCKET_GUID, sha1};

/// The `Sec-WebSocket-Accept` value a server answers to the client's `Sec-WebSocket-Key`.
pub fn accept_key(key: &str) -> Result<String, BadKey> {
    match STANDARD.decode(key) {
        Ok(bytes) if bytes.len() == 16 => {}
        _ => return Err(BadKey),
    }
    let digest = sha1(format!("{key}{WEBSOCKET_GUID}").as_bytes());
    let mut hex = String::with_capacity(40);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    Ok(hex)
}
