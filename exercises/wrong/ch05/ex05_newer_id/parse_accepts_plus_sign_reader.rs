//! Independent reader's wrong answer for ch05::ex05.
//! class: encoding
//! Mistake: Relies on `str::parse::<u64>` alone to validate each part, but Rust's integer parser
//! also accepts a leading `+`, so `+10-0` or `5-+1` are read as ids instead of being answered `false`.

// ANCHOR: stub
/// Whether the stream id `candidate` comes strictly after the stream id `last` in a stream.
///
/// Both are ids the hub issued, `<ms>-<seq>` (`1700000000000-41`): two parts joined by one `-`,
/// each one or more ASCII digits whose decimal value fits in a `u64`. Redis orders ids by the
/// number `ms`, then, within one millisecond, by the number `seq`, over the whole `u64` range of
/// each: `9-0` comes before `10-0`, `5-9` before `5-10`. An id is not newer than itself.
///
/// Anything that is not such an id (empty text, a missing or third part, a bare `<ms>`, a part
/// that is not digits or is past `u64::MAX`), in either argument, is answered `false`, never a
/// panic: ids also come from clients.
pub fn is_newer(candidate: &str, last: &str) -> bool {
    let (Some(candidate), Some(last)) = (parse_id(candidate), parse_id(last)) else {
        return false;
    };
    candidate > last
}

/// `(ms, seq)` for `<ms>-<seq>`; `None` for a missing part, a third part, a non-number or a
/// number past `u64::MAX` (the parser rejects empty text, letters, `-` and overflow).
fn parse_id(text: &str) -> Option<(u64, u64)> {
    let (ms, seq) = text.split_once('-')?;
    let ms: u64 = ms.parse().ok()?;
    let seq: u64 = seq.parse().ok()?;
    Some((ms, seq))
}
// ANCHOR_END: stub
