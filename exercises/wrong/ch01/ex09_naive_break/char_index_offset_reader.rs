//! Independent reader's wrong answer for ch01::ex09.
//! class: encoding
//! Mistake: works on a `Vec<char>` so a cut can never fall inside a character, but then returns the
//! character index of the cut instead of its byte offset; identical on ASCII, wrong after any `ü`.
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
    // Work on characters so that no cut ever lands in the middle of a multi-byte character.
    let chars: Vec<char> = stream.chars().collect();
    for at in 1..chars.len() {
        let head: String = chars[..at].iter().collect();
        let tail: String = chars[at..].iter().collect();
        let mut events = naive_events(&head);
        events.extend(naive_events(&tail));
        if events != whole {
            return Some(at);
        }
    }
    None
}
// ANCHOR_END: stub
