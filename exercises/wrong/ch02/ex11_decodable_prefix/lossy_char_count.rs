//! The tempting mistake: decoding lossily and counting what came out. `chars().count()` counts
//! CHARACTERS, not bytes, so any non-ASCII text gives a number smaller than its byte length (and
//! a replaced unfinished character still counts as one).
//! class: encoding

/// How many leading bytes of `buf` a client may decode now.
pub fn decodable_prefix(buf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(buf);
    // A trailing replacement character is the unfinished one: leave it for later.
    let count = text.chars().count();
    if text.ends_with('\u{FFFD}') {
        count - 1
    } else {
        count
    }
}
