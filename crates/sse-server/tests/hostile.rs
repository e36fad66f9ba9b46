//! Hostile clients against `sse_server::serve` on loopback: half-open connections (slowloris), a
//! connection flood past the cap, forged forwarded headers, DNS rebinding, the token's scheme.
//! Every test is bounded in connections and time. (Hostile requests to the mock AI endpoints are
//! sse-demo's: `crates/sse-demo/tests/mock.rs`.)

mod support;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use futures::StreamExt;
use sse_server::Config;
use sse_server::access::AllowedHosts;
use test_kit::server::Running;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn start(config: Config) -> Running {
    // The library publishes nothing by itself: a `counter` every 50 ms for the subscribers.
    let counter = support::with_counter(Duration::from_millis(50));
    Running::start(|listener, signal| sse_server::serve_with(listener, config, signal, counter))
        .await
}

fn quick() -> Config {
    Config::default()
}

/// Reads until the server closes the connection (EOF or reset); returns what was read.
async fn read_to_close(stream: &mut TcpStream) -> Vec<u8> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return seen,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
}

/// The `data:` lines of a stream counted as they arrive; dropping it closes the stream.
struct Counted {
    seen: tokio::sync::watch::Receiver<usize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn count_events(response: reqwest::Response) -> Counted {
    let (seen, watch) = tokio::sync::watch::channel(0usize);
    let task = tokio::spawn(async move {
        let mut body = response.bytes_stream();
        while let Some(Ok(chunk)) = body.next().await {
            let lines = chunk.windows(5).filter(|w| w == b"data:").count();
            seen.send_modify(|n| *n += lines);
        }
    });
    Counted { seen: watch, task }
}

async fn events_grow(events: &mut Counted, by: usize) {
    let events = &mut events.seen;
    let start = *events.borrow();
    tokio::time::timeout(
        Duration::from_secs(5),
        events.wait_for(|n| *n >= start + by),
    )
    .await
    .expect("the subscriber kept receiving")
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_open_connections_are_closed_after_the_header_timeout_while_a_subscriber_keeps_receiving()
 {
    let mut config = quick();
    config.conn.header_read_timeout = Duration::from_millis(400);
    let server = start(config).await;

    let subscriber = reqwest::get(format!("{}/events/counter", server.base))
        .await
        .unwrap();
    assert_eq!(subscriber.status(), 200);
    let mut events = count_events(subscriber);
    events_grow(&mut events, 2).await;

    // 50 clients that start a request head and never finish it, and 50 that send nothing.
    let started = Instant::now();
    let mut half_open = Vec::new();
    for i in 0..100 {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        if i % 2 == 0 {
            stream
                .write_all(b"GET /events/counter HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .await
                .unwrap();
        }
        half_open.push(stream);
    }
    let closes = futures::future::join_all(half_open.iter_mut().map(|stream| async {
        tokio::time::timeout(Duration::from_secs(5), read_to_close(stream))
            .await
            .expect("a half-open connection was closed by the server")
    }))
    .await;
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(350) && elapsed < Duration::from_secs(3),
        "closed after {elapsed:?}, timeout 400 ms"
    );
    // Some hyper versions answer 408 before closing; none serves the stream.
    for seen in closes {
        assert!(
            seen.is_empty() || seen.starts_with(b"HTTP/1.1 408"),
            "{:?}",
            String::from_utf8_lossy(&seen)
        );
    }
    // The ordinary subscriber never noticed.
    events_grow(&mut events, 5).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_cap_refuses_the_excess_with_503_and_recovers() {
    let mut config = quick();
    config.conn.max_connections = Some(4);
    let server = start(config).await;
    let url = format!("{}/events/counter", server.base);

    // Four streams hold the four places (each on its own connection).
    let mut streams = Vec::new();
    for _ in 0..4 {
        let response = reqwest::Client::new().get(&url).send().await.unwrap();
        assert_eq!(response.status(), 200);
        streams.push(count_events(response));
    }
    // The fifth, and a burst after it, are refused with a clear answer.
    for _ in 0..3 {
        let refused = reqwest::Client::new().get(&url).send().await.unwrap();
        assert_eq!(refused.status(), 503);
        assert_eq!(refused.headers()["retry-after"], "2");
        let text = refused.text().await.unwrap();
        assert!(text.contains("connection limit"), "{text}");
    }
    // The streams in place keep receiving.
    events_grow(&mut streams[0], 3).await;

    // Two clients leave: two places free up.
    streams.truncate(2);
    let recovered = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let response = reqwest::Client::new().get(&url).send().await.unwrap();
            if response.status() == 200 {
                return response;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("a freed place is served again");
    let mut events = count_events(recovered);
    events_grow(&mut events, 2).await;
    drop(streams);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_header_keys_the_per_client_limit_only_from_trusted_proxies() {
    let open = |base: String, forwarded_for: &'static str| async move {
        reqwest::Client::new()
            .get(format!("{base}/events/news"))
            .header("x-forwarded-for", forwarded_for)
            .send()
            .await
            .unwrap()
    };

    // Trusted proxy (loopback here): each forwarded client has its own limit of one.
    let mut config = quick();
    config.max_streams_per_client = 1;
    config.access.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    let server = start(config).await;
    let a = open(server.base.clone(), "203.0.113.1").await;
    let b = open(server.base.clone(), "203.0.113.2").await;
    assert_eq!(
        (a.status().as_u16(), b.status().as_u16()),
        (200, 200),
        "two users behind one proxy"
    );
    let a_again = open(server.base.clone(), "203.0.113.1").await;
    assert_eq!(a_again.status(), 429, "the same user twice");
    drop((a, b, a_again));
    server.stop().await;

    // Not configured (the default): the header is anyone's to write, so it is ignored.
    let mut config = quick();
    config.max_streams_per_client = 1;
    let server = start(config).await;
    let a = open(server.base.clone(), "203.0.113.1").await;
    let forged = open(server.base.clone(), "198.51.100.77").await;
    assert_eq!(
        (a.status().as_u16(), forged.status().as_u16()),
        (200, 429),
        "a forged header does not buy a new limit"
    );
    drop((a, forged));
    server.stop().await;
}

/// Sends a raw request with this Host header; returns the status line.
async fn status_for_host(addr: SocketAddr, host: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!("GET /health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let seen = tokio::time::timeout(Duration::from_secs(5), read_to_close(&mut stream))
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&seen).into_owned();
    text.lines().next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn dns_rebinding_host_is_refused_with_421_on_loopback() {
    let mut config = quick();
    config.access.allowed_hosts = AllowedHosts::Auto;
    let server = start(config).await;
    let port = server.addr.port();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_owned(),
    ] {
        assert_eq!(
            status_for_host(server.addr, &host).await,
            "HTTP/1.1 200 OK",
            "{host}"
        );
    }
    for host in [format!("rebind.evil.example:{port}"), "10.0.0.1".to_owned()] {
        assert_eq!(
            status_for_host(server.addr, &host).await,
            "HTTP/1.1 421 Misdirected Request",
            "{host}"
        );
    }
    let body = reqwest::Client::new()
        .get(format!("{}/health", server.base))
        .header("host", "rebind.evil.example")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("DNS rebinding") && body.contains("--allow-host"),
        "{body}"
    );
    server.stop().await;

    // An explicit list replaces the loopback names.
    let mut config = quick();
    config.access.allowed_hosts = AllowedHosts::List(vec!["sse.example".into()]);
    let server = start(config).await;
    assert_eq!(
        status_for_host(server.addr, "sse.example:443").await,
        "HTTP/1.1 200 OK"
    );
    assert_eq!(
        status_for_host(server.addr, "localhost").await,
        "HTTP/1.1 421 Misdirected Request"
    );
    server.stop().await;
}

#[tokio::test]
async fn bearer_scheme_in_any_case() {
    let mut config = quick();
    config.auth_token = Some("s3cret".into());
    let server = start(config).await;
    let client = reqwest::Client::new();
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let response = client
            .get(format!("{}/events/news", server.base))
            .header("authorization", format!("{scheme} s3cret"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "scheme {scheme}");
    }
    let wrong = client
        .get(format!("{}/events/news", server.base))
        .header("authorization", "Basic s3cret")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401, "another scheme");
    server.stop().await;
}

#[tokio::test]
async fn a_connection_storm_past_the_rate_is_answered_503_with_retry_after() {
    use sse_server::conn::{ConnConfig, ConnectionRate};
    let config = quick()
        .with_conn(ConnConfig::default().with_max_connection_rate(ConnectionRate::new(5, 5)));
    let server = start(config).await;
    let ask = |addr| async move {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let answer = tokio::time::timeout(Duration::from_secs(10), read_to_close(&mut stream))
            .await
            .expect("an answer");
        String::from_utf8_lossy(&answer).to_lowercase()
    };
    // Twenty at once: the burst of five is served, the rest told when to come back.
    let answers = futures::future::join_all((0..20).map(|_| ask(server.addr))).await;
    let served = answers
        .iter()
        .filter(|a| a.starts_with("http/1.1 200"))
        .count();
    let refused: Vec<_> = answers
        .iter()
        .filter(|a| a.starts_with("http/1.1 503"))
        .collect();
    assert!((5..=8).contains(&served), "{served} served");
    assert_eq!(served + refused.len(), 20);
    assert!(
        refused.iter().all(|a| a.contains("retry-after: 1\r\n")),
        "{refused:?}"
    );
    // A token every 200 ms: a client that waits as told is served.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert!(ask(server.addr).await.starts_with("http/1.1 200"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_client_of_a_storm_over_the_rate_gets_its_retry_after() {
    use sse_server::conn::{ConnConfig, ConnectionRate};
    // One connection a second: 300 at once are a storm. Each must be told when to come back (a
    // client closed without an answer retries on its own schedule, all together again).
    let config = quick()
        .with_conn(ConnConfig::default().with_max_connection_rate(ConnectionRate::new(1, 1)));
    let server = start(config).await;
    let ask = |addr| async move {
        let mut stream = TcpStream::connect(addr).await.ok()?;
        stream
            .write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            .await
            .ok()?;
        let answer = tokio::time::timeout(Duration::from_secs(10), read_to_close(&mut stream))
            .await
            .ok()?;
        Some(String::from_utf8_lossy(&answer).to_lowercase())
    };
    let answers = futures::future::join_all((0..300).map(|_| ask(server.addr))).await;
    let told = answers
        .iter()
        .flatten()
        .filter(|a| a.starts_with("http/1.1 503") && a.contains("\r\nretry-after: "))
        .count();
    assert!(told >= 295, "{told} of 300 were told when to come back");
    server.stop().await;
}
