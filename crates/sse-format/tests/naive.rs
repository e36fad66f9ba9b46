//! The lesson's naive parser next to the spec parser: each test is one input it gets wrong.

use sse_format::naive::naive_parse;

/// The data of each event the spec parser dispatches, stopping at `[DONE]` like the naive one.
fn spec_data(chunks: &[&[u8]]) -> Vec<String> {
    let mut parser = sse_format::Parser::new();
    let mut out = Vec::new();
    for chunk in chunks {
        for frame in parser.feed(chunk) {
            if let Ok(sse_format::Frame::Event(event)) = frame {
                if event.data() == "[DONE]" {
                    return out;
                }
                out.push(event.into_data());
            }
        }
    }
    out
}

#[test]
fn both_agree_on_the_happy_path() {
    let chunks: &[&[u8]] = &[b"data: {\"a\":1}\n\ndata: {\"a\":2}\n\ndata: [DONE]\n\n"];
    assert_eq!(naive_parse(chunks), spec_data(chunks));
    assert_eq!(naive_parse(chunks), [r#"{"a":1}"#, r#"{"a":2}"#]);
}

#[test]
fn naive_breaks_a_line_split_across_chunks() {
    let chunks: &[&[u8]] = &[b"data: {\"content\":\"Hel", b"lo\"}\n\n"];
    assert_eq!(naive_parse(chunks), [r#"{"content":"Hel"#]);
    assert_eq!(spec_data(chunks), [r#"{"content":"Hello"}"#]);
}

#[test]
fn naive_loses_a_line_whose_prefix_is_split() {
    let chunks: &[&[u8]] = &[b"data: a\n\nda", b"ta: b\n\n"];
    assert_eq!(naive_parse(chunks), ["a"]);
    assert_eq!(spec_data(chunks), ["a", "b"]);
}

#[test]
fn naive_corrupts_a_character_split_across_chunks() {
    let bytes = "data: \u{fc}ber\n\n".as_bytes(); // ü is two bytes: C3 BC
    let chunks: &[&[u8]] = &[&bytes[..7], &bytes[7..]];
    assert_eq!(naive_parse(chunks), ["\u{fffd}"]);
    assert_eq!(spec_data(chunks), ["\u{fc}ber"]);
}

#[test]
fn naive_keeps_the_cr_of_crlf() {
    let chunks: &[&[u8]] = &[b"data: a\r\n\r\n"];
    assert_eq!(naive_parse(chunks), ["a\r"]);
    assert_eq!(spec_data(chunks), ["a"]);
}

#[test]
fn naive_does_not_see_cr_line_endings() {
    let chunks: &[&[u8]] = &[b"data: a\r\rdata: b\r\r"];
    assert_eq!(naive_parse(chunks), ["a\r\rdata: b\r\r"]);
    assert_eq!(spec_data(chunks), ["a", "b"]);
}

#[test]
fn naive_ignores_data_without_a_space() {
    let chunks: &[&[u8]] = &[b"data:compact\n\n"];
    assert!(naive_parse(chunks).is_empty());
    assert_eq!(spec_data(chunks), ["compact"]);
}

#[test]
fn naive_splits_multi_line_data_into_messages() {
    let chunks: &[&[u8]] = &[b"data: line 1\ndata: line 2\n\n"];
    assert_eq!(naive_parse(chunks), ["line 1", "line 2"]);
    assert_eq!(spec_data(chunks), ["line 1\nline 2"]);
}

#[test]
fn naive_emits_an_event_that_never_completed() {
    let chunks: &[&[u8]] = &[b"data: a\n\ndata: cut off\n"];
    assert_eq!(naive_parse(chunks), ["a", "cut off"]);
    assert_eq!(spec_data(chunks), ["a"]);
}

#[test]
fn naive_cannot_tell_event_types_apart() {
    // Anthropic-style typed events: the type lives in the `event:` line the naive parser drops.
    let chunks: &[&[u8]] = &[b"event: ping\ndata: {}\n\nevent: delta\ndata: {}\n\n"];
    assert_eq!(naive_parse(chunks), ["{}", "{}"]);
    let mut parser = sse_format::Parser::new();
    let types: Vec<_> = parser
        .feed(chunks[0])
        .filter_map(|f| match f {
            Ok(sse_format::Frame::Event(e)) => Some(e.event_type().to_owned()),
            _ => None,
        })
        .collect();
    assert_eq!(types, ["ping", "delta"]);
}
