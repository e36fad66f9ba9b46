//! Chapter 4 tests: `cargo test -p exercises --test ch04` (one exercise: add `ch04_ex03`).
//!
//! Snapshot failures read: "-old snapshot" is the expected answer, "+new results" is yours. In
//! every other assertion, `left` is your answer and `right` the expected one.

use std::fmt::Write as _;
use std::sync::Arc;
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

#[tokio::test(start_paused = true)]
async fn ch04_ex01_a_quiet_poll_times_out_empty_and_a_late_event_wakes_it() {
    use ex01_long_poll::EventLog;
    let log = Arc::new(EventLog::default());
    let start = tokio::time::Instant::now();
    let quiet = log.wait_after(0, Duration::from_secs(25)).await;
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
        log.wait_after(0, Duration::from_secs(25)).await,
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

// ---------------------------------------------------------------- ex04: WebSocket forward

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
    let hub = Hub::new(HubConfig::default());
    let addr = serve_ws(&hub).await;
    let (mut news, _) = match within(
        "the handshake",
        tokio_tungstenite::connect_async(format!("ws://{addr}/ws/news")),
    )
    .await
    {
        Ok(connected) => connected,
        Err(error) => panic!("the WebSocket handshake with /ws/news failed: {error}"),
    };
    let (mut sport, _) = within(
        "the handshake",
        tokio_tungstenite::connect_async(format!("ws://{addr}/ws/sport")),
    )
    .await
    .expect("the WebSocket handshake with /ws/sport");
    // The subscriptions start after the handshakes: publish until messages arrive.
    let publishing = [
        keep_publishing(&hub, "news", "n"),
        keep_publishing(&hub, "sport", "s"),
    ];
    let news_got = read_texts(&mut news, 5, "reading /ws/news").await;
    let sport_got = read_texts(&mut sport, 5, "reading /ws/sport").await;
    for task in publishing {
        task.abort();
    }
    for (channel, prefix, got) in [("news", "n", news_got), ("sport", "s", sport_got)] {
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
}

#[tokio::test]
async fn ch04_ex04_a_closed_socket_ends_its_subscription() {
    let hub = Hub::new(HubConfig::default());
    let addr = serve_ws(&hub).await;
    let (mut socket, _) = match within(
        "the handshake",
        tokio_tungstenite::connect_async(format!("ws://{addr}/ws/news")),
    )
    .await
    {
        Ok(connected) => connected,
        Err(error) => panic!("the WebSocket handshake with /ws/news failed: {error}"),
    };
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
}
