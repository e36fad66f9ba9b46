//! Properties: splitting never matters, encoding round-trips, no input panics.

mod common;
use common::{parse_pieces, show};
use proptest::prelude::*;
use sse_format::{Event, Frame, Limits, MessageEvent, Parser};

/// Cuts `input` at the given (unsorted, possibly repeated) points; empty pieces included.
fn split_at_points(input: &[u8], points: &[usize]) -> Vec<Vec<u8>> {
    let mut cuts: Vec<usize> = points.iter().map(|p| p % (input.len() + 1)).collect();
    cuts.sort_unstable();
    let mut pieces = Vec::new();
    let mut start = 0;
    for cut in cuts {
        pieces.push(input[start..cut].to_vec());
        start = cut;
    }
    pieces.push(input[start..].to_vec());
    pieces
}

/// Bytes that look like an event stream: fields, line endings of every kind, a BOM, UTF-8, junk.
fn streamish() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(b"data".to_vec()),
        Just(b"data:".to_vec()),
        Just(b"data: ".to_vec()),
        Just(b"event: ".to_vec()),
        Just(b"id: ".to_vec()),
        Just(b"retry: ".to_vec()),
        Just(b":".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\xef\xbb\xbf".to_vec()),
        Just("\u{e9}\u{1f600}".as_bytes().to_vec()),
        Just(b"\0".to_vec()),
        Just(b"123".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..6),
        "[a-z ]{0,6}".prop_map(String::into_bytes),
    ];
    proptest::collection::vec(token, 0..40).prop_map(|tokens| tokens.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_split_gives_the_same_frames(input in streamish(), points in proptest::collection::vec(any::<usize>(), 0..12)) {
        let whole = parse_pieces(&mut Parser::new(), &[&input]);
        let pieces = split_at_points(&input, &points);
        let refs: Vec<&[u8]> = pieces.iter().map(Vec::as_slice).collect();
        prop_assert_eq!(&parse_pieces(&mut Parser::new(), &refs), &whole);
        let bytes: Vec<&[u8]> = input.chunks(1).collect();
        prop_assert_eq!(&parse_pieces(&mut Parser::new(), &bytes), &whole);
    }

    #[test]
    fn any_split_gives_the_same_errors_under_small_limits(input in streamish(), points in proptest::collection::vec(any::<usize>(), 0..12)) {
        let limits = Limits::default().max_line_len(12).max_event_size(20);
        let whole = parse_pieces(&mut Parser::with_limits(limits), &[&input]);
        let pieces = split_at_points(&input, &points);
        let refs: Vec<&[u8]> = pieces.iter().map(Vec::as_slice).collect();
        prop_assert_eq!(parse_pieces(&mut Parser::with_limits(limits), &refs), whole);
    }

    #[test]
    fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..512), size in 1usize..32) {
        let mut parser = Parser::with_limits(Limits::default().max_line_len(64).max_event_size(128));
        for chunk in input.chunks(size) {
            for frame in parser.feed(chunk) {
                let _ = show(&frame);
            }
        }
        let _ = parser.finish();
    }

    #[test]
    fn encoded_events_parse_back_to_themselves(
        data in any::<String>(),
        event in proptest::option::of("[^\r\n]{0,12}"),
        id in proptest::option::of("[^\r\n\0]{0,12}"),
        retry in proptest::option::of(0u64..10_000_000),
        comment in proptest::option::of(any::<String>()),
        chunk in 1usize..9,
    ) {
        let mut built = Event::new().data(data.clone());
        if let Some(event) = &event { built = built.event(event.clone()); }
        if let Some(id) = &id { built = built.id(id.clone()); }
        if let Some(retry) = retry { built = built.retry(std::time::Duration::from_millis(retry)); }
        if let Some(comment) = &comment { built = built.comment(comment.clone()); }
        let wire = built.to_bytes().expect("valid event");

        let mut parser = Parser::new();
        let mut frames = Vec::new();
        for piece in wire.chunks(chunk) {
            frames.extend(parser.feed(piece).map(Result::unwrap));
        }
        prop_assert!(!parser.finish(), "the encoder always completes its event");

        // The receiver sees CR and CRLF in data as LF: that is the format, not a loss.
        let expected_data = data.replace("\r\n", "\n").replace('\r', "\n");
        let mut expected = Vec::new();
        if let Some(retry) = retry { expected.push(Frame::Retry(std::time::Duration::from_millis(retry))); }
        expected.push(Frame::Event(MessageEvent::new(
            event.unwrap_or_default(),
            expected_data,
            id.unwrap_or_default(),
        )));
        prop_assert_eq!(frames, expected);
    }

    #[test]
    fn encoder_refuses_every_line_break_in_event_and_id(prefix in "[a-z]{0,4}", brk in prop_oneof![Just("\n"), Just("\r"), Just("\r\n")], suffix in "[a-z: ]{0,8}") {
        let bad = format!("{prefix}{brk}{suffix}");
        prop_assert!(Event::new().data("x").event(bad.clone()).to_bytes().is_err());
        prop_assert!(Event::new().data("x").id(bad).to_bytes().is_err());
    }
}

/// Runs `pieces` through `feed_with`, rendering frames like `common::show`.
fn borrowed(limits: Limits, pieces: &[&[u8]]) -> Vec<String> {
    let mut parser = Parser::with_limits(limits);
    let mut out = Vec::new();
    for piece in pieces {
        parser.feed_with(piece, |frame| {
            out.push(match frame {
                Ok(sse_format::FrameRef::Event(e)) => {
                    format!("{}|{}|{}", e.event_type(), e.data(), e.last_event_id())
                }
                Ok(sse_format::FrameRef::Retry(t)) => format!("retry={}", t.as_millis()),
                Ok(other) => format!("other: {other:?}"),
                Err(e) => format!("error: {e}"),
            })
        });
    }
    let _ = parser.finish();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn borrowed_frames_equal_owned_frames(input in streamish(), points in proptest::collection::vec(any::<usize>(), 0..12)) {
        let limits = Limits::default().max_line_len(12).max_event_size(20);
        let pieces = split_at_points(&input, &points);
        let refs: Vec<&[u8]> = pieces.iter().map(Vec::as_slice).collect();
        for limits in [Limits::default(), limits] {
            prop_assert_eq!(borrowed(limits, &refs), parse_pieces(&mut Parser::with_limits(limits), &refs));
        }
    }
}
