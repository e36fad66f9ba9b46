//! The tempting mistake: retrying only the server errors everyone knows (500, 502, 503, 504), so
//! Anthropic's 529 "overloaded", a 501 or a 507 gives up although the contract (and
//! `sse-client`) retries every 5xx.
//! class: spec

pub use super::given::Verdict;

/// The verdict on a response that did not open the stream, from its status code alone.
pub fn should_retry(status: u16) -> Verdict {
    match status {
        204 => Verdict::Stop,
        408 | 429 => Verdict::Retry,
        // Internal error, bad gateway, unavailable, gateway timeout: the usual suspects.
        500 | 502 | 503 | 504 => Verdict::Retry,
        _ => Verdict::GiveUp,
    }
}
