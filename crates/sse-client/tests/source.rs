//! `EventSource` against a real axum server on loopback that misbehaves on purpose.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures::{StreamExt, stream};
use sse_client::retry::Backoff;
use sse_client::{Error, EventSource, ReadyState, SourceEvent};

/// Serves `app` on 127.0.0.1 on a free port; returns its base URL.
async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn sse_response(body: Body) -> Response {
    ([(header::CONTENT_TYPE, "text/event-stream")], body).into_response()
}

/// A body made of these pieces, each sent as its own write.
fn pieces(parts: Vec<Vec<u8>>) -> Body {
    Body::from_stream(stream::iter(
        parts
            .into_iter()
            .map(|p| Ok::<_, Infallible>(Bytes::from(p))),
    ))
}

/// A body that sends `bytes` and then breaks the connection. (The pause lets the bytes leave
/// before the error aborts the connection: hyper drops unsent data on an error.)
fn cut_after(bytes: &'static [u8]) -> Body {
    let data = stream::once(async move { Ok::<_, std::io::Error>(Bytes::from_static(bytes)) });
    let cut = stream::once(async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "cut on purpose",
        ))
    });
    Body::from_stream(data.chain(cut))
}

/// Bounds every wait: a test fails instead of hanging.
async fn next(source: &mut EventSource) -> Option<Result<SourceEvent, Error>> {
    tokio::time::timeout(Duration::from_secs(20), source.next())
        .await
        .expect("timed out waiting for the client")
}

async fn next_message(source: &mut EventSource) -> sse_client::MessageEvent {
    loop {
        match next(source).await {
            Some(Ok(SourceEvent::Message(event))) => return event,
            Some(Ok(_)) => continue,
            other => panic!("expected a message, got {other:?}"),
        }
    }
}

fn fast(url: &str) -> sse_client::Builder {
    EventSource::builder(url)
        .reconnection_time(Duration::from_millis(10))
        .backoff(Backoff {
            jitter: 0.0,
            ..Backoff::default()
        })
}

#[tokio::test]
async fn sends_the_eventsource_headers_and_reads_events() {
    let app = Router::new().route(
        "/events",
        get(|headers: HeaderMap| async move {
            let accept = headers
                .get(header::ACCEPT)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned();
            let cache = headers
                .get(header::CACHE_CONTROL)
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned();
            let custom = headers
                .get("x-course")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            let body = format!(
                "event: headers\ndata: {accept}|{cache}|{custom}\n\nid: 1\ndata: second\n\n"
            );
            sse_response(Body::from(body))
        }),
    );
    let url = serve(app).await;
    let mut source = fast(&format!("{url}/events"))
        .header("x-course", "ch02")
        .build()
        .unwrap();
    assert_eq!(source.ready_state(), ReadyState::Connecting);
    assert!(matches!(
        next(&mut source).await,
        Some(Ok(SourceEvent::Open))
    ));
    assert_eq!(source.ready_state(), ReadyState::Open);
    let first = next_message(&mut source).await;
    assert_eq!(first.event_type(), "headers");
    assert_eq!(first.data(), "text/event-stream|no-store|ch02");
    assert_eq!(next_message(&mut source).await.data(), "second");
    assert_eq!(source.last_event_id(), "1");
    source.close();
    assert_eq!(source.ready_state(), ReadyState::Closed);
    assert!(next(&mut source).await.is_none());
}

#[tokio::test]
async fn one_byte_per_write_and_utf8_split_across_writes() {
    let text = "data: gr\u{fc}\u{df}e \u{1f600} caf\u{e9}\r\n\r\ndata: zwei\n\n";
    let app = Router::new().route(
        "/bytes",
        get(move || async move {
            let parts = text.as_bytes().iter().map(|b| vec![*b]).collect();
            sse_response(pieces(parts))
        }),
    );
    let url = serve(app).await;
    let mut source = fast(&format!("{url}/bytes")).build().unwrap();
    assert_eq!(
        next_message(&mut source).await.data(),
        "gr\u{fc}\u{df}e \u{1f600} caf\u{e9}"
    );
    assert_eq!(next_message(&mut source).await.data(), "zwei");
}

#[tokio::test]
async fn resumes_with_last_event_id_after_a_cut_mid_event() {
    let seen = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let log = seen.clone();
    let app = Router::new().route(
        "/cut",
        get(move |headers: HeaderMap| {
            let log = log.clone();
            async move {
                let last = headers
                    .get("last-event-id")
                    .map(|v| v.to_str().unwrap().to_owned());
                log.lock().unwrap().push(last.clone().unwrap_or_default());
                match last.as_deref() {
                    None => sse_response(cut_after(b"id: 1\ndata: one\n\nid: 2\ndata: tw")),
                    Some("1") => sse_response(Body::from("id: 2\ndata: two\n\n")),
                    Some(_) => StatusCode::NO_CONTENT.into_response(),
                }
            }
        }),
    );
    let url = serve(app).await;
    let mut source = fast(&format!("{url}/cut")).build().unwrap();
    assert_eq!(next_message(&mut source).await.data(), "one");
    match next(&mut source).await {
        Some(Ok(SourceEvent::Retrying {
            attempt: 1, cause, ..
        })) => {
            assert!(
                matches!(
                    cause,
                    Error::Transport(_) | Error::EndOfStream { mid_event: true }
                ),
                "{cause}"
            )
        }
        other => panic!("expected a retry, got {other:?}"),
    }
    let two = next_message(&mut source).await;
    assert_eq!((two.data(), two.last_event_id()), ("two", "2"));
    // The stream ends, the client reconnects with id 2, and the server's 204 stops it for good.
    loop {
        match next(&mut source).await {
            None => break,
            Some(Ok(SourceEvent::Retrying {
                cause: Error::EndOfStream { mid_event: false },
                ..
            })) => {}
            Some(Ok(SourceEvent::Open)) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(source.ready_state(), ReadyState::Closed);
    assert_eq!(*seen.lock().unwrap(), ["", "1", "2"]);
}

#[tokio::test]
async fn retry_field_sets_the_reconnection_time() {
    let app = Router::new().route(
        "/retry",
        get(|| async { sse_response(Body::from("retry: 1234\ndata: x\n\n")) }),
    );
    let url = serve(app).await;
    let mut source = fast(&format!("{url}/retry")).build().unwrap();
    assert_eq!(next_message(&mut source).await.data(), "x");
    match next(&mut source).await {
        Some(Ok(SourceEvent::Retrying { delay, .. })) => {
            assert_eq!(delay, Duration::from_millis(1234))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(source.reconnection_time(), Duration::from_millis(1234));
}

/// A route answering with the statuses in `script`, one per request, then a normal stream.
fn scripted(script: Vec<(u16, Vec<(&'static str, &'static str)>)>) -> (Router, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let script = Arc::new(script);
    let app = Router::new().route(
        "/s",
        get(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let script = script.clone();
            async move {
                match script.get(n) {
                    Some((status, headers)) => {
                        let mut response = Response::new(Body::from("{\"error\":\"scripted\"}"));
                        *response.status_mut() = StatusCode::from_u16(*status).unwrap();
                        for (name, value) in headers {
                            response.headers_mut().insert(*name, value.parse().unwrap());
                        }
                        response
                    }
                    None => sse_response(Body::from("data: finally\n\n")),
                }
            }
        }),
    );
    (app, hits)
}

#[tokio::test]
async fn server_errors_are_retried_with_growing_delays() {
    let (app, hits) = scripted(vec![(500, vec![]), (502, vec![]), (503, vec![])]);
    let url = serve(app).await;
    let mut source = fast(&format!("{url}/s")).build().unwrap();
    let mut delays = Vec::new();
    loop {
        match next(&mut source).await {
            Some(Ok(SourceEvent::Retrying { delay, cause, .. })) => {
                assert!(cause.status().unwrap().is_server_error(), "{cause}");
                assert!(
                    cause.to_string().contains("scripted"),
                    "the body explains the error: {cause}"
                );
                delays.push(delay.as_millis());
            }
            Some(Ok(SourceEvent::Message(event))) => {
                assert_eq!(event.data(), "finally");
                break;
            }
            Some(Ok(SourceEvent::Open)) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(delays, [10, 20, 40]);
    assert_eq!(hits.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn retry_after_on_503_and_429_is_honoured() {
    let (app, _) = scripted(vec![
        (503, vec![("retry-after", "7")]),
        (429, vec![("retry-after-ms", "1500")]),
    ]);
    let url = serve(app).await;
    let mut source = fast(&format!("{url}/s")).build().unwrap();
    match next(&mut source).await {
        Some(Ok(SourceEvent::Retrying { delay, cause, .. })) => {
            assert_eq!(delay, Duration::from_secs(7));
            assert_eq!(cause.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        }
        other => panic!("{other:?}"),
    }
    // Skip the 7-second wait: this checks the decision, not the clock.
    let mut source = fast(&format!("{url}/s")).build().unwrap();
    match next(&mut source).await {
        Some(Ok(SourceEvent::Retrying { delay, cause, .. })) => {
            assert_eq!(delay, Duration::from_millis(1500));
            assert_eq!(cause.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn client_errors_fail_without_retrying() {
    for status in [400, 401, 403, 404] {
        let (app, hits) = scripted(vec![(status, vec![])]);
        let url = serve(app).await;
        let mut source = fast(&format!("{url}/s")).build().unwrap();
        match next(&mut source).await {
            Some(Err(error)) => assert_eq!(error.status().map(|s| s.as_u16()), Some(status)),
            other => panic!("{status}: {other:?}"),
        }
        assert!(next(&mut source).await.is_none());
        assert_eq!(
            hits.load(Ordering::SeqCst),
            1,
            "{status} must not be retried"
        );
    }
}

#[tokio::test]
async fn no_content_means_stop() {
    let (app, hits) = scripted(vec![(204, vec![])]);
    let url = serve(app).await;
    let mut source = fast(&format!("{url}/s")).build().unwrap();
    assert!(next(&mut source).await.is_none());
    assert_eq!(source.ready_state(), ReadyState::Closed);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn wrong_content_type_fails_without_retrying() {
    let app = Router::new().route(
        "/json",
        get(|| async { axum::Json(serde_json::json!({"not": "a stream"})) }),
    );
    let url = serve(app).await;
    let mut source = fast(&format!("{url}/json")).build().unwrap();
    match next(&mut source).await {
        Some(Err(Error::ContentType { found, .. })) => {
            assert_eq!(found.as_deref(), Some("application/json"))
        }
        other => panic!("{other:?}"),
    }
    assert!(next(&mut source).await.is_none());
}

#[tokio::test]
async fn gives_up_after_max_retries() {
    let (app, hits) = scripted(vec![(500, vec![]); 10]);
    let url = serve(app).await;
    let mut source = fast(&format!("{url}/s")).max_retries(2).build().unwrap();
    let mut retries = 0;
    let error = loop {
        match next(&mut source).await {
            Some(Ok(SourceEvent::Retrying { .. })) => retries += 1,
            Some(Err(error)) => break error,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(retries, 2);
    assert!(
        matches!(&error, Error::RetriesExhausted { attempts: 3, .. }),
        "{error}"
    );
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    assert!(next(&mut source).await.is_none());
}

#[tokio::test]
async fn connection_refused_is_retried() {
    // Bind, then drop, to get a port that refuses connections.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut source = fast(&format!("http://127.0.0.1:{port}/"))
        .max_retries(1)
        .build()
        .unwrap();
    assert!(matches!(
        next(&mut source).await,
        Some(Ok(SourceEvent::Retrying {
            cause: Error::Connect { .. },
            ..
        }))
    ));
    assert!(matches!(
        next(&mut source).await,
        Some(Err(Error::RetriesExhausted { .. }))
    ));
}

#[tokio::test(start_paused = true)]
async fn silent_connection_hits_the_idle_timeout() {
    let app = Router::new().route(
        "/silent",
        get(|| async {
            // One event, then nothing at all: not even a keep-alive.
            let first =
                stream::once(async { Ok::<_, Infallible>(Bytes::from_static(b"data: hello\n\n")) });
            sse_response(Body::from_stream(first.chain(stream::pending())))
        }),
    );
    let url = serve(app).await;
    let mut source = fast(&format!("{url}/silent"))
        .idle_timeout(Some(Duration::from_secs(30)))
        .build()
        .unwrap();
    assert_eq!(next_message(&mut source).await.data(), "hello");
    let started = tokio::time::Instant::now();
    match source.next().await {
        Some(Ok(SourceEvent::Retrying {
            cause: Error::IdleTimeout(limit),
            ..
        })) => assert_eq!(limit, Duration::from_secs(30)),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() >= Duration::from_secs(30));
}

#[tokio::test(start_paused = true)]
async fn backoff_waits_on_the_clock_with_jitter() {
    let (app, _) = scripted(vec![(500, vec![]); 3]);
    let url = serve(app).await;
    let mut source = EventSource::builder(format!("{url}/s"))
        .reconnection_time(Duration::from_secs(1))
        .backoff(Backoff {
            multiplier: 2.0,
            max_delay: Duration::from_secs(60),
            jitter: 0.5,
        })
        .jitter_seed(7)
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    let mut waited = Duration::ZERO;
    loop {
        match source.next().await {
            Some(Ok(SourceEvent::Retrying { delay, attempt, .. })) => {
                let floor = Duration::from_secs(1 << (attempt - 1));
                assert!(
                    delay >= floor && delay <= floor.mul_f64(1.5),
                    "attempt {attempt}: {delay:?}"
                );
                waited += delay;
            }
            Some(Ok(SourceEvent::Message(_))) => break,
            Some(Ok(SourceEvent::Open)) => {}
            other => panic!("{other:?}"),
        }
    }
    // The client really slept for the delays it announced (on the paused clock).
    assert!(
        start.elapsed() >= waited,
        "{:?} < {waited:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn post_json_sends_the_body_and_does_not_reconnect() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().route(
        "/chat",
        post(move |headers: HeaderMap, body: String| {
            counter.fetch_add(1, Ordering::SeqCst);
            async move {
                let kind = headers
                    .get(header::CONTENT_TYPE)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_owned();
                sse_response(Body::from(format!("data: {kind} {body}\n\n")))
            }
        }),
    );
    let url = serve(app).await;
    let mut source = fast(&format!("{url}/chat"))
        .post_json(&serde_json::json!({"q": 1}))
        .build()
        .unwrap();
    assert_eq!(
        next_message(&mut source).await.data(),
        "application/json {\"q\":1}"
    );
    assert!(
        next(&mut source).await.is_none(),
        "a finished POST stream is done"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn oversized_line_is_reported_and_the_stream_goes_on() {
    let app = Router::new().route(
        "/big",
        get(|| async {
            sse_response(Body::from(format!(
                "data: {}\n\ndata: small\n\n",
                "x".repeat(100)
            )))
        }),
    );
    let url = serve(app).await;
    let mut source = fast(&format!("{url}/big"))
        .limits(sse_format::Limits::default().max_line_len(50))
        .build()
        .unwrap();
    assert!(matches!(
        next(&mut source).await,
        Some(Ok(SourceEvent::Open))
    ));
    assert!(matches!(
        next(&mut source).await,
        Some(Err(Error::Parse(_)))
    ));
    assert_eq!(next_message(&mut source).await.data(), "small");
}

#[tokio::test]
async fn bad_urls_and_headers_are_refused_up_front() {
    assert!(matches!(
        EventSource::builder("not a url").build(),
        Err(Error::InvalidRequest(_))
    ));
    assert!(matches!(
        EventSource::builder("ftp://x/").build(),
        Err(Error::InvalidRequest(_))
    ));
    assert!(matches!(
        EventSource::builder("http://127.0.0.1/")
            .header("x", "a\nb")
            .build(),
        Err(Error::InvalidRequest(_))
    ));
}

// ---- findings of issue 10, through the real driver ------------------------------------------

#[tokio::test]
async fn post_is_not_sent_twice_when_next_is_dropped_while_connecting() {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().route(
        "/slow",
        post(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async {
                // The model "thinks" before the headers go out.
                tokio::time::sleep(Duration::from_millis(300)).await;
                sse_response(Body::from("data: billed once\n\n"))
            }
        }),
    );
    let url = serve(app).await;
    let mut source = fast(&format!("{url}/slow"))
        .post_json(&serde_json::json!({"prompt": "hi"}))
        .build()
        .unwrap();
    // A caller's `select!` gives up on `next()` while the request is in flight...
    let dropped = tokio::time::timeout(Duration::from_millis(50), source.next()).await;
    assert!(dropped.is_err(), "the first call was cancelled");
    // ... and calls again: the same request goes on, none is sent anew.
    assert_eq!(next_message(&mut source).await.data(), "billed once");
    assert!(next(&mut source).await.is_none());
    assert_eq!(hits.load(Ordering::SeqCst), 1, "the POST was sent once");
}

#[tokio::test]
async fn x_api_key_does_not_follow_a_redirect_to_another_origin() {
    type Seen = Arc<std::sync::Mutex<Vec<(String, Option<String>, Option<String>)>>>;
    fn recorder(seen: Seen, name: &'static str) -> Router {
        Router::new().route(
            "/stream",
            get(move |headers: HeaderMap| {
                let seen = seen.clone();
                async move {
                    let get = |h: &str| headers.get(h).map(|v| v.to_str().unwrap().to_owned());
                    seen.lock().unwrap().push((
                        name.to_owned(),
                        get("x-api-key"),
                        get("authorization"),
                    ));
                    sse_response(Body::from("data: here\n\n"))
                }
            }),
        )
    }
    let seen: Seen = Arc::default();
    let elsewhere = serve(recorder(seen.clone(), "other origin")).await;
    let target = format!("{elsewhere}/stream");
    let home = Router::new()
        .route(
            "/away",
            get(move || {
                let target = target.clone();
                async move {
                    (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, target)]).into_response()
                }
            }),
        )
        .route(
            "/home",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/stream")]).into_response() }),
        )
        .merge(recorder(seen.clone(), "same origin"));
    let home = serve(home).await;
    for path in ["/away", "/home"] {
        let mut source = fast(&format!("{home}{path}"))
            .header("x-api-key", "sk-ant-secret")
            .bearer_auth("sk-secret")
            .build()
            .unwrap();
        assert_eq!(next_message(&mut source).await.data(), "here");
    }
    assert_eq!(
        *seen.lock().unwrap(),
        [
            ("other origin".to_owned(), None, None),
            (
                "same origin".to_owned(),
                Some("sk-ant-secret".to_owned()),
                Some("Bearer sk-secret".to_owned())
            ),
        ]
    );
}

#[tokio::test]
async fn secret_header_marked_by_the_caller_is_dropped_too_and_redirects_are_bounded() {
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    let other = serve(Router::new().route(
        "/s",
        get(move |headers: HeaderMap| {
            if headers.contains_key("x-session") {
                counter.fetch_add(1, Ordering::SeqCst);
            }
            async { sse_response(Body::from("data: ok\n\n")) }
        }),
    ))
    .await;
    let to = format!("{other}/s");
    let app = Router::new()
        .route(
            "/r",
            get(move || {
                let to = to.clone();
                async move { (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response() }
            }),
        )
        .route(
            "/loop",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/loop")]).into_response() }),
        );
    let url = serve(app).await;
    let mut source = fast(&format!("{url}/r"))
        .secret_header("X-Session", "s3cr3t")
        .build()
        .unwrap();
    assert_eq!(next_message(&mut source).await.data(), "ok");
    assert_eq!(seen.load(Ordering::SeqCst), 0, "x-session stayed home");
    let mut looping = fast(&format!("{url}/loop")).build().unwrap();
    match next(&mut looping).await {
        Some(Err(error)) => assert_eq!(error.status(), Some(StatusCode::FOUND), "{error}"),
        other => panic!("a redirect loop ends in an error: {other:?}"),
    }
}

#[tokio::test]
async fn secrets_and_url_passwords_never_appear_in_errors_or_debug() {
    // An API key read from a file with Windows line endings.
    let error = EventSource::builder("http://127.0.0.1/")
        .header("x-api-key", "sk-ant-SECRET\r")
        .build()
        .unwrap_err();
    let text = format!("{error} {error:?}");
    assert!(!text.contains("SECRET"), "{text}");
    assert!(
        text.contains("x-api-key"),
        "the message names the header: {text}"
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let builder = fast(&format!("http://user:hunter2@127.0.0.1:{port}/"))
        .bearer_auth("sk-SECRET")
        .secret_header("x-session", "SECRET-session")
        .max_retries(0);
    let debug = format!("{builder:?}");
    assert!(
        !debug.contains("SECRET") && !debug.contains("hunter2"),
        "{debug}"
    );
    let mut source = builder.build().unwrap();
    let debug = format!("{source:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    match next(&mut source).await {
        Some(Err(error)) => {
            let text = format!("{error} / {error:?}");
            assert!(
                !text.contains("hunter2") && !text.contains("SECRET"),
                "{text}"
            );
            assert!(text.contains("127.0.0.1"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        !format!(
            "{:?}",
            EventSource::builder("http://u:hunter2@[bad").build()
        )
        .contains("hunter2"),
        "a URL that fails to parse is not echoed"
    );
}

#[tokio::test]
async fn keepalive_comments_keep_a_quiet_stream_open() {
    let app = Router::new().route(
        "/quiet",
        get(|| async {
            let first =
                stream::once(async { Ok::<_, Infallible>(Bytes::from_static(b"data: hello\n\n")) });
            let comments = stream::unfold((), |()| async {
                tokio::time::sleep(Duration::from_millis(100)).await;
                Some((Ok::<_, Infallible>(Bytes::from_static(b":\n\n")), ()))
            });
            sse_response(Body::from_stream(first.chain(comments)))
        }),
    );
    let url = serve(app).await;
    let mut source = fast(&format!("{url}/quiet"))
        .idle_timeout(Some(Duration::from_millis(1000)))
        .build()
        .unwrap();
    assert_eq!(next_message(&mut source).await.data(), "hello");
    // Three idle timeouts' worth of time (ten times the comment interval: a loaded machine does
    // not make this flaky): only comments arrive, and they count as life.
    let quiet = tokio::time::timeout(Duration::from_millis(3000), source.next()).await;
    assert!(
        quiet.is_err(),
        "no reconnection on a stream with keep-alives: {quiet:?}"
    );
    assert_eq!(source.ready_state(), ReadyState::Open);
}

#[tokio::test]
async fn retry_after_ms_1e300_and_huge_retry_after_do_not_panic() {
    let (app, _) = scripted(vec![
        (503, vec![("retry-after-ms", "1e300")]),
        (503, vec![("retry-after", "99999999999999999999")]),
    ]);
    let url = serve(app).await;
    for _ in 0..2 {
        let mut source = fast(&format!("{url}/s")).build().unwrap();
        match next(&mut source).await {
            Some(Ok(SourceEvent::Retrying { delay, .. })) => {
                assert_eq!(delay, sse_client::retry::MAX_DELAY)
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn root_certificates_pem_without_a_certificate_is_a_clear_error() {
    let error = EventSource::builder("https://127.0.0.1:1/")
        .root_certificates_pem(b"not a certificate")
        .expect_err("a file with no PEM certificate is refused");
    assert!(
        error.to_string().contains("CA certificates"),
        "the error says what was being read: {error}"
    );
}
