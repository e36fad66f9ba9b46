//! The tempting mistake: comparing the whole `Content-Type` header with `"text/event-stream"`, so
//! a server that adds `; charset=utf-8` (or writes the type in another case) is refused.
//! class: encoding

pub use super::given::Decision;

/// Decides from the status code and the `Content-Type` header (if any).
pub fn decide(status: u16, content_type: Option<&str>) -> Decision {
    match status {
        200 if content_type == Some("text/event-stream") => Decision::Read,
        200 => Decision::Fail,
        204 => Decision::Stop,
        408 | 429 | 500..=599 => Decision::Retry,
        _ => Decision::Fail,
    }
}
