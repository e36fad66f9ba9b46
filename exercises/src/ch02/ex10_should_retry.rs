//! Exercise ch02::ex10: retry or not. Book: Chapter 2 › Errors and retries › "What to retry".
//! Stuck? `cargo course hint ch02::ex10`. Test: `cargo test -p exercises --test ch02 ch02_ex10`.

// ANCHOR: stub
pub use super::given::Verdict;

/// The verdict on a response that did not open the stream, from its status code alone, as the
/// course's `sse-client` decides (`sse_client::retry::classify_status`; book: Chapter 2 › Errors
/// and retries › What to retry).
///
/// The contract, for every `u16` (HTTP/1.1 carries any three digits, a broken server anything):
/// - 204 No Content is [`Verdict::Stop`]: the server asks the client not to reconnect.
/// - 408 Request Timeout, 429 Too Many Requests and every 5xx status (500 to 599, Anthropic's 529
///   "overloaded" included) are [`Verdict::Retry`]: the problem may be gone in a few seconds.
/// - Everything else is [`Verdict::GiveUp`]: the other 4xx, 1xx, the other 2xx, redirects that
///   were not followed, and any number outside 100 to 599. That includes 200: a 200 reaches this
///   function only when its `Content-Type` was not `text/event-stream` (a 200 with the right type
///   opens the stream before anyone asks), and sending the request again would get it again.
///
/// Edge cases to think about: 499, 501, 600, 0, 65535.
pub fn should_retry(status: u16) -> Verdict {
    // TODO: follow the contract above.
    todo!("the verdict on status {status}")
}
// ANCHOR_END: stub
