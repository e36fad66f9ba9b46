//! Independent reader's wrong answer for ch03::ex07.
//! class: boundaries
//! Mistake: writes the contract's "N + 1 is at least `oldest_kept`" literally and tests it before
//! "N is at most `newest`", so a client sending `18446744073709551615` (u64::MAX) overflows `id + 1`
//! and panics in a debug build instead of getting a gap.

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
    // An id is ASCII digits only: no sign, no spaces, not empty.
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return (OK, gap);
    }
    // Digits, but too long for u64: never given out.
    let Ok(id) = text.parse::<u64>() else {
        return (OK, gap);
    };
    // Nothing lost: the first event after `id` is still kept, and `id` was given out.
    if id + 1 >= oldest_kept && id <= newest {
        (OK, ResumeFrom::After(id))
    } else {
        (OK, gap)
    }
}
// ANCHOR_END: stub
