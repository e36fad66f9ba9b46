//! Chapter 1 tests: `cargo test -p exercises --test ch01` (one exercise: add `ch01_ex03`).
//!
//! Snapshot failures read: "-old snapshot" is the expected answer, "+new results" is yours. In
//! every other assertion, `left` is your answer and `right` the expected one.

use std::fmt::Write as _;

use exercises::ch01::*;

/// Compares `$value` with the blessed snapshot `$name`; `$what` says what the snapshot checks.
macro_rules! snapshot {
    ($name:literal, $what:expr, $value:expr $(,)?) => {
        insta::with_settings!(
            {
                description => concat!(
                    $what,
                    "\nReading the diff: `-old snapshot` lines are the expected answer, ",
                    "`+new results` lines are yours."
                ),
                omit_expression => true,
            },
            { insta::assert_snapshot!($name, $value) }
        )
    };
}

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
    snapshot!(
        "ch01_ex01_classify_line",
        "ch01::ex01: classify_line on each input line (input => your Line).",
        table(&cases, classify_line),
    );
}

#[test]
fn ch01_ex01_only_one_space_is_removed() {
    use ex01_field::{Line, classify_line};
    for (line, name, value) in [
        ("data:   x", "data", "  x"),
        ("id:  7", "id", " 7"),
        ("event:\t x", "event", "\t x"),
        ("data: \u{a0}y", "data", "\u{a0}y"),
    ] {
        assert_eq!(
            classify_line(line),
            Line::Field { name, value },
            "classify_line({line:?}) removes exactly one U+0020 after the colon: \
             left = yours, right = expected"
        );
    }
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
    snapshot!(
        "ch01_ex02_data_messages",
        "ch01::ex02: data_messages on each body (body => your messages).",
        table(&bodies, data_messages),
    );
}

#[test]
fn ch01_ex02_done_only_as_whole_data() {
    use ex02_naive_fix::data_messages;
    for (body, want) in [
        ("data: [DONE] soon\n\ndata: x\n\n", vec!["[DONE] soon", "x"]),
        (
            "data: [DONE]\ndata: more\n\ndata: y\n\n",
            vec!["[DONE]\nmore", "y"],
        ),
        ("data: a\n\ndata:[DONE]\n\ndata: b\n\n", vec!["a"]),
    ] {
        assert_eq!(
            data_messages(body),
            want,
            "only data that is exactly [DONE] ends the stream, in {body:?}: \
             left = yours, right = expected"
        );
    }
}

#[test]
fn ch01_ex02_cut_off_event_is_dropped() {
    use ex02_naive_fix::data_messages;
    for (body, want) in [
        ("data: kept\n\ndata: cut\n", vec!["kept"]),
        ("data: kept\n\ndata: cut", vec!["kept"]),
        (
            "data: 1\n\ndata: 2\n\nid: 3\ndata: 3\ndata: more",
            vec!["1", "2"],
        ),
    ] {
        assert_eq!(
            data_messages(body),
            want,
            "an event without its blank line was cut off and is dropped, in {body:?}: \
             left = yours, right = expected"
        );
    }
}

// ---------------------------------------------------------------- ex03: line endings

/// Feeds `pieces` to one splitter, carrying the rest over as an incremental reader does, and
/// returns the lines each call produced.
fn split_in_steps(pieces: &[&str]) -> (Vec<Vec<String>>, String) {
    let mut splitter = ex03_lines::LineSplitter::new();
    let mut carry = String::new();
    let mut steps = Vec::new();
    for piece in pieces {
        carry.push_str(piece);
        let (lines, rest) = splitter.split(&carry);
        steps.push(lines.iter().map(|s| s.to_string()).collect());
        carry = rest.to_string();
    }
    (steps, carry)
}

#[test]
fn ch01_ex03_split_lines() {
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
        "\n\r",
        "x\r\r",
        "é\rü\n",
    ];
    snapshot!(
        "ch01_ex03_split_lines",
        "ch01::ex03: one call of split on a fresh LineSplitter (buffer => your (lines, rest)).",
        table(&buffers, |b| ex03_lines::LineSplitter::new().split(b)),
    );
}

#[test]
fn ch01_ex03_split_in_steps() {
    let sequences: [&[&str]; 8] = [
        &["a\r", "\nb\n"],
        &["a\r", "", "\nb\n"],
        &["a\r", "\r\n"],
        &["a\r", "b\r", "\n"],
        &["a", "b\r", "\nc", "\n"],
        &["\r", "\n", "\r", "\n"],
        &["x\r\n", "\ny\r"],
        &["é\r", "\nü\r", "\r\n"],
    ];
    let mut out = String::new();
    for pieces in sequences {
        writeln!(out, "{pieces:?} => {:?}", split_in_steps(pieces)).unwrap();
    }
    snapshot!(
        "ch01_ex03_split_in_steps",
        "ch01::ex03: one LineSplitter fed several pieces, the rest carried over \
         (pieces => your (lines of each call, final rest)).",
        out,
    );
}

#[test]
fn ch01_ex03_a_cr_ends_its_line_at_once() {
    for (buffer, want) in [
        ("data: x\r", vec!["data: x"]),
        ("\r", vec![""]),
        ("a\nb\r", vec!["a", "b"]),
        ("data: é\r\r", vec!["data: é", ""]),
    ] {
        let (lines, rest) = ex03_lines::LineSplitter::new().split(buffer);
        assert_eq!(
            (lines, rest),
            (want, ""),
            "split({buffer:?}): a line ended by CR is complete now, even at the end of the \
             buffer (the next text may be a keep-alive 15 s away): left = yours, right = expected"
        );
    }
}

#[test]
fn ch01_ex03_any_split_gives_the_same_lines() {
    let input = "data: 1\r\ndata: 2\rdata: 3\n\r\n\rlast\n";
    let want = ["data: 1", "data: 2", "data: 3", "", "", "last"];
    for cut in 0..=input.len() {
        let (steps, rest) = split_in_steps(&[&input[..cut], &input[cut..]]);
        let lines: Vec<String> = steps.concat();
        assert_eq!(
            (lines, rest),
            (want.map(String::from).to_vec(), String::new()),
            "{input:?} fed in two pieces cut at byte {cut}: left = your lines and rest, \
             right = expected"
        );
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
    snapshot!(
        "ch01_ex04_assemble",
        "ch01::ex04: each stream of lines fed to a fresh EventAssembler \
         (line => what your process_line returned for it).",
        out,
    );
}

#[test]
fn ch01_ex04_blank_line_without_data_dispatches_nothing() {
    let mut assembler = ex04_dispatch::EventAssembler::new();
    for line in ["event: x", "", "", "id: 3", ""] {
        assert_eq!(
            assembler.process_line(line),
            None,
            "{line:?} with no data in the event dispatches nothing: left = yours, right = expected"
        );
    }
    assert_eq!(
        assembler.process_line("data: y"),
        None,
        "a data line alone dispatches nothing: left = yours, right = expected"
    );
    assert_eq!(
        assembler.process_line(""),
        Some(ex04_dispatch::Output::Event {
            event_type: "message".into(),
            data: "y".into(),
            last_event_id: "3".into(),
        }),
        "the event type of an event that dispatched nothing is reset; the id stays: \
         left = yours, right = expected"
    );
}

#[test]
fn ch01_ex04_last_event_id_persists() {
    use ex04_dispatch::Output;
    let mut assembler = ex04_dispatch::EventAssembler::new();
    let mut ids = Vec::new();
    for line in [
        "id: 1", "data: a", "", "data: b", "", "event: e", "data: c", "", "id:", "data: d", "",
        "id: 9", "data: e", "", "data: f", "",
    ] {
        if let Some(Output::Event { last_event_id, .. }) = assembler.process_line(line) {
            ids.push(last_event_id);
        }
    }
    assert_eq!(
        ids,
        ["1", "1", "1", "", "9", "9"],
        "the last event ID of each event: it stays until an id field changes it \
         (left = yours, right = expected)"
    );
}

// ---------------------------------------------------------------- ex05: any chunk split

/// Streams, each with the lines a decoder must return however the stream is split.
const STREAMS: [(&[u8], &[&str]); 6] = [
    (
        b"data: hello\n\ndata: world\n\n",
        &["data: hello", "", "data: world", ""],
    ),
    (
        "event: greet\r\nid: 1\r\ndata: gr\u{fc}\u{df} dich\r\n\r\ndata: \u{1f600}\r\rdata: after\n\n"
            .as_bytes(),
        &[
            "event: greet",
            "id: 1",
            "data: gr\u{fc}\u{df} dich",
            "",
            "data: \u{1f600}",
            "",
            "data: after",
            "",
        ],
    ),
    (
        b"data: a\rdata: b\r\n\rid: 9\ndata: c\n\n: comment\n\ndata: cut",
        &[
            "data: a",
            "data: b",
            "",
            "id: 9",
            "data: c",
            "",
            ": comment",
            "",
        ],
    ),
    (
        b"data:x\n\ndata\n\nevent: e\n\ndata: y\n\n",
        &["data:x", "", "data", "", "event: e", "", "data: y", ""],
    ),
    (
        "data: \u{2026}\u{2026}\r\n\r\n".as_bytes(),
        &["data: \u{2026}\u{2026}", ""],
    ),
    (
        b"data: \xffbad \xe2\x82 byte\r\r",
        &["data: \u{fffd}bad \u{fffd} byte", ""],
    ),
];

fn feed_all(pieces: &[&[u8]]) -> Vec<String> {
    let mut decoder = ex05_incremental::LineDecoder::new();
    pieces
        .iter()
        .flat_map(|piece| decoder.feed(piece))
        .collect()
}

/// The reference parser's events for `input`, as (type, data, id).
fn events_of(input: &[u8]) -> Vec<(String, String, String)> {
    sse_format::parse_all(input)
        .into_iter()
        .filter_map(|frame| match frame {
            Ok(sse_format::Frame::Event(e)) => Some((
                e.event_type().to_owned(),
                e.data().to_owned(),
                e.last_event_id().to_owned(),
            )),
            _ => None,
        })
        .collect()
}

/// Checks one way of splitting `stream`: the lines, and the events they make for the reference
/// parser (each line followed by LF).
fn check_split((stream, lines): (&[u8], &[&str]), pieces: &[&[u8]], how: &str) {
    let got = feed_all(pieces);
    assert_eq!(
        got,
        lines,
        "{:?} fed as {how}: left = your lines, right = expected",
        String::from_utf8_lossy(stream)
    );
    let rejoined: String = got.iter().map(|line| format!("{line}\n")).collect();
    assert_eq!(
        events_of(rejoined.as_bytes()),
        events_of(stream),
        "{:?} fed as {how}: left = the events your lines make, right = expected",
        String::from_utf8_lossy(stream)
    );
}

#[test]
fn ch01_ex05_whole_input() {
    let mut out = String::new();
    for (stream, _) in STREAMS {
        writeln!(
            out,
            "{:?} => {:#?}",
            String::from_utf8_lossy(stream),
            feed_all(&[stream])
        )
        .unwrap();
    }
    snapshot!(
        "ch01_ex05_whole_input",
        "ch01::ex05: each stream fed to a fresh LineDecoder in one chunk (stream => your lines).",
        out,
    );
}

#[test]
fn ch01_ex05_every_two_piece_split() {
    for case @ (stream, _) in STREAMS {
        for cut in 0..=stream.len() {
            let how = format!("two chunks cut at byte {cut}");
            check_split(case, &[&stream[..cut], &stream[cut..]], &how);
        }
    }
}

#[test]
fn ch01_ex05_an_empty_chunk_changes_nothing() {
    for case @ (stream, _) in STREAMS {
        for cut in 0..=stream.len() {
            let how = format!("a chunk, an EMPTY chunk, a chunk, cut at byte {cut}");
            check_split(case, &[&stream[..cut], b"", &stream[cut..]], &how);
        }
    }
    // The case in the hint, step by step: the line goes out at the CR, and the LF after an empty
    // chunk still belongs to that CR.
    let mut decoder = ex05_incremental::LineDecoder::new();
    let steps: Vec<Vec<String>> = [&b"data: a\r"[..], b"", b"\ndata: b\r\n", b"\n"]
        .iter()
        .map(|chunk| decoder.feed(chunk))
        .collect();
    assert_eq!(
        steps,
        [vec!["data: a"], vec![], vec!["data: b"], vec![""]],
        "lines returned by each feed of \"data: a\\r\", \"\", \"\\ndata: b\\r\\n\", \"\\n\": \
         left = yours, right = expected"
    );
}

#[test]
fn ch01_ex05_one_byte_at_a_time() {
    for case @ (stream, _) in STREAMS {
        let pieces: Vec<&[u8]> = stream.chunks(1).collect();
        check_split(case, &pieces, "one byte per chunk");
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
    snapshot!(
        "ch01_ex06_encode",
        "ch01::ex06: encode_event on each event (event => your Result).",
        out,
    );
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
        "ends\r",
        " x ",
        "\u{2603}",
    ];
    for (n, data) in data.iter().enumerate() {
        let event = OutgoingEvent {
            event: Some(format!("type{n}")),
            id: Some(n.to_string()),
            data: data.to_string(),
        };
        let wire = match encode_event(&event) {
            Ok(wire) => wire,
            Err(error) => panic!("encode_event({event:?}) must succeed, yours failed: {error}"),
        };
        let frames = sse_format::parse_all(wire.as_bytes());
        let expected = sse_format::MessageEvent::new(
            format!("type{n}"),
            data.replace("\r\n", "\n").replace('\r', "\n"),
            n.to_string(),
        );
        assert_eq!(
            frames,
            [Ok(sse_format::Frame::Event(expected))],
            "your bytes {wire:?} for data {data:?}, read back by the reference parser: \
             left = what it read, right = the event you were asked to encode"
        );
    }
}

#[test]
fn ch01_ex06_refuses_injection() {
    use ex06_encode::{EncodeError, OutgoingEvent, encode_event};
    let cases = [
        (Some("a\rb"), None, EncodeError::LineBreakInEvent),
        (Some("a\nid: 1"), Some("1"), EncodeError::LineBreakInEvent),
        (None, Some("7\nretry: 0"), EncodeError::LineBreakInId),
        (None, Some("\r"), EncodeError::LineBreakInId),
        (Some("ok"), Some("a\0b"), EncodeError::NulInId),
    ];
    for (event_type, id, want) in cases {
        let event = OutgoingEvent {
            event: event_type.map(Into::into),
            id: id.map(Into::into),
            data: "d".into(),
        };
        assert_eq!(
            encode_event(&event),
            Err(want),
            "encode_event({event:?}) must refuse it: left = yours, right = expected"
        );
    }
}
