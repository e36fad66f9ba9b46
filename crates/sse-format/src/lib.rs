//! # sse-format
//!
//! A spec-exact, incremental parser and a safe encoder for `text/event-stream`, the wire format of
//! Server-Sent Events (WHATWG HTML, "Server-sent events"). Pure: no I/O, no async runtime. The
//! `stream` feature adds [`EventStream`], which adapts any `Stream` of byte chunks.
//!
//! - [`Parser`]: feed byte chunks as they arrive, split anywhere; get [`Frame`]s: dispatched
//!   [`MessageEvent`]s and `retry` updates. Handles CR, LF and CRLF (also split across chunks), UTF-8
//!   split across chunks, one leading BOM, comments, `id` persistence, and bounded memory
//!   ([`Limits`], reported as [`ParseError`]).
//! - [`Event`]: builds an event and writes its exact bytes, refusing event types and ids that would
//!   inject fields.
//! - `naive` (feature `naive`, for teaching only): the hand-written parser from the lesson, kept to
//!   show what it gets wrong.
//!
//! ```
//! use sse_format::{Event, Frame, Parser};
//!
//! // Encode two events...
//! let mut wire = Vec::new();
//! Event::new().id("1").data("first").encode(&mut wire).unwrap();
//! Event::new().event("tick").data("two\nlines").encode(&mut wire).unwrap();
//!
//! // ...and parse them back, fed one byte at a time.
//! let mut parser = Parser::new();
//! let mut got = Vec::new();
//! for byte in wire.chunks(1) {
//!     for frame in parser.feed(byte) {
//!         if let Frame::Event(event) = frame.unwrap() {
//!             got.push(format!("{} {} {:?}", event.event_type(), event.last_event_id(), event.data()));
//!         }
//!     }
//! }
//! assert_eq!(got, ["message 1 \"first\"", "tick 1 \"two\\nlines\""]);
//! ```
//!
//! Examples (in `examples/`, run with `cargo run -p ssekit-format --example NAME`):
//!
//! - `parse_stdin`: print the events of a stream piped in (`curl -N URL | cargo run -p ssekit-format --example parse_stdin`).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod encode;
#[cfg(feature = "naive")]
pub mod naive;
mod parse;
#[cfg(feature = "stream")]
mod stream;

pub use encode::{EncodeError, Event, KEEP_ALIVE};
pub use parse::{
    EventRef, Frame, FrameRef, Frames, Limits, MessageEvent, ParseError, Parser, parse_all,
};
#[cfg(feature = "stream")]
pub use stream::{EventStream, StreamError};

/// The media type of an event stream.
pub const MIME_TYPE: &str = "text/event-stream";

// The README is part of the documentation: its examples are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
