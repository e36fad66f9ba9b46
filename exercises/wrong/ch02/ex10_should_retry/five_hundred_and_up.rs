//! The tempting mistake: "5xx and up are the server's problem": every status from 500 on is
//! retried, so a 600 or a 999 (HTTP/1.1 carries any three digits) is retried forever instead of
//! given up on.
//! class: boundaries

pub use super::given::Verdict;

/// The verdict on a response that did not open the stream, from its status code alone.
pub fn should_retry(status: u16) -> Verdict {
    match status {
        204 => Verdict::Stop,
        408 | 429 => Verdict::Retry,
        // Server errors: the server's fault, not the request's.
        500.. => Verdict::Retry,
        _ => Verdict::GiveUp,
    }
}
