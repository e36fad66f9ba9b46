//! Chapter 3 tests: `cargo test -p exercises --test ch03` (one exercise: add `ch03_ex02`).
//!
//! The server exercises run your router on 127.0.0.1 and read it with the course's own client.
//! Snapshot failures read: "-old snapshot" is the expected answer, "+new results" is yours. In
//! every other assertion, `left` is your answer and `right` the expected one.

use std::fmt::Write as _;
use std::time::Duration;

use exercises::ch03::*;
use sse_client::{EventSource, SourceEvent};

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

/// Serves `app` on a free loopback port; returns its base URL.
async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// Every event of a stream that ends, as "type|data|id" lines.
async fn read_all(url: &str, token: Option<&str>) -> Result<String, sse_client::Error> {
    let mut builder = EventSource::builder(url).reconnect(false);
    if let Some(token) = token {
        builder = builder.bearer_auth(token);
    }
    let mut source = builder.build()?;
    let mut out = String::new();
    let read = async {
        while let Some(item) = source.next().await {
            if let SourceEvent::Message(e) = item? {
                writeln!(out, "{}|{}|{}", e.event_type(), e.data(), e.last_event_id()).unwrap();
            }
        }
        Ok::<_, sse_client::Error>(())
    };
    match tokio::time::timeout(Duration::from_secs(20), read).await {
        Ok(result) => result.map(|()| out),
        Err(_) => panic!("{url}: the stream did not end within 20 s"),
    }
}

/// `read_all` for a stream that must succeed.
async fn read_ok(url: &str, token: Option<&str>) -> String {
    match read_all(url, token).await {
        Ok(out) => out,
        Err(error) => panic!("GET {url} must stream events; the client got an error: {error}"),
    }
}

// ---------------------------------------------------------------- ex01: countdown

#[tokio::test]
async fn ch03_ex01_countdown_streams_ticks_then_done() {
    let base = serve(ex01_countdown::router()).await;
    let mut out = String::new();
    for query in ["?from=3", "?from=1", "?from=0", "", "?from=x"] {
        let events = read_ok(&format!("{base}/countdown{query}"), None).await;
        writeln!(out, "GET /countdown{query}\n{events}").unwrap();
    }
    snapshot!(
        "ch03_ex01_countdown",
        "ch03::ex01: the events of each countdown, one \"type|data|id\" line per event.",
        out,
    );
}

#[tokio::test]
async fn ch03_ex01_ids_count_up() {
    let base = serve(ex01_countdown::router()).await;
    for from in [2u64, 5] {
        let events = read_ok(&format!("{base}/countdown?from={from}"), None).await;
        let ids: Vec<&str> = events
            .lines()
            .map(|line| line.rsplit('|').next().unwrap_or(""))
            .collect();
        let want: Vec<String> = (1..=from + 1).map(|n| n.to_string()).collect();
        assert_eq!(
            ids, want,
            "the ids of /countdown?from={from}, in the order received (they count up from 1 while \
             the data counts down): left = yours, right = expected"
        );
    }
}

#[tokio::test]
async fn ch03_ex01_countdown_headers() {
    let base = serve(ex01_countdown::router()).await;
    let response = match reqwest::get(format!("{base}/countdown?from=1")).await {
        Ok(response) => response,
        Err(error) => panic!("GET /countdown?from=1 failed: {error}"),
    };
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap_or("(not text)").to_owned())
    };
    assert_eq!(
        header("content-type").as_deref(),
        Some("text/event-stream"),
        "the Content-Type header: left = yours, right = expected"
    );
    assert_eq!(
        header("cache-control").as_deref(),
        Some("no-cache"),
        "the Cache-Control header: left = yours, right = expected"
    );
}

// ---------------------------------------------------------------- ex02: keep-alive

/// Runs `with_keep_alive` over events that arrive after the given waits (in seconds) and returns
/// what it sent, one "time bytes" line per item. Paused time: the whole timeline takes no time.
/// Bounded: at most 100 items, and 1000 virtual seconds.
async fn keep_alive_timeline(waits: &'static [(u64, &'static str)], every: u64) -> String {
    use futures::StreamExt;
    let events = futures::stream::iter(waits).then(|&(wait, data)| async move {
        tokio::time::sleep(Duration::from_secs(wait)).await;
        bytes::Bytes::from(format!("data: {data}\n\n"))
    });
    let start = tokio::time::Instant::now();
    let stream = ex02_keep_alive::with_keep_alive(Box::pin(events), Duration::from_secs(every));
    let timeline = stream
        .map(|bytes| {
            format!(
                "{:>3}s {:?}",
                start.elapsed().as_secs(),
                String::from_utf8_lossy(&bytes)
            )
        })
        .take(100)
        .collect::<Vec<_>>();
    match tokio::time::timeout(Duration::from_secs(1000), timeline).await {
        Ok(timeline) => timeline.join("\n"),
        Err(_) => panic!(
            "your stream was still going after 1000 (virtual) seconds: it must end when the \
             events end"
        ),
    }
}

#[tokio::test(start_paused = true)]
async fn ch03_ex02_comments_fill_the_silences() {
    let mut out = String::new();
    // Events at 10 s, 12 s and 50 s, then the end; keep-alive every 15 s.
    let first = keep_alive_timeline(&[(10, "a"), (2, "b"), (38, "c")], 15).await;
    writeln!(out, "events at 10 s, 12 s, 50 s; every 15 s:\n{first}\n").unwrap();
    // A long silence first, then a burst, then the end during a silence.
    let second = keep_alive_timeline(&[(31, "x"), (0, "y"), (4, "z")], 10).await;
    writeln!(out, "events at 31 s, 31 s, 35 s; every 10 s:\n{second}").unwrap();
    snapshot!(
        "ch03_ex02_keep_alive",
        "ch03::ex02: what your stream sent and when (virtual seconds since the start).",
        out,
    );
}

#[tokio::test(start_paused = true)]
async fn ch03_ex02_no_comment_while_events_flow() {
    static WAITS: [(u64, &str); 8] = [
        (9, "1"),
        (9, "2"),
        (9, "3"),
        (9, "4"),
        (9, "5"),
        (9, "6"),
        (9, "7"),
        (9, "8"),
    ];
    let timeline = keep_alive_timeline(&WAITS, 10).await;
    let comments: Vec<&str> = timeline
        .lines()
        .filter(|l| l.ends_with("\":\\n\\n\""))
        .collect();
    assert_eq!(
        comments,
        Vec::<&str>::new(),
        "an event every 9 s with keep-alive every 10 s: the connection is never silent for 10 s, \
         so no comment is due (left = the comments yours sent, right = expected); your timeline:\n\
         {timeline}"
    );
}

// ---------------------------------------------------------------- ex03: replay

#[test]
fn ch03_ex03_resume_decisions() {
    use ex03_replay::ReplayBuffer;
    let mut buffer = ReplayBuffer::new(3);
    let ids: Vec<u64> = ["a", "b", "c", "d", "e"]
        .iter()
        .map(|d| buffer.push(d))
        .collect();
    assert_eq!(
        ids,
        [1, 2, 3, 4, 5],
        "the ids push returned for five events: left = yours, right = expected"
    );
    let mut out = String::new();
    for last in [
        None,
        Some("5"),
        Some("4"),
        Some("2"),
        Some("1"),
        Some("0"),
        Some("9"),
        Some("x"),
    ] {
        writeln!(out, "{last:?} => {:?}", buffer.resume(last)).unwrap();
    }
    let empty = ReplayBuffer::new(3);
    writeln!(out, "empty, Some(\"0\") => {:?}", empty.resume(Some("0"))).unwrap();
    writeln!(out, "empty, Some(\"1\") => {:?}", empty.resume(Some("1"))).unwrap();
    snapshot!(
        "ch03_ex03_resume",
        "ch03::ex03: resume(Last-Event-ID) on a buffer of capacity 3 after five pushes (ids 3, 4, \
         5 kept), then on an empty buffer (one line per call: your Resume).",
        out,
    );
}

#[test]
fn ch03_ex03_the_edge_of_the_buffer() {
    use ex03_replay::{ReplayBuffer, Resume};
    for (capacity, pushed) in [(2usize, 6u64), (4, 9), (1, 3)] {
        let mut buffer = ReplayBuffer::new(capacity);
        for n in 1..=pushed {
            buffer.push(&format!("e{n}"));
        }
        let oldest = pushed - capacity as u64 + 1;
        let kept: Vec<(u64, String)> = (oldest..=pushed).map(|n| (n, format!("e{n}"))).collect();
        let last = (oldest - 1).to_string();
        assert_eq!(
            buffer.resume(Some(&last)),
            Resume::Replay(kept.clone()),
            "capacity {capacity}, {pushed} pushed, so ids {oldest}..={pushed} are kept; a client \
             that saw up to {last} has lost nothing: left = yours, right = expected"
        );
        let too_old = (oldest - 2).to_string();
        assert_eq!(
            buffer.resume(Some(&too_old)),
            Resume::Gap {
                first_available: oldest,
                replay: kept.clone(),
            },
            "capacity {capacity}, {pushed} pushed: a client that saw only up to {too_old} missed \
             event {}: left = yours, right = expected",
            oldest - 1
        );
        let future = (pushed + 1).to_string();
        assert_eq!(
            buffer.resume(Some(&future)),
            Resume::Gap {
                first_available: oldest,
                replay: kept,
            },
            "capacity {capacity}, {pushed} pushed: id {future} was never given out: \
             left = yours, right = expected"
        );
    }
}

// ---------------------------------------------------------------- ex04: OpenAI chunks

/// The chunk `chat_stream` must produce, as parsed JSON.
fn expected_chunk(
    id: &str,
    delta: serde_json::Value,
    finish_reason: serde_json::Value,
) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "tiny",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    })
}

#[test]
fn ch03_ex04_chunks_as_json() {
    use serde_json::{Value, json};
    let cases: [&[&str]; 4] = [
        &["Hi", " there"],
        &[],
        &["say \"hi\"", " C:\\path", "two\nlines", "\r", " \u{1f680}"],
        &["{\"not\": \"json\"}", "data: x\n\n", "[DONE]"],
    ];
    for tokens in cases {
        let wire = ex04_openai_chunks::chat_stream("chatcmpl-7", "tiny", tokens);
        let mut got: Vec<Result<Value, String>> = Vec::new();
        for frame in sse_format::parse_all(&wire) {
            match frame {
                Ok(sse_format::Frame::Event(event)) => {
                    assert_eq!(
                        (event.event_type(), event.last_event_id()),
                        ("message", ""),
                        "tokens {tokens:?}: the events are data-only (no event: or id: line): \
                         left = your (type, id), right = expected"
                    );
                    got.push(match event.data() {
                        "[DONE]" => Err("[DONE]".to_owned()),
                        data => serde_json::from_str(data)
                            .map_err(|error| format!("not JSON ({error}): {data}")),
                    });
                }
                Ok(other) => panic!("tokens {tokens:?}: your stream holds {other:?}"),
                Err(error) => panic!("tokens {tokens:?}: your bytes do not parse: {error}"),
            }
        }
        let mut want = vec![Ok(expected_chunk(
            "chatcmpl-7",
            json!({"role": "assistant", "content": ""}),
            Value::Null,
        ))];
        want.extend(tokens.iter().map(|token| {
            Ok(expected_chunk(
                "chatcmpl-7",
                json!({"content": token}),
                Value::Null,
            ))
        }));
        want.push(Ok(expected_chunk("chatcmpl-7", json!({}), json!("stop"))));
        want.push(Err("[DONE]".to_owned()));
        for (n, (got, want)) in got.iter().zip(&want).enumerate() {
            assert_eq!(
                got, want,
                "tokens {tokens:?}, event {n}: its data as parsed JSON (Err marks data that is \
                 not JSON; the key order does not matter): left = yours, right = expected"
            );
        }
        assert_eq!(
            got.len(),
            want.len(),
            "tokens {tokens:?}: the number of events: left = yours, right = expected"
        );
    }
}

#[tokio::test]
async fn ch03_ex04_the_course_client_assembles_it_over_http() {
    use sse_client::ai::{Accumulate, openai_chat::ChatAccumulator};
    let tokens = [
        "Server",
        "-sent",
        " \"events\"",
        "\n",
        " \u{1f680}",
        " done.",
    ];
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        axum::routing::post(move || async move {
            let wire = ex04_openai_chunks::chat_stream("chatcmpl-2", "tiny", &tokens);
            (
                [(axum::http::header::CONTENT_TYPE, "text/event-stream")],
                wire,
            )
        }),
    );
    let base = serve(app).await;
    let mut source = EventSource::builder(format!("{base}/v1/chat/completions"))
        .post_json(&serde_json::json!({"model": "tiny", "stream": true}))
        .reconnect(false)
        .build()
        .expect("a valid client");
    let mut answer = ChatAccumulator::new();
    let read = async {
        while let Some(item) = source.next().await {
            match item {
                Ok(SourceEvent::Message(event)) => {
                    if let Err(error) = answer.push(&event) {
                        panic!("the OpenAI accumulator refused your event {event:?}: {error}");
                    }
                }
                Ok(_) => {}
                Err(error) => panic!("the client failed to read your stream: {error}"),
            }
        }
    };
    if tokio::time::timeout(Duration::from_secs(20), read)
        .await
        .is_err()
    {
        panic!("your stream did not end within 20 s");
    }
    assert!(
        answer.is_done(),
        "the stream must end with data: [DONE]; the accumulator never saw it"
    );
    assert_eq!(
        answer.output().text,
        tokens.concat(),
        "the text the course's OpenAI client assembled from your stream: \
         left = yours, right = expected"
    );
    assert_eq!(
        answer.output().finish_reason.as_deref(),
        Some("stop"),
        "the finish_reason: left = yours, right = expected"
    );
}

// ---------------------------------------------------------------- ex05: auth

#[tokio::test]
async fn ch03_ex05_unauthorised_requests_get_401_before_any_stream() {
    let base = serve(ex05_auth::router("open-sesame".into())).await;
    let url = format!("{base}/private");
    let client = reqwest::Client::new();
    for (what, request) in [
        ("no Authorization header", client.get(&url)),
        ("the wrong token", client.get(&url).bearer_auth("wrong")),
        (
            "the token without `Bearer `",
            client.get(&url).header("authorization", "open-sesame"),
        ),
        (
            "a token that only starts like the right one",
            client.get(&url).bearer_auth("open-sesame-not"),
        ),
    ] {
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => panic!("GET /private with {what}: the request failed: {error}"),
        };
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap_or("(not text)").to_owned())
        };
        assert_eq!(
            response.status().as_u16(),
            401,
            "GET /private with {what}: the status: left = yours, right = expected"
        );
        assert_eq!(
            header("www-authenticate").as_deref(),
            Some("Bearer"),
            "GET /private with {what}: the WWW-Authenticate header: left = yours, right = expected"
        );
        assert_ne!(
            header("content-type").as_deref(),
            Some("text/event-stream"),
            "GET /private with {what}: a refusal is not an event stream (left = your Content-Type)"
        );
    }
    // The course client reports it as a failure, without retrying.
    match read_all(&url, Some("wrong")).await {
        Ok(events) => panic!(
            "with the wrong token the course client must fail with 401; it read the events \
             {events:?} from yours"
        ),
        Err(error) => assert_eq!(
            error.status().map(|s| s.as_u16()),
            Some(401),
            "the status the course client reports ({error}): left = yours, right = expected"
        ),
    }
}

#[tokio::test]
async fn ch03_ex05_the_right_token_gets_the_stream() {
    let base = serve(ex05_auth::router("open-sesame".into())).await;
    let got = read_ok(&format!("{base}/private"), Some("open-sesame")).await;
    assert_eq!(
        got, "message|welcome|\n",
        "the events (type|data|id) with the right token: left = yours, right = expected"
    );
    let other = serve(ex05_auth::router("another".into())).await;
    if let Ok(events) = read_all(&format!("{other}/private"), Some("open-sesame")).await {
        panic!(
            "a router made with the token \"another\" must refuse \"open-sesame\"; yours \
             streamed {events:?}"
        );
    }
}
