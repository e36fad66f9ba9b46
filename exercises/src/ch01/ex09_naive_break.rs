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
///
/// - `at` counts bytes, not characters, and is always on a character boundary: a `&str` chunk
///   cannot end in the middle of a character;
/// - the cuts are the offsets from `1` to `stream.len() - 1`, so both chunks are non-empty;
/// - `None` when no cut breaks it, the empty stream included.
///
/// Edge cases to think about: `""`, `"event: ping\n\n"`, `"xdata: y\n\n"`, `"ü\ndata: x\n\n"`.
pub fn first_breaking_split(stream: &str) -> Option<usize> {
    // TODO: try the cuts in order and return the first one whose two chunks give other events.
    todo!(
        "find the first cut of {} bytes that breaks the naive parser",
        stream.len()
    )
}
// ANCHOR_END: stub
