//! The tempting mistake: the contract's words written as they read, `n + 1 >= oldest_kept`.
//! For the id `18446744073709551615` (u64::MAX, which the parser accepts) `n + 1` overflows:
//! a panic in a debug build, and 0 in a release build.
//! class: boundaries

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
        Some(n) if n <= newest && n + 1 >= oldest_kept => (200, ResumeFrom::After(n)),
        _ => (
            200,
            ResumeFrom::Gap {
                first_available: oldest_kept,
            },
        ),
    }
}
