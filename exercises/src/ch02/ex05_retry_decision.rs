//! Exercise ch02::ex05: retry or fail? Book: Chapter 2 › Exercises › "ch02::ex05".
//! Stuck? `cargo course hint ch02::ex05`. Test: `cargo test -p exercises --test ch02 ch02_ex05`.

// ANCHOR: stub
pub use super::given::Decision;

/// Decides from the status code and the `Content-Type` header (if any), as the course's
/// `sse-client` does (book: Chapter 2 › Errors and retries). This is a library's policy, kinder
/// than the browser's: a browser's `EventSource` gives up for good on any status but 200.
///
/// The contract:
/// - 200 with the media type `text/event-stream` is [`Decision::Read`]. Media types are
///   case-insensitive, and the header may carry parameters such as `; charset=utf-8`. A 200 with
///   any other type, or with no `Content-Type`, is [`Decision::Fail`].
/// - 204 No Content is [`Decision::Stop`]: the server asks the client not to reconnect.
/// - 408, 429 and every 5xx status are [`Decision::Retry`].
/// - Everything else (other 2xx, redirects that were not followed, 400, 401, 404, ..., and any
///   code outside 100 to 599: HTTP/1.1 carries any three digits) is [`Decision::Fail`].
/// - The status decides first: the `Content-Type` matters only for a 200 (a 503's error page is
///   HTML, and it is still worth a retry).
///
/// Edge cases to think about: `Text/Event-Stream; charset=utf-8`, `text/event-streaming`,
/// ` text/event-stream` with a space, 529, 600.
pub fn decide(status: u16, content_type: Option<&str>) -> Decision {
    // TODO: follow the contract above.
    todo!("decide for {status}")
}
// ANCHOR_END: stub
