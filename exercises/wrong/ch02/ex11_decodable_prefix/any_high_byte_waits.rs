//! The tempting mistake: holding back every trailing byte `>= 0x80` (up to three), "because it
//! may belong to a character still coming". A COMPLETE `é` or `€` at the end is held back too, so
//! the last character of a chunk is always late, and a stream that ends there never shows it.
//! class: encoding

/// How many leading bytes of `buf` a client may decode now.
pub fn decodable_prefix(buf: &[u8]) -> usize {
    // Non-ASCII bytes at the end might be part of an unfinished character: keep them.
    let trailing = buf.iter().rev().take(3).take_while(|&&b| b >= 0x80).count();
    buf.len() - trailing
}
