//! Code the chapter 2 exercises hand you: the types their functions return and the constants their
//! contracts name. The stubs, the reference solutions and the wrong variants all use these, so you
//! do not write them (and a test never depends on your copy of them).

use std::time::Duration;

use serde_json::Value;

// ANCHOR: chat_outcome
/// How an OpenAI Chat Completions stream ended (ch02::ex02).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatOutcome {
    /// `data: [DONE]` arrived: the text is complete.
    Complete {
        text: String,
        finish_reason: Option<String>,
    },
    /// A `{"error": {"message": ...}}` object arrived mid-stream, or a chunk was not JSON.
    Error {
        partial_text: String,
        message: String,
    },
    /// The events ran out before `[DONE]`.
    Cut { partial_text: String },
}
// ANCHOR_END: chat_outcome

// ANCHOR: assembled
/// A `tool_use` content block, assembled (ch02::ex03).
#[derive(Debug, Clone, PartialEq)]
pub struct ToolUse {
    pub id: String,
    pub name: String,
    /// The input object, parsed from the concatenated `partial_json` fragments.
    pub input: Value,
}

/// An assembled Anthropic message (ch02::ex03).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assembled {
    pub text: String,
    pub tools: Vec<ToolUse>,
    pub stop_reason: Option<String>,
    /// The message's `output_tokens`, as the last `message_delta` reports it.
    pub output_tokens: Option<u64>,
}
// ANCHOR_END: assembled

// ANCHOR: backoff
/// The longest the exponential part of a backoff may grow to (ch02::ex04).
pub const MAX_DELAY: Duration = Duration::from_secs(30);

/// The longest a server's `Retry-After` can make the client wait (ch02::ex04): one hour. The
/// server controls that value; a longer one is taken as this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60 * 60);
// ANCHOR_END: backoff

// ANCHOR: decision
/// What a client should do with a response (ch02::ex05).
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
// ANCHOR_END: decision

// ANCHOR: recording
/// An event a client received (ch02::ex08): one that `sse_format::Parser` dispatched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedEvent {
    /// The last event id at dispatch, as the parser reports it (`""` if none was set).
    pub id: String,
    /// The event type (`"message"` if the event named none).
    pub event_type: String,
    /// The data: the event's `data:` lines joined with `\n`.
    pub data: String,
}

impl From<sse_format::MessageEvent> for ReceivedEvent {
    fn from(event: sse_format::MessageEvent) -> Self {
        ReceivedEvent {
            id: event.last_event_id().to_owned(),
            event_type: event.event_type().to_owned(),
            data: event.into_data(),
        }
    }
}

/// Why a recording could not be read (ch02::ex08). Line numbers count from 1 and include blank
/// lines, as an editor shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RecordingError {
    /// The first non-blank line is not the version line `{"sse_recording":1}`, or there is none.
    #[error("not an SSE recording: the first line must be {{\"sse_recording\":1}}")]
    NotARecording,
    /// The line is not a recording line: not JSON, not an object, no usable `conn`, a chunk that
    /// is not a string, or both kinds of chunk.
    #[error("line {line}: not a recording line")]
    BadLine {
        /// The line's number, from 1.
        line: usize,
    },
    /// The line's `chunk_base64` is not valid base64 (standard alphabet, padded).
    #[error("line {line}: chunk_base64 is not valid base64")]
    BadBase64 {
        /// The line's number, from 1.
        line: usize,
    },
}
// ANCHOR_END: recording

// ANCHOR: verdict
/// What the client does after a response that did not open the stream (ch02::ex10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Wait, then send the same request again: the problem may be gone in a few seconds.
    Retry,
    /// The server asks the client to stop: end quietly, without an error.
    Stop,
    /// End with an error: the same request would fail the same way again.
    GiveUp,
}
// ANCHOR_END: verdict

// ANCHOR: step
/// What a client does with one event of an Anthropic Messages stream (ch02::ex12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// More answer text (a `text_delta`), exactly as sent: append it, print it.
    Text(String),
    /// One more fragment of a tool call's input JSON (an `input_json_delta`'s `partial_json`).
    ToolJson(String),
    /// The message is complete (`message_stop`).
    Done,
    /// The server reported an error in the stream (`event: error`), after its `200 OK`.
    Failed {
        /// The error's type, such as `overloaded_error`.
        kind: String,
        /// The error's message, for a human.
        message: String,
    },
    /// Nothing for the answer: metadata, a keep-alive, or an event type not known today.
    Skip,
}

/// An event whose data is not the JSON its event name promises (ch02::ex12).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the data of a `{event}` event is not what that event carries")]
pub struct BadEvent {
    /// The event's name, as the `event:` field gave it.
    pub event: String,
}
// ANCHOR_END: step
