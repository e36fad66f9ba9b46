//! Channel names: what a client may name, checked once at the door.
//!
//! A name becomes a map key on every node and, with Redis, part of a key (`sse:<name>`), so it is
//! short and plain: 1 to 128 bytes of `A-Z a-z 0-9 _ . : -`. No spaces, slashes, `*` or control
//! characters, nothing that needs escaping in a URL, a log line or a Redis pattern.

use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

/// The longest channel name, in bytes.
pub const MAX_CHANNEL_LEN: usize = 128;

/// A validated channel name. Cheap to clone (shared).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChannelName(Arc<str>);

/// Why a channel name was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// The name is empty.
    #[error("the channel name is empty")]
    Empty,
    /// The name is longer than [`MAX_CHANNEL_LEN`].
    #[error("the channel name is {len} bytes long; the limit is {MAX_CHANNEL_LEN}")]
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// The name has a character outside `A-Z a-z 0-9 _ . : -`.
    #[error("the channel name has {found:?} at byte {at}; allowed are letters, digits and _ . : -")]
    BadCharacter {
        /// The first character refused.
        found: char,
        /// Its byte offset.
        at: usize,
    },
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-')
}

impl ChannelName {
    /// Checks `name`.
    pub fn new(name: &str) -> Result<Self, NameError> {
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        if name.len() > MAX_CHANNEL_LEN {
            return Err(NameError::TooLong { len: name.len() });
        }
        if let Some((at, found)) = name.char_indices().find(|(_, c)| !allowed(*c)) {
            return Err(NameError::BadCharacter { found, at });
        }
        Ok(ChannelName(Arc::from(name)))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ChannelName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Borrow<str> for ChannelName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_pass() {
        for name in [
            "news",
            "room:42",
            "a.b-c_d",
            "X",
            &"n".repeat(MAX_CHANNEL_LEN),
        ] {
            assert_eq!(ChannelName::new(name).unwrap().as_str(), name);
        }
    }

    #[test]
    fn hostile_names_are_refused_with_a_reason() {
        assert_eq!(ChannelName::new(""), Err(NameError::Empty));
        assert_eq!(
            ChannelName::new(&"n".repeat(MAX_CHANNEL_LEN + 1)),
            Err(NameError::TooLong { len: 129 })
        );
        for (name, found, at) in [
            ("a b", ' ', 1),
            ("a/b", '/', 1),
            ("*", '*', 0),
            ("news\n", '\n', 4),
            ("caf\u{e9}", '\u{e9}', 3),
            ("a\0", '\0', 1),
        ] {
            assert_eq!(
                ChannelName::new(name),
                Err(NameError::BadCharacter { found, at }),
                "{name:?}"
            );
        }
    }
}
