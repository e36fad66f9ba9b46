//! Exercise ch04::ex02: a polling client. Book: Chapter 4 › Exercises › "ch04::ex02".
//! Stuck? `cargo course hint ch04::ex02`. Test: `cargo test -p exercises --test ch04 ch04_ex02`.

// ANCHOR: stub
use std::time::Duration;

/// Polls `{base}/poll/{channel}?after=CURSOR` every `interval` until `count` messages have
/// arrived, and returns their data in order (book: Chapter 4 › What the numbers mean, "Polling
/// wastes requests, and time").
///
/// One poll is `sse_longpoll::poll(&client, base, channel, cursor)`: it returns at once with the
/// messages whose id is greater than `cursor` (`Vec<sse_longpoll::Message>`, each with an `id`
/// and its `data`), oldest first, and often with none at all. Ids are `sse_longpoll::EventId`s:
/// they compare in publishing order, and `EventId::ZERO` comes before every event.
///
/// The contract:
/// - Every message arrives exactly once: none twice, and none missed, including those published
///   between two polls. The cursor is how the server knows what you have.
/// - The polls are `interval` apart (the first one at once), however long each takes.
/// - An error from a poll ends the function at once: `Err` with its message, no further poll.
/// - Give up with `Err` after 200 polls without `count` messages: exactly 200 requests.
///
/// Edge cases to think about: a poll that returns nothing (what is the cursor after it?); a poll
/// that returns several messages.
pub async fn poll_all(
    base: &str,
    channel: &str,
    count: usize,
    interval: Duration,
) -> Result<Vec<String>, String> {
    // TODO: follow the contract above.
    todo!("poll {channel} until {count} messages")
}
// ANCHOR_END: stub
