//! The encoder writes exact bytes and refuses field injection.

use std::time::Duration;

use sse_format::{EncodeError, Event};

fn wire(event: &Event) -> String {
    String::from_utf8(event.to_bytes().unwrap()).unwrap()
}

#[test]
fn data_only() {
    assert_eq!(wire(&Event::new().data("hi")), "data: hi\n\n");
}

#[test]
fn all_fields_in_order() {
    let event = Event::new()
        .comment("c")
        .event("e")
        .id("7")
        .retry(Duration::from_millis(2500))
        .data("d");
    assert_eq!(
        wire(&event),
        ": c\nevent: e\nid: 7\nretry: 2500\ndata: d\n\n"
    );
}

#[test]
fn every_line_ending_in_data_becomes_a_data_line() {
    assert_eq!(
        wire(&Event::new().data("a\nb\r\nc\rd")),
        "data: a\ndata: b\ndata: c\ndata: d\n\n"
    );
}

#[test]
fn empty_and_trailing_lines_survive() {
    assert_eq!(wire(&Event::new().data("")), "data:\n\n");
    assert_eq!(wire(&Event::new().data("a\n")), "data: a\ndata:\n\n");
}

#[test]
fn leading_space_in_a_value_is_kept() {
    assert_eq!(wire(&Event::new().data(" x")), "data:  x\n\n");
}

#[test]
fn multi_line_comment_stays_a_comment() {
    assert_eq!(
        wire(&Event::new().comment("a\ndata: no")),
        ": a\n: data: no\n\n"
    );
}

#[test]
fn event_type_with_a_line_break_is_refused() {
    let error = Event::new()
        .event("x\ndata: evil")
        .data("d")
        .to_bytes()
        .unwrap_err();
    assert_eq!(
        error,
        EncodeError::EventTypeHasLineBreak("x\ndata: evil".into())
    );
    assert!(error.to_string().contains("inject"));
}

#[test]
fn id_with_a_line_break_or_nul_is_refused() {
    assert!(matches!(
        Event::new().id("1\rretry: 0").to_bytes(),
        Err(EncodeError::IdHasLineBreak(_))
    ));
    assert!(matches!(
        Event::new().id("1\0").to_bytes(),
        Err(EncodeError::IdHasNul(_))
    ));
}

#[test]
fn refused_event_writes_nothing() {
    let mut out = b"kept".to_vec();
    assert!(Event::new().data("ok").id("a\nb").encode(&mut out).is_err());
    assert_eq!(out, b"kept");
}
