//! `sse_server::serve` over TLS with a self-signed certificate: HTTP/2 and HTTP/1.1 by ALPN, with
//! streams, keep-alive, resume, publish and shutdown behaving as over plain HTTP/1.1; and the
//! TLS-specific timeouts (handshake, idle HTTP/2 connection).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{Value, json};
use tokio::io::AsyncReadExt;

/// A server on TLS with a self-signed certificate: its base URL is `https://`.
struct Running {
    server: test_kit::server::Running,
    addr: SocketAddr,
    base: String,
    cert_pem: String,
}

async fn start(mut config: sse_server::Config) -> Running {
    let local = sse_server::tls::self_signed(&["localhost", "127.0.0.1"]).unwrap();
    config.conn.tls = Some(local.config);
    let server = test_kit::server::Running::start(|listener, signal| {
        sse_server::serve(listener, config, signal)
    })
    .await;
    Running {
        addr: server.addr,
        base: format!("https://{}", server.addr),
        cert_pem: local.cert_pem,
        server,
    }
}

fn client(server: &Running, http1_only: bool) -> reqwest::Client {
    let cert = reqwest::Certificate::from_pem(server.cert_pem.as_bytes()).unwrap();
    let builder = reqwest::Client::builder()
        .tls_certs_only([cert])
        .timeout(Duration::from_secs(20));
    let builder = if http1_only {
        builder.http1_only()
    } else {
        builder
    };
    builder.build().unwrap()
}

/// A GET of `path` on `base`.
async fn get(client: &reqwest::Client, base: &str, path: &str) -> reqwest::Response {
    client.get(format!("{base}{path}")).send().await.unwrap()
}

/// Checks that what a 300 ms timeout ended, `started` that long ago, took about that (with room
/// for a slow machine).
fn assert_took_about_300_ms(started: Instant) {
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(250) && elapsed < Duration::from_secs(3),
        "{elapsed:?}"
    );
}

/// Reads from `body` until `seen` ends with `want`.
async fn read_until(
    body: &mut (impl futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    seen: &mut Vec<u8>,
    want: &[u8],
) {
    tokio::time::timeout(Duration::from_secs(10), async {
        while !seen.windows(want.len()).any(|w| w == want) {
            let chunk = body.next().await.expect("stream open").unwrap();
            seen.extend_from_slice(&chunk);
        }
    })
    .await
    .unwrap_or_else(|_| {
        panic!(
            "waited for {:?} in {:?}",
            String::from_utf8_lossy(want),
            String::from_utf8_lossy(seen)
        )
    });
}

async fn publish(client: &reqwest::Client, base: &str, data: &str) -> String {
    let response: Value = client
        .post(format!("{base}/publish/news"))
        .json(&json!({"data": data}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    response["id"]
        .as_str()
        .expect("publish answers the event's id")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_keep_alive_resume_and_shutdown_over_h2_and_http1_with_tls() {
    for (http1_only, version) in [
        (false, reqwest::Version::HTTP_2),
        (true, reqwest::Version::HTTP_11),
    ] {
        let mut config = sse_server::Config::default();
        config.sse.keep_alive = Duration::from_millis(100);
        config.sse.retry = Duration::from_millis(1500);
        config.sse.retry_jitter = Duration::ZERO;
        let server = start(config).await;
        let client = client(&server, http1_only);

        let response = get(&client, &server.base, "/events/news").await;
        assert_eq!(response.version(), version);
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        let mut body = response.bytes_stream();
        let mut seen = Vec::new();
        // The first retry, the head as an id-only block, then keep-alive comments while the
        // channel is quiet.
        read_until(&mut body, &mut seen, b"retry: 1500\n\nid: ").await;
        read_until(&mut body, &mut seen, b"\n\n:\n\n:\n\n").await;

        // Publishes (on the same HTTP/2 connection, or a second HTTP/1.1 one) arrive in order.
        let mut ids = Vec::new();
        for n in 1..=3 {
            ids.push(publish(&client, &server.base, &format!("item {n}")).await);
        }
        read_until(&mut body, &mut seen, b"data: item 3\n\n").await;
        let text = String::from_utf8_lossy(&seen);
        let items: Vec<&str> = text.lines().filter(|l| l.starts_with("data:")).collect();
        assert_eq!(
            items,
            ["data: item 1", "data: item 2", "data: item 3"],
            "{version:?}"
        );

        // Resume after the first id on a second stream: exactly 2 and 3.
        let resumed = client
            .get(format!("{}/events/news", server.base))
            .header("last-event-id", ids[0].as_str())
            .send()
            .await
            .unwrap();
        let mut resumed_body = resumed.bytes_stream();
        let mut replay = Vec::new();
        let third = format!("id: {}\ndata: item 3\n\n", ids[2]);
        read_until(&mut resumed_body, &mut replay, third.as_bytes()).await;
        let replay = String::from_utf8_lossy(&replay);
        assert!(
            !replay.contains("item 1")
                && replay.contains(&format!("id: {}\ndata: item 2\n\n", ids[1])),
            "{replay}"
        );

        // Shutdown: both streams end cleanly and serve returns.
        server.server.signal_stop();
        for mut stream in [body.boxed(), resumed_body.boxed()] {
            tokio::time::timeout(Duration::from_secs(5), async {
                while let Some(chunk) = stream.next().await {
                    chunk.expect("a clean end");
                }
            })
            .await
            .expect("the stream ended at shutdown");
        }
        tokio::time::timeout(Duration::from_secs(5), server.server.stop())
            .await
            .expect("serve returned");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_h2_streams_at_once_each_receive_their_events() {
    let server = start(sse_server::Config::default()).await;
    let client = client(&server, false);
    let mut bodies = Vec::new();
    for n in 0..8 {
        let response = get(&client, &server.base, &format!("/events/c{n}")).await;
        assert_eq!(response.version(), reqwest::Version::HTTP_2);
        bodies.push(response.bytes_stream());
    }
    // With every stream open, a ninth request still goes through at once: HTTP/2 multiplexes.
    let health = client
        .get(format!("{}/health", server.base))
        .send()
        .await
        .unwrap();
    assert!(
        health.text().await.unwrap().contains("\"hub\":\"memory\""),
        "the health answer names the hub"
    );
    for n in 0..8 {
        let client = client.clone();
        let base = server.base.clone();
        tokio::spawn(async move {
            client
                .post(format!("{base}/publish/c{n}"))
                .json(&json!({"data": format!("to {n}")}))
                .send()
                .await
        });
    }
    for (n, body) in bodies.iter_mut().enumerate() {
        let mut seen = Vec::new();
        read_until(body, &mut seen, format!("data: to {n}\n\n").as_bytes()).await;
    }
    server.server.signal_stop();
}

#[tokio::test]
async fn a_silent_client_is_closed_after_the_handshake_timeout() {
    let mut config = sse_server::Config::default();
    config.conn.header_read_timeout = Duration::from_millis(300);
    let server = start(config).await;
    let started = Instant::now();
    let mut silent = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let mut buf = [0u8; 64];
    let read = tokio::time::timeout(Duration::from_secs(5), silent.read(&mut buf))
        .await
        .expect("closed by the server");
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    assert_took_about_300_ms(started);
    server.server.signal_stop();
}

#[tokio::test]
async fn an_idle_h2_connection_is_closed_after_the_idle_timeout() {
    let mut config = sse_server::Config::default();
    config.conn.idle_timeout = Duration::from_millis(300);
    let server = start(config).await;

    // A raw HTTP/2 client over TLS, to watch the connection itself.
    let mut roots = rustls::RootCertStore::empty();
    use rustls_pki_types::pem::PemObject as _;
    let der = rustls_pki_types::CertificateDer::from_pem_slice(server.cert_pem.as_bytes()).unwrap();
    roots.add(der).unwrap();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    tls.alpn_protocols = vec![b"h2".to_vec()];
    let tcp = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let stream = tokio_rustls::TlsConnector::from(Arc::new(tls))
        .connect("127.0.0.1".try_into().unwrap(), tcp)
        .await
        .unwrap();
    assert_eq!(stream.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
    let (mut send, connection) = hyper::client::conn::http2::handshake(
        hyper_util::rt::TokioExecutor::new(),
        hyper_util::rt::TokioIo::new(stream),
    )
    .await
    .unwrap();
    let connection = tokio::spawn(connection);

    // One request, then silence.
    let request = hyper::Request::get(format!("https://127.0.0.1:{}/health", server.addr.port()))
        .body(http_body_util::Empty::<bytes::Bytes>::new())
        .unwrap();
    let response = send.send_request(request).await.unwrap();
    assert_eq!(response.status(), 200);
    drop(response);
    let started = Instant::now();
    let closed = tokio::time::timeout(Duration::from_secs(5), connection)
        .await
        .expect("the server closed the idle connection");
    assert!(closed.is_ok());
    assert_took_about_300_ms(started);
    server.server.signal_stop();
}

/// A stream in flight is not idle, however long it lasts.
#[tokio::test]
async fn an_h2_stream_outlives_the_idle_timeout() {
    let mut config = sse_server::Config::default();
    config.conn.idle_timeout = Duration::from_millis(200);
    config.sse.keep_alive = Duration::from_millis(100);
    let server = start(config).await;
    let client = client(&server, false);
    let response = get(&client, &server.base, "/events/news").await;
    let mut body = response.bytes_stream();
    let mut seen = Vec::new();
    // Ten keep-alives: a second, five idle timeouts.
    read_until(&mut body, &mut seen, ":\n\n".repeat(10).as_bytes()).await;
    assert!(
        !publish(&client, &server.base, "still here")
            .await
            .is_empty()
    );
    read_until(&mut body, &mut seen, b"data: still here\n\n").await;
    server.server.signal_stop();
}

/// Over HTTP/2 the host is the `:authority` pseudo-header, not a `Host` header: checked the same.
#[tokio::test]
async fn dns_rebinding_check_reads_the_h2_authority() {
    let mut config = sse_server::Config::default();
    config.access.allowed_hosts = sse_server::access::AllowedHosts::Auto;
    let server = start(config).await;
    let trusted = client(&server, false);
    let ok = get(&trusted, &server.base, "/health").await;
    assert_eq!(ok.version(), reqwest::Version::HTTP_2);
    assert_eq!(ok.status(), 200);
    // A name that resolves to loopback, as a rebinding attacker's does (the certificate does not
    // cover it, so this client skips verification: the attacker's page would be on plain HTTP).
    let rebinding = reqwest::Client::builder()
        .resolve("rebind.evil.example", server.addr)
        .tls_danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let refused = rebinding
        .get(format!(
            "https://rebind.evil.example:{}/health",
            server.addr.port()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.version(), reqwest::Version::HTTP_2);
    assert_eq!(refused.status(), 421);
    server.server.signal_stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_tls_client_of_a_storm_over_the_rate_gets_its_retry_after() {
    use sse_server::conn::{ConnConfig, ConnectionRate};
    // One connection a second: 150 TLS clients at once are a storm, more than the 64 refusals
    // hyper's pool answers at once. Each must still be told when to come back.
    let config = sse_server::Config::default()
        .with_conn(ConnConfig::default().with_max_connection_rate(ConnectionRate::new(1, 1)));
    let server = start(config).await;
    let ask = |i: usize| {
        // A client of its own each: a new connection (and handshake) per request. Half of them
        // offer HTTP/2 too: a refusal is answered over HTTP/1.1 all the same, and closed.
        let client = client(&server, i.is_multiple_of(2));
        let url = format!("{}/health", server.base);
        async move {
            let response = client.get(url).send().await.ok()?;
            let status = response.status().as_u16();
            if status == 503 {
                assert_eq!(response.version(), reqwest::Version::HTTP_11);
            }
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            Some((status, retry_after))
        }
    };
    let answers = futures::future::join_all((0..150).map(ask)).await;
    let told = answers
        .iter()
        .flatten()
        .filter(|(status, retry_after)| *status == 503 && retry_after.is_some())
        .count();
    let served = answers.iter().flatten().filter(|(s, _)| *s == 200).count();
    assert!(served >= 1, "the burst is served");
    assert!(
        told + served >= 145,
        "{told} of 150 were told when to come back, {served} served"
    );
    server.server.stop().await;
}
