//! Solution to ch05::ex02: replay or gap.

// ANCHOR: solution
pub use super::given::{Decision, StreamId, StreamState};

/// Decides between up to date, a complete replay and a gap.
pub fn decide(client: StreamId, stream: StreamState) -> Decision {
    let gap = Decision::Gap {
        first_available: stream.first_entry,
    };
    // Check the top end first. An id beyond anything this stream generated was issued by
    // another stream (recreated under the same key, or a Redis that lost writes). An exclusive
    // `XRANGE` after it would return nothing, and the client would silently skip every event
    // of the new stream published before it reconnected.
    if client > stream.last_generated {
        return gap;
    }
    if client == stream.last_generated {
        // Up to date, even when trimming or deletion emptied the stream: nothing after the
        // client's event was ever added.
        return Decision::UpToDate;
    }
    // Something was added after the client's event. It is all still there if the client's own
    // event is (or, more precisely, if nothing before the first entry was newer than it; we
    // cannot tell what trimmed entries were, so an id older than the first entry is a gap).
    match stream.first_entry {
        Some(first) if client >= first => Decision::Replay,
        _ => gap,
    }
}
// ANCHOR_END: solution
