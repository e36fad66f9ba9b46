//! Independent reader's wrong answer for ch01::ex09.
//! class: boundaries
//! Mistake: writes the cut range literally as "1 to stream.len() - 1" (`1..=stream.len() - 1`);
//! for the empty stream `stream.len() - 1` underflows and panics instead of returning `None`.
//! Exercise ch01::ex09: where the naive parser breaks. Book: Chapter 1 › Why naive parsers break ›
//! "ch01::ex09: Where the naive parser breaks". Stuck? `cargo course hint ch01::ex09`. Test:
//! `cargo test -p exercises --test ch01 ch01_ex09`.

// The naive parser this exercise uses is given: exercises/src/ch01/given.rs.
pub use super::given::naive_events;

// ANCHOR: stub
/// Returns the smallest cut of `stream` that breaks the naive parser, or `None` if no cut does.
///
/// A *cut* at byte offset `at` delivers `stream` as two chunks, `&stream[..at]` then
/// `&stream[at..]`, the way a network may hand a body over. The cut *breaks* the naive parser when
/// [`naive_events`] run on each chunk on its own, the two results concatenated, gives different
/// events from [`naive_events`] run on the whole `stream`.
pub fn first_breaking_split(stream: &str) -> Option<usize> {
    let whole = naive_events(stream);
    // The cuts are the offsets from 1 to stream.len() - 1, skipping those inside a character.
    (1..=stream.len() - 1)
        .filter(|&at| stream.is_char_boundary(at))
        .find(|&at| {
            let (head, tail) = stream.split_at(at);
            let mut events = naive_events(head);
            events.extend(naive_events(tail));
            events != whole
        })
}
// ANCHOR_END: stub
