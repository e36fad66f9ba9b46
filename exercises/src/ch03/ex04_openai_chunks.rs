//! Exercise ch03::ex04: an OpenAI-compatible stream. Book: Chapter 3 › Exercises › "ch03::ex04".
//! Stuck? `cargo course hint ch03::ex04`. Test: `cargo test -p exercises --test ch03 ch03_ex04`.

// ANCHOR: stub
use serde_json::{Value, json};
use sse_format::Event;

/// The wire bytes of a streamed OpenAI Chat Completions answer made of `tokens` (book: Chapter 3
/// › Mock AI endpoints).
///
/// The contract: a data-only event stream (no `event:` or `id:` lines, no comments) of these
/// events, in order:
/// 1. a first chunk whose delta is `{"role": "assistant", "content": ""}`;
/// 2. one chunk per token, delta `{"content": token}`;
/// 3. a chunk with an empty delta `{}` and `"finish_reason": "stop"`;
/// 4. an event whose data is the plain text `[DONE]` (not JSON).
///
/// Every chunk is one JSON object, written on one `data:` line (clients such as OpenAI's SDKs
/// parse each `data:` line as one JSON object), with the members `"id"` (the `id` argument), `"object"`
/// (`"chat.completion.chunk"`), `"created"` (`0`), `"model"` (the `model` argument) and
/// `"choices"`: an array of one object with `"index"` 0, the `"delta"`, and `"finish_reason"`
/// (`null` except in the last chunk). JSON objects are unordered: the members may come in any
/// order, and the tests compare parsed JSON, not text.
///
/// Edge cases to think about: no tokens at all; a token (or an `id`, or a `model`) that contains
/// a double quote, a backslash, a line break, a tab or another control character, or non-ASCII
/// text (the data of an event cannot contain a raw line break, and the JSON must stay valid).
pub fn chat_stream(id: &str, model: &str, tokens: &[&str]) -> Vec<u8> {
    // TODO: the events described above, encoded one after the other.
    todo!("stream {} tokens", tokens.len())
}
// ANCHOR_END: stub
