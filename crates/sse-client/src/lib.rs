//! # sse-client
//!
//! A streaming Server-Sent Events client on `reqwest` and [`sse_format`]:
//!
//! - [`EventSource`]: the browser's `EventSource` semantics (reconnect after the reconnection time,
//!   `Last-Event-ID`, `retry:`, 204 means stop, a wrong content type is fatal) plus what native
//!   clients need: custom headers, `POST` with a JSON body, exponential backoff with jitter,
//!   `Retry-After`, an idle timeout, a connect timeout, and limits on retrying.
//! - [`events`]: any `Stream` of byte chunks (such as `reqwest::Response::bytes_stream()`) as a
//!   `Stream` of events, correct across every chunk boundary.
//! - [`ai`]: serde types and accumulators for the OpenAI Chat Completions, OpenAI Responses and
//!   Anthropic Messages streaming formats (the `ssekit-ai` crate, re-exported).
//! - [`sansio`]: every reconnection rule as a sans-IO state machine (no sockets, no clock of its
//!   own), which [`EventSource`] drives; tested with scripted conversations and a scripted clock.
//! - [`retry`]: the retry decisions, as pure functions, and the limits on every delay.
//! - [`redirect`]: redirects followed by the client itself, so credentials never leave their
//!   origin.
//!
//! ```no_run
//! use sse_client::{EventSource, SourceEvent};
//! use sse_client::ai::{Accumulate, Update, openai_chat};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let body = openai_chat::request_body("gpt-4o-mini", "Say hi", false);
//! let mut source = EventSource::builder("http://127.0.0.1:3000/v1/chat/completions")
//!     .bearer_auth("sk-...")
//!     .post_json(&body)
//!     .build()?;
//! let mut answer = openai_chat::ChatAccumulator::new();
//! while let Some(item) = source.next().await {
//!     if let SourceEvent::Message(event) = item? {
//!         if let Update::Text(text) = answer.push(&event)? {
//!             print!("{text}");
//!         }
//!     }
//! }
//! println!("\n(finish reason: {:?})", answer.output().finish_reason);
//! # Ok(()) }
//! ```
//!
//! Examples (in `examples/`, run with `cargo run -p ssekit-client --example NAME`):
//!
//! - `tail`: follow a stream, reconnecting and resuming like a browser.
//! - `openai_chat`: a Chat Completions answer with a tool call, against the offline mock or OpenAI.
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The AI APIs' wire types and accumulators: the `ssekit-ai` crate (`sse_ai`), re-exported so
/// that `sse_client::ai::...` works without a second dependency.
#[doc(inline)]
pub use sse_ai as ai;
#[cfg(feature = "reqwest")]
mod error;
#[cfg(feature = "reqwest")]
pub mod redirect;
pub mod retry;
pub mod sansio;
#[cfg(feature = "reqwest")]
mod source;

pub use crate::sansio::ReadyState;
#[cfg(feature = "reqwest")]
pub use error::Error;
#[cfg(feature = "reqwest")]
pub use source::{BoxError, Builder, EventSource, SourceEvent};
pub use sse_format::{EventStream, Frame, MessageEvent, StreamError};

/// Parses a stream of byte chunks into a stream of [`Frame`]s.
///
/// ```
/// use futures::{StreamExt, executor::block_on, stream};
/// let body = stream::iter([Ok::<_, std::io::Error>(&b"data: hel"[..]), Ok(&b"lo\n\n"[..])]);
/// let frames: Vec<_> = block_on(sse_client::events(body).collect());
/// assert!(matches!(&frames[0], Ok(sse_client::Frame::Event(e)) if e.data() == "hello"));
/// ```
pub fn events<S: futures_core::TryStream>(body: S) -> EventStream<S> {
    EventStream::new(body)
}

// The README is part of the documentation: its examples are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
