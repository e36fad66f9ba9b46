//! The tempting mistake: "5xx and up are the server's errors": retrying every status from 500
//! on, so a 600 or a 999 (HTTP/1.1 carries any three digits) is retried instead of failed.
//! class: boundaries

pub use super::given::Decision;

/// Decides from the status code and the `Content-Type` header (if any).
pub fn decide(status: u16, content_type: Option<&str>) -> Decision {
    match status {
        200 => {
            // Compare the media type only: "Text/Event-Stream; charset=utf-8" is fine.
            let essence = content_type
                .and_then(|t| t.split(';').next())
                .map(str::trim);
            if essence.is_some_and(|e| e.eq_ignore_ascii_case("text/event-stream")) {
                Decision::Read
            } else {
                Decision::Fail
            }
        }
        204 => Decision::Stop,
        408 | 429 => Decision::Retry,
        // Server errors: the server's problem, not the request's.
        500.. => Decision::Retry,
        _ => Decision::Fail,
    }
}
