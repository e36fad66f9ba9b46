//! Helpers shared by the integration tests.
#![allow(dead_code)]

use sse_format::{Frame, ParseError, Parser};

/// A frame written compactly for assertions: `"type|data|id"` or `"retry=N"` or `"error: ..."`.
pub fn show(frame: &Result<Frame, ParseError>) -> String {
    match frame {
        Ok(Frame::Event(e)) => format!("{}|{}|{}", e.event_type(), e.data(), e.last_event_id()),
        Ok(Frame::Retry(t)) => format!("retry={}", t.as_millis()),
        Ok(other) => format!("other: {other:?}"),
        Err(e) => format!("error: {e}"),
    }
}

/// Parses `input` fed in the given pieces, then finishes the stream.
pub fn parse_pieces(parser: &mut Parser, pieces: &[&[u8]]) -> Vec<String> {
    let mut out = Vec::new();
    for piece in pieces {
        out.extend(parser.feed(piece).map(|f| show(&f)));
    }
    let _ = parser.finish();
    out
}

/// Parses a whole input in one piece.
pub fn parse(input: &[u8]) -> Vec<String> {
    parse_pieces(&mut Parser::new(), &[input])
}

/// Parses one byte at a time.
pub fn parse_bytewise(input: &[u8]) -> Vec<String> {
    let pieces: Vec<&[u8]> = input.chunks(1).collect();
    parse_pieces(&mut Parser::new(), &pieces)
}
