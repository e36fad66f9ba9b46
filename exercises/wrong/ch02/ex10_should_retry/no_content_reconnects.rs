//! The tempting mistake: "204 is a success, the stream just ended, so reconnect" (as a client
//! does after a normal end of stream), where 204 No Content is the server saying "stop".
//! class: spec

pub use super::given::Verdict;

/// The verdict on a response that did not open the stream, from its status code alone.
pub fn should_retry(status: u16) -> Verdict {
    match status {
        // An empty success: nothing to read this time, come back later.
        204 => Verdict::Retry,
        408 | 429 | 500..=599 => Verdict::Retry,
        _ => Verdict::GiveUp,
    }
}
