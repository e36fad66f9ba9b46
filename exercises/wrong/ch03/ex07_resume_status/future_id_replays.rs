//! The tempting mistake: only the lower edge is checked ("is the first missing event still
//! kept?"). An id above `newest` was never given out here (an id from before a restart, or made
//! up), yet it is answered as a complete resume with nothing to replay: a silent gap.
//! class: spec

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
        Some(n) if n >= oldest_kept.saturating_sub(1) => (200, ResumeFrom::After(n)),
        _ => (
            200,
            ResumeFrom::Gap {
                first_available: oldest_kept,
            },
        ),
    }
}
