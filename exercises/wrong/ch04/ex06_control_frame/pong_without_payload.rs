//! The tempting mistake: a Ping is answered with an empty Pong ("the Pong only says I am here").
//! RFC 6455 5.5.3 says the Pong carries the Ping's application data unchanged: that is how the
//! sender matches an answer to its Ping (and measures the round trip with a timestamp in it).
//! class: protocol

pub use super::given::Frame;

/// What a WebSocket endpoint sends back when `frame` arrives, if anything.
pub fn answer(frame: &Frame) -> Option<Frame> {
    match frame {
        Frame::Ping(_) => Some(Frame::Pong(Vec::new())),
        Frame::Close(None) => Some(Frame::Close(None)),
        Frame::Close(Some(code)) => {
            let allowed = matches!(code, 1000..=1003 | 1007..=1013 | 3000..=4999);
            Some(Frame::Close(Some(if allowed { *code } else { 1002 })))
        }
        Frame::Pong(_) | Frame::Text(_) | Frame::Binary(_) => None,
    }
}
