//! Exercise ch02::ex05: retry or fail? Book: Chapter 2 › Exercises › "ch02::ex05".
//! Stuck? `cargo course hint ch02::ex05`. Test: `cargo test -p exercises --test ch02 ch02_ex05`.

// ANCHOR: stub
/// What a client should do with a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Read the stream.
    Read,
    /// Wait, then try again: the problem is temporary.
    Retry,
    /// Give up with an error: sending the same request again cannot work.
    Fail,
    /// The server says "no more": stop quietly, without an error.
    Stop,
}

/// Decides from the status code and the `Content-Type` header (if any).
pub fn decide(status: u16, content_type: Option<&str>) -> Decision {
    // TODO: 200 with content type text/event-stream (any letter case, parameters such as
    //       "; charset=utf-8" allowed) is readable; 200 with any other type is a failure.
    // TODO: 204 No Content means stop.
    // TODO: 408, 429 and every 5xx are temporary.
    // TODO: everything else (400, 401, 404, redirects that were not followed, ...) fails.
    todo!("decide for {status}")
}
// ANCHOR_END: stub
