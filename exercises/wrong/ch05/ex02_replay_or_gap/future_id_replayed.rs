//! Second-reader wrong answer for ch05::ex02.
//! class: spec
//! Mistake: only the trimmed end of the stream is checked (older than `first_entry` is a gap,
//! equal to `last_generated` is up to date, anything else replays); an id newer than
//! `last_generated` (a recreated stream, lost writes) gets `Replay`, whose exclusive range is
//! empty, so the client silently skips every event published since.

pub use super::given::{Decision, StreamId, StreamState};

/// Decides between up to date, a complete replay and a gap for a client that last saw `client`.
pub fn decide(client: StreamId, stream: StreamState) -> Decision {
    if client == stream.last_generated {
        return Decision::UpToDate;
    }
    match stream.first_entry {
        Some(first) if client >= first => Decision::Replay,
        first_available => Decision::Gap { first_available },
    }
}
