//! Second-reader wrong answer for ch02::ex05.
//! class: spec
//! Mistake: validates the `Content-Type` up front ("not an event stream: fail") before looking at
//! the status, so a 503 with an HTML error page or a 204 without a body type is `Fail`, not `Retry`/`Stop`.

// ANCHOR: stub
pub use super::given::Decision;

/// The media type of `Content-Type` is `text/event-stream` (case-insensitive, parameters ignored).
fn is_event_stream(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|value| {
        value
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .eq_ignore_ascii_case("text/event-stream")
    })
}

/// Decides from the status code and the `Content-Type` header (if any).
pub fn decide(status: u16, content_type: Option<&str>) -> Decision {
    // Not an event stream: nothing this client can do with it.
    if !is_event_stream(content_type) {
        return Decision::Fail;
    }
    match status {
        200 => Decision::Read,
        204 => Decision::Stop,
        408 | 429 | 500..=599 => Decision::Retry,
        _ => Decision::Fail,
    }
}
// ANCHOR_END: stub
