//! Parser throughput on three corpora and three chunk sizes, next to the `eventsource-stream` crate.
//!
//! Run: `cargo bench -p sse-format --bench parse` (about 6 minutes; filter with e.g. `-- tiny`).
//! The book's table in chapter 1 ("Performance") comes from this benchmark.

use std::convert::Infallible;
use std::hint::black_box;
use std::time::Duration;

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use eventsource_stream::Eventsource;
use futures::{StreamExt, executor::block_on, stream};
use sse_format::{Frame, Parser};

/// 6,000 OpenAI Chat Completions chunk events, shaped like real ones (about 280 bytes each).
fn ai_chunks() -> Vec<u8> {
    let words = [
        "Server",
        "-sent",
        " events",
        " stream",
        " tokens",
        " over",
        " one",
        " HTTP",
        " response",
        ".",
    ];
    let mut out = Vec::new();
    for i in 0..6000 {
        let word = words[i % words.len()];
        out.extend_from_slice(
            format!(
                "data: {{\"id\":\"chatcmpl-CiR7w1Jq0bX3mYtF5sKpD9vLz2NaE\",\"object\":\"chat.completion.chunk\",\"created\":1764590612,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_8bfc6a7dc2\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{word}\"}},\"logprobs\":null,\"finish_reason\":null}}],\"obfuscation\":\"nMo6sFSY{i:05}\"}}\n\n"
            )
            .as_bytes(),
        );
    }
    out.extend_from_slice(b"data: [DONE]\n\n");
    out
}

/// 1,000,000 tiny events: `data: x`.
fn tiny_events() -> Vec<u8> {
    b"data: x\n\n".repeat(1_000_000)
}

/// 1,000 events of 100 data lines of 256 bytes each.
fn long_lines() -> Vec<u8> {
    let line: String = std::iter::repeat_n("0123456789abcdef", 16).collect();
    let mut event = String::new();
    for _ in 0..100 {
        event.push_str("data: ");
        event.push_str(&line);
        event.push('\n');
    }
    event.push('\n');
    event.repeat(1000).into_bytes()
}

fn parse_with_sse_format(corpus: &[u8], chunk: usize) -> usize {
    let mut parser = Parser::new();
    let mut events = 0;
    for piece in corpus.chunks(chunk) {
        for frame in parser.feed(piece) {
            if let Ok(Frame::Event(event)) = frame {
                events += 1;
                black_box(event);
            }
        }
    }
    let _ = parser.finish();
    events
}

fn parse_with_sse_format_borrowed(corpus: &[u8], chunk: usize) -> usize {
    let mut parser = Parser::new();
    let mut events = 0;
    for piece in corpus.chunks(chunk) {
        parser.feed_with(piece, |frame| {
            if let Ok(sse_format::FrameRef::Event(event)) = frame {
                events += 1;
                black_box(event);
            }
        });
    }
    let _ = parser.finish();
    events
}

fn parse_with_sse_format_stream(corpus: &'static [u8], chunk: usize) -> usize {
    let chunks = stream::iter(
        corpus
            .chunks(chunk)
            .map(|c| Ok::<_, Infallible>(Bytes::from_static(c))),
    );
    block_on(
        sse_format::EventStream::new(chunks).fold(0, |n, frame| async move {
            black_box(&frame);
            n + usize::from(matches!(frame, Ok(Frame::Event(_))))
        }),
    )
}

fn parse_with_eventsource_stream(corpus: &'static [u8], chunk: usize) -> usize {
    let chunks = stream::iter(
        corpus
            .chunks(chunk)
            .map(|c| Ok::<_, Infallible>(Bytes::from_static(c))),
    );
    block_on(chunks.eventsource().fold(0, |n, event| async move {
        black_box(&event);
        n + usize::from(event.is_ok())
    }))
}

fn bench(c: &mut Criterion) {
    let corpora: [(&str, &'static [u8], usize); 3] = [
        ("ai_chunks", Box::leak(ai_chunks().into_boxed_slice()), 6001),
        (
            "tiny_events",
            Box::leak(tiny_events().into_boxed_slice()),
            1_000_000,
        ),
        (
            "long_lines",
            Box::leak(long_lines().into_boxed_slice()),
            1000,
        ),
    ];
    for (name, corpus, expected) in corpora {
        // Both parsers must agree on what they parse, or the comparison means nothing.
        assert_eq!(parse_with_sse_format(corpus, 16 * 1024), expected);
        assert_eq!(parse_with_sse_format_borrowed(corpus, 64), expected);
        assert_eq!(parse_with_eventsource_stream(corpus, 16 * 1024), expected);
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(corpus.len() as u64));
        group.sample_size(10);
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(2));
        for (label, chunk) in [("16KiB", 16 * 1024), ("64B", 64), ("1B", 1)] {
            group.bench_with_input(
                BenchmarkId::new("sse-format", label),
                &chunk,
                |b, &chunk| b.iter(|| parse_with_sse_format(corpus, chunk)),
            );
            group.bench_with_input(
                BenchmarkId::new("sse-format-borrowed", label),
                &chunk,
                |b, &chunk| b.iter(|| parse_with_sse_format_borrowed(corpus, chunk)),
            );
            group.bench_with_input(
                BenchmarkId::new("sse-format-stream", label),
                &chunk,
                |b, &chunk| b.iter(|| parse_with_sse_format_stream(corpus, chunk)),
            );
            group.bench_with_input(
                BenchmarkId::new("eventsource-stream", label),
                &chunk,
                |b, &chunk| b.iter(|| parse_with_eventsource_stream(corpus, chunk)),
            );
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
