//! The client's error type.

use std::time::Duration;

use reqwest::StatusCode;
use sse_format::ParseError;

/// Why a connection failed, or why the client gave up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be built (bad URL, bad header).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// No connection could be made (refused, DNS, TLS).
    #[error("could not connect to {url}{}", source_suffix(source.as_ref()))]
    Connect {
        /// The URL requested.
        url: String,
        /// What reqwest reported, when the driver has it.
        #[source]
        source: Option<reqwest::Error>,
    },
    /// The server did not answer with headers in time.
    #[error("no response from {url} within {timeout:?}")]
    ConnectTimeout {
        /// The URL requested.
        url: String,
        /// The configured connect timeout.
        timeout: Duration,
    },
    /// The server answered with a status that is not 200 OK.
    #[error("{url} answered HTTP {status}{}", body_suffix(body))]
    Status {
        /// The URL requested.
        url: String,
        /// The status.
        status: StatusCode,
        /// The server's `Retry-After` (or `retry-after-ms`), if it sent one.
        retry_after: Option<Duration>,
        /// The start of the response body (APIs explain errors there), at most 4 KiB.
        body: String,
    },
    /// A 200 response that is not an event stream: reconnecting would not help.
    #[error("{url} answered 200 with content type {}, not text/event-stream", found.as_deref().unwrap_or("(none)"))]
    ContentType {
        /// The URL requested.
        url: String,
        /// The `Content-Type` it sent.
        found: Option<String>,
    },
    /// The connection broke while the stream was being read.
    #[error("the connection was lost{}", source_suffix(.0.as_ref()))]
    Transport(#[source] Option<reqwest::Error>),
    /// Nothing arrived, not even a keep-alive comment, for this long.
    #[error("no data for {0:?}, so the connection is presumed dead")]
    IdleTimeout(Duration),
    /// The server closed the stream.
    #[error("the server ended the stream{}", if *mid_event { " in the middle of an event (it was discarded)" } else { "" })]
    EndOfStream {
        /// `true` if it ended in the middle of an event.
        mid_event: bool,
    },
    /// The stream broke a parser limit; the offending event was skipped and reading goes on.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The server ended the stream because the token expired (a `token-expired` event), and the
    /// client has no token refresher ([`Builder::token_refresher`](crate::Builder::token_refresher)):
    /// reconnecting with the same token would be refused.
    #[error("the server ended the stream because the token expired")]
    TokenExpired,
    /// The token refresher failed (or did not answer within the connect timeout).
    #[error("the token refresher failed: {0}")]
    TokenRefresh(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The retry limit or deadline was reached.
    #[error("gave up after {attempts} failed attempts; the last: {last}")]
    RetriesExhausted {
        /// Consecutive failed attempts.
        attempts: u32,
        /// The last failure.
        last: Box<Error>,
    },
}

fn source_suffix(source: Option<&reqwest::Error>) -> String {
    source.map(|e| format!(": {e}")).unwrap_or_default()
}

fn body_suffix(body: &str) -> String {
    let body = body.trim();
    if body.is_empty() {
        String::new()
    } else {
        format!(": {body}")
    }
}

impl Error {
    /// The HTTP status, for a [`Error::Status`] error (also inside [`Error::RetriesExhausted`]).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Status { status, .. } => Some(*status),
            Error::RetriesExhausted { last, .. } => last.status(),
            _ => None,
        }
    }
}
