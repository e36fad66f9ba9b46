//! The tempting mistake: every byte offset from 1 to the end is tried with `split_at`, which
//! panics when the offset falls inside a character, so any stream with a `ü` or an emoji before
//! its first breaking cut (or with no breaking cut at all) crashes instead of giving an answer.
//! class: errors

pub use super::given::naive_events;

/// Returns the smallest cut of `stream` that breaks the naive parser, or `None` if no cut does.
pub fn first_breaking_split(stream: &str) -> Option<usize> {
    let whole = naive_events(stream);
    for at in 1..stream.len() {
        let (first, second) = stream.split_at(at);
        let mut split = naive_events(first);
        split.extend(naive_events(second));
        if split != whole {
            return Some(at);
        }
    }
    None
}
