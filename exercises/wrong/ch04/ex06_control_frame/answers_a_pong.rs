//! The tempting mistake: every control frame gets its answer, so a Pong is answered with a Pong
//! too ("keep the heartbeat going"). A Pong is itself an answer, or a heartbeat that asks for
//! nothing (RFC 6455 5.5.3): two endpoints that both do this bounce Pongs forever.
//! class: protocol

pub use super::given::Frame;

/// What a WebSocket endpoint sends back when `frame` arrives, if anything.
pub fn answer(frame: &Frame) -> Option<Frame> {
    match frame {
        Frame::Ping(payload) | Frame::Pong(payload) => Some(Frame::Pong(payload.clone())),
        Frame::Close(None) => Some(Frame::Close(None)),
        Frame::Close(Some(code)) => {
            let allowed = matches!(code, 1000..=1003 | 1007..=1013 | 3000..=4999);
            Some(Frame::Close(Some(if allowed { *code } else { 1002 })))
        }
        Frame::Text(_) | Frame::Binary(_) => None,
    }
}
