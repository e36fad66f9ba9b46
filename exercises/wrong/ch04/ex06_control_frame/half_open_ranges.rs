//! The tempting mistake: the ranges written half-open, `1000..1003 | 1007..1013 | 3000..4999`,
//! read as "1000 to 1003" but excluding the last code of each: 1003, 1013 and 4999 are answered
//! with 1002 although they may be sent.
//! class: boundaries

pub use super::given::Frame;

/// What a WebSocket endpoint sends back when `frame` arrives, if anything.
pub fn answer(frame: &Frame) -> Option<Frame> {
    match frame {
        Frame::Ping(payload) => Some(Frame::Pong(payload.clone())),
        Frame::Close(None) => Some(Frame::Close(None)),
        Frame::Close(Some(code)) => {
            let allowed = (1000..1003).contains(code)
                || (1007..1013).contains(code)
                || (3000..4999).contains(code);
            Some(Frame::Close(Some(if allowed { *code } else { 1002 })))
        }
        Frame::Pong(_) | Frame::Text(_) | Frame::Binary(_) => None,
    }
}
