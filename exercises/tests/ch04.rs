//! Chapter 4 tests: `cargo test -p exercises --test ch04` (one exercise: add `ch04_ex03`).
//!
//! Snapshot failures read: "-old snapshot" is the expected answer, "+new results" is yours. In
//! every other assertion, `left` is your answer and `right` the expected one.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use exercises::ch04::*;
use sse_server::hub::{EventId, Hub, HubConfig};

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

/// Runs `f` with a 30 s bound; `what` names the step in the failure message.
async fn within<T>(what: &str, f: impl Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(30), f).await {
        Ok(value) => value,
        Err(_) => panic!("{what}: not done within 30 s"),
    }
}

// ---------------------------------------------------------------- ex01: long poll

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ch04_ex01_a_publish_right_after_the_check_wakes_the_poll() {
    use ex01_long_poll::EventLog;
    for existing in [0u64, 1, 3] {
        let log = Arc::new(EventLog::default());
        for n in 1..=existing {
            log.publish(&format!("old {n}"));
        }
        // A publisher on another thread, released by the hook: it publishes while your poll is
        // between its check (which found nothing) and its wait, and the hook returns only once
        // the publish is done.
        let (go, go_rx) = std::sync::mpsc::channel::<()>();
        let (done, done_rx) = std::sync::mpsc::channel::<()>();
        let publisher_log = log.clone();
        let publisher = std::thread::spawn(move || {
            if go_rx.recv().is_ok() {
                publisher_log.publish("in the window");
                let _ = done.send(());
            }
        });
        log.on_next_empty_check(move |_| {
            let _ = go.send(());
            let _ = done_rx.recv_timeout(Duration::from_secs(5));
        });
        let poll = log.wait_after(existing, Duration::from_secs(30));
        let answer = tokio::time::timeout(Duration::from_secs(5), poll).await;
        // A poll that never checked left the hook armed: replace it, which drops its sender and
        // lets the publisher thread end.
        log.on_next_empty_check(|_| {});
        publisher.join().expect("the publisher thread");
        match answer {
            Ok(events) => assert_eq!(
                events,
                [(existing + 1, "in the window".to_owned())],
                "a poll after id {existing}, with an event published between your check and your \
                 wait: left = yours, right = expected"
            ),
            Err(_) => panic!(
                "a poll after id {existing} slept through an event published between its check \
                 and its wait (still waiting 5 s later, with a 30 s poll timeout): register as a \
                 waiter before you check"
            ),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ch04_ex01_long_polls_lose_nothing_under_concurrent_publishing() {
    use ex01_long_poll::EventLog;
    for round in 0..20 {
        let log = Arc::new(EventLog::default());
        let publisher = log.clone();
        let publishing = tokio::spawn(async move {
            for n in 0..50 {
                publisher.publish(&format!("{round}-{n}"));
                // Vary the pace so publishes land at every point of a poll.
                if n % (round % 5 + 1) == 0 {
                    tokio::task::yield_now().await;
                }
            }
        });
        let mut cursor = 0;
        let mut got = Vec::new();
        while got.len() < 50 {
            // Each poll may wait 10 s; one that takes 2 s has slept through a publish.
            let poll = log.wait_after(cursor, Duration::from_secs(10));
            let Ok(batch) = tokio::time::timeout(Duration::from_secs(2), poll).await else {
                panic!(
                    "round {round}: the poll after id {cursor} slept through a publish (no answer \
                     after 2 s while 50 events were being published)"
                );
            };
            assert!(
                !batch.is_empty(),
                "round {round}: the poll after id {cursor} answered empty although events were \
                 published"
            );
            for (id, data) in batch {
                assert_eq!(
                    id,
                    cursor + 1,
                    "round {round}: the ids your polls returned, in order, none skipped: \
                     left = yours, right = expected"
                );
                cursor = id;
                got.push(data);
            }
        }
        within("the publisher", publishing)
            .await
            .expect("the publisher task");
        assert_eq!(
            got,
            (0..50).map(|n| format!("{round}-{n}")).collect::<Vec<_>>(),
            "round {round}: every event once, in order: left = yours, right = expected"
        );
    }
}

/// Runs one poll under paused time, bounded by 60 s of (paused, auto-advanced) time; `what`
/// names the poll in the failure message.
async fn bounded_poll<T>(what: &str, poll: impl Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(60), poll).await {
        Ok(answer) => answer,
        Err(_) => panic!(
            "{what}: your poll was still waiting 60 s later although its timeout was 25 s: a long \
             poll waits for the next publish up to its timeout, never without a bound"
        ),
    }
}

#[tokio::test(start_paused = true)]
async fn ch04_ex01_a_quiet_poll_times_out_empty_and_a_late_event_wakes_it() {
    use ex01_long_poll::EventLog;
    let log = Arc::new(EventLog::default());
    let start = tokio::time::Instant::now();
    let quiet = bounded_poll(
        "a poll with nothing published",
        log.wait_after(0, Duration::from_secs(25)),
    )
    .await;
    assert_eq!(
        quiet,
        [],
        "a poll with nothing published answers empty after its timeout: left = yours, \
         right = expected"
    );
    assert!(
        start.elapsed() >= Duration::from_secs(25),
        "a poll with nothing published waits its whole 25 s timeout; yours answered after {:?}",
        start.elapsed()
    );
    let late = log.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(3)).await;
        late.publish("late");
    });
    let start = tokio::time::Instant::now();
    assert_eq!(
        bounded_poll(
            "a poll with an event published 3 s later",
            log.wait_after(0, Duration::from_secs(25))
        )
        .await,
        [(1, "late".to_owned())],
        "a poll woken by an event published 3 s later: left = yours, right = expected"
    );
    assert_eq!(
        start.elapsed().as_secs(),
        3,
        "the poll answers as soon as the event is published (after 3 s): left = your delay in \
         seconds, right = expected"
    );
}

#[tokio::test(start_paused = true)]
async fn ch04_ex01_events_already_there_are_answered_at_once() {
    use ex01_long_poll::EventLog;
    let log = EventLog::default();
    for data in ["a", "b", "c"] {
        log.publish(data);
    }
    for (after, want) in [
        (0, vec![(1, "a"), (2, "b"), (3, "c")]),
        (1, vec![(2, "b"), (3, "c")]),
        (2, vec![(3, "c")]),
    ] {
        let start = tokio::time::Instant::now();
        let got = bounded_poll(
            "a poll with events already in the log",
            log.wait_after(after, Duration::from_secs(25)),
        )
        .await;
        let want: Vec<(u64, String)> = want.into_iter().map(|(id, d)| (id, d.to_owned())).collect();
        assert_eq!(
            got, want,
            "a poll after id {after}, with 3 events already in the log and nothing more \
             published: left = yours, right = expected"
        );
        assert_eq!(
            start.elapsed(),
            Duration::ZERO,
            "a poll after id {after} with events already there answers at once, without waiting \
             for another publish: left = how long yours waited, right = expected"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn ch04_ex01_a_waiting_poll_sleeps_until_woken() {
    use ex01_long_poll::EventLog;
    // A correct poll looks at the log once before it waits and once after (woken or timed out):
    // a few checks, however long it waits. A poll that re-checks on a timer instead of waiting
    // for the notification looks hundreds of times.
    const MOST: usize = 4;
    let log = Arc::new(EventLog::default());
    let before = log.checks();
    let quiet = bounded_poll(
        "a poll with nothing published",
        log.wait_after(0, Duration::from_secs(25)),
    )
    .await;
    assert_eq!(
        quiet,
        [],
        "a quiet 25 s poll answers empty: left = yours, right = expected"
    );
    let checks = log.checks() - before;
    assert!(
        checks <= MOST,
        "during a quiet 25 s poll your code looked at the log (called `after`) {checks} times; \
         a long poll waits for the `published` notification and looks at most {MOST} times"
    );
    let late = log.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(20)).await;
        late.publish("late");
    });
    let before = log.checks();
    let woken = bounded_poll(
        "a poll with an event published 20 s later",
        log.wait_after(0, Duration::from_secs(25)),
    )
    .await;
    assert_eq!(
        woken,
        [(1, "late".to_owned())],
        "a poll woken by an event published 20 s later: left = yours, right = expected"
    );
    let checks = log.checks() - before;
    assert!(
        checks <= MOST,
        "during a poll woken after 20 s your code looked at the log (called `after`) {checks} \
         times; a long poll waits for the `published` notification and looks at most {MOST} \
         times"
    );
}

// ---------------------------------------------------------------- ex02: polling client

#[tokio::test]
async fn ch04_ex02_polls_everything_once_in_order() {
    let hub = Hub::new(HubConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = sse_longpoll::router(hub.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    // Three bursts with quiet gaps of several poll intervals between them, so that some polls
    // find nothing new.
    let publishing = tokio::spawn(async move {
        for n in 1..=30 {
            hub.publish("prices", sse_format::Event::new().data(format!("p{n}")))
                .await
                .unwrap();
            let pause = if n % 10 == 0 { 150 } else { 3 };
            tokio::time::sleep(Duration::from_millis(pause)).await;
        }
    });
    let got = within(
        "poll_all",
        ex02_polling_client::poll_all(&base, "prices", 30, Duration::from_millis(20)),
    )
    .await;
    within("the publisher", publishing)
        .await
        .expect("the publisher task");
    match got {
        Ok(got) => assert_eq!(
            got,
            (1..=30).map(|n| format!("p{n}")).collect::<Vec<_>>(),
            "30 messages published in three bursts: each once, in order: \
             left = yours, right = expected"
        ),
        Err(error) => panic!("poll_all gave up with Err({error:?})"),
    }
}

/// Serves `app` on loopback with every request counted; returns the base URL and the count.
async fn serve_counted(app: axum::Router) -> (String, Arc<AtomicUsize>) {
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    let app = app.layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            counter.fetch_add(1, Ordering::SeqCst);
            next.run(request)
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, requests)
}

#[tokio::test]
async fn ch04_ex02_an_error_ends_the_polls() {
    // A server whose every poll fails: 503, as an overloaded server or a proxy answers.
    let app = axum::Router::new().route(
        "/poll/{channel}",
        axum::routing::get(|| async { (axum::http::StatusCode::SERVICE_UNAVAILABLE, "try later") }),
    );
    let (base, requests) = serve_counted(app).await;
    let got = within(
        "poll_all against a server that answers 503",
        ex02_polling_client::poll_all(&base, "prices", 1, Duration::from_millis(5)),
    )
    .await;
    match got {
        Ok(got) => {
            panic!("the server answered every poll with 503, yet poll_all returned Ok({got:?})")
        }
        Err(error) => assert!(
            !error.is_empty(),
            "poll_all's Err must say what went wrong; yours is empty"
        ),
    }
    assert_eq!(
        requests.load(Ordering::SeqCst),
        1,
        "the first poll failed (503): an error ends the function at once, with that error: \
         left = the polls you made, right = expected"
    );
}

#[tokio::test]
async fn ch04_ex02_gives_up_after_200_polls() {
    let (base, requests) =
        serve_counted(sse_longpoll::router(Hub::new(HubConfig::default()))).await;
    let got = within(
        "poll_all on a channel where nothing is published",
        ex02_polling_client::poll_all(&base, "quiet", 1, Duration::from_millis(1)),
    )
    .await;
    if let Ok(got) = got {
        panic!("nothing was published, yet poll_all returned Ok({got:?})");
    }
    assert_eq!(
        requests.load(Ordering::SeqCst),
        200,
        "nothing was published: the client gives up with Err after exactly 200 polls: \
         left = the polls you made, right = expected"
    );
}

#[tokio::test]
async fn ch04_ex02_polls_are_interval_apart() {
    let hub = Hub::new(HubConfig::default());
    let (base, requests) = serve_counted(sse_longpoll::router(hub.clone())).await;
    let interval = Duration::from_millis(50);
    let publishing = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        hub.publish("quiet", sse_format::Event::new().data("at last"))
            .await
            .unwrap();
    });
    let start = std::time::Instant::now();
    let got = within(
        "poll_all on a channel quiet for 500 ms",
        ex02_polling_client::poll_all(&base, "quiet", 1, interval),
    )
    .await;
    let elapsed = start.elapsed();
    within("the publisher", publishing)
        .await
        .expect("the publisher task");
    match got {
        Ok(got) => assert_eq!(
            got,
            ["at last"],
            "one message published after 500 ms: left = yours, right = expected"
        ),
        Err(error) => panic!("poll_all gave up with Err({error:?})"),
    }
    // Polls `interval` apart, the first at once: at most elapsed / interval + 1 of them, however
    // slow the machine (a late tick never adds polls).
    let most = (elapsed.as_millis() / interval.as_millis()) as usize + 2;
    let made = requests.load(Ordering::SeqCst);
    assert!(
        made <= most,
        "with polls 50 ms apart, {elapsed:?} allow at most {most} polls; yours made {made}: \
         wait `interval` between polls instead of polling as fast as the server answers"
    );
}

/// A server slower than nothing: each poll is answered 200 ms after it arrives, and the arrival
/// times are kept. Polls 400 ms apart "however long each takes" start 400 ms apart; a client that
/// sleeps `interval` after each answer starts them 600 ms apart or more, and drifts. Only lower
/// bounds are certain on a loaded machine (a sleep never ends early), so the test compares the
/// middle gap with the halfway mark, 500 ms.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ch04_ex02_slow_answers_do_not_push_the_polls_apart() {
    let hub = Hub::new(HubConfig::default());
    let arrivals = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = arrivals.clone();
    let app = sse_longpoll::router(hub.clone()).layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            seen.lock().unwrap().push(std::time::Instant::now());
            async move {
                tokio::time::sleep(Duration::from_millis(200)).await;
                next.run(request).await
            }
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let publishing = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(2300)).await;
        hub.publish("slow", sse_format::Event::new().data("late \u{e9}"))
            .await
            .unwrap();
    });
    let got = within(
        "poll_all against a server that takes 200 ms per answer",
        ex02_polling_client::poll_all(&base, "slow", 1, Duration::from_millis(400)),
    )
    .await;
    within("the publisher", publishing)
        .await
        .expect("the publisher task");
    assert_eq!(
        got,
        Ok(vec!["late \u{e9}".to_owned()]),
        "left = yours, right = expected"
    );
    let arrivals = arrivals.lock().unwrap().clone();
    let mut gaps: Vec<Duration> = arrivals.windows(2).map(|w| w[1] - w[0]).collect();
    gaps.sort();
    let middle = gaps.get(gaps.len() / 2).copied().unwrap_or_default();
    assert!(
        arrivals.len() >= 3 && middle < Duration::from_millis(500),
        "polls every 400 ms, each answered after 200 ms: yours started {} polls, the middle gap \
         between two of them {middle:?}; the polls must be `interval` apart however long each \
         takes (a timer that ticks every `interval`), not `interval` after each answer",
        arrivals.len()
    );
}

// ---------------------------------------------------------------- ex03: overhead bytes

#[test]
fn ch04_ex03_overhead_table() {
    use ex03_overhead::*;
    let mut out = String::from(
        "payload | SSE event | + HTTP chunk | WebSocket frame (server) | WebSocket frame (client, masked)\n",
    );
    for len in [0, 5, 64, 125, 126, 1000, 65535, 65536] {
        let data = "x".repeat(len);
        let event = sse_event_bytes(1234, &data);
        writeln!(
            out,
            "{len} | {event} | {} | {} | {}",
            chunk_bytes(event),
            websocket_frame_bytes(len, false),
            websocket_frame_bytes(len, true)
        )
        .unwrap();
    }
    snapshot!(
        "ch04_ex03_overhead",
        "ch04::ex03: the bytes of one message of each payload size, per transport (your counts).",
        out,
    );
}

#[test]
fn ch04_ex03_matches_the_real_encoders() {
    for (id, data) in [(42, "x"), (7, "hello"), (123_456, "{\"price\": 101.5}")] {
        let wire = sse_format::Event::new()
            .id(id.to_string())
            .data(data)
            .to_bytes()
            .expect("a valid event");
        assert_eq!(
            ex03_overhead::sse_event_bytes(id, data),
            wire.len(),
            "sse_event_bytes({id}, {data:?}), against the bytes sse_format writes: \
             left = yours, right = expected"
        );
    }
    use tokio_tungstenite::tungstenite::protocol::frame::Frame;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
    for len in [0, 1, 125, 126, 127, 65535, 65536, 70_000] {
        for masked in [false, true] {
            let mut frame = Frame::message(vec![b'x'; len], OpCode::Data(Data::Text), true);
            if masked {
                frame.header_mut().mask = Some([1, 2, 3, 4]);
            }
            let mut wire = Vec::new();
            frame.format(&mut wire).expect("a frame");
            assert_eq!(
                ex03_overhead::websocket_frame_bytes(len, masked),
                wire.len(),
                "websocket_frame_bytes({len}, masked: {masked}), against the bytes tungstenite \
                 writes: left = yours, right = expected"
            );
        }
    }
}

#[test]
fn ch04_ex03_chunk_size_is_hex() {
    // Expected: the size in hex ("f", "10", "ff", "100", "3e8", "fff", "1000"), CRLF, the data, CRLF.
    for (len, want) in [
        (9, 14),
        (15, 20),
        (16, 22),
        (255, 261),
        (256, 263),
        (1000, 1007),
        (4095, 4102),
        (4096, 4104),
    ] {
        assert_eq!(
            ex03_overhead::chunk_bytes(len),
            want,
            "chunk_bytes({len}): the chunk size is written in hexadecimal: \
             left = yours, right = expected"
        );
    }
}

/// The bytes `sse_format`'s encoder writes for an event with `id` and `data` (the reference).
fn encoded_event_len(id: u64, data: &str) -> usize {
    sse_format::Event::new()
        .id(id.to_string())
        .data(data)
        .to_bytes()
        .expect("a valid event")
        .len()
}

/// The bytes of one HTTP/1.1 chunk of `len` bytes, written out (the reference).
fn encoded_chunk_len(len: usize) -> usize {
    let mut chunk = format!("{len:x}\r\n").into_bytes();
    chunk.resize(chunk.len() + len, b'x');
    chunk.extend_from_slice(b"\r\n");
    chunk.len()
}

/// The bytes tungstenite writes for one text frame of `len` bytes (the reference).
fn encoded_frame_len(len: usize, masked: bool) -> usize {
    use tokio_tungstenite::tungstenite::protocol::frame::Frame;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
    let mut frame = Frame::message(vec![b'x'; len], OpCode::Data(Data::Text), true);
    if masked {
        frame.header_mut().mask = Some([1, 2, 3, 4]);
    }
    let mut wire = Vec::new();
    frame.format(&mut wire).expect("a frame");
    wire.len()
}

#[test]
fn ch04_ex03_counts_utf8_bytes_not_chars() {
    for data in [
        "é",
        "héllo",
        "€100",
        "日本語",
        "🎉 done",
        "naïve café, 10 €",
    ] {
        assert_eq!(
            ex03_overhead::sse_event_bytes(7, data),
            encoded_event_len(7, data),
            "sse_event_bytes(7, {data:?}) ({} characters, {} bytes in UTF-8), against the bytes \
             sse_format writes: left = yours, right = expected",
            data.chars().count(),
            data.len()
        );
    }
}

#[test]
fn ch04_ex03_ids_of_every_length() {
    let mut ids = vec![0, 1, 9, 10, u64::MAX - 1, u64::MAX];
    for k in 1..=19 {
        ids.push(10u64.pow(k) - 1);
        ids.push(10u64.pow(k));
    }
    for id in ids {
        assert_eq!(
            ex03_overhead::sse_event_bytes(id, "x"),
            encoded_event_len(id, "x"),
            "sse_event_bytes({id}, \"x\") (an id of {} digits), against the bytes sse_format \
             writes: left = yours, right = expected",
            id.to_string().len()
        );
    }
}

/// Ids with every number of digits, and the values at each edge.
fn any_id() -> impl proptest::strategy::Strategy<Value = u64> {
    use proptest::prelude::*;
    prop_oneof![
        0u64..1000,
        any::<u64>(),
        (1u32..=19).prop_map(|k| 10u64.pow(k) - 1),
        (1u32..=19).prop_map(|k| 10u64.pow(k)),
        Just(u64::MAX),
    ]
}

/// Lengths around every boundary of a chunk size and a WebSocket length, and some others.
fn any_len() -> impl proptest::strategy::Strategy<Value = usize> {
    use proptest::prelude::*;
    prop_oneof![
        0usize..300,
        (1u32..=4).prop_map(|k| 16usize.pow(k) - 1),
        (1u32..=4).prop_map(|k| 16usize.pow(k)),
        prop_oneof![
            Just(125usize),
            Just(126),
            Just(127),
            Just(65535),
            Just(65536)
        ],
        0usize..70_000,
    ]
}

proptest::proptest! {
    // Few cases, no regression file: a failure prints its shrunk input.
    #![proptest_config(proptest::prelude::ProptestConfig {
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::with_cases(64)
    })]

    #[test]
    fn ch04_ex03_sse_event_bytes_match_the_encoder(id in any_id(), data in "[^\r\n]{1,8}") {
        proptest::prop_assert_eq!(
            ex03_overhead::sse_event_bytes(id, &data),
            encoded_event_len(id, &data),
            "sse_event_bytes({}, {:?}), against the bytes sse_format writes: left = yours, \
             right = expected",
            id,
            data
        );
    }

    #[test]
    fn ch04_ex03_chunk_and_frame_bytes_match_the_encoders(len in any_len(), masked: bool) {
        proptest::prop_assert_eq!(
            ex03_overhead::chunk_bytes(len),
            encoded_chunk_len(len),
            "chunk_bytes({}), against the chunk written out: left = yours, right = expected",
            len
        );
        proptest::prop_assert_eq!(
            ex03_overhead::websocket_frame_bytes(len, masked),
            encoded_frame_len(len, masked),
            "websocket_frame_bytes({}, masked: {}), against the bytes tungstenite writes: \
             left = yours, right = expected",
            len,
            masked
        );
    }
}

// ---------------------------------------------------------------- ex04: WebSocket forward

thread_local! {
    /// The panics of this thread, recorded by the hook `watch_panics` installs.
    static PANICS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Records every panic in the thread where it happens, then reports it as usual; returns how many
/// this thread has seen so far. A `#[tokio::test]` runs its runtime on the test's own thread, so
/// the tasks your router spawns (axum's upgrade task among them) panic here: tokio would drop
/// such a panicked task silently, and the test could not see it otherwise.
fn watch_panics() -> usize {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = PANICS.try_with(|panics| panics.borrow_mut().push(info.to_string()));
            previous(info);
        }));
    });
    PANICS.with(|panics| panics.borrow().len())
}

/// Fails if a task of this test has panicked since `watch_panics` returned `before`.
fn assert_no_task_panicked(before: usize, what: &str) {
    let panics: Vec<String> = PANICS.with(|panics| panics.borrow()[before..].to_vec());
    assert!(
        panics.is_empty(),
        "{what}: a task of your server panicked (tokio drops a panicked task silently, so only \
         this check sees it): {panics:#?}. A client that goes away is normal: end the connection \
         quietly instead of panicking"
    );
}

/// Waits up to 10 s for the hub to have `want` subscribers on `channel`, publishing nothing.
async fn wait_for_subscribers(hub: &Hub, channel: &str, want: usize, what: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while hub.subscriber_count(channel) != want && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        hub.subscriber_count(channel),
        want,
        "{what}: the hub's subscribers on {channel} (nothing published meanwhile), 10 s later: \
         left = yours, right = expected"
    );
}

/// Opens a WebSocket to `/ws/{channel}`.
async fn connect(addr: std::net::SocketAddr, channel: &str) -> Socket {
    match within(
        "the handshake",
        tokio_tungstenite::connect_async(format!("ws://{addr}/ws/{channel}")),
    )
    .await
    {
        Ok((socket, _)) => socket,
        Err(error) => panic!("the WebSocket handshake with /ws/{channel} failed: {error}"),
    }
}

/// Serves the exercise's router for `hub`; returns the address.
async fn serve_ws(hub: &Hub) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = ex04_ws_forward::router(hub.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// Publishes `{prefix}{n}` on `channel` every 5 ms until aborted.
fn keep_publishing(
    hub: &Hub,
    channel: &'static str,
    prefix: &'static str,
) -> tokio::task::JoinHandle<()> {
    let hub = hub.clone();
    tokio::spawn(async move {
        for n in 1.. {
            hub.publish(
                channel,
                sse_format::Event::new().data(format!("{prefix}{n}")),
            )
            .await
            .unwrap();
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Reads `n` text messages and parses each as `(id, data)`.
async fn read_texts(socket: &mut Socket, n: usize, what: &str) -> Vec<(EventId, String)> {
    use futures::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let mut parsed = Vec::new();
    while parsed.len() < n {
        match within(what, socket.next()).await {
            Some(Ok(Message::Text(text))) => {
                let Some((id, data)) = text.split_once(':') else {
                    panic!("{what}: your message {text:?} is not \"id:data\"");
                };
                let Ok(id) = id.parse::<EventId>() else {
                    panic!("{what}: the id in your message {text:?} is not the hub's id");
                };
                parsed.push((id, data.to_owned()));
            }
            Some(Ok(_)) => {}
            Some(Err(error)) => panic!("{what}: the socket failed: {error}"),
            None => panic!("{what}: your server closed the socket"),
        }
    }
    parsed
}

#[tokio::test]
async fn ch04_ex04_forwards_the_hub_over_websocket() {
    let panics = watch_panics();
    let hub = Hub::new(HubConfig::default());
    let addr = serve_ws(&hub).await;
    let mut news = connect(addr, "news").await;
    let mut sport = connect(addr, "sport").await;
    // The subscriptions start after the handshakes: publish until messages arrive. The data is
    // not ASCII, as text on a WebSocket often is not.
    let publishing = [
        keep_publishing(&hub, "news", "né"),
        keep_publishing(&hub, "sport", "spört "),
    ];
    let news_got = read_texts(&mut news, 5, "reading /ws/news").await;
    let sport_got = read_texts(&mut sport, 5, "reading /ws/sport").await;
    for task in publishing {
        task.abort();
    }
    for (channel, prefix, got) in [("news", "né", news_got), ("sport", "spört ", sport_got)] {
        // The hub's ids increase along a channel (they need not be consecutive: in memory the
        // sequence is shared by every channel), and the data numbers events one by one.
        let ids: Vec<EventId> = got.iter().map(|(id, _)| *id).collect();
        assert!(
            ids.windows(2).all(|pair| pair[0] < pair[1]),
            "the ids of five messages on /ws/{channel} must increase: yours are {ids:?}"
        );
        let data: Vec<String> = got.into_iter().map(|(_, data)| data).collect();
        let first: u64 = data[0]
            .strip_prefix(prefix)
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| {
                panic!("your first message on /ws/{channel} has data {:?}", data[0])
            });
        let want: Vec<String> = (first..first + 5).map(|n| format!("{prefix}{n}")).collect();
        assert_eq!(
            data, want,
            "the data of five consecutive messages on /ws/{channel}: each event of its own \
             channel, in order, none skipped: left = yours, right = expected"
        );
    }
    assert_no_task_panicked(panics, "forwarding two channels");
}

#[tokio::test]
async fn ch04_ex04_a_closed_socket_ends_its_subscription() {
    let panics = watch_panics();
    let hub = Hub::new(HubConfig::default());
    let addr = serve_ws(&hub).await;
    let mut socket = connect(addr, "news").await;
    let publishing = keep_publishing(&hub, "news", "n");
    read_texts(&mut socket, 2, "reading /ws/news").await;
    assert_eq!(
        hub.subscriber_count("news"),
        1,
        "while the client is connected, the hub has one subscriber on news: \
         left = yours, right = expected"
    );
    drop(socket); // the client goes away without a word
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while hub.subscriber_count("news") > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    publishing.abort();
    assert_eq!(
        hub.subscriber_count("news"),
        0,
        "5 s after the client disconnected (events still being published every 5 ms), its hub \
         subscription must be gone: left = your subscriber count, right = expected"
    );
    assert_no_task_panicked(
        panics,
        "a client that disconnected while events were published",
    );
}

#[tokio::test]
async fn ch04_ex04_a_client_gone_from_a_quiet_channel_is_noticed() {
    let panics = watch_panics();
    let hub = Hub::new(HubConfig::default());
    let addr = serve_ws(&hub).await;
    let socket = connect(addr, "news").await;
    wait_for_subscribers(&hub, "news", 1, "a client connected to /ws/news").await;
    drop(socket); // the client goes away without a word, and nothing is ever published
    wait_for_subscribers(
        &hub,
        "news",
        0,
        "a client disconnected from a quiet channel: your server must notice it by reading the \
         socket, not wait for the next publish to fail",
    )
    .await;
    assert_no_task_panicked(panics, "a client that disconnected from a quiet channel");
}

#[tokio::test]
async fn ch04_ex04_a_close_is_answered_with_a_close() {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::protocol::CloseFrame;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
    let panics = watch_panics();
    for busy in [false, true] {
        let what = if busy {
            "a client that sent Close while events were published"
        } else {
            "a client that sent Close on a quiet channel"
        };
        let hub = Hub::new(HubConfig::default());
        let addr = serve_ws(&hub).await;
        let mut socket = connect(addr, "news").await;
        let publishing = busy.then(|| keep_publishing(&hub, "news", "n"));
        if busy {
            read_texts(&mut socket, 2, "reading /ws/news").await;
        } else {
            wait_for_subscribers(&hub, "news", 1, "a client connected to /ws/news").await;
        }
        let bye = CloseFrame {
            code: CloseCode::Normal,
            reason: "bye".into(),
        };
        if let Err(error) = within("sending Close", socket.send(Message::Close(Some(bye)))).await {
            panic!("{what}: sending the client's Close failed: {error}");
        }
        // RFC 6455 section 5.5.1: the server answers with a Close (messages it had already sent
        // may arrive first).
        let answer = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                match socket.next().await {
                    Some(Ok(Message::Close(_))) => return Ok(()),
                    Some(Ok(_)) => {}
                    Some(Err(error)) => return Err(format!("the connection failed: {error}")),
                    None => return Err("the connection ended".to_owned()),
                }
            }
        })
        .await;
        match answer {
            Ok(Ok(())) => {}
            Ok(Err(how)) => panic!(
                "{what}: {how} without a Close frame from your server; RFC 6455 section 5.5.1: \
                 an endpoint that receives a Close sends a Close in response"
            ),
            Err(_) => panic!(
                "{what}: no Close frame from your server within 5 s; RFC 6455 section 5.5.1: an \
                 endpoint that receives a Close sends a Close in response"
            ),
        }
        if let Some(publishing) = publishing {
            publishing.abort();
        }
        wait_for_subscribers(&hub, "news", 0, what).await;
    }
    assert_no_task_panicked(panics, "clients that sent Close");
}

#[tokio::test]
async fn ch04_ex04_a_client_gone_mid_send_ends_the_task_without_a_panic() {
    let panics = watch_panics();
    let hub = Hub::new(HubConfig::default().with_max_event_bytes(32 << 20));
    let addr = serve_ws(&hub).await;
    // A client with a tiny receive buffer that never reads: one large message fills every buffer
    // between the two, so your server is in the middle of sending it when the client goes away.
    let tcp = tokio::net::TcpSocket::new_v4().expect("a socket");
    tcp.set_recv_buffer_size(4096)
        .expect("a receive buffer size");
    let stream = within("connecting", tcp.connect(addr))
        .await
        .expect("connecting to the server");
    let (socket, _) = within(
        "the handshake",
        tokio_tungstenite::client_async(format!("ws://{addr}/ws/news"), stream),
    )
    .await
    .expect("the WebSocket handshake with /ws/news");
    wait_for_subscribers(&hub, "news", 1, "a client connected to /ws/news").await;
    hub.publish("news", sse_format::Event::new().data("x".repeat(16 << 20)))
        .await
        .expect("a 16 MiB event");
    // The first bytes of the message have arrived: the send has begun, and cannot end while
    // the client does not read.
    within(
        "the first bytes of a 16 MiB message",
        socket.get_ref().readable(),
    )
    .await
    .expect("the client's socket");
    drop(socket); // gone, with unread data: the server's send fails
    wait_for_subscribers(
        &hub,
        "news",
        0,
        "a client that went away while a 16 MiB message was being sent to it",
    )
    .await;
    assert_no_task_panicked(
        panics,
        "a client that went away while a message was being sent",
    );
}

// ---------------------------------------------------------------- ex05: polling requests

/// The reference: polls at 0, interval, 2 * interval, ... up to and including `duration`,
/// counted in u128 where the one extra poll cannot overflow.
fn reference_polling_requests(duration_ms: u64, interval_ms: u64) -> Option<u64> {
    if interval_ms == 0 {
        return None;
    }
    let polls = u128::from(duration_ms) / u128::from(interval_ms) + 1;
    u64::try_from(polls).ok()
}

/// Calls `polling_requests`, turning a panic into a readable failure.
fn ex05_call(duration_ms: u64, interval_ms: u64) -> Option<u64> {
    match std::panic::catch_unwind(|| {
        ex05_polling_requests::polling_requests(duration_ms, interval_ms)
    }) {
        Ok(answer) => answer,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            panic!(
                "polling_requests({duration_ms}, {interval_ms}) panicked ({message}); expected \
                 {:?}: it must never panic",
                reference_polling_requests(duration_ms, interval_ms)
            )
        }
    }
}

/// Checks each `(duration_ms, interval_ms, expected)` and reports every wrong answer at once.
fn ex05_check(cases: &[(u64, u64, Option<u64>)]) {
    let mut wrong = String::new();
    for &(duration_ms, interval_ms, expected) in cases {
        let yours = ex05_call(duration_ms, interval_ms);
        if yours != expected {
            let _ = writeln!(
                wrong,
                "  polling_requests({duration_ms}, {interval_ms}): yours {yours:?}, expected \
                 {expected:?}"
            );
        }
    }
    assert!(wrong.is_empty(), "wrong request counts:\n{wrong}");
}

#[test]
fn ch04_ex05_counts_the_poll_at_zero_and_at_the_end() {
    ex05_check(&[
        // A second at 250 ms: polls at 0, 250, 500, 750 and 1000.
        (1_000, 250, Some(5)),
        // The end falls between two polls: the last one is at 1000.
        (1_100, 250, Some(5)),
        (999, 250, Some(4)),
        // A window shorter than one interval still has the poll at time 0.
        (249, 250, Some(1)),
        (0, 250, Some(1)),
        (250, 250, Some(2)),
        // The book's minute: 240 polls in it, and the one at 60,000 ms included.
        (60_000, 250, Some(241)),
        (60_000, 1_000, Some(61)),
        (0, 1, Some(1)),
        (1, 1, Some(2)),
        (7, 3, Some(3)),
        (1, 2, Some(1)),
    ]);
}

#[test]
fn ch04_ex05_a_zero_interval_is_none_never_a_panic() {
    ex05_check(&[(0, 0, None), (1_000, 0, None), (u64::MAX, 0, None)]);
}

#[test]
fn ch04_ex05_never_overflows_near_u64_max() {
    ex05_check(&[
        // u64::MAX + 1 polls: the one count that does not fit.
        (u64::MAX, 1, None),
        (u64::MAX - 1, 1, Some(u64::MAX)),
        (u64::MAX, 2, Some(1 << 63)),
        (u64::MAX, u64::MAX, Some(2)),
        (u64::MAX - 1, u64::MAX, Some(1)),
        (1_000, u64::MAX, Some(1)),
        // Beyond what an f64 holds exactly.
        ((1 << 53) + 1, 1, Some((1 << 53) + 2)),
        (u64::MAX - 2, 3, Some(u64::MAX / 3)),
    ]);
}

/// `(duration_ms, interval_ms)` pairs: small, round and near `u64::MAX`; windows that are a
/// whole number of intervals; tiny intervals (0 included) over the longest windows.
fn ex05_pair() -> impl proptest::strategy::Strategy<Value = (u64, u64)> {
    use proptest::prelude::*;
    let number = || {
        prop_oneof![
            0u64..2_000,
            (0u64..1_000).prop_map(|n| n * 250),
            (0u64..1_000).prop_map(|n| u64::MAX - n),
            any::<u64>(),
        ]
    };
    prop_oneof![
        (number(), number()),
        (1u64..1_000, 0u64..1_000).prop_map(|(interval, k)| (interval * k, interval)),
        (0u64..4, 0u64..4).prop_map(|(n, interval)| (u64::MAX - n, interval)),
    ]
}

proptest::proptest! {
    // Few cases, no regression file: a failure prints its shrunk input.
    #![proptest_config(proptest::prelude::ProptestConfig {
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::with_cases(256)
    })]

    #[test]
    fn ch04_ex05_behaves_like_the_reference((duration_ms, interval_ms) in ex05_pair()) {
        proptest::prop_assert_eq!(
            ex05_call(duration_ms, interval_ms),
            reference_polling_requests(duration_ms, interval_ms),
            "polling_requests({}, {}): left = yours, right = expected",
            duration_ms,
            interval_ms
        );
    }
}

// ---------------------------------------------------------------- ex06: control frames

/// The reference answer: RFC 6455 5.5.1-5.5.3, with tungstenite's `CloseCode::is_allowed` as the
/// rule for which status codes may be sent (7.4).
fn reference_answer(frame: &ex06_control_frame::Frame) -> Option<ex06_control_frame::Frame> {
    use ex06_control_frame::Frame;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
    match frame {
        Frame::Ping(payload) => Some(Frame::Pong(payload.clone())),
        Frame::Close(None) => Some(Frame::Close(None)),
        Frame::Close(Some(code)) => {
            let allowed = CloseCode::from(*code).is_allowed();
            Some(Frame::Close(Some(if allowed { *code } else { 1002 })))
        }
        Frame::Pong(_) | Frame::Text(_) | Frame::Binary(_) => None,
    }
}

/// A panic's message, for a readable failure.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

/// Calls `answer`, turning a panic into a readable failure.
fn ex06_call(frame: &ex06_control_frame::Frame) -> Option<ex06_control_frame::Frame> {
    match std::panic::catch_unwind(|| ex06_control_frame::answer(frame)) {
        Ok(reply) => reply,
        Err(panic) => panic!(
            "answer({frame:?}) panicked ({}); expected {:?}: it must never panic",
            panic_message(&*panic),
            reference_answer(frame)
        ),
    }
}

/// Checks each `(frame, expected answer)` and reports every wrong answer at once.
fn ex06_check(cases: &[(ex06_control_frame::Frame, Option<ex06_control_frame::Frame>)]) {
    let mut wrong = String::new();
    for (frame, expected) in cases {
        let yours = ex06_call(frame);
        if &yours != expected {
            let _ = writeln!(
                wrong,
                "  answer({frame:?}): yours {yours:?}, expected {expected:?}"
            );
        }
    }
    assert!(wrong.is_empty(), "wrong answers to frames:\n{wrong}");
}

#[test]
fn ch04_ex06_a_ping_is_answered_with_a_pong_of_its_own_payload() {
    use ex06_control_frame::Frame::{Ping, Pong};
    let payloads: Vec<Vec<u8>> = vec![
        b"are you there?".to_vec(),
        b"1733572800123".to_vec(),
        "héllo ✓".as_bytes().to_vec(),
        vec![0x00, 0xff, 0x80, 0x0a],
        // The longest a control frame may carry.
        vec![0xab; 125],
        // An empty Ping is answered with an empty Pong.
        Vec::new(),
    ];
    let cases: Vec<_> = payloads
        .into_iter()
        .map(|payload| (Ping(payload.clone()), Some(Pong(payload))))
        .collect();
    ex06_check(&cases);
}

#[test]
fn ch04_ex06_pongs_and_data_frames_get_no_answer() {
    use ex06_control_frame::Frame::{Binary, Pong, Text};
    ex06_check(&[
        (Pong(Vec::new()), None),
        (Pong(b"are you there?".to_vec()), None),
        (Pong(vec![0xff; 125]), None),
        (Text(String::new()), None),
        (Text("ping".into()), None),
        (Text("close ✓".into()), None),
        (Binary(Vec::new()), None),
        // The bytes of a Ping frame's header, as data: still data.
        (Binary(vec![0x89, 0x00]), None),
    ]);
}

#[test]
fn ch04_ex06_a_close_is_answered_with_the_same_code() {
    use ex06_control_frame::Frame::Close;
    let mut cases = vec![(Close(None), Some(Close(None)))];
    for code in [
        1000, 1001, 1002, 1003, 1007, 1008, 1009, 1011, 1012, 1013, 3000, 3001, 3999, 4000, 4321,
        4999,
    ] {
        cases.push((Close(Some(code)), Some(Close(Some(code)))));
    }
    ex06_check(&cases);
}

#[test]
fn ch04_ex06_a_code_that_may_not_be_sent_is_answered_1002() {
    use ex06_control_frame::Frame::Close;
    let cases: Vec<_> = [
        0,
        1,
        999,
        // Reserved; "no status code"; "closed without a Close": never on the wire.
        1004,
        1005,
        1006,
        1014,
        1015,
        1016,
        2000,
        2999,
        5000,
        u16::MAX,
    ]
    .into_iter()
    .map(|code| (Close(Some(code)), Some(Close(Some(1002)))))
    .collect();
    ex06_check(&cases);
}

/// Frames of every kind: payloads up to 125 bytes, texts not only ASCII, close codes anywhere
/// and around each boundary of the rule.
fn ex06_frame() -> impl proptest::strategy::Strategy<Value = ex06_control_frame::Frame> {
    use ex06_control_frame::Frame;
    use proptest::prelude::*;
    let payload = || proptest::collection::vec(any::<u8>(), 0..=125);
    let near = |edge: u16| (0u16..5).prop_map(move |d| edge.saturating_add(d).saturating_sub(2));
    prop_oneof![
        payload().prop_map(Frame::Ping),
        payload().prop_map(Frame::Pong),
        "\\PC{0,20}".prop_map(Frame::Text),
        payload().prop_map(Frame::Binary),
        Just(Frame::Close(None)),
        any::<u16>().prop_map(|code| Frame::Close(Some(code))),
        (990u16..5010).prop_map(|code| Frame::Close(Some(code))),
        prop::sample::select(vec![1000u16, 1004, 1006, 1007, 1013, 1015, 3000, 4999])
            .prop_flat_map(near)
            .prop_map(|code| Frame::Close(Some(code))),
    ]
}

proptest::proptest! {
    // Few cases, no regression file: a failure prints its shrunk input.
    #![proptest_config(proptest::prelude::ProptestConfig {
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::with_cases(256)
    })]

    #[test]
    fn ch04_ex06_behaves_like_tungstenite(frame in ex06_frame()) {
        proptest::prop_assert_eq!(
            ex06_call(&frame),
            reference_answer(&frame),
            "answer({:?}): left = yours, right = expected",
            frame
        );
    }
}

// ---------------------------------------------------------------- ex07: the accept key

/// The reference: tungstenite's own `derive_accept_key` for a key that is base64 of 16 bytes
/// (strictly decoded: standard alphabet, padding required), `Err(BadKey)` for anything else.
fn reference_accept_key(key: &str) -> Result<String, ex07_accept_key::BadKey> {
    use base64::Engine as _;
    use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
    match base64::engine::general_purpose::STANDARD.decode(key) {
        Ok(bytes) if bytes.len() == 16 => Ok(derive_accept_key(key.as_bytes())),
        _ => Err(ex07_accept_key::BadKey),
    }
}

/// Calls `accept_key`, turning a panic into a readable failure.
fn ex07_call(key: &str) -> Result<String, ex07_accept_key::BadKey> {
    match std::panic::catch_unwind(|| ex07_accept_key::accept_key(key)) {
        Ok(answer) => answer,
        Err(panic) => panic!(
            "accept_key({key:?}) panicked ({}); expected {:?}: it must never panic",
            panic_message(&*panic),
            reference_accept_key(key)
        ),
    }
}

/// Checks each `(key, expected)` and reports every wrong answer at once.
fn ex07_check(cases: &[(&str, Result<String, ex07_accept_key::BadKey>)]) {
    let mut wrong = String::new();
    for (key, expected) in cases {
        let yours = ex07_call(key);
        if &yours != expected {
            let _ = writeln!(
                wrong,
                "  accept_key({key:?}): yours {yours:?}, expected {expected:?}"
            );
        }
    }
    assert!(wrong.is_empty(), "wrong accept values:\n{wrong}");
}

/// The standard base64 of `bytes`.
fn ex07_base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn ch04_ex07_answers_the_rfc_example_and_other_keys() {
    use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
    // RFC 6455 section 1.3's own example.
    let mut cases = vec![(
        "dGhlIHNhbXBsZSBub25jZQ==".to_owned(),
        Ok("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".to_owned()),
    )];
    // Keys whose text and bytes differ as much as possible: all zeros ("AAAA..."), all ones
    // ("////..."), '+' and '/' in the key, and bytes that are not UTF-8.
    let values: [[u8; 16]; 5] = [
        [0; 16],
        [0xff; 16],
        [0xfb; 16],
        *b"0123456789abcdef",
        [
            0xc3, 0xa9, 0xe2, 0x9c, 0x93, 0x00, 0x80, 0x7f, 0x10, 0x20, 0x30, 0x40, 0xfe, 0xef,
            0x01, 0x02,
        ],
    ];
    for value in values {
        let key = ex07_base64(&value);
        let accept = derive_accept_key(key.as_bytes());
        cases.push((key, Ok(accept)));
    }
    let cases: Vec<(&str, _)> = cases
        .iter()
        .map(|(key, expected)| (key.as_str(), expected.clone()))
        .collect();
    ex07_check(&cases);
}

#[test]
fn ch04_ex07_refuses_a_key_that_is_not_base64_of_16_bytes() {
    use ex07_accept_key::BadKey;
    ex07_check(&[
        ("", Err(BadKey)),
        // The right bytes without their padding, or with half of it.
        ("dGhlIHNhbXBsZSBub25jZQ", Err(BadKey)),
        ("dGhlIHNhbXBsZSBub25jZQ=", Err(BadKey)),
        // 24 characters, but not 16 bytes: 17 (one `=`) and 18 (no `=`).
        ("dGhlIHNhbXBsZSBub25jZXM=", Err(BadKey)),
        ("AAAAAAAAAAAAAAAAAAAAAAAA", Err(BadKey)),
        // 15 and 32 bytes.
        ("AAAAAAAAAAAAAAAAAAAA", Err(BadKey)),
        ("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", Err(BadKey)),
        // Not canonical: `R` after `Z` sets 4 bits past the 16th byte (the right key ends `ZQ==`).
        ("dGhlIHNhbXBsZSBub25jZR==", Err(BadKey)),
        ("AAAAAAAAAAAAAAAAAAAAAB==", Err(BadKey)),
        // 24 characters, not base64 at all.
        ("not a websocket key!!!!!", Err(BadKey)),
        ("dGhlIHNhbXBsZSBub25jZ?==", Err(BadKey)),
        // The URL-safe alphabet (`-` and `_`) is another base64.
        ("-_-_-_-_-_-_-_-_-_-_-w==", Err(BadKey)),
        // Whitespace is not trimmed: the HTTP parser already did that.
        (" dGhlIHNhbXBsZSBub25jZQ==", Err(BadKey)),
        ("dGhlIHNhbXBsZSBub25jZQ== ", Err(BadKey)),
        ("dGhlIHNhbXBsZSBub25jZQ==\r\n", Err(BadKey)),
        ("dGhlIHNhbXBs ZSBub25jZQ==", Err(BadKey)),
        // Non-ASCII: 24 characters, more bytes.
        ("dGhlIHNhbXBsZSBub25jZé==", Err(BadKey)),
        ("ééééééééééééééééééééééé=", Err(BadKey)),
    ]);
}

/// Keys: valid ones from random 16 bytes; those keys damaged (cut, lengthened, a character
/// replaced, spaces around); and any text at all.
fn ex07_key() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let valid = || proptest::array::uniform16(any::<u8>()).prop_map(|bytes| ex07_base64(&bytes));
    prop_oneof![
        3 => valid(),
        1 => (valid(), 0usize..24).prop_map(|(key, cut)| key[..cut].to_owned()),
        1 => (valid(), "[A-Za-z0-9+/=]{1,4}").prop_map(|(key, more)| key + &more),
        1 => (valid(), 0usize..24, "[-_ .é=\t]")
            .prop_map(|(key, at, with)| format!("{}{with}{}", &key[..at], &key[at + 1..])),
        1 => (valid(), "[ \t]{1,2}").prop_map(|(key, space)| format!("{space}{key}")),
        1 => proptest::collection::vec(any::<u8>(), 0..40).prop_map(|bytes| ex07_base64(&bytes)),
        1 => "\\PC{0,30}",
    ]
}

proptest::proptest! {
    // Few cases, no regression file: a failure prints its shrunk input.
    #![proptest_config(proptest::prelude::ProptestConfig {
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::with_cases(256)
    })]

    #[test]
    fn ch04_ex07_behaves_like_tungstenite(key in ex07_key()) {
        proptest::prop_assert_eq!(
            ex07_call(&key),
            reference_accept_key(&key),
            "accept_key({:?}): left = yours, right = expected",
            key
        );
    }
}
