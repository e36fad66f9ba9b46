//! The tempting mistake: the last cut is written as `stream.len() - 1`, which underflows (a panic
//! in a debug build) on the empty stream, an input the contract allows and answers with `None`.
//! class: boundaries

pub use super::given::naive_events;

/// Returns the smallest cut of `stream` that breaks the naive parser, or `None` if no cut does.
pub fn first_breaking_split(stream: &str) -> Option<usize> {
    let whole = naive_events(stream);
    let last = stream.len() - 1;
    for at in 1..=last {
        if !stream.is_char_boundary(at) {
            continue;
        }
        let mut split = naive_events(&stream[..at]);
        split.extend(naive_events(&stream[at..]));
        if split != whole {
            return Some(at);
        }
    }
    None
}
