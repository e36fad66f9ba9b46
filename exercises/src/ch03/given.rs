//! What chapter 3's exercises hand you: constants, types and helpers that your answer uses as they
//! are. They are not part of any exercise (do not change them): the stubs, the reference solutions
//! and the tests all use these same items.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Mutex;
use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};

// ANCHOR: ex01
/// ch03::ex01: the longest countdown a client may ask for. A client names `from`, and anything a
/// client can name it can make the server spend: a larger `from` is refused.
pub const MAX_FROM: u64 = 1_000;
// ANCHOR_END: ex01

// ANCHOR: ex02
/// ch03::ex02: the keep-alive comment: an empty comment line and the blank line after it.
pub const KEEP_ALIVE: &[u8] = b":\n\n";
// ANCHOR_END: ex02

// ANCHOR: ex03
/// ch03::ex03: what to send a client that connects with `Last-Event-ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resume {
    /// Replay these events (id, data), oldest first; then go live.
    Replay(Vec<(u64, String)>),
    /// The client missed events that are no longer in the buffer: tell it (the server then sends
    /// a `replay-gap` event), and replay everything that is left.
    Gap {
        first_available: u64,
        replay: Vec<(u64, String)>,
    },
}
// ANCHOR_END: ex03

// ANCHOR: ex06
/// ch03::ex06: the events your stream sends, already encoded: three events, 10 ms apart, then
/// the stream ends. Each item is one chunk of the response body.
pub fn updates() -> impl Stream<Item = Result<Bytes, Infallible>> + Send + 'static {
    futures::stream::iter(UPDATES).then(|event| async move {
        tokio::time::sleep(Duration::from_millis(10)).await;
        Ok(Bytes::from_static(event.as_bytes()))
    })
}

/// The events [`updates`] sends, in order.
pub const UPDATES: [&str; 3] = [
    "id: 1\ndata: the first update\n\n",
    "id: 2\ndata: prix : 12 €\n\n",
    "id: 3\nevent: done\ndata: that is all\n\n",
];
// ANCHOR_END: ex06

// ANCHOR: ex07
/// ch03::ex07: where the stream of a client that asked to resume starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResumeFrom {
    /// The client sent no `Last-Event-ID`: a new client, it starts with the live events.
    Live,
    /// Nothing was lost: replay the events after this id (possibly none), then go live.
    After(u64),
    /// Events the client missed are gone, or its id means nothing here: send a `replay-gap`
    /// event first, then replay from `first_available` (the oldest id still kept), then go live.
    Gap { first_available: u64 },
}
// ANCHOR_END: ex07

// ANCHOR: ex08
/// ch03::ex08: a resume point the server cannot read: the `Last-Event-ID` header or the
/// `lastEventId` parameter holds text that is not an id, or the parameter is given more than
/// once. The server still answers with a stream, which starts with a `replay-gap` event (book:
/// Chapter 3 › Broadcast, replay and resume › Telling the client what it lost), never with an
/// error status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "not a resume point: the Last-Event-ID or lastEventId is not an id, or lastEventId is given twice"
)]
pub struct BadResume;
// ANCHOR_END: ex08

// ANCHOR: ex05
/// ch03::ex05: whether the token a client `presented` is the server's `expected` token, compared
/// in constant time: the time taken does not depend on where the two first differ, so an attacker
/// cannot guess the token one byte at a time by timing the answers (book: Chapter 3 › Slow
/// clients, shutdown and auth). Tokens are compared exactly (case matters).
pub fn tokens_match(presented: &str, expected: &str) -> bool {
    count_comparison(expected);
    let (presented, expected) = (presented.as_bytes(), expected.as_bytes());
    // Every byte of the secret is visited whatever the client sent: no early exit.
    let mut difference = u8::from(presented.len() != expected.len());
    for (i, &byte) in expected.iter().enumerate() {
        let other = presented.get(i).copied().unwrap_or(!byte);
        difference |= std::hint::black_box(byte ^ other);
    }
    difference == 0
}
// ANCHOR_END: ex05

/// How many times [`tokens_match`] has compared a token with `expected`, in this process. The
/// tests use it to see that the handler compares with [`tokens_match`] (a timing test would be
/// slow and flaky).
pub fn comparisons_with(expected: &str) -> usize {
    let counts = COMPARISONS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    counts
        .as_ref()
        .and_then(|counts| counts.get(expected).copied())
        .unwrap_or(0)
}

/// Calls of [`tokens_match`] per expected token (the server's own tokens: a handful).
static COMPARISONS: Mutex<Option<HashMap<String, usize>>> = Mutex::new(None);

fn count_comparison(expected: &str) {
    let mut counts = COMPARISONS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let count = counts
        .get_or_insert_with(HashMap::new)
        .entry(expected.to_owned())
        .or_insert(0);
    *count = count.saturating_add(1);
}
