//! The tempting mistake: the header is assumed to be a number ("the client only ever sends back
//! an id we gave it") and parsed with `unwrap()`. Any other text, `""` or `abc` or an id too
//! long for a u64, panics the handler instead of getting a gap.
//! class: errors

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
    let n: u64 = text.trim().parse().unwrap();
    if n <= newest && n >= oldest_kept.saturating_sub(1) {
        (200, ResumeFrom::After(n))
    } else {
        (
            200,
            ResumeFrom::Gap {
                first_available: oldest_kept,
            },
        )
    }
}
