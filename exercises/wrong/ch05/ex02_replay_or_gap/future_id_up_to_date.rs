//! The tempting mistake: only the trimmed front is a gap; an id at or beyond `last_generated` is
//! taken as "the client is ahead, nothing to send", so a client holding an id from a recreated
//! stream goes live and silently skips every event the new stream published before it returned.
//! class: spec

pub use super::given::{Decision, StreamId, StreamState};

/// Decides between up to date, a complete replay and a gap.
pub fn decide(client: StreamId, stream: StreamState) -> Decision {
    if client >= stream.last_generated {
        return Decision::UpToDate;
    }
    match stream.first_entry {
        Some(first) if client >= first => Decision::Replay,
        first_available => Decision::Gap { first_available },
    }
}
