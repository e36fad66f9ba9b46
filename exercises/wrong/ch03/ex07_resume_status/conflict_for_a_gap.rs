//! The tempting mistake: a resume the server cannot honour answered as an HTTP error, `409
//! Conflict` ("your position conflicts with what I have"), as a REST API would. A browser's
//! `EventSource` fails the connection for good on any status but 200: the client never learns
//! what it lost, and never reconnects.
//! class: protocol

pub use super::given::ResumeFrom;

/// The HTTP status and the starting point of the stream.
pub fn resume_status(
    last_event_id: Option<&str>,
    oldest_kept: u64,
    newest: u64,
) -> (u16, ResumeFrom) {
    let Some(text) = last_event_id else {
        return (200, ResumeFrom::Live);
    };
    let id = if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse::<u64>().ok()
    } else {
        None
    };
    match id {
        Some(n) if n <= newest && n >= oldest_kept.saturating_sub(1) => (200, ResumeFrom::After(n)),
        _ => (
            409,
            ResumeFrom::Gap {
                first_available: oldest_kept,
            },
        ),
    }
}
