//! Independent reader's wrong answer for ch04::ex06.
//! class: spec
//! Mistake: the allowed codes are written as RFC 6455 section 7.4's deny-list (0-999, 1004, 1005,
//! 1006, 1015, 1016-2999, 5000+), so 1014 ("bad gateway", not in the contract's 1007-1013) slips
//! through and is echoed instead of answered with 1002.

// ANCHOR: stub
/// A frame as the framing layer hands it over (given, in `exercises/src/ch04/given.rs`).
pub use super::given::Frame;

/// Section 7.4: the codes an endpoint must never put in a Close on the wire.
fn is_forbidden(code: u16) -> bool {
    matches!(
        code,
        0..=999          // not used
        | 1004           // reserved
        | 1005 | 1006   // only reported locally
        | 1015           // failed TLS handshake, local only
        | 1016..=2999    // reserved for future specifications
        | 5000..
    )
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
        Frame::Pong(_) | Frame::Text(_) | Frame::Binary(_) => None,
        Frame::Close(None) => Some(Frame::Close(None)),
        Frame::Close(Some(code)) if is_forbidden(*code) => Some(Frame::Close(Some(1002))),
        Frame::Close(Some(code)) => Some(Frame::Close(Some(*code))),
    }
}
// ANCHOR_END: stub
