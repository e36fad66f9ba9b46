//! Exercise ch04::ex02: a polling client. Book: Chapter 4 › Exercises › "ch04::ex02".
//! Stuck? `cargo course hint ch04::ex02`. Test: `cargo test -p exercises --test ch04 ch04_ex02`.

// ANCHOR: stub
use std::time::Duration;

/// Polls `{base}/poll/{channel}?after=CURSOR` every `interval` until `count` messages have
/// arrived, and returns their data in order. Use `sse_longpoll::poll`, which returns the
/// messages after the cursor as `Vec<sse_longpoll::Message>` (`id` and `data`).
///
/// Gives up with an error after 200 polls.
pub async fn poll_all(
    base: &str,
    channel: &str,
    count: usize,
    interval: Duration,
) -> Result<Vec<String>, String> {
    let client = reqwest::Client::new();
    // TODO: keep a cursor (the largest id seen, `sse_longpoll::EventId::ZERO` at first) and send
    //       it with every poll, so that
    //       nothing is received twice and nothing published between polls is missed.
    // TODO: wait `interval` between polls (`tokio::time::interval` keeps a steady pace).
    todo!("poll {channel} until {count} messages")
}
// ANCHOR_END: stub
