//! Parser and encoder throughput next to the other public Rust SSE crates, printed as one table.
//!
//! Run: `cargo bench -p ssekit-format --bench parse` (2 to 8 minutes on a shared 2-core machine).
//! Filter rows with a word, e.g. `cargo bench -p ssekit-format --bench parse -- tiny`; set
//! `SSE_BENCH_ROUNDS` (default 11) for more or fewer rounds, and `SSE_BENCH_ONLY=feed_with` to
//! check and time only the columns whose name contains that word (for a profiler). The book's
//! table in chapter 1 ("Performance") comes from this bench.
//!
//! Method: every parser runs on the same corpus, cut into the same chunks, and must report the same
//! number of events and data bytes before it is timed (or the comparison means nothing); that
//! check also warms the caches. One sample runs a parser over the whole corpus as often as fits in
//! about 0.2 s of the thread's CPU time (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)` on Unix, exact to
//! the nanosecond; wall-clock time elsewhere; `SSE_BENCH_SAMPLE_MS` changes the 0.2 s), so time
//! spent waiting for a core on a busy machine does not count. The parsers take turns, round after
//! round, so a noisy neighbour hurts them alike; each figure is the median of the rounds, and each
//! ratio is the median of the ratios within a round (a parser against the fastest baseline of the
//! same round, sampled a second or two apart), which a neighbour's load changing from one round to
//! the next moves much less than the MB/s figures. Every consumer counts the events and adds up
//! the length of their data, so the data must really be there.
//!
//! The "ceiling" column is the speed of `memchr::memchr_iter(b'\n', corpus).count()`: one
//! vectorised pass that only counts line feeds, a bound no parser that looks at every byte beats by
//! much. It does not depend on the chunk size.
//!
//! This is a bench binary rather than criterion so that it can print the comparison table with its
//! ratios; criterion's per-benchmark reports do not line up rows from different parsers.

use std::convert::Infallible;
use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures::{StreamExt, executor::block_on, stream};

/// One corpus: its name in the table, its bytes, and how many events it holds.
struct Corpus {
    name: &'static str,
    bytes: &'static [u8],
    events: usize,
}

/// 50,000 OpenAI Chat Completions chunk events, shaped like real ones (about 290 bytes each), and
/// the closing `[DONE]`.
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
    for i in 0..50_000 {
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

/// 1,000 events of 100 data lines of 1,000 bytes each (100 MB).
fn long_lines() -> Vec<u8> {
    let line: String = std::iter::repeat_n("0123456789abcdefghijklmnopqrstuvwxyz-_", 27)
        .collect::<String>()[..1000]
        .to_owned();
    let mut event = String::new();
    for _ in 0..100 {
        event.push_str("data: ");
        event.push_str(&line);
        event.push('\n');
    }
    event.push('\n');
    event.repeat(1000).into_bytes()
}

/// 1,000,000 tiny events: `data: x`.
fn tiny_events() -> Vec<u8> {
    b"data: x\n\n".repeat(1_000_000)
}

/// 300,000 events with an `id`, an `event` type and a small JSON payload, as a resumable
/// notification feed sends them.
fn id_events() -> Vec<u8> {
    let kinds = ["created", "updated", "deleted"];
    let mut out = Vec::new();
    for i in 0..300_000 {
        out.extend_from_slice(
            format!(
                "id: {}\nevent: {}\ndata: {{\"seq\":{i},\"user\":\"u{}\",\"ok\":true}}\n\n",
                1_000_000 + i,
                kinds[i % 3],
                i % 977
            )
            .as_bytes(),
        );
    }
    out
}

/// What a consumer saw: events and the total length of their data.
type Seen = (usize, usize);

fn sse_format_feed(corpus: &[u8], chunk: usize) -> Seen {
    let mut parser = sse_format::Parser::new();
    let (mut events, mut bytes) = (0, 0);
    for piece in corpus.chunks(chunk) {
        for frame in parser.feed(piece) {
            if let Ok(sse_format::Frame::Event(event)) = frame {
                events += 1;
                bytes += event.data().len();
                black_box(event);
            }
        }
    }
    let _ = parser.finish();
    (events, bytes)
}

fn sse_format_feed_with(corpus: &[u8], chunk: usize) -> Seen {
    let mut parser = sse_format::Parser::new();
    let (mut events, mut bytes) = (0, 0);
    for piece in corpus.chunks(chunk) {
        parser.feed_with(piece, |frame| {
            if let Ok(sse_format::FrameRef::Event(event)) = frame {
                events += 1;
                bytes += event.data().len();
                black_box(event);
            }
        });
    }
    let _ = parser.finish();
    (events, bytes)
}

fn sse_format_stream(corpus: &'static [u8], chunk: usize) -> Seen {
    let chunks = stream::iter(
        corpus
            .chunks(chunk)
            .map(|c| Ok::<_, Infallible>(Bytes::from_static(c))),
    );
    block_on(
        sse_format::EventStream::new(chunks).fold((0, 0), |(n, b), frame| async move {
            match frame {
                Ok(sse_format::Frame::Event(event)) => (n + 1, b + black_box(event).data().len()),
                _ => (n, b),
            }
        }),
    )
}

/// sse-core's push decoder, its fastest API: no stream adapter in the way.
fn sse_core(corpus: &[u8], chunk: usize) -> Seen {
    let mut decoder = sse_core::SseDecoder::new();
    let (mut events, mut bytes) = (0, 0);
    for mut piece in corpus.chunks(chunk) {
        while let Some(event) = decoder.next(&mut piece) {
            if let Ok(sse_core::SseEvent::Message(event)) = event {
                events += 1;
                bytes += event.data.len();
                black_box(event);
            }
        }
    }
    (events, bytes)
}

/// sse-stream's only public parser is its `Stream` over byte buffers.
fn sse_stream(corpus: &'static [u8], chunk: usize) -> Seen {
    let chunks = stream::iter(
        corpus
            .chunks(chunk)
            .map(|c| Ok::<_, std::io::Error>(Bytes::from_static(c))),
    );
    block_on(
        sse_stream::SseByteStream::new(chunks).fold((0, 0), |(n, b), event| async move {
            match event {
                Ok(event) => (
                    n + 1,
                    b + black_box(event).data.as_ref().map_or(0, String::len),
                ),
                Err(_) => (n, b),
            }
        }),
    )
}

/// sseer's `EventStream` over byte buffers (its only parser API that takes chunks).
fn sseer(corpus: &'static [u8], chunk: usize) -> Seen {
    let chunks = stream::iter(
        corpus
            .chunks(chunk)
            .map(|c| Ok::<_, std::io::Error>(Bytes::from_static(c))),
    );
    block_on(
        sseer::EventStream::new(chunks).fold((0, 0), |(n, b), event| async move {
            match event {
                Ok(event) => (n + 1, b + black_box(event).data.len()),
                Err(_) => (n, b),
            }
        }),
    )
}

fn eventsource_stream(corpus: &'static [u8], chunk: usize) -> Seen {
    use eventsource_stream::Eventsource;
    let chunks = stream::iter(
        corpus
            .chunks(chunk)
            .map(|c| Ok::<_, Infallible>(Bytes::from_static(c))),
    );
    block_on(
        chunks
            .eventsource()
            .fold((0, 0), |(n, b), event| async move {
                match event {
                    Ok(event) => (n + 1, b + black_box(event).data.len()),
                    Err(_) => (n, b),
                }
            }),
    )
}

/// The ceiling: count line feeds with one vectorised pass, parse nothing.
fn memchr_ceiling(corpus: &[u8], _chunk: usize) -> Seen {
    (memchr::memchr_iter(b'\n', corpus).count(), 0)
}

type ParseFn = fn(&'static [u8], usize) -> Seen;

/// The columns of the parse table, in order.
const PARSERS: [(&str, ParseFn); 8] = [
    ("ceiling", memchr_ceiling),
    ("eventsource-stream 0.2", eventsource_stream),
    ("sse-stream 0.3", sse_stream),
    ("sse-core 0.2", sse_core),
    ("sseer 0.3", sseer),
    ("`feed`", sse_format_feed),
    ("`feed_with`", sse_format_feed_with),
    ("`EventStream`", sse_format_stream),
];
/// The columns that are the baselines to beat (the fastest of them per row).
const BASELINES: [&str; 3] = ["sse-stream 0.3", "sse-core 0.2", "sseer 0.3"];

/// The CPU time this thread has run, from `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`: time spent
/// waiting for a core does not count, so the figures hold up on a machine shared with other work.
/// It is exact to the nanosecond (Linux's `/proc/thread-self/schedstat`, used before, moved only at
/// scheduler ticks, so samples came out in steps). Elsewhere the bench falls back to wall-clock
/// time.
#[cfg(unix)]
fn cpu_time() -> Option<Duration> {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Some(Duration::new(
        u64::try_from(now.tv_sec).ok()?,
        u32::try_from(now.tv_nsec).ok()?,
    ))
}

#[cfg(not(unix))]
fn cpu_time() -> Option<Duration> {
    None
}

/// How long one sample runs a parser, in CPU time (`SSE_BENCH_SAMPLE_MS`, default 200).
fn sample_time() -> Duration {
    let ms = std::env::var("SSE_BENCH_SAMPLE_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .filter(|&ms| ms > 0)
        .unwrap_or(200);
    Duration::from_millis(ms)
}

/// Runs `run` for about `target` of CPU time and returns its speed in MB/s (10^6 bytes per
/// second).
fn sample(bytes: usize, target: Duration, mut run: impl FnMut()) -> f64 {
    let wall = Instant::now();
    let cpu = cpu_time();
    let elapsed = || match (cpu, cpu_time()) {
        (Some(start), Some(now)) => now.saturating_sub(start),
        _ => wall.elapsed(),
    };
    let mut iterations = 0u32;
    let mut spent = Duration::ZERO;
    while iterations == 0 || spent < target {
        run();
        iterations += 1;
        spent = elapsed();
    }
    bytes as f64 * f64::from(iterations) / spent.as_secs_f64() / 1e6
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn mbps(value: f64) -> String {
    if value.is_nan() {
        return "–".to_owned(); // a column left out with SSE_BENCH_ONLY
    }
    // Thousands separators, as in the book's tables.
    let whole = value.round() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn rounds() -> usize {
    std::env::var("SSE_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .filter(|&r| r > 0)
        .unwrap_or(11)
}

/// `SSE_BENCH_ONLY=feed_with` checks and times only the columns whose name contains that word (for
/// a profiler); the others show a dash. Several words, separated by commas, keep every column that
/// contains one of them (`SSE_BENCH_ONLY='sse-,`feed`'`: the baselines and `feed`, with ratios).
fn column(name: &str) -> bool {
    std::env::var("SSE_BENCH_ONLY")
        .map_or(true, |only| only.split(',').any(|word| name.contains(word)))
}

fn parse_table(filter: &dyn Fn(&str) -> bool) {
    let corpora = [
        ("AI chunks", ai_chunks(), 50_001),
        ("long lines", long_lines(), 1_000),
        ("tiny events", tiny_events(), 1_000_000),
        ("id+event+JSON", id_events(), 300_000),
    ]
    .map(|(name, bytes, events)| Corpus {
        name,
        bytes: Box::leak(bytes.into_boxed_slice()),
        events,
    });
    let rounds = rounds();
    println!(
        "Parse throughput, MB/s (median of {rounds} rounds); ratio: median over the rounds of the ratio to the fastest of {} in the same round:\n",
        BASELINES.join(" and ")
    );
    print!("| corpus | chunk |");
    for (name, _) in PARSERS {
        print!(" {name} |");
    }
    println!();
    println!("|---|---|{}", "---:|".repeat(PARSERS.len()));
    for corpus in &corpora {
        for (label, chunk) in [("16 KiB", 16 * 1024), ("64 B", 64)] {
            if !filter(&format!("{} {label}", corpus.name)) {
                continue;
            }
            // Every parser must see the same events and the same data before it is timed.
            let want = sse_format_feed(corpus.bytes, chunk);
            assert_eq!(want.0, corpus.events, "{}: event count", corpus.name);
            for (name, parse) in PARSERS[1..].iter().filter(|(name, _)| column(name)) {
                assert_eq!(
                    parse(corpus.bytes, chunk),
                    want,
                    "{name} on {}",
                    corpus.name
                );
            }
            let mut samples = vec![Vec::new(); PARSERS.len()];
            for _ in 0..rounds {
                for (i, (name, parse)) in PARSERS.iter().enumerate() {
                    if !column(name) {
                        continue;
                    }
                    samples[i].push(sample(corpus.bytes.len(), sample_time(), || {
                        black_box(parse(black_box(corpus.bytes), chunk));
                    }));
                }
            }
            // Each round's ratio against that round's fastest baseline; the median of those.
            let baseline: Vec<usize> = (0..PARSERS.len())
                .filter(|&i| BASELINES.contains(&PARSERS[i].0) && !samples[i].is_empty())
                .collect();
            let ratio = |i: usize| {
                let mut ratios: Vec<f64> = (0..samples[i].len())
                    .map(|r| {
                        let best = baseline.iter().map(|&b| samples[b][r]).fold(0.0, f64::max);
                        samples[i][r] / best
                    })
                    .collect();
                if ratios.is_empty() || baseline.is_empty() {
                    f64::NAN
                } else {
                    median(&mut ratios)
                }
            };
            let ratios: Vec<f64> = (0..PARSERS.len()).map(ratio).collect();
            let medians: Vec<f64> = samples
                .iter()
                .map(|s| {
                    if s.is_empty() {
                        f64::NAN
                    } else {
                        median(&mut s.clone())
                    }
                })
                .collect();
            print!("| {} | {label} |", corpus.name);
            for (i, ((name, _), &m)) in PARSERS.iter().zip(&medians).enumerate() {
                if name.starts_with('`') || *name == "ceiling" {
                    print!(" {} ({:.2}×) |", mbps(m), ratios[i]);
                } else {
                    print!(" {} |", mbps(m));
                }
            }
            println!();
        }
    }
}

/// Events to encode: (event type, id, data).
type EncodeInput = &'static [(String, String, String)];

fn encode_inputs() -> [(&'static str, EncodeInput); 2] {
    let ai = ai_chunks();
    let ai: Vec<_> = ai
        .split(|&b| b == b'\n')
        .filter_map(|line| line.strip_prefix(b"data: "))
        .map(|data| {
            let data = String::from_utf8(data.to_vec()).unwrap();
            (String::new(), String::new(), data)
        })
        .collect();
    let ids: Vec<_> = (0..300_000)
        .map(|i| {
            (
                ["created", "updated", "deleted"][i % 3].to_owned(),
                (1_000_000 + i).to_string(),
                format!("{{\"seq\":{i},\"user\":\"u{}\",\"ok\":true}}", i % 977),
            )
        })
        .collect();
    [
        ("AI chunks (data only)", Vec::leak(ai)),
        ("id+event+JSON", Vec::leak(ids)),
    ]
}

fn sse_format_encode(events: EncodeInput) -> Vec<u8> {
    let mut out = Vec::new();
    for (event_type, id, data) in events {
        let mut event = sse_format::Event::new();
        if !event_type.is_empty() {
            event = event.event(event_type.as_str()).id(id.as_str());
        }
        event.data(data.as_str()).encode(&mut out).unwrap();
    }
    out
}

/// axum's `Event` encodes while it is built; the bytes come out of the `Sse` response body.
fn axum_encode(events: EncodeInput) -> Vec<u8> {
    use axum::response::IntoResponse;
    use axum::response::sse::{Event, Sse};
    let events = stream::iter(events.iter().map(|(event_type, id, data)| {
        let mut event = Event::default();
        if !event_type.is_empty() {
            event = event.event(event_type).id(id);
        }
        Ok::<_, Infallible>(event.data(data))
    }));
    let body = Sse::new(events).into_response().into_body();
    block_on(
        body.into_data_stream()
            .fold(Vec::new(), |mut out, bytes| async move {
                out.extend_from_slice(&bytes.unwrap());
                out
            }),
    )
}

fn encode_table(filter: &dyn Fn(&str) -> bool) {
    let rounds = rounds();
    println!("\nEncode throughput, MB/s of wire bytes written (median of {rounds} rounds):\n");
    println!("| events | axum 0.8 `Event` (via `Sse`) | sse-format `Event::encode` |");
    println!("|---|---:|---:|");
    for (name, events) in encode_inputs() {
        if !filter(&format!("encode {name}")) {
            continue;
        }
        let wire = sse_format_encode(events);
        assert_eq!(
            axum_encode(events),
            wire,
            "both encoders write the same bytes"
        );
        let (mut axum, mut ours) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            axum.push(sample(wire.len(), sample_time(), || {
                black_box(axum_encode(black_box(events)));
            }));
            ours.push(sample(wire.len(), sample_time(), || {
                black_box(sse_format_encode(black_box(events)));
            }));
        }
        let (axum, ours) = (median(&mut axum), median(&mut ours));
        println!(
            "| {name} | {} | {} ({:.2}×) |",
            mbps(axum),
            mbps(ours),
            ours / axum
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is a filter on the row names.
    let words: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(|a| a.to_lowercase())
        .collect();
    let filter = move |row: &str| {
        let row = row.to_lowercase();
        words.is_empty() || words.iter().any(|w| row.contains(w.as_str()))
    };
    parse_table(&filter);
    encode_table(&filter);
}
