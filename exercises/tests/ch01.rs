//! Chapter 1 tests: `cargo test -p exercises --test ch01` (one exercise: add `ch01_ex03`).
//!
//! Snapshot failures read: "-old snapshot" is the expected answer, "+new results" is yours.

use std::fmt::Write as _;

use exercises::ch01::*;

/// Renders one `input => output` row per case, so a snapshot checks many inputs at once.
fn table<'a, T: std::fmt::Debug>(cases: &[&'a str], f: impl Fn(&'a str) -> T) -> String {
    let mut out = String::new();
    for case in cases {
        writeln!(out, "{case:?} => {:?}", f(case)).unwrap();
    }
    out
}

// ---------------------------------------------------------------- ex01: classify a line

#[test]
fn ch01_ex01_classifies_lines() {
    use ex01_field::classify_line;
    let cases = [
        "",
        ":",
        ": keep-alive",
        "::x",
        "data: hello",
        "data:hello",
        "data:  two spaces",
        "data:\ttab",
        "data",
        "data:",
        "data: a:b: c",
        "event: update",
        "id",
        "retry: 3000",
        " data: leading space",
        "no colon at all",
        "é: ü",
    ];
    insta::assert_snapshot!("ch01_ex01_classify_line", table(&cases, classify_line));
}

#[test]
fn ch01_ex01_only_one_space_is_removed() {
    use ex01_field::{Line, classify_line};
    assert_eq!(
        classify_line("data:   x"),
        Line::Field {
            name: "data",
            value: "  x"
        }
    );
}

// ---------------------------------------------------------------- ex02: fix the naive parser

#[test]
fn ch01_ex02_data_messages() {
    use ex02_naive_fix::data_messages;
    let bodies = [
        "data: hello\n\n",
        "data:compact\n\n",
        "data: line 1\ndata: line 2\n\n",
        "data: a\n\ndata: b\n\n",
        "event: ping\nid: 3\n: comment\ndata: typed\n\n",
        "event: no data\n\ndata: after\n\n",
        "data\n\ndata:\ndata:\n\n",
        "data:  spaced\n\n",
        "data: {\"a\":1}\n\ndata: [DONE]\n\ndata: never\n\n",
        "data: complete\n\ndata: cut off\n",
        "data: no final blank line\n",
        "",
    ];
    insta::assert_snapshot!("ch01_ex02_data_messages", table(&bodies, data_messages));
}

#[test]
fn ch01_ex02_done_only_as_whole_data() {
    use ex02_naive_fix::data_messages;
    assert_eq!(
        data_messages("data: [DONE] soon\n\ndata: x\n\n"),
        ["[DONE] soon", "x"]
    );
}

// ---------------------------------------------------------------- ex03: line endings

#[test]
fn ch01_ex03_split_lines() {
    use ex03_lines::split_lines;
    let buffers = [
        "a\nb\n",
        "a\rb\r\n",
        "a\r\nb",
        "a\n\nb\r\rc",
        "no ending",
        "",
        "\n",
        "\r\n\r\n",
        "ends with cr\r",
        "cr lf split\r",
        "\n\r",
        "x\r\r",
        "é\rü\n",
    ];
    insta::assert_snapshot!("ch01_ex03_split_lines", table(&buffers, split_lines));
}

#[test]
fn ch01_ex03_any_split_gives_the_same_lines() {
    use ex03_lines::split_lines;
    let input = "data: 1\r\ndata: 2\rdata: 3\n\r\n\rlast\n";
    let expected = split_lines(input)
        .0
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>();
    assert_eq!(expected.len(), 6, "{expected:?}");
    // Feed the input in two pieces, carrying the rest over, as an incremental reader would.
    for cut in 0..=input.len() {
        let mut lines = Vec::new();
        let mut carry = String::new();
        for piece in [&input[..cut], &input[cut..]] {
            carry.push_str(piece);
            let (done, rest) = split_lines(&carry);
            lines.extend(done.iter().map(|s| s.to_string()));
            carry = rest.to_string();
        }
        assert_eq!(lines, expected, "split at byte {cut}");
    }
}

// ---------------------------------------------------------------- ex04: the dispatch rules

fn assemble(lines: &[&str]) -> String {
    let mut assembler = ex04_dispatch::EventAssembler::new();
    let mut out = String::new();
    for line in lines {
        if let Some(output) = assembler.process_line(line) {
            writeln!(out, "{line:?} => {output:?}").unwrap();
        }
    }
    out
}

#[test]
fn ch01_ex04_assembles_events() {
    let streams: [&[&str]; 6] = [
        &[
            "data: one",
            "",
            "event: add",
            "data: two",
            "data: lines",
            "",
        ],
        &["id: 1", "data: a", "", "data: b", "", "id", "data: c", ""],
        &["id: 7", "", "id: x\0y", "data: after nul id", ""],
        &["event: lonely", "", "data: default type again", ""],
        &[
            "retry: 1500",
            "retry: 15s",
            "retry:",
            "retry: 0042",
            "retry: -1",
            "",
        ],
        &[
            ": comment",
            "data",
            "data",
            "",
            "DATA: ignored",
            "data:  x",
            "",
        ],
    ];
    let mut out = String::new();
    for stream in streams {
        writeln!(out, "--- {stream:?}\n{}", assemble(stream)).unwrap();
    }
    insta::assert_snapshot!("ch01_ex04_assemble", out);
}

#[test]
fn ch01_ex04_blank_line_without_data_dispatches_nothing() {
    let mut assembler = ex04_dispatch::EventAssembler::new();
    assert_eq!(assembler.process_line("event: x"), None);
    assert_eq!(assembler.process_line(""), None);
    assert_eq!(assembler.process_line(""), None);
}

// ---------------------------------------------------------------- ex05: any chunk split

const STREAMS: [&str; 5] = [
    "data: hello\n\ndata: world\n\n",
    "event: greet\r\nid: 1\r\ndata: gr\u{fc}\u{df} dich\r\n\r\ndata: \u{1f600}\r\rdata: after\n\n",
    "data: a\rdata: b\r\n\rid: 9\ndata: c\n\n: comment\n\ndata: cut",
    "data:x\n\ndata\n\nevent: e\n\ndata: y\n\n",
    "data: \u{2026}\u{2026}\r\n\r\n",
];

fn feed_all(pieces: &[&[u8]]) -> Vec<ex05_incremental::SimpleEvent> {
    let mut parser = ex05_incremental::ChunkedParser::new();
    pieces.iter().flat_map(|piece| parser.feed(piece)).collect()
}

/// The reference parser's answer, in the exercise's event type.
fn oracle(input: &[u8]) -> Vec<ex05_incremental::SimpleEvent> {
    sse_format::parse_all(input)
        .into_iter()
        .filter_map(|frame| match frame {
            Ok(sse_format::Frame::Event(e)) => Some(ex05_incremental::SimpleEvent {
                event_type: e.event_type().into(),
                data: e.data().into(),
                id: e.last_event_id().into(),
            }),
            _ => None,
        })
        .collect()
}

#[test]
fn ch01_ex05_whole_input() {
    let mut out = String::new();
    for stream in STREAMS {
        writeln!(out, "{stream:?} => {:#?}", feed_all(&[stream.as_bytes()])).unwrap();
    }
    insta::assert_snapshot!("ch01_ex05_whole_input", out);
}

#[test]
fn ch01_ex05_every_two_piece_split() {
    for stream in STREAMS {
        let bytes = stream.as_bytes();
        let expected = oracle(bytes);
        for cut in 0..=bytes.len() {
            let got = feed_all(&[&bytes[..cut], &bytes[cut..]]);
            assert_eq!(got, expected, "{stream:?} split at byte {cut}");
        }
    }
}

#[test]
fn ch01_ex05_one_byte_at_a_time() {
    for stream in STREAMS {
        let bytes = stream.as_bytes();
        let pieces: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(feed_all(&pieces), oracle(bytes), "{stream:?}");
    }
}

// ---------------------------------------------------------------- ex06: safe encoding

#[test]
fn ch01_ex06_encodes() {
    use ex06_encode::{OutgoingEvent, encode_event};
    let event = |event: Option<&str>, id: Option<&str>, data: &str| OutgoingEvent {
        event: event.map(Into::into),
        id: id.map(Into::into),
        data: data.into(),
    };
    let cases = [
        event(None, None, "hello"),
        event(Some("update"), Some("42"), "{\"n\":1}"),
        event(None, None, "line 1\nline 2\r\nline 3\rline 4"),
        event(None, Some(""), ""),
        event(None, None, "trailing\n"),
        event(Some("x"), None, " leading space"),
        event(Some("x\ndata: injected"), None, "d"),
        event(None, Some("1\rretry: 1"), "d"),
        event(None, Some("1\0"), "d"),
    ];
    let mut out = String::new();
    for case in &cases {
        writeln!(out, "{case:?}\n  => {:?}", encode_event(case)).unwrap();
    }
    insta::assert_snapshot!("ch01_ex06_encode", out);
}

#[test]
fn ch01_ex06_round_trips_through_the_reference_parser() {
    use ex06_encode::{OutgoingEvent, encode_event};
    let data = [
        "plain",
        "two\nlines",
        "crlf\r\nand\rcr",
        "",
        "\n",
        " x ",
        "\u{2603}",
    ];
    for (n, data) in data.iter().enumerate() {
        let event = OutgoingEvent {
            event: Some(format!("type{n}")),
            id: Some(n.to_string()),
            data: data.to_string(),
        };
        let wire = encode_event(&event).unwrap();
        let frames = sse_format::parse_all(wire.as_bytes());
        let expected = sse_format::MessageEvent::new(
            format!("type{n}"),
            data.replace("\r\n", "\n").replace('\r', "\n"),
            n.to_string(),
        );
        assert_eq!(frames, [Ok(sse_format::Frame::Event(expected))], "{wire:?}");
    }
}
