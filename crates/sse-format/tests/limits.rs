//! Limits: oversized lines and events give a typed error, bounded memory, and the stream goes on.

mod common;
use common::{parse_pieces, show};
use sse_format::{Limits, ParseError, Parser};

fn small() -> Parser {
    Parser::with_limits(Limits::default().max_line_len(16).max_event_size(32))
}

#[test]
fn line_too_long_is_reported_and_its_event_discarded() {
    let input = b"data: ok\n\ndata: 0123456789abcdef\ndata: more\n\ndata: after\n\n";
    let expected = [
        "message|ok|".to_owned(),
        show(&Err(ParseError::LineTooLong {
            limit: 16,
            offset: 10,
        })),
        "message|after|".to_owned(),
    ];
    assert_eq!(parse_pieces(&mut small(), &[input]), expected);
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    assert_eq!(parse_pieces(&mut small(), &bytes), expected);
}

#[test]
fn error_message_names_the_limit_and_offset() {
    let error = ParseError::LineTooLong {
        limit: 65536,
        offset: 1048576,
    };
    assert_eq!(
        error.to_string(),
        "line starting at byte 1048576 exceeds the 65536-byte line limit; its event was discarded"
    );
}

#[test]
fn long_line_is_not_buffered() {
    // A line of 10 MiB against a 16-byte limit: the parser must not hold it.
    let mut parser = small();
    let _ = parser.feed(b"data: ").count();
    let chunk = vec![b'x'; 1 << 20];
    let mut errors = 0;
    for _ in 0..10 {
        errors += parser.feed(&chunk).filter(|f| f.is_err()).count();
    }
    assert_eq!(errors, 1, "one error per line, not per chunk");
    let got: Vec<_> = parser.feed(b"\n\ndata: y\n\n").map(|f| show(&f)).collect();
    assert_eq!(got, ["message|y|"]);
}

#[test]
fn long_comment_is_ignored_without_error() {
    let mut input = b":".to_vec();
    input.extend(std::iter::repeat_n(b'x', 1000));
    input.extend(b"\ndata: y\n\n");
    assert_eq!(parse_pieces(&mut small(), &[&input]), ["message|y|"]);
    let pieces: Vec<&[u8]> = input.chunks(7).collect();
    assert_eq!(parse_pieces(&mut small(), &pieces), ["message|y|"]);
}

#[test]
fn event_too_large_is_reported_and_discarded() {
    let input = b"data: 0123456789\ndata: 0123456789\ndata: 0123456789\ndata: x\n\ndata: next\n\n";
    let got = parse_pieces(&mut small(), &[input]);
    assert_eq!(
        got,
        [
            show(&Err(ParseError::EventTooLarge {
                limit: 32,
                offset: 34
            })),
            "message|next|".to_owned()
        ]
    );
}

#[test]
fn default_limits_accept_a_large_ai_event() {
    // 8 MiB in one data line, as an image-generation result might be.
    let mut input = b"data: ".to_vec();
    input.extend(std::iter::repeat_n(b'A', 8 << 20));
    input.extend(b"\n\n");
    let frames = sse_format::parse_all(&input);
    assert!(matches!(&frames[..], [Ok(sse_format::Frame::Event(e))] if e.data().len() == 8 << 20));
}

/// A `data:` line cut by chunk ends goes straight into the data buffer (a fast path). It must
/// still break the limits exactly where a whole line does: the line limit while it grows, the
/// event limit when it ends, each with the offset of the line's first byte.
#[test]
fn data_line_streamed_across_chunks_breaks_the_limits_like_a_whole_one() {
    let cases: [(&[u8], Vec<String>); 3] = [
        (
            // 17 bytes of line: one past the line limit, in the second data line.
            b"data: 0123456789\ndata: 0123456789a\n\ndata: next\n\n",
            vec![
                show(&Err(ParseError::LineTooLong {
                    limit: 16,
                    offset: 17,
                })),
                "message|next|".to_owned(),
            ],
        ),
        (
            // Three lines of 10 bytes of data: 33 bytes with their LFs, one past the event limit.
            b"data: 0123456789\ndata: 0123456789\ndata: 0123456789\n\ndata: z\n\n",
            vec![
                show(&Err(ParseError::EventTooLarge {
                    limit: 32,
                    offset: 34,
                })),
                "message|z|".to_owned(),
            ],
        ),
        (
            // Exactly at both limits: 16-byte lines, 32 bytes of data with the final LF.
            b"data:0123456789a\ndata:0123456789a\ndata:0123456\n\n",
            vec!["message|0123456789a\n0123456789a\n0123456|".to_owned()],
        ),
    ];
    for (input, expected) in cases {
        for size in [1, 2, 3, 5, 7, 16, input.len()] {
            let pieces: Vec<&[u8]> = input.chunks(size).collect();
            assert_eq!(
                parse_pieces(&mut small(), &pieces),
                expected,
                "{:?} in chunks of {size}: left = parsed, right = expected",
                String::from_utf8_lossy(input)
            );
        }
    }
}
