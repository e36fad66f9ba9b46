//! Independent reader's wrong answer for ch02::ex12.
//! class: protocol
//! Mistake: Parses the data as a JSON object up front, before looking at the event name, so an event type added after this code was written fails with `BadEvent` when its data is not a JSON object, instead of being skipped "whatever its data". Parsing once at the top looks like tidy code.

// ANCHOR: stub
pub use super::given::{BadEvent, Step};

/// What a client does with one event of an Anthropic Messages stream, given the event's name (its
/// `event:` field) and its data (book: Chapter 2 › SSE in AI APIs › Anthropic's typed events).
///
/// The contract:
/// - The EVENT NAME decides, as the official SDKs do; the `"type"` inside the data is not read.
/// - A name not listed below is an event type added after this code was written: [`Step::Skip`],
///   whatever its data (Anthropic: "handle unknown event types gracefully").
/// - For a listed name, the data must be a JSON object (spaces around it are fine), or the answer
///   is `Err(BadEvent { event: name })`. Never a panic: the data is the server's.
///   - `content_block_delta`: its `"delta"` must be an object with a string `"type"`. A
///     `text_delta` gives [`Step::Text`] with its string `"text"`; an `input_json_delta` gives
///     [`Step::ToolJson`] with its string `"partial_json"`; both exactly as sent, even empty
///     (whitespace is content). A missing or non-string field is a `BadEvent`. Any other delta
///     type (`thinking_delta`, `signature_delta`, one added later) is [`Step::Skip`]: it is not
///     part of the answer's text.
///   - `message_stop` is [`Step::Done`].
///   - `error` gives [`Step::Failed`] with the strings `"error"."type"` and `"error"."message"`
///     (a `BadEvent` if either is missing): the stream is over, although its status was 200.
///   - `ping`, `message_start`, `content_block_start`, `content_block_stop` and `message_delta`
///     are [`Step::Skip`] here.
///
/// Edge cases to think about: `{"type": "ping"}` with spaces; a text delta of `" "`; a
/// `thinking_delta`; `event: error` with `overloaded_error`; data that is not JSON.
pub fn route(event: &str, data: &str) -> Result<Step, BadEvent> {
    let bad = || BadEvent {
        event: event.to_owned(),
    };
    let value: serde_json::Value = serde_json::from_str(data).map_err(|_| bad())?;
    if !value.is_object() {
        return Err(bad());
    }
    let string = |v: &serde_json::Value, key: &str| -> Result<String, BadEvent> {
        v.get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
            .ok_or_else(bad)
    };
    match event {
        "content_block_delta" => {
            let delta = value.get("delta").filter(|d| d.is_object()).ok_or_else(bad)?;
            match delta.get("type").and_then(serde_json::Value::as_str) {
                Some("text_delta") => Ok(Step::Text(string(delta, "text")?)),
                Some("input_json_delta") => Ok(Step::ToolJson(string(delta, "partial_json")?)),
                Some(_) => Ok(Step::Skip),
                None => Err(bad()),
            }
        }
        "message_stop" => Ok(Step::Done),
        "error" => {
            let error = value.get("error").ok_or_else(bad)?;
            Ok(Step::Failed {
                kind: string(error, "type")?,
                message: string(error, "message")?,
            })
        }
        "ping" | "message_start" | "content_block_start" | "content_block_stop"
        | "message_delta" => Ok(Step::Skip),
        // Anthropic may add event types: skip them.
        _ => Ok(Step::Skip),
    }
}
// ANCHOR_END: stub
