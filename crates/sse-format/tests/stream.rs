//! The `stream` feature: `EventStream` over a `Stream` of byte chunks.

use bytes::Bytes;
use futures::{StreamExt, executor::block_on, stream};
use sse_format::{EventStream, Frame, StreamError};

#[test]
fn frames_come_out_across_chunk_boundaries() {
    let input = "id: 1\ndata: h\u{e9}llo\r\n\r\nretry: 10\ndata: two\n\n".as_bytes();
    let chunks: Vec<Result<Bytes, std::io::Error>> = input
        .chunks(3)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let mut events = EventStream::new(stream::iter(chunks));
    let frames: Vec<_> = block_on((&mut events).collect());
    let frames: Vec<Frame> = frames.into_iter().map(Result::unwrap).collect();
    assert_eq!(frames.len(), 3);
    assert!(
        matches!(&frames[0], Frame::Event(e) if e.data() == "h\u{e9}llo" && e.last_event_id() == "1")
    );
    assert!(matches!(frames[1], Frame::Retry(t) if t.as_millis() == 10));
    assert!(!events.ended_mid_event());
    assert_eq!(events.parser().last_event_id(), "1");
}

#[test]
fn a_cut_stream_is_reported() {
    let chunks = stream::iter([Ok::<_, std::io::Error>(&b"data: a\n\ndata: cut"[..])]);
    let mut events = EventStream::new(chunks);
    let frames: Vec<_> = block_on((&mut events).collect());
    assert_eq!(frames.len(), 1);
    assert!(events.ended_mid_event());
}

#[test]
fn transport_errors_are_passed_through() {
    let chunks = stream::iter([
        Ok(&b"data: a\n\n"[..]),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "reset",
        )),
    ]);
    let frames: Vec<_> = block_on(EventStream::new(chunks).collect());
    assert!(matches!(frames[0], Ok(Frame::Event(_))));
    assert!(
        matches!(&frames[1], Err(StreamError::Transport(e)) if e.kind() == std::io::ErrorKind::ConnectionReset)
    );
}

/// The stream parses a chunk as its frames are asked for; a caller that takes the parser back
/// before the chunk is done still gets every frame, in order, from the parser's queue.
#[test]
fn into_parser_keeps_the_frames_of_a_chunk_not_yet_taken() {
    let chunks = stream::iter([Ok::<_, std::io::Error>(
        &b"id: 1\ndata: a\n\nid: 2\ndata: b\n\nretry: 5\ndata: c\n\ndata: cu"[..],
    )]);
    let mut events = EventStream::new(chunks);
    let first = block_on(events.next()).map(Result::unwrap);
    assert!(matches!(first, Some(Frame::Event(e)) if e.data() == "a"));
    let mut parser = events.into_parser();
    assert_eq!(parser.last_event_id(), "2");
    let rest: Vec<Frame> = std::iter::from_fn(|| parser.next_frame())
        .map(Result::unwrap)
        .collect();
    assert!(matches!(&rest[0], Frame::Event(e) if e.data() == "b" && e.last_event_id() == "2"));
    assert!(matches!(rest[1], Frame::Retry(t) if t.as_millis() == 5));
    assert!(matches!(&rest[2], Frame::Event(e) if e.data() == "c"));
    assert_eq!(rest.len(), 3);
    // The unfinished event is still in the parser.
    assert!(parser.finish());
}
