//! Exercise ch05::ex02: replay or gap. Book: Chapter 5 › Exercises › "ch05::ex02".
//! Stuck? `cargo course hint ch05::ex02`. Test: `cargo test -p exercises --test ch05 ch05_ex02`.

// ANCHOR: stub
pub use super::given::{Decision, StreamId, StreamState};

/// Decides between up to date, a complete replay and a gap for a client that last saw `client`.
///
/// Trimming removes entries from the front only, so the entries still there are exactly those
/// from `first_entry` to `last_generated`; when the stream holds no entry (`first_entry` is
/// `None`), every entry ever added is gone. A client whose id is older than `first_entry`, or,
/// on a stream with no entry, older than `last_generated`, may have missed removed entries. A
/// client whose id is newer than `last_generated` holds an id this stream never issued: the
/// stream was deleted and recreated, Redis lost writes (a failover to a lagging replica), or
/// the id is made up. Treat both as gaps: a gap the client is told about is recoverable, a
/// silent skip is not. Every gap names the oldest entry still in the stream, if any.
pub fn decide(client: StreamId, stream: StreamState) -> Decision {
    // TODO: the decision for `client` on `stream`, for every id and every state of the stream.
    todo!("resume after {client:?} on {stream:?}")
}
// ANCHOR_END: stub
