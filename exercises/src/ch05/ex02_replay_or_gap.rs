//! Exercise ch05::ex02: replay or gap. Book: Chapter 5 › Exercises › "ch05::ex02".
//! Stuck? `cargo course hint ch05::ex02`. Test: `cargo test -p exercises --test ch05 ch05_ex02`.

// ANCHOR: stub
/// A stream id `<ms>-<seq>`. The field order makes the derived `Ord` the order Redis uses:
/// by `ms`, then by `seq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

/// What Redis says about a channel's stream (`XINFO STREAM key`). A key that does not exist
/// is `StreamState::default()`: no entries, nothing ever generated (`0-0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StreamState {
    /// The oldest entry still in the stream (`first-entry`); `None` when it holds no entry.
    pub first_entry: Option<StreamId>,
    /// The id of the last entry ever added (`last-generated-id`), even if it has since been
    /// trimmed away; `0-0` when nothing was ever added.
    pub last_generated: StreamId,
}

/// What to do for a client that resumes after `Last-Event-ID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The client has the last event ever added: nothing to replay, go live.
    UpToDate,
    /// Every event after the client's id is still in the stream: replay them, then go live.
    Replay,
    /// Events after the client's id may be gone, or the id is not from this stream: send a
    /// `replay-gap` event naming `first_available` (the oldest entry still there, if any), then
    /// replay what is there.
    Gap { first_available: Option<StreamId> },
}

/// Decides between up to date, a complete replay and a gap for a client that last saw `client`.
///
/// Trimming removes entries from the front only, so the entries still there are exactly those
/// from `first_entry` to `last_generated`. A client whose id is older than `first_entry` may
/// have missed trimmed entries. A client whose id is newer than `last_generated` holds an id
/// this stream never issued: the stream was deleted and recreated, Redis lost writes (a
/// failover to a lagging replica), or the id is made up. Treat both as gaps: a gap the client
/// is told about is recoverable, a silent skip is not.
pub fn decide(client: StreamId, stream: StreamState) -> Decision {
    // TODO: compare the client's id with `last_generated` first, then with `first_entry`.
    todo!("resume after {client:?} on {stream:?}")
}
// ANCHOR_END: stub
