//! The tempting mistake: giving up only on the 4xx ("the request is wrong") and retrying
//! everything else, so a 301 that was not followed, a 1xx, a 200 of the wrong type or a 0 from a
//! broken server is retried without end: no give-up.
//! class: errors

pub use super::given::Verdict;

/// The verdict on a response that did not open the stream, from its status code alone.
pub fn should_retry(status: u16) -> Verdict {
    match status {
        204 => Verdict::Stop,
        408 | 429 => Verdict::Retry,
        // Client errors: sending the same request again cannot help.
        400..=499 => Verdict::GiveUp,
        // Anything else may be a hiccup: try again.
        _ => Verdict::Retry,
    }
}
