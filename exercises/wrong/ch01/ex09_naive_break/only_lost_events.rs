//! The tempting mistake: "the parser breaks" is read as "an event goes missing", so a cut counts
//! only when some event of the whole stream is absent from the split result; a cut that makes an
//! extra event (the second chunk starting with `data: ` in the middle of a line) is not seen.
//! class: spec

pub use super::given::naive_events;

/// Returns the smallest cut of `stream` that breaks the naive parser, or `None` if no cut does.
pub fn first_breaking_split(stream: &str) -> Option<usize> {
    let whole = naive_events(stream);
    stream.char_indices().skip(1).map(|(at, _)| at).find(|&at| {
        let mut split = naive_events(&stream[..at]);
        split.extend(naive_events(&stream[at..]));
        whole.iter().any(|event| !split.contains(event))
    })
}
