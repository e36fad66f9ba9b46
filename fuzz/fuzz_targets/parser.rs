//! The parser fed one input in arbitrary splits must produce exactly what it produces for the
//! whole input at once, through both APIs (`feed` and the borrowed `feed_with`), and never panic.
//!
//! Input: one control byte (chunk-size pattern and limits), then the stream.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sse_format::{Frame, Limits, ParseError, Parser};

fn limits(control: u8) -> Limits {
    if control & 0x80 != 0 {
        // Tiny limits, to reach the error paths.
        let limit = usize::from(control & 0x3f) * 4 + 1;
        Limits::default().max_line_len(limit).max_event_size(limit * 2)
    } else {
        Limits::default()
    }
}

fn whole(input: &[u8], limits: Limits) -> (Vec<Result<Frame, ParseError>>, bool) {
    let mut parser = Parser::with_limits(limits);
    let frames = parser.feed(input).collect();
    (frames, parser.finish())
}

fn split(input: &[u8], limits: Limits, control: u8) -> (Vec<Result<Frame, ParseError>>, bool) {
    let mut parser = Parser::with_limits(limits);
    let mut frames = Vec::new();
    // A small linear congruential sequence of chunk sizes (0 included: empty chunks are legal).
    let mut state = u32::from(control) | 1;
    let mut rest = input;
    while !rest.is_empty() {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let size = ((state >> 16) % 9) as usize;
        let (chunk, tail) = rest.split_at(size.min(rest.len()));
        frames.extend(parser.feed(chunk));
        rest = tail;
    }
    (frames, parser.finish())
}

fn borrowed(input: &[u8], limits: Limits) -> (Vec<Result<Frame, ParseError>>, bool) {
    let mut parser = Parser::with_limits(limits);
    let mut frames = Vec::new();
    for byte in input.chunks(1) {
        parser.feed_with(byte, |frame| {
            frames.push(frame.map(|frame| frame.to_owned()))
        });
    }
    (frames, parser.finish())
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, input)) = data.split_first() else {
        return;
    };
    let limits = limits(control);
    let expected = whole(input, limits);
    assert_eq!(split(input, limits, control), expected, "feed in chunks");
    assert_eq!(borrowed(input, limits), expected, "feed_with byte by byte");
});
