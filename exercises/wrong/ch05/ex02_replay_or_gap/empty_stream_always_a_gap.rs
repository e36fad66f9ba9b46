//! The tempting mistake: a stream with no entry has nothing to check the client against, so every
//! client gets a gap, even the one that holds `last_generated` and has missed nothing (the client
//! of a trimmed-out or freshly restarted channel is told, wrongly, that history was lost).
//! class: boundaries

pub use super::given::{Decision, StreamId, StreamState};

/// Decides between up to date, a complete replay and a gap.
pub fn decide(client: StreamId, stream: StreamState) -> Decision {
    let Some(first) = stream.first_entry else {
        return Decision::Gap {
            first_available: None,
        };
    };
    let gap = Decision::Gap {
        first_available: Some(first),
    };
    if client > stream.last_generated {
        gap
    } else if client == stream.last_generated {
        Decision::UpToDate
    } else if client >= first {
        Decision::Replay
    } else {
        gap
    }
}
