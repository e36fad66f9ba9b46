//! Independent reader's wrong answer for ch05::ex05.
//! class: spec
//! Mistake: Reuses the hub's/ex04's reading of an incomplete id, so a bare `<ms>` (no `-`) is taken
//! as `<ms>-0` and compared, although this contract says a bare `<ms>` is not an id and is never newer.

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
    match (parse_id(candidate), parse_id(last)) {
        (Some(c), Some(l)) => c > l,
        _ => false,
    }
}

/// One part of an id: one or more ASCII digits within a `u64`.
fn parse_part(part: &str) -> Option<u64> {
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// `(ms, seq)`, reading an incomplete id as Redis does: `<ms>` alone is `<ms>-0`.
fn parse_id(text: &str) -> Option<(u64, u64)> {
    let (ms, seq) = match text.split_once('-') {
        Some((ms, seq)) => (parse_part(ms)?, parse_part(seq)?),
        None => (parse_part(text)?, 0),
    };
    Some((ms, seq))
}
// ANCHOR_END: stub
