//! Exercise ch03::ex07: the status for a refused resume. Book: Chapter 3 › Broadcast, replay and
//! resume › "ch03::ex07". Stuck? `cargo course hint ch03::ex07`.
//! Test: `cargo test -p exercises --test ch03 ch03_ex07`.

// ANCHOR: stub
pub use super::given::ResumeFrom;

/// The HTTP status and the starting point of the stream for a client that connects with
/// `last_event_id` (book: Chapter 3 › Broadcast, replay and resume › Telling the client what it
/// lost).
///
/// The server's buffer keeps every event from id `oldest_kept` to id `newest` (ids are 1, 2, 3,
/// ... and never reused; `newest` is 0 before the first event, and `oldest_kept` is `newest + 1`
/// when nothing is kept).
///
/// The contract:
/// - `None` (no `Last-Event-ID`): a new client, [`ResumeFrom::Live`].
/// - An id N (ASCII decimal digits only: no sign, no spaces) such that every event after N is
///   still kept, that is, N is at most `newest` and N + 1 is at least `oldest_kept`:
///   [`ResumeFrom::After`] N (possibly nothing to replay, if N is `newest`).
/// - Anything else (events after N are gone, N was never given out, the text is not an id,
///   however large or odd): [`ResumeFrom::Gap`] with `first_available` = `oldest_kept`.
/// - The status is the one the course's server sends in each case. A browser's `EventSource`
///   fails the connection for good on any status but `200` (`204` tells it to stop, and a `409`
///   or `410` ends it just the same): a resume the server cannot honour is still a stream, and
///   the gap is told inside it, as a `replay-gap` event, never by refusing the request.
/// - It never panics, whatever the client sent (`u64::MAX` included).
pub fn resume_status(
    last_event_id: Option<&str>,
    oldest_kept: u64,
    newest: u64,
) -> (u16, ResumeFrom) {
    // TODO: the status and the starting point, following the contract above.
    todo!("resume after {last_event_id:?}, keeping {oldest_kept}..={newest}")
}
// ANCHOR_END: stub
