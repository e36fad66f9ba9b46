//! Exercise ch05::ex01: the first id after `Last-Event-ID`. Book: Chapter 5 › Exercises › "ch05::ex01".
//! Stuck? `cargo course hint ch05::ex01`. Test: `cargo test -p exercises --test ch05 ch05_ex01`.

// ANCHOR: stub
pub use super::given::MalformedId;

/// The start of the `XRANGE` that replays everything a client has not seen yet.
///
/// A Redis stream id is `<ms>-<seq>`: two unsigned 64-bit decimal numbers joined by one `-`
/// (`1700000000000-0`, `1700000000000-1`), ordered by `ms`, then by `seq`. The client sent
/// `last_event_id`: it already has that event, so the replay must start strictly after it, and
/// `XRANGE` includes its start. Return the smallest id greater than `last_event_id`, written
/// `<ms>-<seq>`, for `XRANGE key <start> +`; `Ok(None)` when no id can be greater (the largest
/// possible id: nothing can follow it).
///
/// Accept what the hub issues, `<ms>-<seq>`, and, as Redis does, a bare `<ms>` meaning
/// `<ms>-0`. Each part is one or more ASCII digits (`0`-`9`, nothing else: no sign, no space)
/// and fits in a `u64`. Anything else (empty, spaces, signs, an empty or extra part, an
/// overflow) is `Err(MalformedId(last_event_id))`, never a panic: the header comes from the
/// network.
pub fn xrange_start(last_event_id: &str) -> Result<Option<String>, MalformedId> {
    // TODO: the first id after `last_event_id`, or `None` when there is none, or the error.
    todo!("the first id after {last_event_id:?}")
}
// ANCHOR_END: stub
