//! The tempting mistake: once the client is known to be behind `last_generated`, an entry was
//! added after its id, "so the stream holds at least that one" and `first_entry` is unwrapped;
//! but trimming (or `XDEL`) can empty a stream that had entries, and the resume panics.
//! class: errors

pub use super::given::{Decision, StreamId, StreamState};

/// Decides between up to date, a complete replay and a gap.
pub fn decide(client: StreamId, stream: StreamState) -> Decision {
    if client > stream.last_generated {
        return Decision::Gap {
            first_available: stream.first_entry,
        };
    }
    if client == stream.last_generated {
        return Decision::UpToDate;
    }
    // Something was added after the client's id, so the stream is not empty.
    let first = stream
        .first_entry
        .expect("an entry was added after the client's id");
    if client >= first {
        Decision::Replay
    } else {
        Decision::Gap {
            first_available: Some(first),
        }
    }
}
