//! The tempting mistake: only the codes RFC 6455 itself defines are allowed, 1000 to 1013 less the
//! reserved ones, so 3000 to 4999 (registered for libraries and frameworks, or private to an
//! application) are answered with 1002. They are exactly the codes an application closes with.
//! class: boundaries

pub use super::given::Frame;

/// What a WebSocket endpoint sends back when `frame` arrives, if anything.
pub fn answer(frame: &Frame) -> Option<Frame> {
    match frame {
        Frame::Ping(payload) => Some(Frame::Pong(payload.clone())),
        Frame::Close(None) => Some(Frame::Close(None)),
        Frame::Close(Some(code)) => {
            let allowed = matches!(code, 1000..=1003 | 1007..=1013);
            Some(Frame::Close(Some(if allowed { *code } else { 1002 })))
        }
        Frame::Pong(_) | Frame::Text(_) | Frame::Binary(_) => None,
    }
}
