//! Second-reader wrong answer for ch02::ex05.
//! class: encoding
//! Mistake: checks the media type with a lower-cased `starts_with("text/event-stream")`, which
//! handles case and `; charset=...` parameters but also accepts another type such as `text/event-streaming`.

// ANCHOR: stub
pub use super::given::Decision;

/// `Content-Type` says `text/event-stream` (any case, parameters allowed).
fn is_event_stream(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|value| {
        value
            .trim()
            .to_ascii_lowercase()
            .starts_with("text/event-stream")
    })
}

/// Decides from the status code and the `Content-Type` header (if any).
pub fn decide(status: u16, content_type: Option<&str>) -> Decision {
    match status {
        200 if is_event_stream(content_type) => Decision::Read,
        204 => Decision::Stop,
        408 | 429 | 500..=599 => Decision::Retry,
        _ => Decision::Fail,
    }
}
// ANCHOR_END: stub
