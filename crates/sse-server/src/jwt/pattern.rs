//! Channel patterns: which channels a token's `subscribe` or `publish` list names.
//!
//! A pattern is one of three things, and matches exactly what it says:
//!
//! | pattern | matches | does not match |
//! |---|---|---|
//! | `news` (a channel name) | `news` | `news2`, `news.eu`, `NEWS` |
//! | `user.42.*` (a name ending in `.` or `:`, then `*`) | `user.42.inbox`, `user.42.inbox.urgent` | `user.42`, `user.42.`, `user.420`, `user.42x` |
//! | `*` | every channel | |
//!
//! The part before `*` is compared byte for byte, separator included, and the `*` stands for at
//! least one more character: so `user.42.*` covers the channels under `user.42.` and nothing that
//! merely starts with the same characters. A `*` anywhere else (`user.4*`, `*.news`, `a.*.b`,
//! `user.**`) makes the pattern invalid rather than guessed at: a token carrying one is refused
//! (see [`super::TokenError::Claims`]), so an issuer's typo cannot grant more than it meant.
//! Names follow the hub's rule ([`crate::hub::channel`]): 1 to 128 bytes of
//! `A-Z a-z 0-9 _ . : -`, compared case-sensitively.

use std::fmt;

use crate::hub::channel::{ChannelName, NameError};

/// A parsed channel pattern; see the [module documentation](self).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChannelPattern {
    /// Exactly this channel.
    Exact(String),
    /// Every channel that starts with this prefix (which ends in `.` or `:`) and has at least one
    /// more character.
    Prefix(String),
    /// Every channel.
    Any,
}

/// Why a pattern was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PatternError {
    /// The part before `*` (or the whole pattern) is not a valid channel name.
    #[error("{0}")]
    Name(#[from] NameError),
    /// A `*` that is not the whole pattern or a last segment after `.` or `:`.
    #[error("a `*` may only stand alone or follow a final `.` or `:` (as in `user.42.*`)")]
    Wildcard,
}

impl ChannelPattern {
    /// Parses a pattern (see the [module documentation](self)).
    ///
    /// ```
    /// use sse_server::jwt::ChannelPattern;
    /// let pattern = ChannelPattern::parse("user.42.*").unwrap();
    /// assert!(pattern.matches("user.42.inbox"));
    /// assert!(!pattern.matches("user.420"));
    /// assert!(ChannelPattern::parse("user.4*").is_err());
    /// ```
    pub fn parse(pattern: &str) -> Result<ChannelPattern, PatternError> {
        if pattern == "*" {
            return Ok(ChannelPattern::Any);
        }
        match pattern.strip_suffix('*') {
            Some(prefix) => {
                if !(prefix.ends_with('.') || prefix.ends_with(':')) {
                    return Err(PatternError::Wildcard);
                }
                // The prefix itself must be a valid name: no second `*`, no bad character.
                ChannelName::new(prefix).map_err(|error| match error {
                    NameError::BadCharacter { found: '*', .. } => PatternError::Wildcard,
                    other => PatternError::Name(other),
                })?;
                Ok(ChannelPattern::Prefix(prefix.to_owned()))
            }
            None => match ChannelName::new(pattern) {
                Ok(name) => Ok(ChannelPattern::Exact(name.as_str().to_owned())),
                Err(NameError::BadCharacter { found: '*', .. }) => Err(PatternError::Wildcard),
                Err(other) => Err(PatternError::Name(other)),
            },
        }
    }

    // ANCHOR: matches
    /// Whether `channel` is one of the channels this pattern names.
    pub fn matches(&self, channel: &str) -> bool {
        match self {
            ChannelPattern::Exact(name) => channel == name,
            // The prefix ends in its separator, and at least one character must follow it.
            ChannelPattern::Prefix(prefix) => {
                channel.len() > prefix.len() && channel.starts_with(prefix.as_str())
            }
            ChannelPattern::Any => true,
        }
    }
    // ANCHOR_END: matches
}

impl fmt::Display for ChannelPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChannelPattern::Exact(name) => f.write_str(name),
            ChannelPattern::Prefix(prefix) => write!(f, "{prefix}*"),
            ChannelPattern::Any => f.write_str("*"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, channel: &str) -> bool {
        ChannelPattern::parse(pattern).unwrap().matches(channel)
    }

    #[test]
    fn an_exact_name_matches_only_itself() {
        assert!(matches("news", "news"));
        for other in ["news2", "news.eu", "NEWS", "new", "", "news "] {
            assert!(!matches("news", other), "{other:?}");
        }
    }

    #[test]
    fn a_trailing_wildcard_matches_below_its_prefix_only() {
        for inside in [
            "user.42.inbox",
            "user.42.inbox.urgent",
            "user.42.x",
            "user.42.-",
        ] {
            assert!(matches("user.42.*", inside), "{inside:?}");
        }
        for outside in [
            "user.42",
            "user.42.",
            "user.420",
            "user.42x",
            "user.4",
            "user.43.a",
        ] {
            assert!(!matches("user.42.*", outside), "{outside:?}");
        }
        assert!(matches("room:*", "room:lobby"));
        assert!(!matches("room:*", "room"));
        assert!(!matches("room:*", "roomy:lobby"));
    }

    #[test]
    fn star_alone_matches_every_channel() {
        assert!(matches("*", "news"));
        assert!(matches("*", "user.42.inbox"));
    }

    #[test]
    fn pattern_overreach_user_4_star_is_refused() {
        // `user.4*` would match `user.42x` and `user.4000` if read as a prefix; it is refused.
        for bad in [
            "user.4*", "*.news", "a.*.b", "user.**", "**", "user*", "*news", ".*x",
        ] {
            assert_eq!(
                ChannelPattern::parse(bad),
                Err(PatternError::Wildcard),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn patterns_follow_the_channel_name_rule() {
        assert!(matches!(
            ChannelPattern::parse(""),
            Err(PatternError::Name(NameError::Empty))
        ));
        assert!(matches!(
            ChannelPattern::parse("a b"),
            Err(PatternError::Name(NameError::BadCharacter { .. }))
        ));
        assert!(matches!(
            ChannelPattern::parse("a/b.*"),
            Err(PatternError::Name(NameError::BadCharacter { .. }))
        ));
        let long = format!("{}.*", "a".repeat(200));
        assert!(matches!(
            ChannelPattern::parse(&long),
            Err(PatternError::Name(NameError::TooLong { .. }))
        ));
    }

    #[test]
    fn display_round_trips() {
        for text in ["news", "user.42.*", "room:*", "*"] {
            assert_eq!(ChannelPattern::parse(text).unwrap().to_string(), text);
        }
    }
}
