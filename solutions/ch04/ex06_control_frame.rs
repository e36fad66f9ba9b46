//! Solution to ch04::ex06: answer a control frame.

// ANCHOR: solution
pub use super::given::Frame;

/// What a WebSocket endpoint sends back when `frame` arrives, if anything.
pub fn answer(frame: &Frame) -> Option<Frame> {
    match frame {
        // RFC 6455 5.5.2-5.5.3: a Pong "MUST have identical Application data" to the Ping it
        // answers, so the payload is copied, not replaced.
        Frame::Ping(payload) => Some(Frame::Pong(payload.clone())),
        // 5.5.1: a Close is answered with a Close. Without a body, the answer has none either.
        Frame::Close(None) => Some(Frame::Close(None)),
        // With a code, the answer echoes it, unless the code may never be on the wire (7.4):
        // then the peer broke the protocol, and 1002 says so.
        Frame::Close(Some(code)) => {
            let reply = if may_be_sent(*code) { *code } else { 1002 };
            Some(Frame::Close(Some(reply)))
        }
        // 5.5.3: a Pong is itself an answer (or a heartbeat nobody asked for): answering it
        // would start an endless ping-pong. Data frames go to the application, not here.
        Frame::Pong(_) | Frame::Text(_) | Frame::Binary(_) => None,
    }
}

/// Whether a Close status code may be sent in a frame (RFC 6455 7.4.1-7.4.2, the IANA registry).
fn may_be_sent(code: u16) -> bool {
    matches!(
        code,
        // Defined by RFC 6455 (1000-1003, 1007-1011) and registered since (1012, 1013). 1004 is
        // reserved; 1005, 1006 and 1015 only report locally what happened, never on the wire.
        1000..=1003 | 1007..=1013
        // Registered with IANA for libraries and frameworks (3000-3999), or private (4000-4999).
        | 3000..=4999
    )
}
// ANCHOR_END: solution
