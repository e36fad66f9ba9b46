//! Exercise ch05::ex05: which id is newer? Book: Chapter 5 › The design › "ch05::ex05: Which id
//! is newer?". Stuck? `cargo course hint ch05::ex05`. Test: `cargo test -p exercises --test ch05 ch05_ex05`.

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
    // TODO: `true` when `candidate` is after `last` in Redis's order; `false` otherwise.
    todo!("is {candidate:?} after {last:?}?")
}
// ANCHOR_END: stub
