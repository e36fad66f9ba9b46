//! Solution to ch02::ex10: retry or not.

// ANCHOR: solution
pub use super::given::Verdict;

/// The verdict on a response that did not open the stream, from its status code alone.
pub fn should_retry(status: u16) -> Verdict {
    match status {
        // "No Content": the server's way of saying "stop reconnecting".
        204 => Verdict::Stop,
        // A timeout, a rate limit, or the server's own trouble: temporary, worth another try.
        // The range has two ends: 600 and up are not server errors, they are not statuses at all.
        408 | 429 | 500..=599 => Verdict::Retry,
        // The request itself is wrong (or the answer makes no sense): the same request would get
        // the same answer. This covers 200 with the wrong Content-Type, 1xx, 3xx, other 4xx, and
        // numbers outside 100 to 599.
        _ => Verdict::GiveUp,
    }
}
// ANCHOR_END: solution
