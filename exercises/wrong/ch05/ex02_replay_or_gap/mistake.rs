//! The tempting mistake for ch05::ex02: only the trimmed front is a gap; an id from the future
//! (a recreated stream) "replays" nothing and the client silently skips events.

/// A stream id `<ms>-<seq>`, ordered by `ms`, then by `seq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

/// What Redis says about a channel's stream (`XINFO STREAM key`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StreamState {
    /// The oldest entry still in the stream; `None` when it holds no entry.
    pub first_entry: Option<StreamId>,
    /// The id of the last entry ever added; `0-0` when nothing was ever added.
    pub last_generated: StreamId,
}

/// What to do for a client that resumes after `Last-Event-ID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Nothing to replay, go live.
    UpToDate,
    /// Replay every entry after the client's id, then go live.
    Replay,
    /// Send `replay-gap`, then replay what is there.
    Gap { first_available: Option<StreamId> },
}

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
