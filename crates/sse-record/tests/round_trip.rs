//! Record a real stream from an axum server on loopback, then replay it: the bytes, the chunk
//! boundaries (a UTF-8 character split across two chunks included), the status and headers come
//! back as recorded, secrets never reach the file, and a client resumes a cut replay with
//! `Last-Event-ID`. Every wait is bounded.

use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};
use axum::routing::get;
use futures::{StreamExt, stream};
use sse_client::{EventSource, SourceEvent};
use sse_record::{FaultStatus, RecordOptions, Recording, ReplayConfig, What};

/// The chunks the live server writes, 30 ms apart so that each arrives on its own: the second
/// and third split the two bytes of "é".
fn live_chunks() -> Vec<&'static [u8]> {
    vec![
        b"retry: 1000\n\nid: 1\ndata: caf",
        b"id: 2\ndata: caf\xc3",
        b"\xa9\n\nid: 3\ndata: three\n\n",
    ]
}

async fn live_server() -> (String, tokio::task::JoinHandle<()>) {
    let app = Router::new().route(
        "/events",
        get(|headers: HeaderMap| async move {
            assert!(headers.contains_key(header::AUTHORIZATION));
            let chunks = live_chunks();
            // The first chunk ends inside an event: complete it so that event 1 exists.
            let mut parts: Vec<Bytes> = Vec::new();
            parts.push(Bytes::from_static(b"retry: 1000\n\nid: 1\ndata: cafe\n\n"));
            parts.extend(chunks[1..].iter().map(|c| Bytes::from_static(c)));
            let body = stream::iter(parts).then(|part| async move {
                tokio::time::sleep(Duration::from_millis(30)).await;
                Ok::<_, std::io::Error>(part)
            });
            (
                [
                    (header::CONTENT_TYPE, "text/event-stream"),
                    (header::SET_COOKIE, "session=s3cr3t"),
                ],
                Body::from_stream(body),
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/events", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, task)
}

async fn within<T>(what: &str, f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .unwrap_or_else(|_| panic!("{what}: not done within 30 s"))
}

fn chunks_of(recording: &Recording, conn: u32) -> Vec<Vec<u8>> {
    recording
        .lines
        .iter()
        .filter(|l| l.conn == conn)
        .filter_map(|l| l.what.chunk_bytes())
        .collect()
}

#[tokio::test]
async fn a_recording_keeps_chunks_and_redacts_secrets_and_replays_them_as_recorded() {
    let (url, server) = live_server().await;
    let mut file = Vec::new();
    let options = RecordOptions::default()
        .with_header("authorization", "Bearer sk-live-do-not-leak")
        .with_max_connections(1);
    let summary = within(
        "recording",
        sse_record::record(&url, &options, &mut file, std::future::pending()),
    )
    .await
    .unwrap();
    server.abort();
    let text = String::from_utf8(file.clone()).unwrap();
    assert!(
        !text.contains("sk-live"),
        "the token never reaches the file:\n{text}"
    );
    assert!(!text.contains("s3cr3t"), "nor the cookie:\n{text}");
    assert!(text.contains("[redacted]"), "{text}");
    assert_eq!(summary.events, 3, "{summary:?}");
    let recording = Recording::read(&file[..]).unwrap();
    let chunks = chunks_of(&recording, 1);
    assert_eq!(
        chunks,
        [
            &b"retry: 1000\n\nid: 1\ndata: cafe\n\n"[..],
            b"id: 2\ndata: caf\xc3",
            b"\xa9\n\nid: 3\ndata: three\n\n"
        ],
        "one line per chunk as it arrived:\n{text}"
    );
    assert!(
        text.contains("\"chunk_base64\""),
        "half a character is kept as bytes:\n{text}"
    );

    // Replayed without delay, a plain HTTP client sees the same status, headers and chunks.
    let replay = sse_record::serve(recording.clone(), ReplayConfig::default().with_speed(0.0))
        .await
        .unwrap();
    let response = within("replay", reqwest::get(format!("{}/any/path", replay.url)))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut body = response.bytes_stream();
    let mut got = Vec::new();
    while let Some(chunk) = within("replayed chunk", body.next()).await {
        got.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(got, chunks.concat(), "every byte, in order");
}

/// A recording with three events, cut by the replay after each event: a reconnecting client
/// resumes with `Last-Event-ID` and receives every event once, in order. The first request gets
/// a 429 with `Retry-After: 0`, which the client waits out.
#[tokio::test]
async fn a_cut_replay_is_resumed_with_last_event_id() {
    let (url, server) = live_server().await;
    let mut file = Vec::new();
    let options = RecordOptions::default()
        .with_header("authorization", "Bearer x")
        .with_max_connections(1);
    within(
        "recording",
        sse_record::record(&url, &options, &mut file, std::future::pending()),
    )
    .await
    .unwrap();
    server.abort();
    let recording = Recording::read(&file[..]).unwrap();
    let config = ReplayConfig::default()
        .with_speed(0.0)
        .with_cut_after_events(1)
        .with_fault_status(FaultStatus {
            status: axum::http::StatusCode::TOO_MANY_REQUESTS,
            retry_after: Some(Duration::ZERO),
            times: 1,
        });
    let replay = sse_record::serve(recording, config).await.unwrap();
    let mut source = EventSource::builder(format!("{}/events", replay.url))
        .reconnection_time(Duration::from_millis(10))
        .max_retries(20)
        .build()
        .unwrap();
    let mut received = Vec::new();
    while received.len() < 3 {
        match within("replayed event", source.next()).await {
            Some(Ok(SourceEvent::Message(event))) => {
                received.push(format!("{}:{}", event.last_event_id(), event.data()));
            }
            Some(Ok(_)) => {}
            Some(Err(error)) => panic!("{error}"),
            None => break,
        }
    }
    assert_eq!(received, ["1:cafe", "2:caf\u{e9}", "3:three"]);
}

#[test]
fn the_recording_lines_say_what_happened() {
    let text = "{\"sse_recording\":1}\n\
                {\"ms\":0.0,\"conn\":1,\"request\":{\"method\":\"GET\",\"url\":\"http://h/e\",\"headers\":[]}}\n\
                {\"ms\":1.0,\"conn\":1,\"response\":{\"status\":429,\"headers\":[[\"retry-after\",\"1\"]]}}\n\
                {\"ms\":1.5,\"conn\":1,\"end\":\"eof\"}\n";
    let recording = Recording::read(text.as_bytes()).unwrap();
    assert!(matches!(&recording.lines[1].what, What::Response(r) if r.status == 429));
}

/// Pacing: chunks recorded 150 ms apart are replayed at least 150 ms apart at speed 1, and at
/// least 75 ms apart at speed 2 (a sleep never ends early, so these lower bounds hold however
/// loaded the machine; how close to them a replay comes is not a test's business).
#[tokio::test]
async fn a_replay_keeps_the_recorded_pauses_scaled_by_its_speed() {
    let text = "{\"sse_recording\":1}\n\
                {\"ms\":0.0,\"conn\":1,\"response\":{\"status\":200,\"headers\":[[\"content-type\",\"text/event-stream\"]]}}\n\
                {\"ms\":150.0,\"conn\":1,\"chunk\":\"data: a\\n\\n\"}\n\
                {\"ms\":300.0,\"conn\":1,\"chunk\":\"data: b\\n\\n\"}\n\
                {\"ms\":450.0,\"conn\":1,\"chunk\":\"data: c\\n\\n\"}\n\
                {\"ms\":451.0,\"conn\":1,\"end\":\"eof\"}\n";
    for (speed, gap) in [(1.0, 150), (2.0, 75)] {
        let recording = Recording::read(text.as_bytes()).unwrap();
        let replay = sse_record::serve(recording, ReplayConfig::default().with_speed(speed))
            .await
            .unwrap();
        let start = std::time::Instant::now();
        let response = within("the replay's head", reqwest::get(&replay.url))
            .await
            .unwrap();
        let mut body = response.bytes_stream();
        // When each chunk's last byte had arrived (reads may merge chunks on a slow machine).
        let ends = [9, 18, 27];
        let mut received = 0;
        let mut arrivals = Vec::new();
        while let Some(chunk) = within("a paced chunk", body.next()).await {
            received += chunk.unwrap().len();
            let at = start.elapsed();
            arrivals.extend(
                ends.iter()
                    .skip(arrivals.len())
                    .take_while(|&&e| e <= received)
                    .map(|_| at),
            );
        }
        assert_eq!(arrivals.len(), 3, "all three chunks at speed {speed}");
        for (k, at) in arrivals.iter().enumerate() {
            let least = Duration::from_millis(gap * (k as u64 + 1));
            assert!(
                *at >= least,
                "chunk {k} arrived after {at:?}, before its recorded time scaled by {speed} \
                 ({least:?})"
            );
        }
    }
}
