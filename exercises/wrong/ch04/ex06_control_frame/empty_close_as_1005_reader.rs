//! Independent reader's wrong answer for ch04::ex06.
//! class: boundaries
//! Mistake: a Close without a body is read as status 1005 (RFC 6455 section 7.1.5: "the close
//! code is considered to be 1005") and then run through the same check as any code, so the empty
//! Close gets a Close with 1002 back instead of an empty Close.

// ANCHOR: stub
/// A frame as the framing layer hands it over (given, in `exercises/src/ch04/given.rs`).
pub use super::given::Frame;

/// "No status code was present" (RFC 6455 section 7.4.1).
const NO_STATUS: u16 = 1005;
/// "Protocol error".
const PROTOCOL_ERROR: u16 = 1002;

/// The codes that may travel in a Close (section 7.4 and the IANA registry).
fn may_be_sent(code: u16) -> bool {
    matches!(code, 1000..=1003 | 1007..=1013 | 3000..=4999)
}

/// What a WebSocket endpoint sends back when `frame` arrives, if anything (book: Chapter 4 ›
/// What the numbers mean › Control frames must be answered; RFC 6455 sections 5.5.1 to 5.5.3
/// and 7.4).
///
/// The contract:
/// - A `Ping` is answered with a `Pong` that carries the identical application data.
/// - A `Pong` is not answered: it is an answer, or a heartbeat that expects none.
/// - A `Close` is answered with a `Close`: one without a body with one without a body; one whose
///   status code may be sent with the same code; one whose code may not be sent with 1002
///   (protocol error).
/// - The codes that may be sent in a Close: 1000 to 1003, 1007 to 1013, and 3000 to 4999
///   (registered for libraries and applications, or private). No other: not 0 to 999, not 1004
///   (reserved), 1005 or 1006 (they only report locally that no code came, or that the
///   connection dropped without a Close), 1014 to 2999, nor 5000 and above.
/// - Data frames (`Text`, `Binary`) are the application's business: no answer here.
pub fn answer(frame: &Frame) -> Option<Frame> {
    match frame {
        Frame::Ping(data) => Some(Frame::Pong(data.clone())),
        Frame::Close(code) => {
            // A Close without a body carries, by the RFC, the status 1005.
            let code = code.unwrap_or(NO_STATUS);
            let reply = if may_be_sent(code) { code } else { PROTOCOL_ERROR };
            Some(Frame::Close(Some(reply)))
        }
        Frame::Pong(_) | Frame::Text(_) | Frame::Binary(_) => None,
    }
}
// ANCHOR_END: stub
