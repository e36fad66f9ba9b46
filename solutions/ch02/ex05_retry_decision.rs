//! Solution to ch02::ex05: retry or fail?

// ANCHOR: solution
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
        408 | 429 | 500..=599 => Decision::Retry,
        _ => Decision::Fail,
    }
}
// ANCHOR_END: solution
