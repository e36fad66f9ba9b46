//! Record Server-Sent Event streams as they really came over the wire (chunk boundaries,
//! timing, status and headers, every reconnection), and replay them as an HTTP endpoint: offline,
//! deterministic tests against the stream that broke a parser, an OpenAI or Anthropic answer
//! recorded once, or a server that cuts connections.
//!
//! - [`format`](mod@format): the recording, a JSON Lines file that diffs well (one line per request,
//!   response head, chunk and end; secrets redacted).
//! - [`record()`]: connect (reconnecting as `EventSource` does, with `Last-Event-ID`) and record.
//! - [`serve`] / [`router`]: replay a recording with its status, headers, chunk boundaries and
//!   pacing, resumable with `Last-Event-ID`, with faults on request (cut after N bytes or events,
//!   an error status with `Retry-After`).
//!
//! - [`proxy`]: a local reverse proxy that forwards an app's requests to the real upstream and
//!   streams each response back unbuffered, printing (and recording) every event that passes.
//!
//! The `sse` command wraps them: `sse record URL -o FILE`, `sse replay FILE --addr ADDR`,
//! `sse proxy --upstream URL`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use sse_record::{Recording, ReplayConfig};
//!
//! // In a test: serve a recorded stream on 127.0.0.1 and point the client under test at it.
//! let recording = Recording::from_file("tests/data/chat.jsonl")?;
//! let replay = sse_record::serve(recording, ReplayConfig::default().with_speed(0.0)).await?;
//! let body = reqwest::get(format!("{}/v1/chat/completions", replay.url)).await?.text().await?;
//! assert!(body.contains("data: [DONE]"));
//! # Ok(()) }
//! ```
//!
//! Examples (in `examples/`, run with `cargo run -p ssekit-record --example NAME`):
//!
//! - `replay_recording`: replay a recording with cuts and follow it with a resuming client.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod format;
pub mod proxy;
pub mod record;
pub mod replay;

pub use format::{Line, ReadError, Recording, What};
pub use proxy::ProxyConfig;
pub use record::{RecordOptions, record};
pub use replay::{FaultStatus, Replay, ReplayConfig, router, serve};

// The README is part of the documentation: its examples are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
