//! Chapter 2 tests: `cargo test -p exercises --test ch02` (one exercise: add `ch02_ex04`).
//!
//! Snapshot failures read: "-old snapshot" is the expected answer, "+new results" is yours. In
//! every other assertion, `left` is your answer and `right` the expected one.

use std::fmt::Write as _;
use std::time::Duration;

use exercises::ch02::*;
use serde_json::json;
use sse_format::MessageEvent;

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

fn named(items: &[(&str, serde_json::Value)]) -> Vec<MessageEvent> {
    items
        .iter()
        .map(|(name, data)| MessageEvent::new(*name, data.to_string(), ""))
        .collect()
}

fn data_only(items: &[&str]) -> Vec<MessageEvent> {
    items
        .iter()
        .map(|data| MessageEvent::new("", *data, ""))
        .collect()
}

// ---------------------------------------------------------------- ex01: collect a stream

const BODY: &str = "id: 1\r\ndata: gr\u{fc}\u{df}e\r\n\r\n: ping\n\ndata: line 1\ndata: line 2\n\nevent: x\rdata: \u{1f600}\r\r";

fn chunked(input: &[u8], cuts: &[usize]) -> Vec<Result<bytes::Bytes, std::io::Error>> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for &cut in cuts {
        pieces.push(Ok(bytes::Bytes::copy_from_slice(&input[start..cut])));
        start = cut;
    }
    pieces.push(Ok(bytes::Bytes::copy_from_slice(&input[start..])));
    pieces
}

#[tokio::test]
async fn ch02_ex01_collects_across_every_split() {
    use ex01_collect::collect_data;
    let input = BODY.as_bytes();
    let expected = vec![
        "gr\u{fc}\u{df}e".to_owned(),
        "line 1\nline 2".to_owned(),
        "\u{1f600}".to_owned(),
    ];
    for a in 0..=input.len() {
        for b in [a, (a + 3).min(input.len()), input.len()] {
            let body = futures::stream::iter(chunked(input, &[a, b]));
            match collect_data(body).await {
                Ok(got) => assert_eq!(
                    got, expected,
                    "the body cut into chunks at bytes {a} and {b}: left = yours, right = expected"
                ),
                Err(error) => panic!("the body has no error, yet yours returned Err({error})"),
            }
        }
    }
}

#[tokio::test]
async fn ch02_ex01_drops_the_unfinished_event_and_reports_errors() {
    use ex01_collect::collect_data;
    for cuts in [&[3][..], &[5, 14], &[12, 13]] {
        let body = futures::stream::iter(chunked(b"data: done\n\ndata: cut", cuts));
        match collect_data(body).await {
            Ok(got) => assert_eq!(
                got,
                ["done"],
                "\"data: done\\n\\ndata: cut\" cut at {cuts:?}: the unfinished last event is \
                 dropped: left = yours, right = expected"
            ),
            Err(error) => panic!("the body has no error, yet yours returned Err({error})"),
        }
    }
    let failing = futures::stream::iter(vec![
        Ok(bytes::Bytes::from_static(b"data: a\n\n")),
        Err(std::io::Error::other("connection reset")),
    ]);
    match collect_data(failing).await {
        Ok(got) => panic!(
            "the body ended with the error \"connection reset\", which must be returned as Err; \
             yours returned Ok({got:?})"
        ),
        Err(error) => assert_eq!(
            error.to_string(),
            "connection reset",
            "the error returned: left = yours, right = expected"
        ),
    }
}

// ---------------------------------------------------------------- ex02: OpenAI deltas

fn chunk(content: serde_json::Value, finish: serde_json::Value) -> String {
    json!({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish}]}).to_string()
}

#[test]
fn ch02_ex02_assembles_openai_streams() {
    use ex02_openai_deltas::assemble_chat;
    let (a, b, stop) = (
        chunk(json!("Hel"), json!(null)),
        chunk(json!("lo"), json!(null)),
        chunk(json!(null), json!("stop")),
    );
    let usage = json!({"choices": [], "usage": {"total_tokens": 9}}).to_string();
    let two = json!({"choices": [{"index": 1, "delta": {"content": "other"}}, {"index": 0, "delta": {"content": "!"}}]}).to_string();
    let error = json!({"error": {"message": "The server had an error", "type": "server_error"}})
        .to_string();
    let streams: Vec<Vec<&str>> = vec![
        vec![&a, &b, &stop, "[DONE]"],
        vec![&a, &b, &stop, &usage, "[DONE]", &a],
        vec![&a, &two, "[DONE]"],
        vec![&a, &error, "[DONE]"],
        vec![&a, &b],
        vec!["[DONE]"],
    ];
    let mut out = String::new();
    for stream in &streams {
        writeln!(out, "{:?}", assemble_chat(&data_only(stream))).unwrap();
    }
    snapshot!(
        "ch02_ex02_assemble_chat",
        "ch02::ex02: assemble_chat on each stream of chunks (one line per stream: your ChatOutcome).",
        out,
    );
}

#[test]
fn ch02_ex02_the_reference_example_stream() {
    use ex02_openai_deltas::{ChatOutcome, assemble_chat};
    let events: Vec<MessageEvent> = sse_format::parse_all(include_bytes!(
        "../../crates/sse-client/tests/data/openai_chat_text.sse"
    ))
    .into_iter()
    .filter_map(|f| match f.unwrap() {
        sse_format::Frame::Event(e) => Some(e),
        _ => None,
    })
    .collect();
    assert_eq!(
        assemble_chat(&events),
        ChatOutcome::Complete {
            text: "Server-sent events let servers push updates to clients over one HTTP response."
                .into(),
            finish_reason: Some("stop".into()),
        },
        "the recorded example stream openai_chat_text.sse: left = yours, right = expected"
    );
}

#[test]
fn ch02_ex02_only_choice_zero() {
    use ex02_openai_deltas::{ChatOutcome, assemble_chat};
    let choice = |index: u64, content: &str| json!({"index": index, "delta": {"content": content}});
    let chunks = [
        json!({"choices": [choice(0, "A"), choice(1, "x")]}).to_string(),
        json!({"choices": [choice(1, "y"), choice(0, "B")]}).to_string(),
        json!({"choices": [choice(2, "z")]}).to_string(),
        json!({"choices": [{"index": 1, "delta": {}, "finish_reason": "length"}, {"index": 0, "delta": {"content": "C"}, "finish_reason": "stop"}]}).to_string(),
    ];
    let mut events: Vec<&str> = chunks.iter().map(String::as_str).collect();
    events.push("[DONE]");
    assert_eq!(
        assemble_chat(&data_only(&events)),
        ChatOutcome::Complete {
            text: "ABC".into(),
            finish_reason: Some("stop".into()),
        },
        "chunks with several choices in any order; only the one with \"index\": 0 counts: \
         left = yours, right = expected"
    );
}

// ---------------------------------------------------------------- ex03: Anthropic tool call

#[test]
fn ch02_ex03_assembles_text_and_tool_use() {
    use ex03_anthropic_tool::assemble_message;
    let stream = named(&[
        (
            "message_start",
            json!({"type": "message_start", "message": {"usage": {"input_tokens": 30, "output_tokens": 1}}}),
        ),
        (
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Checking "}}),
        ),
        ("ping", json!({"type": "ping"})),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "the weather."}}),
        ),
        (
            "content_block_stop",
            json!({"type": "content_block_stop", "index": 0}),
        ),
        (
            "content_block_start",
            json!({"type": "content_block_start", "index": 1, "content_block": {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {}}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": ""}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "{\"location\": \"Par"}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "is\", \"unit\": \"C\"}"}}),
        ),
        (
            "content_block_stop",
            json!({"type": "content_block_stop", "index": 1}),
        ),
        (
            "content_block_start",
            json!({"type": "content_block_start", "index": 2, "content_block": {"type": "tool_use", "id": "toolu_02", "name": "get_time", "input": {}}}),
        ),
        (
            "content_block_stop",
            json!({"type": "content_block_stop", "index": 2}),
        ),
        (
            "message_delta",
            json!({"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 61}}),
        ),
        (
            "message_delta",
            json!({"type": "message_delta", "delta": {}, "usage": {"output_tokens": 64}}),
        ),
        ("brand_new_event", json!({"type": "brand_new_event"})),
        ("message_stop", json!({"type": "message_stop"})),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "after the end"}}),
        ),
    ]);
    snapshot!(
        "ch02_ex03_assemble_message",
        "ch02::ex03: assemble_message on a stream with text, two tools, pings and two \
         message_delta events (your Assembled).",
        format!("{:#?}", assemble_message(&stream)),
    );
}

#[test]
fn ch02_ex03_plain_text_message() {
    use ex03_anthropic_tool::assemble_message;
    let events: Vec<MessageEvent> = sse_format::parse_all(include_bytes!(
        "../../crates/sse-client/tests/data/anthropic_text.sse"
    ))
    .into_iter()
    .filter_map(|f| match f.unwrap() {
        sse_format::Frame::Event(e) => Some(e),
        _ => None,
    })
    .collect();
    let message = assemble_message(&events);
    assert_eq!(
        message.text,
        "Server-sent events let servers push updates to clients over one HTTP response.",
        "the text of the recorded anthropic_text.sse: left = yours, right = expected"
    );
    assert_eq!(
        (
            message.stop_reason.as_deref(),
            message.output_tokens,
            message.tools.len()
        ),
        (Some("end_turn"), Some(17), 0),
        "(stop_reason, output_tokens, number of tools) of anthropic_text.sse: \
         left = yours, right = expected"
    );
}

#[test]
fn ch02_ex03_usage_is_cumulative() {
    use ex03_anthropic_tool::assemble_message;
    for totals in [&[5u64, 12][..], &[3, 3, 9], &[40]] {
        let mut items = vec![(
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        )];
        for total in totals {
            items.push((
                "message_delta",
                json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": total}}),
            ));
        }
        items.push(("message_stop", json!({"type": "message_stop"})));
        let got = assemble_message(&named(&items)).output_tokens;
        assert_eq!(
            got,
            totals.last().copied(),
            "message_delta events reporting the running totals {totals:?}: \
             left = your output_tokens, right = expected"
        );
    }
}

// ---------------------------------------------------------------- ex04: backoff

#[test]
fn ch02_ex04_backoff_schedule() {
    use ex04_backoff::next_delay;
    let s = Duration::from_secs;
    let ms = Duration::from_millis;
    let cases: [(Duration, u32, Option<Duration>, f64); 12] = [
        (s(3), 1, None, 0.0),
        (s(3), 2, None, 0.0),
        (s(3), 3, None, 0.0),
        (s(3), 4, None, 0.0),
        (s(3), 5, None, 0.0),
        (s(3), 50, None, 0.0),
        (s(3), 1, None, 0.5),
        (s(3), 3, None, 0.999),
        (ms(250), 3, None, 0.0),
        (s(60), 2, None, 0.0),
        (s(3), 1, Some(s(20)), 0.5),
        (s(3), 4, Some(s(2)), 0.0),
    ];
    let mut out = String::new();
    for (base, failures, retry_after, jitter) in cases {
        let delay = next_delay(base, failures, retry_after, jitter);
        writeln!(out, "base {base:?}, failures {failures}, retry-after {retry_after:?}, jitter {jitter} => {delay:?}").unwrap();
    }
    snapshot!(
        "ch02_ex04_next_delay",
        "ch02::ex04: next_delay for each case (one line per case: your Duration).",
        out,
    );
}

#[test]
fn ch02_ex04_never_overflows() {
    use ex04_backoff::next_delay;
    let s = Duration::from_secs;
    for (base, failures, jitter, want) in [
        (s(3), u32::MAX, 0.0, s(30)),
        (s(3), 40, 0.0, s(30)),
        (s(3), 33, 0.5, Duration::from_millis(37_500)),
        (s(60), 1_000, 0.0, s(60)),
        (Duration::from_millis(1), 64, 0.0, s(30)),
    ] {
        let got = std::panic::catch_unwind(|| next_delay(base, failures, None, jitter));
        match got {
            Ok(got) => assert_eq!(
                got, want,
                "next_delay({base:?}, {failures} failures, no Retry-After, jitter {jitter}): \
                 left = yours, right = expected"
            ),
            Err(_) => panic!(
                "next_delay({base:?}, {failures} failures, no Retry-After, jitter {jitter}) \
                 panicked (an overflow?); it must return {want:?}"
            ),
        }
    }
}

// ---------------------------------------------------------------- ex05: retry or fail

#[test]
fn ch02_ex05_decisions() {
    use ex05_retry_decision::decide;
    let cases: [(u16, Option<&str>); 16] = [
        (200, Some("text/event-stream")),
        (200, Some("Text/Event-Stream; charset=utf-8")),
        (200, Some("application/json")),
        (200, Some("text/event-streaming")),
        (200, None),
        (204, None),
        (301, None),
        (400, Some("application/json")),
        (401, None),
        (404, None),
        (408, None),
        (429, Some("application/json")),
        (500, None),
        (503, None),
        (529, None),
        (201, Some("text/event-stream")),
    ];
    let mut out = String::new();
    for (status, content_type) in cases {
        writeln!(
            out,
            "{status} {content_type:?} => {:?}",
            decide(status, content_type)
        )
        .unwrap();
    }
    snapshot!(
        "ch02_ex05_decide",
        "ch02::ex05: decide for each (status, Content-Type) (one line per case: your Decision).",
        out,
    );
}

#[test]
fn ch02_ex05_media_type_not_header_text() {
    use ex05_retry_decision::{Decision, decide};
    for (content_type, want) in [
        ("text/event-stream; charset=utf-8", Decision::Read),
        ("TEXT/EVENT-STREAM", Decision::Read),
        ("text/event-stream ;charset=UTF-8", Decision::Read),
        (" text/event-stream", Decision::Read),
        ("text/event-stream2", Decision::Fail),
        ("application/json; x=text/event-stream", Decision::Fail),
    ] {
        assert_eq!(
            decide(200, Some(content_type)),
            want,
            "200 with Content-Type {content_type:?}: left = yours, right = expected"
        );
    }
}

// ---------------------------------------------------------------- ex06: resume

mod resume_server {
    use std::sync::{Arc, Mutex};

    use axum::Router;
    use axum::body::{Body, Bytes};
    use axum::http::{HeaderMap, header};
    use axum::response::IntoResponse;
    use axum::routing::get;
    use futures::{StreamExt, stream};

    /// Serves events 1..=n (`id: k`, `data: event k`), resuming after `Last-Event-ID`, cutting
    /// each connection after a pseudo-random number of bytes. The first connection is cut after
    /// at least one complete event; the second one inside its first event, so that it completes
    /// nothing. Returns the URL and the log of the Last-Event-ID headers it received.
    pub async fn start(n: u64, seed: u64) -> (String, Arc<Mutex<Vec<String>>>) {
        let log = Arc::new(Mutex::new(Vec::new()));
        let state = Arc::new(Mutex::new(seed));
        let seen = log.clone();
        let app = Router::new().route(
            "/events",
            get(move |headers: HeaderMap| {
                let (seen, state) = (seen.clone(), state.clone());
                async move {
                    let last = headers
                        .get("last-event-id")
                        .map(|v| v.to_str().unwrap().to_owned())
                        .unwrap_or_default();
                    let connection = {
                        let mut seen = seen.lock().unwrap();
                        seen.push(last.clone());
                        seen.len()
                    };
                    let from: u64 = last.parse().unwrap_or(0);
                    let body: Vec<u8> = (from + 1..=n)
                        .flat_map(|k| format!("id: {k}\ndata: event {k}\n\n").into_bytes())
                        .collect();
                    // Sometimes past the end: then the whole rest is sent and the stream ends cleanly.
                    let cut = {
                        let mut s = state.lock().unwrap();
                        *s = s
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        let random = (*s >> 33) as usize;
                        let first_event = body
                            .windows(2)
                            .position(|pair| pair == b"\n\n")
                            .map_or(1, |at| at + 2);
                        match connection {
                            // Always cut, after at least one complete event, so resuming is
                            // always tested.
                            1 => (random % body.len()).max(first_event),
                            // Cut inside the first event: this connection completes nothing.
                            2 => 3,
                            _ => (random % (body.len() * 5 / 4 + 1)).max(1),
                        }
                    };
                    let complete = cut >= body.len();
                    let sent = Bytes::from(body[..cut.min(body.len())].to_vec());
                    let data = stream::once(async move { Ok::<_, std::io::Error>(sent) });
                    let abort = stream::once(async {
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        Err(std::io::Error::other("cut"))
                    })
                    .filter(move |_| std::future::ready(!complete));
                    (
                        [(header::CONTENT_TYPE, "text/event-stream")],
                        Body::from_stream(data.chain(abort)),
                    )
                        .into_response()
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (format!("http://{addr}/events"), log)
    }
}

#[tokio::test]
async fn ch02_ex06_every_event_once_despite_cuts() {
    for seed in [1, 2, 3] {
        let (url, log) = resume_server::start(25, seed).await;
        let got =
            match tokio::time::timeout(Duration::from_secs(30), ex06_resume::fetch_all(&url, 25))
                .await
            {
                Ok(Ok(got)) => got,
                Ok(Err(error)) => panic!("seed {seed}: yours gave up with Err({error:?})"),
                Err(_) => panic!("seed {seed}: yours did not finish within 30 s"),
            };
        let expected: Vec<String> = (1..=25).map(|k| format!("event {k}")).collect();
        let log = log.lock().unwrap().clone();
        assert_eq!(
            got, expected,
            "seed {seed}: each of the 25 events exactly once, in order (the Last-Event-ID headers \
             yours sent: {log:?}): left = yours, right = expected"
        );
        assert!(
            log.len() > 2,
            "seed {seed}: the server cut the first two connections, so yours must have \
             reconnected; the headers it sent: {log:?}"
        );
        assert_eq!(
            log[0], "",
            "seed {seed}: the first connection has no Last-Event-ID: left = yours, right = expected"
        );
        assert!(
            log[1..].iter().all(|id| !id.is_empty()),
            "seed {seed}: every reconnection resumes with the id of the last completed event, even \
             after a connection that completed nothing; the headers yours sent: {log:?}"
        );
    }
}

// ---------------------------------------------------------------- ex07: timers on a scripted clock

mod ex07 {
    use std::time::{Duration, Instant};

    use exercises::ch02::ex07_timers::Timers;

    /// One step of a scripted connection, at a time in milliseconds since the start.
    #[derive(Clone, Copy, Debug)]
    pub enum Tick {
        Open(u64),
        Bytes(u64),
        Fail(u64),
    }

    /// Runs the script; returns the count returned by each failure.
    pub fn run(timers: &mut Timers, start: Instant, script: &[Tick]) -> Vec<u32> {
        let at = |ms: u64| start + Duration::from_millis(ms);
        let mut counts = Vec::new();
        for tick in script {
            match *tick {
                Tick::Open(ms) => timers.on_open(at(ms)),
                Tick::Bytes(ms) => timers.on_bytes(at(ms)),
                Tick::Fail(ms) => counts.push(timers.on_failure(at(ms))),
            }
        }
        counts
    }

    pub fn timers() -> Timers {
        Timers::new(Duration::from_secs(5), Duration::from_secs(10))
    }
}

#[test]
fn ch02_ex07_any_byte_moves_the_idle_deadline() {
    use ex07::Tick::*;
    let start = std::time::Instant::now();
    let secs = |s: u64| start + Duration::from_secs(s);
    let mut timers = ex07::timers();
    assert_eq!(
        timers.idle_deadline(),
        None,
        "no connection, no deadline: left = yours, right = expected"
    );
    ex07::run(&mut timers, start, &[Open(0)]);
    assert_eq!(
        timers.idle_deadline(),
        Some(secs(5)),
        "opened at 0 s with a 5 s idle timeout: left = yours, right = expected"
    );
    // A keep-alive comment every second: the deadline keeps moving.
    for t in [1, 2, 3, 7, 11] {
        ex07::run(&mut timers, start, &[Bytes(t * 1000)]);
        assert_eq!(
            timers.idle_deadline(),
            Some(secs(t + 5)),
            "bytes at {t} s: left = yours, right = expected"
        );
    }
    ex07::run(&mut timers, start, &[Fail(20_000)]);
    assert_eq!(
        timers.idle_deadline(),
        None,
        "after a failure the connection is closed: left = yours, right = expected"
    );
}

#[test]
fn ch02_ex07_one_event_then_failure_keeps_counting() {
    use ex07::Tick::*;
    let start = std::time::Instant::now();
    let mut timers = ex07::timers();
    let mut script = Vec::new();
    for k in 0..5u64 {
        let t = k * 3_000;
        script.extend([Open(t), Bytes(t + 100), Fail(t + 200)]);
    }
    assert_eq!(
        ex07::run(&mut timers, start, &script),
        [1, 2, 3, 4, 5],
        "one event per connection, then a failure (up 0.2 s < 10 s): left = yours, right = expected"
    );
}

#[test]
fn ch02_ex07_refused_connections_count_up() {
    use ex07::Tick::*;
    let mut timers = ex07::timers();
    assert_eq!(
        ex07::run(
            &mut timers,
            std::time::Instant::now(),
            &[Fail(0), Fail(1_000), Fail(3_000), Fail(7_000)]
        ),
        [1, 2, 3, 4],
        "failures without any connection: left = yours, right = expected"
    );
}

#[test]
fn ch02_ex07_only_a_stable_connection_resets_the_count() {
    use ex07::Tick::*;
    let start = std::time::Instant::now();
    let cases: [(&[ex07::Tick], &[u32], &str); 3] = [
        (
            &[
                Fail(0),
                Fail(1_000),
                Open(3_000),
                Bytes(8_000),
                Fail(13_000),
                Fail(14_000),
            ],
            &[1, 2, 1, 2],
            "open from 3 s to 13 s (10 s) resets",
        ),
        (
            &[
                Fail(0),
                Fail(1_000),
                Open(3_000),
                Bytes(8_000),
                Fail(12_999),
            ],
            &[1, 2, 3],
            "open 9.999 s does not",
        ),
        (
            &[Fail(0), Open(500), Fail(60_500), Open(61_000), Fail(61_100)],
            &[1, 1, 2],
            "a long quiet connection resets, the next short one does not",
        ),
    ];
    for (script, want, what) in cases {
        let mut timers = ex07::timers();
        assert_eq!(
            ex07::run(&mut timers, start, script),
            want,
            "{what}: left = yours, right = expected"
        );
    }
}

#[test]
fn ch02_ex07_huge_timeouts_mean_never_not_a_panic() {
    use ex07::Tick::*;
    let mut timers = ex07_timers::Timers::new(Duration::MAX, Duration::MAX);
    let counts = ex07::run(
        &mut timers,
        std::time::Instant::now(),
        &[Open(0), Bytes(1), Fail(2), Open(3), Fail(4)],
    );
    assert_eq!(
        counts,
        [1, 2],
        "reset_after = MAX never resets: left = yours, right = expected"
    );
    timers.on_open(std::time::Instant::now());
    assert_eq!(
        timers.idle_deadline(),
        None,
        "an idle timeout of Duration::MAX has no representable deadline: left = yours, right = expected"
    );
}
