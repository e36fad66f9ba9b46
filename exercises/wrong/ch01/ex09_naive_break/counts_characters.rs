//! The tempting mistake: the stream is turned into a `Vec<char>` so that every cut is whole
//! characters, and the answer is the index of the cut in that vector: a count of characters, not
//! the byte offset the contract asks for, so every cut after a `ü` or an emoji is reported too small.
//! class: encoding

pub use super::given::naive_events;

/// Returns the smallest cut of `stream` that breaks the naive parser, or `None` if no cut does.
pub fn first_breaking_split(stream: &str) -> Option<usize> {
    let whole = naive_events(stream);
    let chars: Vec<char> = stream.chars().collect();
    for i in 1..chars.len() {
        let first: String = chars[..i].iter().collect();
        let second: String = chars[i..].iter().collect();
        let mut split = naive_events(&first);
        split.extend(naive_events(&second));
        if split != whole {
            return Some(i);
        }
    }
    None
}
