//! The types chapter 5's exercises hand you: stream ids as the network and Redis give them, what
//! Redis says about a stream, and the answers and errors the exercises return. The stubs, the
//! reference solutions and the tests all use these, so you never copy them.

// ANCHOR: ex01
/// A `Last-Event-ID` that is not a Redis stream id the hub could have issued (ch05::ex01). It
/// holds the header's text as the client sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedId(pub String);
// ANCHOR_END: ex01

// ANCHOR: ex02
/// A stream id `<ms>-<seq>` (ch05::ex02). The field order makes the derived `Ord` the order
/// Redis uses: by `ms`, then by `seq`.
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

/// What to do for a client that resumes after `Last-Event-ID` (ch05::ex02).
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
// ANCHOR_END: ex02

// ANCHOR: ex03
/// One stream entry as the Redis client hands it over (ch05::ex03): the id is text, `<ms>-<seq>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub data: String,
}

/// An id that is not `<ms>-<seq>` with two `u64` parts (ch05::ex03). It holds the id's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadId(pub String);
// ANCHOR_END: ex03

// ANCHOR: ex06
/// The longest channel name, in bytes (ch05::ex06), as the hub's `sse_hub::channel` has it.
pub const MAX_CHANNEL_LEN: usize = 128;
// ANCHOR_END: ex06

// ANCHOR: ex07
/// Nano-tokens to a token (ch05::ex07): a bucket counts in whole nano-tokens so that its
/// arithmetic is exact, however long the process runs.
pub const NANOS_PER_TOKEN: u64 = 1_000_000_000;
// ANCHOR_END: ex07
