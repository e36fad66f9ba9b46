//! WRONG variant of ch02::ex05 (see exercises/wrong/README.md).
//! The mistake: comparing the whole `Content-Type` header with `"text/event-stream"`, so a server
//! that adds `; charset=utf-8` (or writes the type in another case) is refused. Caught by
//! `ch02_ex05_decisions` and `ch02_ex05_media_type_not_header_text`.

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
    match status {
        200 if content_type == Some("text/event-stream") => Decision::Read,
        200 => Decision::Fail,
        204 => Decision::Stop,
        408 | 429 | 500..=599 => Decision::Retry,
        _ => Decision::Fail,
    }
}
