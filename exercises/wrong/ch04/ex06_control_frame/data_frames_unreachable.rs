//! The tempting mistake: "this function only ever sees control frames", so a data frame is
//! `unreachable!()`. The contract hands it every frame, and a Text or Binary frame is an ordinary
//! input that gets no answer: the panic takes the connection's task down on the first message.
//! class: errors

pub use super::given::Frame;

/// What a WebSocket endpoint sends back when `frame` arrives, if anything.
pub fn answer(frame: &Frame) -> Option<Frame> {
    match frame {
        Frame::Ping(payload) => Some(Frame::Pong(payload.clone())),
        Frame::Pong(_) => None,
        Frame::Close(None) => Some(Frame::Close(None)),
        Frame::Close(Some(code)) => {
            let allowed = matches!(code, 1000..=1003 | 1007..=1013 | 3000..=4999);
            Some(Frame::Close(Some(if allowed { *code } else { 1002 })))
        }
        Frame::Text(_) | Frame::Binary(_) => unreachable!("data frames go to the application"),
    }
}
