//! The tempting mistake: trusting `str::parse::<u64>` to say whether the header is an id. It
//! also accepts a leading `+` (`"+3"` reads as 3), a form no server ever wrote, so `+3` is
//! resumed as if it were the id `3` instead of being a gap.
//! class: encoding

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
    match text.parse::<u64>() {
        Ok(n) if n <= newest && n >= oldest_kept.saturating_sub(1) => (200, ResumeFrom::After(n)),
        _ => (
            200,
            ResumeFrom::Gap {
                first_available: oldest_kept,
            },
        ),
    }
}
