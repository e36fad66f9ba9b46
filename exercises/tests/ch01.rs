//! Chapter 1 tests: `cargo test -p exercises --test ch01` (one exercise: add `ch01_ex03`).
//!
//! Snapshot failures read: "-old snapshot" is the expected answer, "+new results" is yours. In
//! every other assertion, `left` is your answer and `right` the expected one.

use std::fmt::Write as _;

use exercises::ch01::*;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// Property tests run a modest number of generated cases (the chapter stays fast), write no
/// regression files, and shrink a failure to a small case before reporting it.
fn property_config() -> ProptestConfig {
    ProptestConfig {
        cases: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text of up to `max` characters, each one of `alphabet`.
fn text_of(alphabet: &'static [char], max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(alphabet), 0..=max)
        .prop_map(String::from_iter)
}

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

#[test]
fn ch01_ex01_a_comment_keeps_its_text() {
    use ex01_field::{Line, classify_line};
    for (line, comment) in [
        (": ping", " ping"),
        (":  two", "  two"),
        (":", ""),
        (": a: b", " a: b"),
    ] {
        assert_eq!(
            classify_line(line),
            Line::Comment(comment),
            "classify_line({line:?}): a comment holds everything after its colon, the space \
             included (the one-space rule is for field values): left = yours, right = expected"
        );
    }
}

/// Characters for generated field names (never a colon) and values.
const NAME_CHARS: &[char] = &['d', 'a', ' ', '\t', '\u{e9}', '\u{a0}'];
const VALUE_CHARS: &[char] = &['x', ':', ' ', '\t', '\u{e9}', '\u{a0}', '\u{1f600}'];

/// A generated line and what it is, known by construction (not by parsing it).
#[derive(Debug, Clone)]
struct GeneratedLine {
    line: String,
    /// `None`: blank. `Some((name_len, value_at))`: the name is `line[..name_len]` (empty for a
    /// comment) and the value or comment text is `line[value_at..]`.
    parts: Option<(usize, usize)>,
}

fn generated_line() -> impl Strategy<Value = GeneratedLine> {
    prop_oneof![
        1 => Just(GeneratedLine { line: String::new(), parts: None }),
        // A field with no colon: the whole line is the name.
        2 => text_of(NAME_CHARS, 5)
            .prop_filter("a line with no colon is a field only if it is not empty", |n| {
                !n.is_empty()
            })
            .prop_map(|name| GeneratedLine {
                parts: Some((name.len(), name.len())),
                line: name,
            }),
        // `name:` then maybe one space the spec removes, then the value (which may itself start
        // with a space, a tab, or hold more colons). An empty name makes it a comment, which keeps
        // everything after its colon.
        6 => (text_of(NAME_CHARS, 4), any::<bool>(), text_of(VALUE_CHARS, 5)).prop_map(
            |(name, space, value)| {
                let line = format!("{name}:{}{value}", if space { " " } else { "" });
                // Without the generated space, a value that starts with one loses it instead.
                let stripped = space || value.starts_with(' ');
                let value_at = if name.is_empty() || !stripped {
                    name.len() + 1
                } else {
                    name.len() + 2
                };
                GeneratedLine { parts: Some((name.len(), value_at)), line }
            }
        ),
    ]
}

#[test]
fn ch01_ex01_agrees_with_the_spec_on_generated_lines() {
    use ex01_field::{Line, classify_line};
    proptest!(property_config(), |(generated in generated_line())| {
        let GeneratedLine { line, parts } = &generated;
        let expected = match *parts {
            None => Line::Blank,
            Some((0, value_at)) => Line::Comment(&line[value_at..]),
            Some((name_len, value_at)) => Line::Field {
                name: &line[..name_len],
                value: &line[value_at..],
            },
        };
        prop_assert_eq!(
            classify_line(line),
            expected,
            "classify_line({:?}): left = yours, right = expected",
            line
        );
    });
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
        ("data: [DONE] \n\ndata: z\n\n", vec!["[DONE] ", "z"]),
        ("data:  [DONE]\n\ndata: z\n\n", vec![" [DONE]", "z"]),
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

/// Lines a generated body is made of (`\n` line endings only, as the contract says).
const BODY_LINES: &[&str] = &[
    "data: a",
    "data:b",
    "data",
    "data:",
    "data:  \u{e9}",
    "data: \u{fc}:1",
    "data: [DONE]",
    "data:[DONE]",
    "data: [DONE] ",
    "event: x",
    "id: 1",
    ": c",
    "retry: 5",
    "DATA: no",
    "",
    "",
    "",
];

/// The reference behaviour of `data_messages`: the `sse_format` parser's events, up to the first
/// whose data is exactly `[DONE]`.
fn reference_messages(body: &str) -> Vec<String> {
    let mut messages = Vec::new();
    for frame in sse_format::parse_all(body.as_bytes()) {
        if let Ok(sse_format::Frame::Event(event)) = frame {
            if event.data() == "[DONE]" {
                break;
            }
            messages.push(event.data().to_owned());
        }
    }
    messages
}

#[test]
fn ch01_ex02_agrees_with_the_reference_parser() {
    use ex02_naive_fix::data_messages;
    let body = (
        proptest::collection::vec(proptest::sample::select(BODY_LINES), 0..12),
        any::<bool>(),
    )
        .prop_map(|(lines, ends_with_line_ending)| {
            let mut body = lines.join("\n");
            if ends_with_line_ending && !body.is_empty() {
                body.push('\n');
            }
            body
        });
    proptest!(property_config(), |(body in body)| {
        prop_assert_eq!(
            data_messages(&body),
            reference_messages(&body),
            "data_messages({:?}): left = yours, right = the reference parser's",
            body
        );
    });
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

/// The three line endings of the spec.
#[derive(Debug, Clone, Copy)]
enum Ending {
    Lf,
    Cr,
    CrLf,
}

/// A generated stream whose lines are known by construction: `lines[i]` is ended by the line
/// ending that starts at byte `ends[i]` of `text`, and `rest` is what follows the last ending.
#[derive(Debug, Clone)]
struct Framed {
    text: Vec<u8>,
    lines: Vec<Vec<u8>>,
    ends: Vec<usize>,
    rest: Vec<u8>,
}

/// Streams made of lines built from `pieces` (which hold no CR or LF), each line ended by LF, CR
/// or CRLF, then an unfinished rest.
fn framed(pieces: &'static [&'static [u8]]) -> impl Strategy<Value = Framed> {
    let line = proptest::collection::vec(proptest::sample::select(pieces), 0..4)
        .prop_map(|parts| parts.concat());
    let ending = prop_oneof![Just(Ending::Lf), Just(Ending::Cr), Just(Ending::CrLf)];
    (
        proptest::collection::vec((line.clone(), ending), 0..7),
        line,
    )
        .prop_map(|(lines, rest)| {
            let mut framed = Framed {
                text: Vec::new(),
                lines: Vec::new(),
                ends: Vec::new(),
                rest: rest.clone(),
            };
            let mut after_cr = false;
            for (line, mut ending) in lines {
                // A lone CR, then an empty line ended by LF, would be one CRLF on the wire.
                if after_cr && line.is_empty() && matches!(ending, Ending::Lf) {
                    ending = Ending::CrLf;
                }
                framed.text.extend_from_slice(&line);
                framed.ends.push(framed.text.len());
                framed.text.extend_from_slice(match ending {
                    Ending::Lf => b"\n",
                    Ending::Cr => b"\r",
                    Ending::CrLf => b"\r\n",
                });
                framed.lines.push(line);
                after_cr = matches!(ending, Ending::Cr);
            }
            framed.text.extend_from_slice(&rest);
            framed
        })
}

/// Where to cut a stream of `len` bytes into chunks: sorted offsets, repeats allowed (an empty
/// chunk), and, if asked, an empty chunk after every chunk.
fn cuts() -> impl Strategy<Value = (Vec<proptest::sample::Index>, bool)> {
    (
        proptest::collection::vec(any::<proptest::sample::Index>(), 0..6),
        any::<bool>(),
    )
}

/// The `(start, end)` byte ranges of the chunks, for a stream of `len` bytes; `adjust` moves a cut
/// (to a character boundary, for text).
fn chunk_ranges(
    len: usize,
    (cuts, empty_after_each): &(Vec<proptest::sample::Index>, bool),
    adjust: impl Fn(usize) -> usize,
) -> Vec<(usize, usize)> {
    let mut at: Vec<usize> = cuts.iter().map(|i| adjust(i.index(len + 1))).collect();
    at.sort_unstable();
    at.insert(0, 0);
    at.push(len);
    let mut ranges = Vec::new();
    for pair in at.windows(2) {
        ranges.push((pair[0], pair[1]));
        if *empty_after_each {
            ranges.push((pair[1], pair[1]));
        }
    }
    ranges
}

/// For each chunk, the lines whose line ending starts in it: those a call must return.
fn lines_per_chunk<T: Clone>(
    lines: &[T],
    ends: &[usize],
    ranges: &[(usize, usize)],
) -> Vec<Vec<T>> {
    ranges
        .iter()
        .map(|&(start, end)| {
            ends.iter()
                .zip(lines)
                .filter(|&(&at, _)| start <= at && at < end)
                .map(|(_, line)| line.clone())
                .collect()
        })
        .collect()
}

/// Text pieces for generated lines: ASCII, two- and four-byte characters, a field-like prefix.
const TEXT_PIECES: &[&[u8]] = &[
    b"a",
    b" ",
    b"data: ",
    "\u{e9}".as_bytes(),
    "\u{1f600}".as_bytes(),
];

#[test]
fn ch01_ex03_agrees_with_the_spec_on_generated_pieces() {
    proptest!(property_config(), |(framed in framed(TEXT_PIECES), cuts in cuts())| {
        let text = String::from_utf8(framed.text.clone()).expect("the pieces are UTF-8");
        let ranges = chunk_ranges(text.len(), &cuts, |mut at| {
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        });
        let pieces: Vec<&str> = ranges.iter().map(|&(a, b)| &text[a..b]).collect();
        let lines: Vec<String> = framed
            .lines
            .iter()
            .map(|line| String::from_utf8(line.clone()).expect("UTF-8"))
            .collect();
        let expected = (
            lines_per_chunk(&lines, &framed.ends, &ranges),
            String::from_utf8(framed.rest.clone()).expect("UTF-8"),
        );
        prop_assert_eq!(
            split_in_steps(&pieces),
            expected,
            "pieces {:?} (each passed after the rest of the call before): left = your lines of \
             each call and final rest, right = expected (a line goes out with the call that \
             brings its line ending)",
            pieces
        );
    });
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

#[test]
fn ch01_ex04_retry_takes_ascii_digits_only() {
    use ex04_dispatch::Output;
    for (value, want) in [
        ("15", Some(Output::Retry(15))),
        ("0", Some(Output::Retry(0))),
        ("18446744073709551615", Some(Output::Retry(u64::MAX))),
        ("18446744073709551616", Some(Output::Retry(u64::MAX))),
        (
            "99999999999999999999999999999999",
            Some(Output::Retry(u64::MAX)),
        ),
        ("+15", None),
        (" 15", None),
        ("15 ", None),
        ("1_000", None),
        ("\u{661}\u{665}", None),
        ("\u{b2}", None),
        ("\u{ff11}\u{ff15}", None),
    ] {
        let line = format!("retry: {value}");
        assert_eq!(
            ex04_dispatch::EventAssembler::new().process_line(&line),
            want,
            "process_line({line:?}): only ASCII digits `0`-`9` set the time, and a number too \
             large for a u64 is u64::MAX: left = yours, right = expected"
        );
    }
}

/// Names and values for generated field lines.
const FIELD_NAMES: &[&str] = &["data", "event", "id", "retry", "DATA", "Data", "x", ""];
const FIELD_VALUES: &[&str] = &[
    "",
    "1",
    "0042",
    "+15",
    "15s",
    "-1",
    "18446744073709551616",
    "99999999999999999999999",
    "\u{661}\u{665}",
    "\u{b2}",
    "a\0b",
    "\u{e9}",
    " x",
    "\t",
    "message",
    "[DONE]",
];

/// A line for the assembler: blank (often), or `name`, `name:value` or `name: value` (an empty
/// name with a colon is a comment).
fn field_line() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just(String::new()),
        3 => (
            proptest::sample::select(FIELD_NAMES),
            0..3u8,
            proptest::sample::select(FIELD_VALUES)
        )
            .prop_map(|(name, form, value)| match form {
                0 => name.to_owned(),
                1 => format!("{name}:{value}"),
                _ => format!("{name}: {value}"),
            }),
    ]
}

/// The reference behaviour of `process_line`: what the `sse_format` parser does with the line.
fn reference_output(parser: &mut sse_format::Parser, line: &str) -> Vec<ex04_dispatch::Output> {
    use ex04_dispatch::Output;
    parser
        .feed(format!("{line}\n").as_bytes())
        .filter_map(|frame| match frame {
            Ok(sse_format::Frame::Event(e)) => Some(Output::Event {
                event_type: e.event_type().to_owned(),
                data: e.data().to_owned(),
                last_event_id: e.last_event_id().to_owned(),
            }),
            Ok(sse_format::Frame::Retry(time)) => Some(Output::Retry(
                u64::try_from(time.as_millis()).unwrap_or(u64::MAX),
            )),
            Ok(other) => panic!("a frame the exercise does not model: {other:?}"),
            Err(_) => None,
        })
        .collect()
}

#[test]
fn ch01_ex04_agrees_with_the_reference_parser() {
    let lines = proptest::collection::vec(field_line(), 0..16);
    proptest!(property_config(), |(lines in lines)| {
        let mut assembler = ex04_dispatch::EventAssembler::new();
        let mut parser = sse_format::Parser::new();
        for (n, line) in lines.iter().enumerate() {
            let yours: Vec<_> = assembler.process_line(line).into_iter().collect();
            prop_assert_eq!(
                yours,
                reference_output(&mut parser, line),
                "the lines {:?}, at line {} ({:?}): left = what your process_line returned, \
                 right = what the reference parser produced",
                &lines[..=n],
                n,
                line
            );
        }
    });
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

/// Byte pieces for generated lines: fields, non-ASCII characters (cut anywhere by the chunks),
/// and invalid UTF-8 (a lone `FF`, the first two bytes of a three-byte character).
const BYTE_PIECES: &[&[u8]] = &[
    b"data: ",
    b"data:",
    b"id: ",
    b"event: ",
    b":",
    b"x",
    "\u{e9}".as_bytes(),
    "\u{20ac}".as_bytes(),
    "\u{1f600}".as_bytes(),
    b"\xff",
    b"\xe2\x82",
];

#[test]
fn ch01_ex05_agrees_with_the_spec_on_generated_chunks() {
    proptest!(property_config(), |(framed in framed(BYTE_PIECES), cuts in cuts())| {
        let ranges = chunk_ranges(framed.text.len(), &cuts, |at| at);
        let chunks: Vec<&[u8]> = ranges.iter().map(|&(a, b)| &framed.text[a..b]).collect();
        let lines: Vec<String> = framed
            .lines
            .iter()
            .map(|line| String::from_utf8_lossy(line).into_owned())
            .collect();
        let mut decoder = ex05_incremental::LineDecoder::new();
        let yours: Vec<Vec<String>> = chunks.iter().map(|chunk| decoder.feed(chunk)).collect();
        prop_assert_eq!(
            &yours,
            &lines_per_chunk(&lines, &framed.ends, &ranges),
            "the chunks {:?}: left = the lines each of your feed calls returned, right = expected \
             (a line goes out with the chunk that brings its line ending, decoded whole)",
            chunks.iter().map(|c| String::from_utf8_lossy(c)).collect::<Vec<_>>()
        );
        let rejoined: String = yours.concat().iter().map(|line| format!("{line}\n")).collect();
        prop_assert_eq!(
            events_of(rejoined.as_bytes()),
            events_of(&framed.text),
            "the chunks {:?}: left = the events your lines make, right = the reference parser's",
            chunks.iter().map(|c| String::from_utf8_lossy(c)).collect::<Vec<_>>()
        );
    });
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

/// Characters for generated event types, ids and data: line breaks, NUL, a colon, non-ASCII.
const EVENT_CHARS: &[char] = &['a', ' ', ':', '\r', '\n', '\0', '\u{e9}', '\u{1f600}'];

/// The same error, as the exercise names it.
fn exercise_error(error: &sse_format::EncodeError) -> ex06_encode::EncodeError {
    use ex06_encode::EncodeError;
    match error {
        sse_format::EncodeError::EventTypeHasLineBreak(_) => EncodeError::LineBreakInEvent,
        sse_format::EncodeError::IdHasLineBreak(_) => EncodeError::LineBreakInId,
        sse_format::EncodeError::IdHasNul(_) => EncodeError::NulInId,
        other => panic!("an encoder error the exercise does not model: {other:?}"),
    }
}

/// The bytes the contract asks for: the reference encoder's, with the one space after the colon
/// that it leaves out before an empty value.
fn reference_wire(event: &ex06_encode::OutgoingEvent) -> Result<String, ex06_encode::EncodeError> {
    let mut reference = sse_format::Event::new().data(event.data.clone());
    if let Some(event_type) = &event.event {
        reference = reference.event(event_type.clone());
    }
    if let Some(id) = &event.id {
        reference = reference.id(id.clone());
    }
    let bytes = reference.to_bytes().map_err(|e| exercise_error(&e))?;
    let text = String::from_utf8(bytes).expect("the reference encoder writes UTF-8");
    Ok(text
        .split_inclusive('\n')
        .map(|line| match line {
            "event:\n" | "id:\n" | "data:\n" => line.replace(":\n", ": \n"),
            _ => line.to_owned(),
        })
        .collect())
}

#[test]
fn ch01_ex06_agrees_with_the_reference_encoder() {
    use ex06_encode::{OutgoingEvent, encode_event};
    let event = (
        proptest::option::of(text_of(EVENT_CHARS, 4)),
        proptest::option::of(text_of(EVENT_CHARS, 4)),
        text_of(EVENT_CHARS, 6),
    )
        .prop_map(|(event, id, data)| OutgoingEvent { event, id, data });
    proptest!(property_config(), |(event in event)| {
        let yours = encode_event(&event);
        prop_assert_eq!(
            &yours,
            &reference_wire(&event),
            "encode_event({:?}): left = yours, right = expected",
            &event
        );
        if let Ok(wire) = yours {
            // A receiver that already has a last event ID: only an `id:` line may change it.
            let mut parser = sse_format::Parser::new();
            parser.set_last_event_id("earlier");
            let frames: Vec<_> = parser.feed(wire.as_bytes()).collect();
            let expected = sse_format::MessageEvent::new(
                event.event.clone().unwrap_or_default(),
                event.data.replace("\r\n", "\n").replace('\r', "\n"),
                event.id.clone().unwrap_or_else(|| "earlier".to_owned()),
            );
            prop_assert_eq!(
                frames,
                vec![Ok(sse_format::Frame::Event(expected))],
                "your bytes {:?} for {:?}, read back by the reference parser: left = what it \
                 read, right = the event you were asked to encode",
                wire,
                &event
            );
        }
    });
}

// ---------------------------------------------------------------- ex07: count the events

/// The lesson's first sample of the message format (lesson 2.2, "SSE Message Format"), exactly as
/// it is printed: four lines and no blank line.
const LESSON_SAMPLE: &str = "data: This is a message\n\
                             data: This is another message\n\
                             event: custom-event\n\
                             data: {\"key\": \"value\"}\n";

/// Checks `count_events` on each `(stream, expected)` pair; `rule` says what the pairs test.
fn check_counts(cases: &[(&str, usize)], rule: &str) {
    use ex07_count_events::count_events;
    for &(stream, want) in cases {
        let yours = count_events(stream);
        assert_eq!(
            yours, want,
            "count_events({stream:?}) counted {yours} events, the spec dispatches {want}: {rule}"
        );
    }
}

#[test]
fn ch01_ex07_the_lessons_sample() {
    let sample_ended = format!("{LESSON_SAMPLE}\n");
    let sample_crlf = sample_ended.replace('\n', "\r\n");
    let sample_cr = sample_ended.replace('\n', "\r");
    // What the sample means to show: three events, each ended by a blank line.
    let three_events = LESSON_SAMPLE.replace("message\n", "message\n\n") + "\n";
    check_counts(
        &[
            (LESSON_SAMPLE, 0),
            (LESSON_SAMPLE.trim_end(), 0),
            (&sample_ended, 1),
            (&sample_crlf, 1),
            (&sample_cr, 1),
            (&three_events, 3),
        ],
        "the lesson's four lines are one event, dispatched only once a blank line follows them",
    );
}

#[test]
fn ch01_ex07_only_an_event_with_data_is_dispatched() {
    check_counts(
        &[
            ("data: x\n\n", 1),
            ("data\n\n", 1),
            ("data:\n\n", 1),
            ("data:\ndata:\n\n", 1),
            ("data: \u{e9}\n\ndata: \u{1f600}\n\n", 2),
            ("event: update\n\n", 0),
            ("id: 7\n\n", 0),
            ("retry: 3000\n\n", 0),
            (": keep-alive\n\n", 0),
            (":data\n\n", 0),
            ("Data: x\n\n", 0),
            ("DATA: x\n\n", 0),
            ("data : x\n\n", 0),
            (" data: x\n\n", 0),
            ("database: x\n\n", 0),
            ("\n\n\n\n", 0),
            ("data: a\n\n\n\n\n", 1),
            ("event: a\n\ndata: b\n\n", 1),
            ("data: a\n\nid: 2\n\nevent: x\n\ndata: b\n\n", 2),
            (": c\nid: 1\nevent: e\ndata: a\nretry: 5\n\n", 1),
        ],
        "a blank line dispatches an event only if a `data` field was seen since the previous one",
    );
}

#[test]
fn ch01_ex07_an_event_without_its_blank_line_is_never_dispatched() {
    check_counts(
        &[
            ("", 0),
            ("data: a", 0),
            ("data: a\n", 0),
            ("data: a\n\ndata: b", 1),
            ("data: a\n\ndata: b\n", 1),
            ("data: a\n\ndata: b\n\n", 2),
            ("data: 1\n\ndata: 2\n\nid: 3\ndata: 3\ndata: more", 2),
            ("\n\ndata: a", 0),
        ],
        "the text after the last blank line is an event the stream never finished",
    );
}

#[test]
fn ch01_ex07_every_line_ending() {
    check_counts(
        &[
            ("data: a\r\n\r\n", 1),
            ("data: a\r\r", 1),
            ("data: a\n\r", 1),
            ("data: a\r\n\n", 1),
            ("data: a\r\n", 0),
            ("data: a\r", 0),
            ("data: a\r\n\r\ndata: b\r\r\n", 2),
            ("data: a\rdata: b\r\rdata: c\n\n", 2),
            ("event: x\r\rdata: y\r\n\r\n", 1),
            ("data: \u{e9}\r\u{fc}\r\r", 1),
        ],
        "a line ends with CRLF, LF or CR, and CRLF is one line ending, not two",
    );
}

/// Lines a generated stream is made of.
const STREAM_LINES: &[&str] = &[
    "data: a",
    "data:\u{e9}",
    "data",
    "data:",
    "Data: no",
    "data : no",
    "event: x",
    "id: 1",
    "retry: 5",
    ": c",
    ":data",
    "",
    "",
    "",
];

/// The reference behaviour of `count_events`: how many events the `sse_format` parser dispatches
/// for the whole stream (an unfinished event is dropped when the stream ends).
fn reference_count(stream: &str) -> usize {
    sse_format::parse_all(stream.as_bytes())
        .into_iter()
        .filter(|frame| matches!(frame, Ok(sse_format::Frame::Event(_))))
        .count()
}

#[test]
fn ch01_ex07_agrees_with_the_reference_parser() {
    use ex07_count_events::count_events;
    let stream = (
        proptest::collection::vec(
            (
                proptest::sample::select(STREAM_LINES),
                proptest::sample::select(&["\n", "\r", "\r\n"][..]),
            ),
            0..14,
        ),
        any::<bool>(),
    )
        .prop_map(|(lines, ends_with_line_ending)| {
            let mut stream = String::new();
            for (line, ending) in &lines {
                stream.push_str(line);
                stream.push_str(ending);
            }
            if !ends_with_line_ending {
                // Cut the stream off after its last line, before its line ending.
                if let Some((_, ending)) = lines.last() {
                    stream.truncate(stream.len() - ending.len());
                }
            }
            stream
        });
    proptest!(property_config(), |(stream in stream)| {
        prop_assert_eq!(
            count_events(&stream),
            reference_count(&stream),
            "count_events({:?}): left = yours, right = the events the reference parser dispatches",
            stream
        );
    });
}

// ---------------------------------------------------------------- ex08: read a retry field

#[test]
fn ch01_ex08_ascii_digits_are_a_time() {
    use ex08_retry_value::reconnection_time;
    let max = u64::MAX.to_string();
    let past_max = "18446744073709551616";
    let forty_digits = "9".repeat(40);
    let forty_with_zeros = format!("{}1", "0".repeat(39));
    for (value, want) in [
        ("0", Some(0)),
        ("7", Some(7)),
        ("15", Some(15)),
        ("3000", Some(3000)),
        ("0042", Some(42)),
        ("18446744073709551614", Some(u64::MAX - 1)),
        (max.as_str(), Some(u64::MAX)),
        (past_max, Some(u64::MAX)),
        (forty_digits.as_str(), Some(u64::MAX)),
        (forty_with_zeros.as_str(), Some(1)),
    ] {
        let yours = reconnection_time(value);
        assert_eq!(
            yours, want,
            "reconnection_time({value:?}) gave {yours:?}, expected {want:?}: a value of ASCII \
             digits is a time in milliseconds, and one too large for a u64 is u64::MAX"
        );
    }
}

#[test]
fn ch01_ex08_anything_else_is_ignored() {
    use ex08_retry_value::reconnection_time;
    for value in [
        "",
        "+15",
        "-1",
        "-0",
        " 15",
        "15 ",
        "1 5",
        "1.5",
        "15.",
        "1_000",
        "15ms",
        "0x10",
        "1e3",
        "\u{661}\u{665}",
        "\u{ff11}\u{ff15}",
        "1\u{665}",
        "\u{b2}",
        "15\0",
        "\t15",
        "+18446744073709551616",
    ] {
        let yours = reconnection_time(value);
        assert_eq!(
            yours, None,
            "reconnection_time({value:?}) gave {yours:?}, expected None: only ASCII digits \
             `0`-`9`, at least one and nothing else, set the reconnection time"
        );
    }
}

/// The reference behaviour of `reconnection_time`, written from the contract: digits only, at
/// least one; leading zeros do not count towards the size; past twenty digits (or past
/// `u64::MAX`) the longest possible time.
fn reference_reconnection_time(value: &str) -> Option<u64> {
    if value.is_empty() || !value.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let significant = value.trim_start_matches('0');
    if significant.len() > 20 {
        return Some(u64::MAX);
    }
    let wide: u128 = significant.parse().unwrap_or(0);
    Some(u64::try_from(wide).unwrap_or(u64::MAX))
}

#[test]
fn ch01_ex08_agrees_with_the_contract_on_generated_values() {
    use ex08_retry_value::reconnection_time;
    const DIGITS: &[char] = &['0', '1', '5', '8', '9'];
    const MIXED: &[char] = &[
        '0', '1', '9', '+', '-', ' ', '.', 'e', '\u{661}', '\u{ff11}', '\u{b2}',
    ];
    let value = prop_oneof![
        text_of(DIGITS, 25),
        "[0-9]{18,22}",
        text_of(MIXED, 6),
        (text_of(DIGITS, 8), text_of(MIXED, 2), text_of(DIGITS, 8))
            .prop_map(|(a, b, c)| format!("{a}{b}{c}")),
        (
            proptest::sample::select(&["", "+", "-", " ", "\u{661}"][..]),
            text_of(DIGITS, 22),
            proptest::sample::select(&["", " ", ".5", "ms", "\u{ff15}"][..]),
        )
            .prop_map(|(before, digits, after)| format!("{before}{digits}{after}")),
    ];
    proptest!(property_config(), |(value in value)| {
        prop_assert_eq!(
            reconnection_time(&value),
            reference_reconnection_time(&value),
            "reconnection_time({:?}): left = yours, right = expected",
            value
        );
    });
}

// ---------------------------------------------------------------- ex09: where the naive parser breaks

/// Checks `first_breaking_split` on each `(stream, expected)` pair; `rule` says what the pairs test.
fn check_first_breaks(cases: &[(&str, Option<usize>)], rule: &str) {
    use ex09_naive_break::first_breaking_split;
    for &(stream, want) in cases {
        let yours = first_breaking_split(stream);
        assert_eq!(
            yours, want,
            "first_breaking_split({stream:?}) gave {yours:?}, expected {want:?} (the smallest byte \
             offset of a cut that changes the naive parser's events): {rule}"
        );
    }
}

#[test]
fn ch01_ex09_a_cut_inside_a_data_line_breaks_it() {
    check_first_breaks(
        &[
            ("data: hello\n\n", Some(1)),
            ("data: {\"content\":\"Hello\"}\n\n", Some(1)),
            ("event: x\ndata: a\n\n", Some(10)),
            (": keep-alive\ndata: {\"content\":\"Hi\"}\n\n", Some(14)),
            ("id: 1\n\ndata: x\n\n", Some(8)),
            ("\n\ndata: \n\n", Some(3)),
            ("retry: 10\nid: 2\nevent: e\ndata: z", Some(26)),
        ],
        "a cut inside the prefix of a data line (`d` | `ata: ...`) loses its event",
    );
}

#[test]
fn ch01_ex09_a_cut_can_also_create_an_event() {
    check_first_breaks(
        &[
            ("xdata: y\n\n", Some(1)),
            ("event: data: x\n\n", Some(7)),
            ("event: xdata: y\n\n", Some(8)),
            (": comment data: z\n\ndata: w\n\n", Some(10)),
            ("id: 1\nid: 2data: 3\n", Some(11)),
        ],
        "a second chunk that starts with `data: ` in the middle of a line is a data line to the \
         naive parser, so the cut makes an event the whole stream does not have",
    );
}

#[test]
fn ch01_ex09_no_cut_breaks_it() {
    check_first_breaks(
        &[
            ("", None),
            ("a", None),
            ("\n", None),
            ("\n\n", None),
            ("event: ping\n\n", None),
            (": keep-alive\n\n", None),
            ("id: 7\nevent: x\nretry: 10\n\n", None),
            ("data:compact\n\n", None),
            ("Data: x\n\n", None),
            ("event: a\ndata", None),
            ("\u{fc}", None),
            ("event: \u{fc}ber\n\n", None),
            ("\u{65e5}\u{672c}\u{8a9e}\n\n", None),
            (": \u{1f600}\n\n", None),
        ],
        "with no `data: ` in the stream and none that a cut can make, every cut gives the same \
         events",
    );
}

#[test]
fn ch01_ex09_offsets_count_bytes_on_character_boundaries() {
    check_first_breaks(
        &[
            ("\u{fc}\ndata: x\n\n", Some(4)),
            ("\u{fc}data: x\n\n", Some(2)),
            ("\u{65e5}\u{672c}\ndata: x\n\n", Some(8)),
            ("\u{1f600}data: x\n\n", Some(4)),
            (": \u{1f600}\ndata: \u{1f600}\n\n", Some(8)),
            ("event: \u{e9}\u{e8}\ndata: \u{f1}\n\n", Some(13)),
            ("data: \u{fc}ber\n\n", Some(1)),
        ],
        "offsets are counted in bytes (`\u{fc}` is two bytes, `\u{1f600}` four) and a cut never \
         falls inside a character",
    );
}

/// The reference behaviour of `first_breaking_split`, from the contract, on the course's naive
/// parser `sse_format::naive::naive_parse`.
fn reference_first_breaking_split(stream: &str) -> Option<usize> {
    let naive = |chunk: &str| sse_format::naive::naive_parse(&[chunk.as_bytes()]);
    let whole = naive(stream);
    (1..stream.len())
        .filter(|&at| stream.is_char_boundary(at))
        .find(|&at| {
            let mut split = naive(&stream[..at]);
            split.extend(naive(&stream[at..]));
            split != whole
        })
}

#[test]
fn ch01_ex09_agrees_with_the_contract_on_generated_streams() {
    use ex09_naive_break::first_breaking_split;
    const PIECES: &[&str] = &[
        "data: ",
        "data",
        "data:",
        ":",
        " ",
        "x",
        "event: ",
        "id: 1",
        "\n",
        "\n",
        "\u{fc}",
        "\u{1f600}",
        "\r",
    ];
    let stream = proptest::collection::vec(proptest::sample::select(PIECES), 0..10)
        .prop_map(|pieces| pieces.concat());
    proptest!(property_config(), |(stream in stream)| {
        prop_assert_eq!(
            first_breaking_split(&stream),
            reference_first_breaking_split(&stream),
            "first_breaking_split({:?}): left = yours, right = the first cut (in bytes) that \
             changes the naive parser's events",
            stream
        );
    });
}
