//! Exercise ch04::ex06: answer a control frame. Book: Chapter 4 › What the numbers mean ›
//! "ch04::ex06". Stuck? `cargo course hint ch04::ex06`.
//! Test: `cargo test -p exercises --test ch04 ch04_ex06`.

// ANCHOR: stub
/// A frame as the framing layer hands it over (given, in `exercises/src/ch04/given.rs`).
pub use super::given::Frame;

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
    // TODO: the answer the contract asks for, if any.
    todo!("answer {frame:?}")
}
// ANCHOR_END: stub
