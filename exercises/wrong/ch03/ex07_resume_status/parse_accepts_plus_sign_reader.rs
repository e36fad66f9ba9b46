//! Independent reader's wrong answer for ch03::ex07.
//! class: encoding
//! Mistake: decides "is this an id" with `str::parse::<u64>()`, which also accepts a leading `+`
//! (`"+4"` parses as 4), so a header that is not an id by the contract's digits-only rule resumes
//! as if it were one.

// ANCHOR: stub
pub use super::given::ResumeFrom;

/// The HTTP status and the starting point of the stream for a client that connects with
/// `last_event_id` (book: Chapter 3 › Broadcast, replay and resume › Telling the client what it
/// lost).
pub fn resume_status(
    last_event_id: Option<&str>,
    oldest_kept: u64,
    newest: u64,
) -> (u16, ResumeFrom) {
    // The gap is told inside the stream: the status is 200 whatever happens.
    const OK: u16 = 200;
    let gap = ResumeFrom::Gap {
        first_available: oldest_kept,
    };
    let Some(text) = last_event_id else {
        return (OK, ResumeFrom::Live);
    };
    // Not a number, or too large for u64: not an id we ever gave out.
    let Ok(id) = text.parse::<u64>() else {
        return (OK, gap);
    };
    // Every event after `id` is kept: `id + 1 >= oldest_kept`, written so it cannot overflow.
    if id <= newest && id >= oldest_kept.saturating_sub(1) {
        (OK, ResumeFrom::After(id))
    } else {
        (OK, gap)
    }
}
// ANCHOR_END: stub
