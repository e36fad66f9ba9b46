//! Independent reader's wrong answer for ch02::ex10.
//! class: boundaries
//! Mistake: treats every status from 500 up as a server error (`s if s >= 500`), so 600, 999 and
//! 65535, numbers that are no HTTP status at all, are retried instead of given up on.

// ANCHOR: stub
pub use super::given::Verdict;

/// The verdict on a response that did not open the stream, from its status code alone, as the
/// course's `sse-client` decides (`sse_client::retry::classify_status`; book: Chapter 2 › Errors
/// and retries › What to retry).
pub fn should_retry(status: u16) -> Verdict {
    match status {
        204 => Verdict::Stop,
        408 | 429 => Verdict::Retry,
        // Server errors (Anthropic's 529 "overloaded" included): may be gone in a few seconds.
        s if s >= 500 => Verdict::Retry,
        _ => Verdict::GiveUp,
    }
}
// ANCHOR_END: stub
