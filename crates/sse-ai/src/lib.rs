//! # sse-ai
//!
//! Assembling AI answers from their event streams: serde wire types and accumulators for the
//! OpenAI Chat Completions, OpenAI Responses and Anthropic Messages streaming APIs. No I/O: feed
//! it the [`MessageEvent`]s of any SSE client ([`sse_format`]'s parser, or `ssekit-client`, which
//! re-exports this crate as `sse_client::ai`).
//!
//! Each API streams a different event shape; each module here has serde types for its events and
//! an accumulator: feed it every [`MessageEvent`] and it returns what changed (a text delta, the
//! end), keeping the answer assembled so far. Unknown event types and unknown fields are ignored,
//! as the vendors ask. An error reported inside the stream becomes an [`AiError`] that carries the
//! partial answer with it.
//!
//! | API | module | ends with |
//! |---|---|---|
//! | OpenAI Chat Completions | [`openai_chat`] | `data: [DONE]` |
//! | OpenAI Responses | [`openai_responses`] | `response.completed` / `.incomplete` / `.failed` |
//! | Anthropic Messages | [`anthropic`] | `message_stop` |
//!
//! The event types are `Serialize` as well as `Deserialize`, so a server can write the same wire
//! shapes (the course's mock endpoints, in `sse-demo`, build every event from them). Each module
//! also has the type of the API's non-streamed answer ([`openai_chat::CompletionObject`],
//! [`openai_responses::ResponseObject`], [`anthropic::MessageObject`]). Fields a client does not
//! need are optional on the way in (a server that imitates an API may send them in another shape,
//! or not at all) and left out on the way out when they are `None`.
//!
//! The vendors add fields and event types without notice, so the wire types are
//! `#[non_exhaustive]`: read their fields, and build them with `new` and the `with_*` setters
//! (or `Default` and field assignment).
//!
//! ```
//! use sse_ai::{Accumulate, Update, openai_chat::ChatAccumulator};
//! use sse_format::{Frame, parse_all};
//!
//! let wire = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n\
//!             data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n\
//!             data: [DONE]\n\n";
//! let mut answer = ChatAccumulator::new();
//! for frame in parse_all(wire.as_bytes()) {
//!     if let Frame::Event(event) = frame? {
//!         if let Update::Text(text) = answer.push(&event)? {
//!             print!("{text}");
//!         }
//!     }
//! }
//! assert!(answer.is_done());
//! assert_eq!(answer.output().text, "Hello");
//! assert_eq!(answer.output().finish_reason.as_deref(), Some("stop"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use sse_format::MessageEvent;

/// `with_*` setters for `Option` fields, each setting its field to `Some(value)`: the wire types
/// are `#[non_exhaustive]`, so code outside this crate builds them with these. A number is taken
/// as its exact type (`impl Into` would leave a literal's type undecided).
macro_rules! with {
    ($($setter:ident => $field:ident: $ty:ty),* $(,)?) => {$(
        with!(@one $setter, $field, impl Into<$ty>);
    )*};
    (@one $setter:ident, $field:ident, $arg:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "`.")]
        #[must_use]
        pub fn $setter(mut self, value: $arg) -> Self {
            self.$field = Some(value.into());
            self
        }
    };
}

/// [`with!`] for number fields: the setter takes the exact type.
macro_rules! with_number {
    ($($setter:ident => $field:ident: $ty:ty),* $(,)?) => {$(
        with!(@one $setter, $field, $ty);
    )*};
}

pub mod anthropic;
pub mod openai_chat;
pub mod openai_responses;

/// An error the API reported inside the stream (after the 200 OK).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiError {
    /// The error type, such as `overloaded_error` or `server_error`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The error code, where the API sends one (`rate_limit_exceeded`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The human-readable message.
    #[serde(default)]
    pub message: String,
}

impl ApiError {
    /// An error with this message (and no type or code yet).
    pub fn new(message: impl Into<String>) -> Self {
        ApiError {
            message: message.into(),
            ..ApiError::default()
        }
    }

    with! {
        with_kind => kind: String,
        with_code => code: String,
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.kind, &self.code) {
            (Some(kind), _) => write!(f, "{kind}: {}", self.message),
            (None, Some(code)) => write!(f, "{code}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

/// Why an AI stream did not produce a complete answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AiError {
    /// The API reported an error mid-stream.
    #[error("the API reported an error mid-stream: {0}")]
    Api(ApiError),
    /// An event's data was not the JSON its type promises.
    #[error("malformed {event} event: {source}")]
    Json {
        /// The event type.
        event: String,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// The stream ended before its terminal event.
    #[error("the stream ended before the answer was complete")]
    Incomplete,
}

/// What one event changed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Update {
    /// Nothing visible (metadata, a ping, an unknown event).
    Nothing,
    /// More answer text, to print as it arrives.
    Text(String),
    /// The answer is complete.
    Done,
}

/// A tool (function) call assembled from its fragments.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolCall {
    /// The call id, to send the result back with.
    pub id: String,
    /// The tool name.
    pub name: String,
    /// The arguments as the JSON text the model wrote (parse it yourself: models can emit
    /// invalid JSON).
    pub arguments: String,
}

/// Feeds events to an accumulator: the interface the three APIs share.
pub trait Accumulate {
    /// The assembled answer.
    type Output;
    /// Applies one event. An `Err` means the stream reported an error or broke its format; the
    /// partial answer is still available from [`Accumulate::output`].
    fn push(&mut self, event: &MessageEvent) -> Result<Update, AiError>;
    /// The answer assembled so far.
    fn output(&self) -> &Self::Output;
    /// Whether the terminal event has arrived.
    fn is_done(&self) -> bool;
}

/// An error together with the answer assembled before it.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct Failure<T: std::fmt::Debug> {
    /// What went wrong.
    #[source]
    pub error: AiError,
    /// What had been assembled.
    pub partial: T,
}

/// Runs a whole stream held in memory through an accumulator: the answer, or the error with the
/// partial answer.
pub fn assemble<A>(
    mut accumulator: A,
    events: impl IntoIterator<Item = MessageEvent>,
) -> Result<A::Output, Failure<A::Output>>
where
    A: Accumulate,
    A::Output: Clone + std::fmt::Debug,
{
    for event in events {
        if let Err(error) = accumulator.push(&event) {
            return Err(Failure {
                error,
                partial: accumulator.output().clone(),
            });
        }
        if accumulator.is_done() {
            break;
        }
    }
    if accumulator.is_done() {
        Ok(accumulator.output().clone())
    } else {
        Err(Failure {
            error: AiError::Incomplete,
            partial: accumulator.output().clone(),
        })
    }
}

fn parse<'a, T: Deserialize<'a>>(event: &'a MessageEvent) -> Result<T, AiError> {
    serde_json::from_str(event.data()).map_err(|source| AiError::Json {
        event: event.event_type().to_owned(),
        source,
    })
}

/// Reads a field the accumulators do not depend on: a value of another shape becomes `None`
/// instead of failing the whole event.
fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).ok())
}

// The README is part of the documentation: its examples are compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
