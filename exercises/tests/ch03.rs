//! Chapter 3 tests: `cargo test -p exercises --test ch03` (one exercise: add `ch03_ex02`).
//!
//! The server exercises run your router on 127.0.0.1 and read it with the course's own client.
//! Snapshot failures read: "-old snapshot" is the expected answer, "+new results" is yours. In
//! every other assertion, `left` is your answer and `right` the expected one.

use std::fmt::Write as _;
use std::time::Duration;

use exercises::ch03::*;
use proptest::prelude::*;
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

/// Every event of a stream that ends, as "type|data|id" lines. `authorization`: the value of an
/// `Authorization` header to send.
async fn read_all(url: &str, authorization: Option<&str>) -> Result<String, sse_client::Error> {
    let mut builder = EventSource::builder(url).reconnect(false);
    if let Some(value) = authorization {
        builder = builder.header("authorization", value);
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
async fn read_ok(url: &str, authorization: Option<&str>) -> String {
    match read_all(url, authorization).await {
        Ok(out) => out,
        Err(error) => panic!("GET {url} must stream events; the client got an error: {error}"),
    }
}

/// Whether a `Content-Type` value is the media type `text/event-stream`: type and subtype are
/// case-insensitive and parameters such as `; charset=utf-8` are allowed (RFC 9110, 8.3.1).
fn is_event_stream(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|value| {
        value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .eq_ignore_ascii_case("text/event-stream")
    })
}

/// A response header as text (`(not text)` if it is not), or `None`.
fn header_text(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap_or("(not text)").to_owned())
}

/// A bounded `GET` (or any request): the response head, or a readable panic.
async fn send(what: &str, request: reqwest::RequestBuilder) -> reqwest::Response {
    match tokio::time::timeout(Duration::from_secs(20), request.send()).await {
        Ok(Ok(response)) => response,
        Ok(Err(error)) => panic!(
            "{what}: the request failed ({error}); did your handler panic or drop the connection?"
        ),
        Err(_) => panic!("{what}: no response head within 20 s"),
    }
}

/// Proptest settings for this chapter: few, small cases; nothing written to disk.
fn proptest_config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------- ex01: countdown

#[tokio::test]
async fn ch03_ex01_countdown_streams_ticks_then_done() {
    let base = serve(ex01_countdown::router()).await;
    let mut out = String::new();
    for query in [
        "?from=3", "?from=1", "?from=0", "", "?from=x", "?from=", "?from=-1",
    ] {
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
    let response = send(
        "GET /countdown?from=1",
        reqwest::Client::new().get(format!("{base}/countdown?from=1")),
    )
    .await;
    let content_type = header_text(&response, "content-type");
    assert!(
        is_event_stream(content_type.as_deref()),
        "the Content-Type header must be the media type text/event-stream (parameters such as \
         `; charset=utf-8` are allowed); yours is {content_type:?}"
    );
    assert_eq!(
        header_text(&response, "cache-control").as_deref(),
        Some("no-cache"),
        "the Cache-Control header: left = yours, right = expected"
    );
}

#[tokio::test]
async fn ch03_ex01_a_countdown_above_max_from_is_refused() {
    use exercises::ch03::given::MAX_FROM;
    let base = serve(ex01_countdown::router()).await;
    let client = reqwest::Client::new();
    let just_above = (MAX_FROM + 1).to_string();
    for (what, from) in [
        ("just above MAX_FROM", just_above.as_str()),
        ("u64::MAX", "18446744073709551615"),
        ("u64::MAX + 1 (too large for a u64)", "18446744073709551616"),
        ("a 30-digit number", "999999999999999999999999999999"),
    ] {
        let what = format!("GET /countdown?from={from} ({what}; MAX_FROM is {MAX_FROM})");
        // Only the response head is read: a stream, if you send one, is dropped at once.
        let response = send(&what, client.get(format!("{base}/countdown?from={from}"))).await;
        let content_type = header_text(&response, "content-type");
        assert_eq!(
            response.status().as_u16(),
            400,
            "{what}: the client names N, so a countdown above MAX_FROM is refused before any \
             event (your Content-Type: {content_type:?}): the status: left = yours, right = \
             expected"
        );
        assert!(
            !is_event_stream(content_type.as_deref()),
            "{what}: a refusal is not an event stream; your Content-Type is {content_type:?}"
        );
    }
}

#[tokio::test]
async fn ch03_ex01_max_from_itself_is_allowed() {
    use exercises::ch03::given::MAX_FROM;
    let base = serve(ex01_countdown::router()).await;
    let url = format!("{base}/countdown?from={MAX_FROM}");
    let mut source = EventSource::builder(&url)
        .reconnect(false)
        .build()
        .expect("a valid client");
    // The first three events, then the connection is dropped: the whole countdown is not read.
    let mut got = Vec::new();
    let read = async {
        while got.len() < 3 {
            match source.next().await {
                Some(Ok(SourceEvent::Message(e))) => got.push(format!(
                    "{}|{}|{}",
                    e.event_type(),
                    e.data(),
                    e.last_event_id()
                )),
                Some(Ok(_)) => {}
                Some(Err(error)) => panic!("GET {url}: the client got an error: {error}"),
                None => break,
            }
        }
    };
    if tokio::time::timeout(Duration::from_secs(20), read)
        .await
        .is_err()
    {
        panic!("GET {url}: three events did not arrive within 20 s");
    }
    let want: Vec<String> = (0..3)
        .map(|k| format!("tick|{}|{}", MAX_FROM - k, k + 1))
        .collect();
    assert_eq!(
        got, want,
        "the first three events (type|data|id) of /countdown?from={MAX_FROM} (exactly MAX_FROM is \
         allowed): left = yours, right = expected"
    );
}

// ---------------------------------------------------------------- ex02: keep-alive

/// A stream that counts how often it is polled: a stream that waits to be woken is polled about
/// twice per item (once to register, once when woken); one that checks on a clock is polled on
/// every tick, whether anything happened or not.
struct CountPolls<S> {
    inner: S,
    polls: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl<S: futures::Stream + Unpin> futures::Stream for CountPolls<S> {
    type Item = S::Item;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<S::Item>> {
        self.polls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        std::pin::Pin::new(&mut self.inner).poll_next(cx)
    }
}

/// Runs `with_keep_alive` over events that arrive after the given waits (in seconds) and returns
/// what it sent, one "time bytes" line per item, and how often it polled the events. Paused time:
/// the whole timeline takes no time. Bounded: at most 100 items, and 1000 virtual seconds.
async fn keep_alive_run(waits: &'static [(u64, &'static str)], every: u64) -> (String, usize) {
    use futures::StreamExt;
    let events = futures::stream::iter(waits).then(|&(wait, data)| async move {
        tokio::time::sleep(Duration::from_secs(wait)).await;
        bytes::Bytes::from(format!("data: {data}\n\n"))
    });
    let polls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = CountPolls {
        inner: Box::pin(events),
        polls: polls.clone(),
    };
    let start = tokio::time::Instant::now();
    let stream = ex02_keep_alive::with_keep_alive(counted, Duration::from_secs(every));
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
        Ok(timeline) => (
            timeline.join("\n"),
            polls.load(std::sync::atomic::Ordering::Relaxed),
        ),
        Err(_) => panic!(
            "your stream was still going after 1000 (virtual) seconds: it must end when the \
             events end"
        ),
    }
}

/// `keep_alive_run`'s timeline alone.
async fn keep_alive_timeline(waits: &'static [(u64, &'static str)], every: u64) -> String {
    keep_alive_run(waits, every).await.0
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

#[tokio::test(start_paused = true)]
async fn ch03_ex02_waits_to_be_woken_instead_of_polling() {
    // (events, every, what): quiet stretches, with and without comments.
    static QUIET: [(u64, &str); 2] = [(100, "a"), (100, "b")];
    static SILENCES: [(u64, &str); 2] = [(35, "a"), (47, "b")];
    for (waits, every, what) in [
        (
            &QUIET,
            1000,
            "events at 100 s and 200 s, keep-alive every 1000 s",
        ),
        (
            &SILENCES,
            10,
            "events at 35 s and 82 s, keep-alive every 10 s",
        ),
    ] {
        let (timeline, polls) = keep_alive_run(waits, every).await;
        let items = timeline.lines().count();
        // Waiting on a wake-up polls the events about twice per item sent; allow twice that.
        let most = 4 * (items + 1);
        assert!(
            polls <= most,
            "{what}: your stream polled the events {polls} times to send {items} items (at most \
             {most} expected): it checks for events on a clock instead of waiting to be woken \
             when one arrives. Your timeline:\n{timeline}"
        );
    }
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

#[test]
fn ch03_ex03_a_last_event_id_that_is_not_an_id_is_a_gap_never_a_panic() {
    use ex03_replay::{ReplayBuffer, Resume};
    let mut buffer = ReplayBuffer::new(3);
    for data in ["a", "b", "c", "d", "e"] {
        buffer.push(data);
    }
    let gap = Resume::Gap {
        first_available: 3,
        replay: vec![(3, "c".into()), (4, "d".into()), (5, "e".into())],
    };
    for text in [
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999999999",
        "+3",
        "+4",
        " 4",
        "4 ",
        "-4",
        "",
        "\u{664}",
        "4\u{0}",
        "0x4",
        "4.0",
    ] {
        let resumed =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| buffer.resume(Some(text))));
        match resumed {
            Ok(resume) => assert_eq!(
                resume, gap,
                "ids 3, 4, 5 kept, newest 5: Last-Event-ID {text:?} is not an id this server \
                 gave out (ids are ASCII digits only), so it is a gap: left = yours, right = \
                 expected"
            ),
            Err(_) => panic!(
                "resume(Some({text:?})) panicked (see the message above): a Last-Event-ID is a \
                 peer's text, and resume must answer with a Gap, never panic"
            ),
        }
    }
}

/// The reference behaviour of `ReplayBuffer`, written from the contract: after pushing `pushed`
/// into a buffer of `capacity`, what `resume(last)` returns.
fn reference_resume(capacity: usize, pushed: &[String], last: Option<&str>) -> ex03_replay::Resume {
    use ex03_replay::Resume;
    let next_id = pushed.len() as u64 + 1;
    let kept: Vec<(u64, String)> = (1u64..)
        .zip(pushed.iter().cloned())
        .skip(pushed.len().saturating_sub(capacity))
        .collect();
    let first_available = kept.first().map_or(next_id, |(id, _)| *id);
    let Some(text) = last else {
        return Resume::Replay(Vec::new());
    };
    let id = if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse::<u64>().ok()
    } else {
        None
    };
    match id {
        // first_available >= 1: the first missing event (n + 1) is still kept.
        Some(n) if n < next_id && n >= first_available - 1 => {
            Resume::Replay(kept.into_iter().filter(|(id, _)| *id > n).collect())
        }
        _ => Resume::Gap {
            first_available,
            replay: kept,
        },
    }
}

/// A `Last-Event-ID` as a client may send it: mostly ids near the buffer, some odd forms.
fn last_event_id() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        6 => (0u64..14).prop_map(|n| Some(n.to_string())),
        2 => prop::sample::select(vec![
            "18446744073709551615", "18446744073709551616", "+2", "+0", " 3", "", "x", "\u{663}",
            "-1",
        ])
        .prop_map(|text| Some(text.to_owned())),
    ]
}

proptest! {
    #![proptest_config(proptest_config(96))]

    /// Differential: your buffer against the reference, on small generated buffers (capacity 0
    /// included) with non-ASCII data.
    #[test]
    fn ch03_ex03_behaves_like_the_reference(
        capacity in 0usize..5,
        pushed in prop::collection::vec("[aé🚀]{0,2}", 0..9),
        lasts in prop::collection::vec(last_event_id(), 1..5),
    ) {
        let mut buffer = ex03_replay::ReplayBuffer::new(capacity);
        let ids: Vec<u64> = pushed.iter().map(|data| buffer.push(data)).collect();
        let want_ids: Vec<u64> = (1..=pushed.len() as u64).collect();
        prop_assert_eq!(
            ids, want_ids,
            "capacity {}, pushed {:?}: the ids push returned: left = yours, right = expected",
            capacity, pushed
        );
        for last in &lasts {
            let last = last.as_deref();
            prop_assert_eq!(
                buffer.resume(last),
                reference_resume(capacity, &pushed, last),
                "capacity {}, pushed {:?}, then resume({:?}): left = yours, right = expected",
                capacity, pushed, last
            );
        }
    }
}

// ---------------------------------------------------------------- ex04: OpenAI chunks

/// The chunk `chat_stream` must produce, as parsed JSON.
fn expected_chunk(
    id: &str,
    model: &str,
    delta: serde_json::Value,
    finish_reason: serde_json::Value,
) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    })
}

/// Checks `chat_stream(id, model, tokens)` against the contract; `Err` says, in the exercise's
/// words, what is wrong. The expected events are written here from the contract.
fn check_chat_stream(id: &str, model: &str, tokens: &[&str]) -> Result<(), String> {
    use serde_json::{Value, json};
    let wire = ex04_openai_chunks::chat_stream(id, model, tokens);
    let call = format!("chat_stream({id:?}, {model:?}, {tokens:?})");

    // One JSON object (or `[DONE]`) per `data:` line, as OpenAI's clients read it; no other lines.
    let text = String::from_utf8_lossy(&wire)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    for line in text.split('\n').filter(|line| !line.is_empty()) {
        let Some(data) = line.strip_prefix("data:") else {
            return Err(format!(
                "{call}: a data-only stream has only `data:` lines and blank lines; yours has \
                 the line {line:?}"
            ));
        };
        let data = data.strip_prefix(' ').unwrap_or(data);
        if data != "[DONE]" && !serde_json::from_str::<Value>(data).is_ok_and(|v| v.is_object()) {
            return Err(format!(
                "{call}: every `data:` line must hold one whole JSON object (or [DONE]); yours \
                 has the line {line:?}"
            ));
        }
    }

    let mut got: Vec<Result<Value, String>> = Vec::new();
    for frame in sse_format::parse_all(&wire) {
        match frame {
            Ok(sse_format::Frame::Event(event)) => {
                if (event.event_type(), event.last_event_id()) != ("message", "") {
                    return Err(format!(
                        "{call}: the events are data-only (no event: or id: line); yours has \
                         type {:?} and id {:?}",
                        event.event_type(),
                        event.last_event_id()
                    ));
                }
                got.push(match event.data() {
                    "[DONE]" => Err("[DONE]".to_owned()),
                    data => serde_json::from_str(data)
                        .map_err(|error| format!("not JSON ({error}): {data}")),
                });
            }
            Ok(other) => return Err(format!("{call}: your stream holds {other:?}")),
            Err(error) => return Err(format!("{call}: your bytes do not parse: {error}")),
        }
    }
    let mut want = vec![Ok(expected_chunk(
        id,
        model,
        json!({"role": "assistant", "content": ""}),
        Value::Null,
    ))];
    want.extend(tokens.iter().map(|token| {
        Ok(expected_chunk(
            id,
            model,
            json!({"content": token}),
            Value::Null,
        ))
    }));
    want.push(Ok(expected_chunk(id, model, json!({}), json!("stop"))));
    want.push(Err("[DONE]".to_owned()));
    for (n, (got, want)) in got.iter().zip(&want).enumerate() {
        if got != want {
            return Err(format!(
                "{call}, event {n}: its data as parsed JSON (Err marks data that is not JSON; \
                 the key order does not matter):\n  yours:    {got:?}\n  expected: {want:?}"
            ));
        }
    }
    if got.len() != want.len() {
        return Err(format!(
            "{call}: {} events, expected {} (the role chunk, one chunk per token, the \
             finish_reason chunk, [DONE])",
            got.len(),
            want.len()
        ));
    }
    Ok(())
}

#[test]
fn ch03_ex04_chunks_as_json() {
    let cases: [(&str, &str, &[&str]); 7] = [
        ("chatcmpl-7", "tiny", &["Hi", " there"]),
        ("chatcmpl-7", "tiny", &[]),
        (
            "chatcmpl-7",
            "tiny",
            &["say \"hi\"", " C:\\path", "two\nlines", "\r", " \u{1f680}"],
        ),
        (
            "chatcmpl-7",
            "tiny",
            &["{\"not\": \"json\"}", "data: x\n\n", "[DONE]"],
        ),
        (
            "chatcmpl-7",
            "tiny",
            &[
                "tab\there",
                "nul\u{0}",
                "esc\u{1b}[0m",
                "del\u{7f}",
                "ls\u{2028}ps\u{2029}",
            ],
        ),
        (
            "chatcmpl-\"q\"",
            "tïny\\mödel",
            &["ünïcödé", "日本語", "\r\n"],
        ),
        ("", "", &["", " "]),
    ];
    for (id, model, tokens) in cases {
        if let Err(message) = check_chat_stream(id, model, tokens) {
            panic!("{message}");
        }
    }
}

proptest! {
    #![proptest_config(proptest_config(64))]

    /// Differential: your stream against the contract, on generated ids, models and tokens with
    /// quotes, backslashes, control characters and non-ASCII text.
    #[test]
    fn ch03_ex04_any_tokens_give_valid_chunks(
        id in "[a-z\"\\\\\t\u{1}é]{0,4}",
        model in "[a-z\"\\\\\n\u{1f}🚀]{0,4}",
        tokens in prop::collection::vec("[a \"\\\\\n\r\t\u{0}\u{1b}\u{7f}é🚀]{0,4}", 0..5),
    ) {
        let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
        if let Err(message) = check_chat_stream(&id, &model, &tokens) {
            prop_assert!(false, "{}", message);
        }
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
        "\ttab",
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
    use reqwest::header::HeaderValue;
    let base = serve(ex05_auth::router("open-sesame".into())).await;
    let url = format!("{base}/private");
    let client = reqwest::Client::new();
    let not_text = HeaderValue::from_bytes(b"Bearer open-sesame\xff").expect("obs-text is allowed");
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
        (
            "the token in the wrong case (`Bearer OPEN-SESAME`: tokens are case-sensitive)",
            client.get(&url).bearer_auth("OPEN-SESAME"),
        ),
        (
            "another scheme (`Basic open-sesame`)",
            client
                .get(&url)
                .header("authorization", "Basic open-sesame"),
        ),
        (
            "the scheme alone (`Bearer`)",
            client.get(&url).header("authorization", "Bearer"),
        ),
        (
            "an empty token (`Bearer `)",
            client.get(&url).header("authorization", "Bearer "),
        ),
        (
            "a header that is not text (a byte 0xFF)",
            client.get(&url).header("authorization", not_text),
        ),
    ] {
        let what = format!("GET /private with {what}");
        let response = send(&what, request).await;
        assert_eq!(
            response.status().as_u16(),
            401,
            "{what}: the status: left = yours, right = expected"
        );
        assert_eq!(
            header_text(&response, "www-authenticate").as_deref(),
            Some("Bearer"),
            "{what}: the WWW-Authenticate header: left = yours, right = expected"
        );
        let content_type = header_text(&response, "content-type");
        assert!(
            !is_event_stream(content_type.as_deref()),
            "{what}: a refusal is not an event stream; your Content-Type is {content_type:?}"
        );
    }
    // The course client reports it as a failure, without retrying.
    match read_all(&url, Some("Bearer wrong")).await {
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
    // The scheme name is case-insensitive (RFC 9110, 11.1); the token is not.
    for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
        let authorization = format!("{scheme} open-sesame");
        let got = read_ok(&format!("{base}/private"), Some(&authorization)).await;
        assert_eq!(
            got, "message|welcome|\n",
            "the events (type|data|id) with `Authorization: {authorization}`: left = yours, \
             right = expected"
        );
    }
    let other = serve(ex05_auth::router("another".into())).await;
    if let Ok(events) = read_all(&format!("{other}/private"), Some("Bearer open-sesame")).await {
        panic!(
            "a router made with the token \"another\" must refuse \"open-sesame\"; yours \
             streamed {events:?}"
        );
    }
}

#[tokio::test]
async fn ch03_ex05_the_token_is_compared_with_tokens_match() {
    use exercises::ch03::given::comparisons_with;
    // A token of this test's own, so that other tests running at the same time do not count.
    let token = "compared-in-constant-time-7f3a";
    let base = serve(ex05_auth::router(token.into())).await;
    let client = reqwest::Client::new();
    for (what, authorization) in [
        ("the right token", format!("Bearer {token}")),
        (
            "the right token, scheme `bearer`",
            format!("bearer {token}"),
        ),
        (
            "a wrong token of the same length",
            format!("Bearer {}", "x".repeat(token.len())),
        ),
        ("a shorter wrong token", "Bearer compared".to_owned()),
    ] {
        let what = format!("GET /private with {what}");
        let before = comparisons_with(token);
        let request = client
            .get(format!("{base}/private"))
            .header("authorization", &authorization);
        drop(send(&what, request).await);
        let calls = comparisons_with(token) - before;
        assert!(
            calls >= 1,
            "{what}: your handler never called `given::tokens_match` with the router's token. \
             Compare the presented token with it (a constant-time compare), not with `==`, \
             which stops at the first differing byte and so tells an attacker by its timing how \
             much of a guess was right"
        );
    }
}

// ---------------------------------------------------------------- ex06: the headers of a stream

/// Serves `ex06_headers::stream` at `/events` on a free port; the head of one `GET /events`.
async fn ex06_get() -> reqwest::Response {
    let app = axum::Router::new().route("/events", axum::routing::get(ex06_headers::stream));
    let base = serve(app).await;
    send(
        "GET /events",
        reqwest::Client::new().get(format!("{base}/events")),
    )
    .await
}

/// Whether a `Cache-Control` value holds `directive`: a comma-separated list of directives,
/// compared case-insensitively (RFC 9111, 5.2), so `no-cache, no-transform` holds `no-cache`.
fn has_cache_directive(value: Option<&str>, directive: &str) -> bool {
    value.is_some_and(|value| {
        value.split(',').any(|item| {
            let name = item.split('=').next().unwrap_or("");
            name.trim().eq_ignore_ascii_case(directive)
        })
    })
}

#[tokio::test]
async fn ch03_ex06_the_headers_of_an_event_stream() {
    // Twice: a second request gets the same headers.
    for request in 1..=2 {
        let response = ex06_get().await;
        let what = format!("GET /events (request {request})");
        assert_eq!(
            response.status().as_u16(),
            200,
            "{what}: the status: left = yours, right = expected"
        );
        let content_type = header_text(&response, "content-type");
        assert!(
            is_event_stream(content_type.as_deref()),
            "{what}: the Content-Type header must be the media type text/event-stream \
             (parameters such as `; charset=utf-8` are allowed; a browser's EventSource fails \
             for good on any other type); yours is {content_type:?}"
        );
        let cache_control = header_text(&response, "cache-control");
        assert!(
            has_cache_directive(cache_control.as_deref(), "no-cache"),
            "{what}: the Cache-Control header must hold the directive no-cache (no cache may \
             keep a live stream and replay it); yours is {cache_control:?}"
        );
        let accel = header_text(&response, "x-accel-buffering");
        assert!(
            accel
                .as_deref()
                .is_some_and(|value| value.trim().eq_ignore_ascii_case("no")),
            "{what}: the X-Accel-Buffering header must be `no` (or nginx buffers the stream \
             and holds events back); yours is {accel:?}"
        );
    }
}

#[tokio::test]
async fn ch03_ex06_no_content_length() {
    let response = ex06_get().await;
    let length = header_text(&response, "content-length");
    assert_eq!(
        length, None,
        "GET /events: an event stream has no Content-Length (its length is unknown when the \
         head is sent; a body built whole before sending holds every event back until the \
         last): left = yours, right = expected"
    );
}

#[tokio::test]
async fn ch03_ex06_the_body_is_the_updates() {
    let response = ex06_get().await;
    let body = match tokio::time::timeout(Duration::from_secs(20), response.bytes()).await {
        Ok(Ok(body)) => body,
        Ok(Err(error)) => panic!("GET /events: reading the body failed: {error}"),
        Err(_) => panic!("GET /events: the body did not end within 20 s"),
    };
    let want: String = given::UPDATES.concat();
    assert_eq!(
        String::from_utf8_lossy(&body),
        want,
        "GET /events: the body must be the items of updates(), as they are: left = yours, \
         right = expected"
    );
}

// ---------------------------------------------------------------- ex07: refused resume

/// Your `resume_status(last, oldest_kept, newest)`, with a panic turned into a readable failure.
fn ex07_call(
    last: Option<&str>,
    oldest_kept: u64,
    newest: u64,
) -> (u16, ex07_resume_status::ResumeFrom) {
    let called =
        std::panic::catch_unwind(|| ex07_resume_status::resume_status(last, oldest_kept, newest));
    match called {
        Ok(answer) => answer,
        Err(_) => panic!(
            "resume_status({last:?}, oldest_kept {oldest_kept}, newest {newest}) panicked (see \
             the message above): a Last-Event-ID is a peer's text, and the answer must never \
             be a panic"
        ),
    }
}

/// One case: `(last, oldest_kept, newest, expected)`.
type Ex07Case<'a> = (
    Option<&'a str>,
    u64,
    u64,
    (u16, ex07_resume_status::ResumeFrom),
);

/// Checks each case; `why` says what the cases share.
fn ex07_check(why: &str, cases: &[Ex07Case<'_>]) {
    for &(last, oldest_kept, newest, want) in cases {
        assert_eq!(
            ex07_call(last, oldest_kept, newest),
            want,
            "resume_status({last:?}, oldest_kept {oldest_kept}, newest {newest}): {why}: \
             left = yours, right = expected"
        );
    }
}

#[test]
fn ch03_ex07_a_resume_that_loses_nothing_replays() {
    use ex07_resume_status::ResumeFrom::{After, Live};
    const MAX: u64 = u64::MAX;
    ex07_check(
        "no Last-Event-ID is a new client, which starts live",
        &[
            (None, 3, 5, (200, Live)),
            (None, 1, 0, (200, Live)),
            (None, 8, 7, (200, Live)),
        ],
    );
    ex07_check(
        "every event after the id is still kept, so the replay starts after it",
        &[
            (Some("2"), 3, 5, (200, After(2))),
            (Some("4"), 3, 5, (200, After(4))),
            (Some("5"), 3, 5, (200, After(5))),
            (Some("0"), 1, 5, (200, After(0))),
            (Some("0"), 1, 0, (200, After(0))),
            (Some("7"), 8, 7, (200, After(7))),
            (Some("0041"), 40, 50, (200, After(41))),
            (
                Some("18446744073709551614"),
                MAX,
                MAX,
                (200, After(MAX - 1)),
            ),
            (Some("18446744073709551615"), MAX, MAX, (200, After(MAX))),
            (Some("18446744073709551615"), 1, MAX, (200, After(MAX))),
        ],
    );
}

#[test]
fn ch03_ex07_a_gap_is_still_a_200_stream() {
    use ex07_resume_status::ResumeFrom::Gap;
    const MAX: u64 = u64::MAX;
    ex07_check(
        "a resume the server cannot honour is still a 200 stream (any other status ends a \
         browser's EventSource for good); the gap is told inside it, from the oldest id kept",
        &[
            (Some("1"), 3, 5, (200, Gap { first_available: 3 })),
            (Some("0"), 2, 5, (200, Gap { first_available: 2 })),
            (Some("6"), 3, 5, (200, Gap { first_available: 3 })),
            (Some("1"), 1, 0, (200, Gap { first_available: 1 })),
            (Some("3"), 8, 7, (200, Gap { first_available: 8 })),
            (Some("9"), 8, 7, (200, Gap { first_available: 8 })),
            (
                Some("39"),
                41,
                50,
                (
                    200,
                    Gap {
                        first_available: 41,
                    },
                ),
            ),
            (
                Some("51"),
                41,
                50,
                (
                    200,
                    Gap {
                        first_available: 41,
                    },
                ),
            ),
            (
                Some("18446744073709551613"),
                MAX,
                MAX,
                (
                    200,
                    Gap {
                        first_available: MAX,
                    },
                ),
            ),
            (
                Some("18446744073709551615"),
                1,
                MAX - 1,
                (200, Gap { first_available: 1 }),
            ),
        ],
    );
}

#[test]
fn ch03_ex07_text_that_is_not_an_id_is_a_gap_never_a_panic() {
    use ex07_resume_status::ResumeFrom::Gap;
    for text in [
        "",
        "+3",
        "+0",
        "-3",
        " 3",
        "3 ",
        "3\r",
        "0x3",
        "3.0",
        "1e1",
        "x",
        "\u{663}",
        "\u{ff13}",
        "18446744073709551616",
        "99999999999999999999999999",
    ] {
        ex07_check(
            "ids 1 to 5 kept: the text is not an id this server wrote (ASCII digits only, no \
             sign, no spaces, within a u64), so it is a gap, in a 200 stream",
            &[(Some(text), 1, 5, (200, Gap { first_available: 1 }))],
        );
    }
}

/// The reference decision, written from the contract in the test's own terms (u128 arithmetic,
/// so it cannot overflow).
fn reference_resume_status(
    last: Option<&str>,
    oldest_kept: u64,
    newest: u64,
) -> (u16, ex07_resume_status::ResumeFrom) {
    use ex07_resume_status::ResumeFrom;
    let Some(text) = last else {
        return (200, ResumeFrom::Live);
    };
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let id = digits
        .then(|| text.parse::<u128>().ok())
        .flatten()
        .filter(|n| *n <= u128::from(u64::MAX));
    match id {
        Some(n) if n <= u128::from(newest) && n + 1 >= u128::from(oldest_kept) => {
            (200, ResumeFrom::After(n as u64))
        }
        _ => (
            200,
            ResumeFrom::Gap {
                first_available: oldest_kept,
            },
        ),
    }
}

/// A buffer state: `(oldest_kept, newest)`, near 0 or near `u64::MAX`.
fn ex07_state() -> impl Strategy<Value = (u64, u64)> {
    (
        prop_oneof![Just(0u64), Just(u64::MAX - 30)],
        0u64..=30,
        0u64..=31,
    )
        .prop_map(|(base, newest_offset, dropped)| {
            let newest = base + newest_offset;
            // 1 ..= newest + 1 (nothing kept), saturating at u64::MAX.
            let oldest_kept = (base + 1).saturating_add(dropped.min(newest_offset));
            (oldest_kept, newest)
        })
}

/// A `Last-Event-ID` for a state near `base`: ids around the buffer, or odd text.
fn ex07_last(near: u64) -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        6 => (0u64..=33).prop_map(move |offset| Some(near.saturating_add(offset).to_string())),
        1 => "[0-9]{18,22}".prop_map(Some),
        1 => (0u64..=33).prop_map(move |offset| Some(format!("+{}", near.saturating_add(offset)))),
        2 => "[+ 0-9a-z\u{663}é-]{0,4}".prop_map(Some),
    ]
}

proptest! {
    #![proptest_config(proptest_config(256))]

    /// Differential: yours against the reference, on states near 0 and near `u64::MAX`.
    #[test]
    fn ch03_ex07_behaves_like_the_reference(
        ((oldest_kept, newest), last) in ex07_state().prop_flat_map(|(oldest_kept, newest)| {
            let near = newest.saturating_sub(31);
            (Just((oldest_kept, newest)), ex07_last(near))
        }),
    ) {
        let last = last.as_deref();
        let yours = ex07_call(last, oldest_kept, newest);
        let expected = reference_resume_status(last, oldest_kept, newest);
        prop_assert_eq!(
            yours, expected,
            "resume_status({:?}, oldest_kept {}, newest {}): left = yours, right = expected",
            last, oldest_kept, newest
        );
    }
}

// ---------------------------------------------------------------- ex08: header or query

/// Your `resume_point(header, query)`, with a panic turned into a readable failure.
fn ex08_call(
    header: Option<&str>,
    query: &str,
) -> Result<Option<u64>, ex08_resume_point::BadResume> {
    let called = std::panic::catch_unwind(|| ex08_resume_point::resume_point(header, query));
    match called {
        Ok(answer) => answer,
        Err(_) => panic!(
            "resume_point(header {header:?}, query {query:?}) panicked (see the message above): \
             the header and the URL are a peer's text, and the answer must never be a panic"
        ),
    }
}

/// One case: `(header, query, expected)`.
type Ex08Case<'a> = (
    Option<&'a str>,
    &'a str,
    Result<Option<u64>, ex08_resume_point::BadResume>,
);

/// Checks each case; `why` says what the cases share.
fn ex08_check(why: &str, cases: &[Ex08Case<'_>]) {
    for &(header, query, want) in cases {
        assert_eq!(
            ex08_call(header, query),
            want,
            "resume_point(header {header:?}, query {query:?}): {why}: left = yours, right = \
             expected"
        );
    }
}

#[test]
fn ch03_ex08_the_header_wins() {
    ex08_check(
        "a non-empty Last-Event-ID decides, whatever the URL says (on a reconnect the header \
         holds the newest id, the URL the one the page started from)",
        &[
            (Some("7"), "", Ok(Some(7))),
            (Some("7"), "lastEventId=3", Ok(Some(7))),
            (Some("12"), "lastEventId=40", Ok(Some(12))),
            (Some("0"), "lastEventId=5", Ok(Some(0))),
            (Some("5"), "lastEventId=", Ok(Some(5))),
            (Some("9"), "lastEventId=1&lastEventId=2", Ok(Some(9))),
            (Some("9"), "lastEventId=abc", Ok(Some(9))),
            (
                Some("18446744073709551615"),
                "lastEventId=1",
                Ok(Some(u64::MAX)),
            ),
            (
                Some("x"),
                "lastEventId=4",
                Err(ex08_resume_point::BadResume),
            ),
        ],
    );
}

#[test]
fn ch03_ex08_the_query_when_there_is_no_header() {
    use ex08_resume_point::BadResume;
    ex08_check(
        "no header: the lastEventId parameter, its name matched exactly and percent-decoded, \
         the other parameters ignored",
        &[
            (None, "lastEventId=5", Ok(Some(5))),
            (None, "a=1&lastEventId=42&b=2", Ok(Some(42))),
            (None, "lastEventId=0041", Ok(Some(41))),
            (None, "lastEventId=%34%32", Ok(Some(42))),
            (None, "lastEvent%49d=7", Ok(Some(7))),
            (None, "lastEventId=18446744073709551615", Ok(Some(u64::MAX))),
            (None, "", Ok(None)),
            (None, "other=3", Ok(None)),
            (None, "xlastEventId=5", Ok(None)),
            (None, "lastEventIdx=5", Ok(None)),
            (None, "lasteventid=5", Ok(None)),
            (None, "LastEventId=5", Ok(None)),
            (None, "a=lastEventId=5", Ok(None)),
            (None, "a=lastEventId%3D5", Ok(None)),
            (None, "xlastEventId=5&lastEventId=6", Ok(Some(6))),
            (None, "lastEventId=6&lastEventIdx=5", Ok(Some(6))),
            (None, "lastEventId=7&lastEventId=8", Err(BadResume)),
            (None, "lastEventId=7&lastEventId=7", Err(BadResume)),
            (None, "lastEventId=7&lastEvent%49d=8", Err(BadResume)),
        ],
    );
}

#[test]
fn ch03_ex08_empty_means_no_id() {
    ex08_check(
        "an empty header counts as no header, and an empty lastEventId as no parameter: no \
         id, never the id 0",
        &[
            (Some(""), "", Ok(None)),
            (Some(""), "lastEventId=5", Ok(Some(5))),
            (Some(""), "a=1&lastEventId=31", Ok(Some(31))),
            (None, "lastEventId=", Ok(None)),
            (None, "lastEventId", Ok(None)),
            (Some(""), "lastEventId=", Ok(None)),
            (None, "lastEventId=&x=1", Ok(None)),
            (None, "x=1&lastEventId", Ok(None)),
        ],
    );
}

#[test]
fn ch03_ex08_text_that_is_not_an_id_is_an_error_never_a_panic() {
    use ex08_resume_point::BadResume;
    for text in [
        "+5",
        "+0",
        "-5",
        " 5",
        "5 ",
        "0x5",
        "5.0",
        "5-3",
        "\u{663}",
        "\u{ff15}",
        "é",
        "18446744073709551616",
        "99999999999999999999999999",
    ] {
        ex08_check(
            "a header that is not an id (ASCII digits only, no sign, no spaces, within a u64)",
            &[(Some(text), "lastEventId=3", Err(BadResume))],
        );
    }
    ex08_check(
        "a lastEventId that is not an id once decoded (ASCII digits only, no sign, no spaces, \
         within a u64)",
        &[
            (None, "lastEventId=%2B5", Err(BadResume)),
            (None, "lastEventId=+5", Err(BadResume)),
            (None, "lastEventId=5+", Err(BadResume)),
            (None, "lastEventId=%205", Err(BadResume)),
            (None, "lastEventId=-5", Err(BadResume)),
            (None, "lastEventId=%FF", Err(BadResume)),
            (None, "lastEventId=%C3%A9", Err(BadResume)),
            (None, "lastEventId=%D9%A3", Err(BadResume)),
            (None, "lastEventId=%", Err(BadResume)),
            (None, "lastEventId=18446744073709551616", Err(BadResume)),
            (
                None,
                "lastEventId=99999999999999999999999999",
                Err(BadResume),
            ),
        ],
    );
}

/// The reference: the course's own server decodes the query (`axum`'s `Query` into
/// `sse_server::routes::StreamQuery`, where a repeated `lastEventId` is refused), and the rules
/// of the contract do the rest.
fn reference_resume_point(
    header: Option<&str>,
    query: &str,
) -> Result<Option<u64>, ex08_resume_point::BadResume> {
    use ex08_resume_point::BadResume;
    fn id(text: &str) -> Result<u64, BadResume> {
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            text.parse().map_err(|_| BadResume)
        } else {
            Err(BadResume)
        }
    }
    if let Some(text) = header.filter(|text| !text.is_empty()) {
        return id(text).map(Some);
    }
    let uri: axum::http::Uri = format!("/events/feed?{query}")
        .parse()
        .expect("the test generates valid URIs");
    let axum::extract::Query(parsed) =
        axum::extract::Query::<sse_server::routes::StreamQuery>::try_from_uri(&uri)
            .map_err(|_| BadResume)?;
    match parsed.last_event_id.as_deref() {
        None | Some("") => Ok(None),
        Some(text) => id(text).map(Some),
    }
}

/// A `Last-Event-ID` header: absent, empty, an id, or odd text.
fn ex08_header() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(String::new())),
        2 => "[0-9]{1,3}".prop_map(Some),
        1 => "[0-9]{19,21}".prop_map(Some),
        1 => "[+ 0-9a-z\u{663}é-]{1,4}".prop_map(Some),
    ]
}

/// One query parameter, as text that is valid in a URI: a name near `lastEventId`, and a value
/// that is an id (maybe percent-encoded), empty, or odd.
fn ex08_pair() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        6 => Just("lastEventId"),
        1 => Just("lasteventid"),
        1 => Just("lastEventIdx"),
        1 => Just("xlastEventId"),
        1 => Just("lastEvent%49d"),
        1 => Just("a"),
    ];
    let value = prop_oneof![
        4 => "[0-9]{1,3}",
        1 => "[0-9]{19,21}",
        1 => Just(String::new()),
        1 => "[0-9]{1,2}".prop_map(|digits| digits.bytes().map(|b| format!("%{b:02X}")).collect()),
        2 => "[+%0-9A-Fa-z.-]{1,4}",
    ];
    (name, prop::option::of(value)).prop_map(|(name, value)| match value {
        Some(value) => format!("{name}={value}"),
        None => name.to_owned(),
    })
}

proptest! {
    #![proptest_config(proptest_config(256))]

    /// Differential: yours against the reference, on headers and queries near the edges.
    #[test]
    fn ch03_ex08_behaves_like_the_reference(
        header in ex08_header(),
        pairs in prop::collection::vec(ex08_pair(), 0..4),
    ) {
        let query = pairs.join("&");
        let header = header.as_deref();
        let yours = ex08_call(header, &query);
        let expected = reference_resume_point(header, &query);
        prop_assert_eq!(
            yours, expected,
            "resume_point(header {:?}, query {:?}): left = yours, right = expected",
            header, query
        );
    }
}
