//! The tempting mistake: every Close is answered with a "normal closure" of one's own, 1000,
//! whatever the peer sent (and even when it sent no body). The reply echoes the code it received
//! (RFC 6455 5.5.1), a Close without a body is answered without one, and a code that may not be
//! sent is answered with 1002, not with a normal closure.
//! class: spec

pub use super::given::Frame;

/// What a WebSocket endpoint sends back when `frame` arrives, if anything.
pub fn answer(frame: &Frame) -> Option<Frame> {
    match frame {
        Frame::Ping(payload) => Some(Frame::Pong(payload.clone())),
        Frame::Close(_) => Some(Frame::Close(Some(1000))),
        Frame::Pong(_) | Frame::Text(_) | Frame::Binary(_) => None,
    }
}
