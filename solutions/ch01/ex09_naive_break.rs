//! Solution to ch01::ex09: where the naive parser breaks.

pub use super::given::naive_events;

// ANCHOR: solution
/// Returns the smallest cut of `stream` that breaks the naive parser, or `None` if no cut does.
pub fn first_breaking_split(stream: &str) -> Option<usize> {
    // What the naive parser makes of the stream when it arrives in one piece.
    let whole = naive_events(stream);
    stream
        // `char_indices` yields the byte offset at which each character starts: exactly the
        // offsets on a character boundary, in increasing order, counted in bytes.
        .char_indices()
        .map(|(at, _)| at)
        // Offset 0 would make the first chunk empty; `stream.len()` is never yielded, so every
        // cut left leaves two non-empty chunks.
        .filter(|&at| at > 0)
        .find(|&at| {
            // `split_at_checked` cannot panic: on a boundary it always gives the two chunks.
            let Some((first, second)) = stream.split_at_checked(at) else {
                return false;
            };
            // Each chunk is parsed on its own, as the naive parser does with network reads.
            let mut split = naive_events(first);
            split.extend(naive_events(second));
            split != whole
        })
}
// ANCHOR_END: solution
