//! Exercise ch03::ex08: header or query, where to resume. Book: Chapter 3 › Broadcast, replay and
//! resume › "ch03::ex08". Stuck? `cargo course hint ch03::ex08`.
//! Test: `cargo test -p exercises --test ch03 ch03_ex08`.

// ANCHOR: stub
pub use super::given::BadResume;

/// Where a client asks to resume: the id in its `Last-Event-ID` header, or else the one in the
/// `lastEventId` parameter of its URL (book: Chapter 3 › Broadcast, replay and resume › Resume).
///
/// `header` is the value of the request's `Last-Event-ID` header (`None` if it has none), and
/// `query` the raw query string of its URL, without the `?` (`""` if there is none).
///
/// The contract:
/// - The header wins. When it is not empty it decides, and the query is not read: a browser that
///   reconnects sends the header with the id of the last event it received, while its URL still
///   carries the older id the page started from.
/// - An empty header counts as no header, and an empty `lastEventId` as no parameter: with
///   neither, the client has no id, `Ok(None)`.
/// - The query is `application/x-www-form-urlencoded`, as a page's `URLSearchParams` writes it:
///   `&`-separated `name=value` pairs whose names and values are percent-decoded (`+` is a
///   space). Only a parameter whose decoded name is exactly `lastEventId` counts (not
///   `lasteventid`, not `lastEventIdx`); the others are ignored. Given twice, it is ambiguous:
///   [`BadResume`].
/// - An id is a plain number here (the hub's `<epoch>-<seq>` ids come later): ASCII decimal
///   digits only (no sign, no spaces) that fit a `u64`. Any other text, in the header or the
///   parameter, is [`BadResume`].
/// - It never panics, whatever the client sent.
pub fn resume_point(header: Option<&str>, query: &str) -> Result<Option<u64>, BadResume> {
    // TODO: the header's id if it has one, else the query's `lastEventId`, as the contract says.
    todo!("the resume point of header {header:?} and query {query:?}")
}
// ANCHOR_END: stub
