//! Independent reader's wrong answer for ch02::ex10.
//! class: spec
//! Mistake: treats every 2xx that did not open the stream as "stop" (like 204), reasoning that a
//! successful answer is not an error; the contract keeps Stop for 204 alone, and a 200 with the
//! wrong Content-Type (or 201, 206, ...) is a GiveUp.

// ANCHOR: stub
pub use super::given::Verdict;

/// The verdict on a response that did not open the stream, from its status code alone, as the
/// course's `sse-client` decides (`sse_client::retry::classify_status`; book: Chapter 2 › Errors
/// and retries › What to retry).
pub fn should_retry(status: u16) -> Verdict {
    match status {
        // The server answered successfully but sent no stream: nothing more to get, stop quietly.
        200..=299 => Verdict::Stop,
        408 | 429 | 500..=599 => Verdict::Retry,
        _ => Verdict::GiveUp,
    }
}
// ANCHOR_END: stub
