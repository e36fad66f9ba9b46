//! Second-reader wrong answer for ch05::ex02.
//! class: boundaries
//! Mistake: a stream that holds no entry is taken as "nothing to replay, go live", so a key that
//! expired or was trimmed to nothing answers `UpToDate` to a client that missed events (or holds
//! an id from the old stream) instead of a `Gap` with no first available id.

pub use super::given::{Decision, StreamId, StreamState};

/// Decides between up to date, a complete replay and a gap for a client that last saw `client`.
pub fn decide(client: StreamId, stream: StreamState) -> Decision {
    let Some(first) = stream.first_entry else {
        // Nothing in the stream: there is nothing to replay.
        return Decision::UpToDate;
    };
    if client > stream.last_generated {
        Decision::Gap {
            first_available: Some(first),
        }
    } else if client == stream.last_generated {
        Decision::UpToDate
    } else if client >= first {
        Decision::Replay
    } else {
        Decision::Gap {
            first_available: Some(first),
        }
    }
}
