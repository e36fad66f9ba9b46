//! The tempting mistake: "the reply echoes the status code" read as "whatever the code". A Close
//! carrying 1005 or 1006 (which only report locally that no code came, or that the connection
//! dropped), 1015, or a code outside every range gets its code echoed back, putting on the wire
//! a code RFC 6455 7.4 forbids there, instead of answering the protocol error with 1002.
//! class: spec

pub use super::given::Frame;

/// What a WebSocket endpoint sends back when `frame` arrives, if anything.
pub fn answer(frame: &Frame) -> Option<Frame> {
    match frame {
        Frame::Ping(payload) => Some(Frame::Pong(payload.clone())),
        // The answer to a Close is the same Close.
        Frame::Close(body) => Some(Frame::Close(*body)),
        Frame::Pong(_) | Frame::Text(_) | Frame::Binary(_) => None,
    }
}
