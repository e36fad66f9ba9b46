//! The project's conformance suite: one test per rule of WHATWG HTML "Server-sent events"
//! (§ Parsing an event stream, § Interpreting an event stream), named after the rule. Every input is
//! also parsed one byte at a time, and must give the same answer.

mod common;
use common::{parse, parse_bytewise};

/// Asserts the frames for `input`, whole and byte by byte.
fn check(input: &[u8], expected: &[&str]) {
    assert_eq!(parse(input), expected, "whole input {input:?}");
    assert_eq!(parse_bytewise(input), expected, "byte by byte {input:?}");
}

// --- Decoding ---

#[test]
fn stream_is_decoded_as_utf8() {
    check(
        "data: caf\u{e9} \u{2603}\n\n".as_bytes(),
        &["message|caf\u{e9} \u{2603}|"],
    );
}

#[test]
fn invalid_utf8_becomes_replacement_character() {
    check(
        b"data: a\xffb\xe2\x82\n\n",
        &["message|a\u{fffd}b\u{fffd}|"],
    );
}

#[test]
fn one_leading_bom_is_stripped() {
    check(b"\xef\xbb\xbfdata: x\n\n", &["message|x|"]);
}

#[test]
fn a_second_bom_is_part_of_the_field_name() {
    check(
        b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\ndata: y\n\n",
        &["message|y|"],
    );
}

#[test]
fn bom_later_in_the_stream_is_not_stripped() {
    check(b"data: 1\n\n\xef\xbb\xbfdata: 2\n\n", &["message|1|"]);
}

#[test]
fn partial_bom_is_line_content() {
    check(b"\xef\xbbdata: x\n\ndata: y\n\n", &["message|y|"]);
}

// --- Line endings ---

#[test]
fn lf_ends_a_line() {
    check(b"data: a\n\n", &["message|a|"]);
}

#[test]
fn cr_ends_a_line() {
    check(b"data: a\r\r", &["message|a|"]);
}

#[test]
fn crlf_is_one_line_ending() {
    check(b"data: a\r\n\r\n", &["message|a|"]);
}

#[test]
fn mixed_line_endings_in_one_stream() {
    check(
        b"data: a\rdata: b\ndata: c\r\n\r\ndata: d\n\r",
        &["message|a\nb\nc|", "message|d|"],
    );
}

#[test]
fn lf_cr_is_two_line_endings() {
    // "\n\r" is an LF (end of line) followed by a CR (a blank line).
    check(b"data: a\n\r", &["message|a|"]);
}

#[test]
fn crlf_split_across_chunks_is_one_line_ending() {
    let mut parser = sse_format::Parser::new();
    let got = common::parse_pieces(&mut parser, &[b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]);
    assert_eq!(got, ["message|a\nb|"]);
}

// --- Lines ---

#[test]
fn blank_line_dispatches() {
    check(b"data: a\n\ndata: b\n\n", &["message|a|", "message|b|"]);
}

#[test]
fn line_starting_with_colon_is_a_comment() {
    check(b": hello\ndata: a\n:\n\n", &["message|a|"]);
}

#[test]
fn field_and_value_split_at_first_colon() {
    check(b"data: a:b: c\n\n", &["message|a:b: c|"]);
}

#[test]
fn one_leading_space_is_removed_from_the_value() {
    check(b"data:  two spaces\n\n", &["message| two spaces|"]);
}

#[test]
fn no_space_after_colon_is_fine() {
    check(b"data:x\n\n", &["message|x|"]);
}

#[test]
fn tab_after_colon_is_kept() {
    check(b"data:\tx\n\n", &["message|\tx|"]);
}

#[test]
fn line_without_colon_is_a_field_with_empty_value() {
    check(b"data\n\n", &["message||"]);
}

#[test]
fn field_names_are_case_sensitive() {
    check(b"Data: x\nDATA: y\ndata: z\n\n", &["message|z|"]);
}

#[test]
fn unknown_fields_are_ignored() {
    check(b"foo: bar\ndata: x\nda-ta: y\n\n", &["message|x|"]);
}

#[test]
fn leading_space_before_the_field_name_makes_it_unknown() {
    check(b" data: x\ndata: y\n\n", &["message|y|"]);
}

// --- data ---

#[test]
fn data_lines_are_joined_with_lf() {
    check(b"data: a\ndata: b\ndata: c\n\n", &["message|a\nb\nc|"]);
}

#[test]
fn empty_data_line_dispatches_empty_data() {
    check(b"data\n\ndata:\n\n", &["message||", "message||"]);
}

#[test]
fn two_empty_data_lines_give_one_lf() {
    check(b"data\ndata\n\n", &["message|\n|"]);
}

#[test]
fn only_the_final_lf_is_removed() {
    check(b"data: a\ndata\n\n", &["message|a\n|"]);
}

#[test]
fn nul_in_data_is_kept() {
    check(b"data: \0\n\n", &["message|\0|"]);
}

#[test]
fn empty_data_buffer_dispatches_nothing() {
    check(b"event: x\n\nid: 1\n\n: only a comment\n\n\n\n", &[]);
}

// --- event ---

#[test]
fn event_type_defaults_to_message() {
    check(b"data: x\n\n", &["message|x|"]);
}

#[test]
fn event_field_sets_the_type() {
    check(b"event: add\ndata: x\n\n", &["add|x|"]);
}

#[test]
fn last_event_field_wins() {
    check(b"event: a\nevent: b\ndata: x\n\n", &["b|x|"]);
}

#[test]
fn empty_event_type_means_message() {
    check(b"event:\ndata: x\n\n", &["message|x|"]);
}

#[test]
fn event_type_is_reset_after_dispatch() {
    check(
        b"event: add\ndata: 1\n\ndata: 2\n\n",
        &["add|1|", "message|2|"],
    );
}

#[test]
fn event_type_is_reset_even_when_nothing_is_dispatched() {
    check(b"event: add\n\ndata: 2\n\n", &["message|2|"]);
}

#[test]
fn explicit_message_type_equals_the_default() {
    let frames = sse_format::parse_all(b"event: message\ndata: x\n\n");
    let expected = sse_format::MessageEvent::new("", "x", "");
    assert_eq!(frames, [Ok(sse_format::Frame::Event(expected))]);
}

// --- id ---

#[test]
fn id_sets_last_event_id() {
    check(b"id: 7\ndata: x\n\n", &["message|x|7"]);
}

#[test]
fn id_persists_across_events() {
    check(
        b"id: 7\ndata: a\n\ndata: b\n\n",
        &["message|a|7", "message|b|7"],
    );
}

#[test]
fn empty_id_resets_last_event_id() {
    check(
        b"id: 7\ndata: a\n\nid\ndata: b\n\n",
        &["message|a|7", "message|b|"],
    );
}

#[test]
fn id_containing_nul_is_ignored() {
    check(
        b"id: 1\ndata: a\n\nid: 2\0\ndata: b\n\n",
        &["message|a|1", "message|b|1"],
    );
}

#[test]
fn id_without_data_updates_last_event_id_at_the_blank_line() {
    check(b"id: 5\n\ndata: x\n\n", &["message|x|5"]);
    let mut parser = sse_format::Parser::new();
    let _ = parser.feed(b"id: 5\n").count();
    assert_eq!(parser.last_event_id(), "", "not before the blank line");
    let _ = parser.feed(b"\n").count();
    assert_eq!(parser.last_event_id(), "5");
}

#[test]
fn id_of_an_unfinished_event_is_not_kept() {
    let mut parser = sse_format::Parser::new();
    let _ = parser.feed(b"id: 1\ndata: a\n\nid: 2\ndata: b\n").count();
    assert!(parser.finish(), "the stream was cut mid-event");
    assert_eq!(parser.last_event_id(), "1");
    let got: Vec<_> = parser
        .feed(b"data: c\n\n")
        .map(|f| common::show(&f))
        .collect();
    assert_eq!(got, ["message|c|1"]);
}

// --- retry ---

#[test]
fn retry_with_digits_sets_reconnection_time() {
    check(b"retry: 1500\n", &["retry=1500"]);
}

#[test]
fn retry_is_base_ten_with_leading_zeros() {
    check(b"retry: 0010\n", &["retry=10"]);
}

#[test]
fn retry_with_non_digits_is_ignored() {
    check(
        b"retry: 1.5\nretry: -1\nretry: 10 \nretry: x\nretry: +5\n",
        &[],
    );
}

#[test]
fn empty_retry_is_ignored() {
    check(b"retry\nretry:\n", &[]);
}

#[test]
fn huge_retry_saturates() {
    check(
        b"retry: 99999999999999999999999\n",
        &[&format!("retry={}", u64::MAX)],
    );
}

#[test]
fn retry_is_reported_in_stream_order() {
    check(
        b"data: a\n\nretry: 5\ndata: b\n\n",
        &["message|a|", "retry=5", "message|b|"],
    );
}

// --- end of stream ---

#[test]
fn unfinished_event_at_end_of_stream_is_discarded() {
    check(b"data: a\n\ndata: b\n", &["message|a|"]);
    check(b"data: a\n\ndata: b", &["message|a|"]);
}

#[test]
fn finish_reports_whether_an_event_was_cut() {
    let mut parser = sse_format::Parser::new();
    let _ = parser.feed(b"data: a\n\n").count();
    assert!(!parser.finish());
    let _ = parser.feed(b"data: b").count();
    assert!(parser.finish());
}

#[test]
fn finish_starts_a_new_stream() {
    let mut parser = sse_format::Parser::new();
    let _ = parser.feed(b"data: cut").count();
    let _ = parser.finish();
    // The new stream may begin with a BOM again, and nothing of the cut event leaks into it.
    let got: Vec<_> = parser
        .feed(b"\xef\xbb\xbfdata: x\n\n")
        .map(|f| common::show(&f))
        .collect();
    assert_eq!(got, ["message|x|"]);
}

#[test]
fn empty_chunks_change_nothing() {
    let mut parser = sse_format::Parser::new();
    let got = common::parse_pieces(
        &mut parser,
        &[
            b"",
            b"\xef",
            b"",
            b"\xbb\xbf",
            b"",
            b"data: a\r",
            b"",
            b"\n",
            b"",
            b"\n",
            b"",
        ],
    );
    assert_eq!(got, ["message|a|"]);
}

#[test]
fn utf8_character_split_across_chunks() {
    let input = "data: \u{1f600}\u{e9}\n\n".as_bytes();
    for split in 0..input.len() {
        let mut parser = sse_format::Parser::new();
        let got = common::parse_pieces(&mut parser, &[&input[..split], &input[split..]]);
        assert_eq!(got, ["message|\u{1f600}\u{e9}|"], "split at {split}");
    }
}

#[test]
fn unread_frames_stay_queued() {
    let mut parser = sse_format::Parser::new();
    let _ = parser.feed(b"data: a\n\ndata: b\n\n");
    let got: Vec<_> = parser
        .feed(b"data: c\n\n")
        .map(|f| common::show(&f))
        .collect();
    assert_eq!(got, ["message|a|", "message|b|", "message|c|"]);
}

/// Regression: a `data:` line cut by the end of the stream after it had started streaming into the
/// data buffer (in a chunk after the first) was still being continued after `finish`.
#[test]
fn finish_mid_data_line_forgets_the_line() {
    for cut in [&b"data: cut"[..], b"data:", b"data: cut\r\ndata: more"] {
        let mut parser = sse_format::Parser::new();
        let _ = parser.feed(b"data: first\n\n").count();
        let _ = parser.feed(cut).count();
        assert!(parser.finish(), "{cut:?}: the stream was cut mid-line");
        let mut got: Vec<_> = parser.feed(b"x\n\n").map(|f| common::show(&f)).collect();
        got.extend(parser.feed(b"data: y\n\n").map(|f| common::show(&f)));
        assert_eq!(
            got,
            ["message|y|"],
            "{cut:?}: left = parsed, right = expected"
        );
    }
}
