//! The lean path for event streams (`conn::lean`): a plain HTTP/1.1 `GET` that asks for
//! `text/event-stream` is served without hyper's buffers, and everything else still reaches hyper
//! on the same connection. Raw TCP against `sse_server::serve` on loopback, so the bytes on the
//! wire are what is checked; every read is bounded in time.

mod support;

use std::time::Duration;

use sse_server::Config;
use test_kit::server::Running;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn start(config: Config) -> Running {
    let counter = support::with_counter(Duration::from_millis(50));
    Running::start(|listener, signal| sse_server::serve_with(listener, config, signal, counter))
        .await
}

async fn within<T>(what: &str, f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), f)
        .await
        .unwrap_or_else(|_| panic!("timed out: {what}"))
}

/// Reads from `stream` into `seen` until `done(seen)` holds.
async fn read_until(stream: &mut TcpStream, seen: &mut Vec<u8>, done: impl Fn(&[u8]) -> bool) {
    within("reading the response", async {
        let mut buf = [0u8; 4096];
        while !done(seen) {
            let n = stream.read(&mut buf).await.expect("read");
            assert!(
                n > 0,
                "closed early; got {:?}",
                String::from_utf8_lossy(seen)
            );
            seen.extend_from_slice(&buf[..n]);
        }
    })
    .await;
}

/// The head (lowercased header lines) and the rest.
fn split_head(bytes: &[u8]) -> (String, Vec<u8>) {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a whole head")
        + 4;
    (
        String::from_utf8_lossy(&bytes[..end]).to_lowercase(),
        bytes[end..].to_vec(),
    )
}

/// Decodes a chunked body as far as it goes.
fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&body[..line_end]).unwrap(), 16)
            .expect("a chunk size");
        let start = line_end + 2;
        if body.len() < start + size + 2 {
            break;
        }
        out.extend_from_slice(&body[start..start + size]);
        body = &body[start + size + 2..];
    }
    out
}

const STREAM: &[u8] =
    b"GET /events/counter HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";

#[tokio::test]
async fn an_event_stream_on_the_lean_path_has_hypers_head_and_a_chunked_body() {
    let server = start(Config::default()).await;
    // The lean path (Accept: text/event-stream) and hyper's (no Accept), side by side.
    let mut heads = Vec::new();
    for request in [
        STREAM.to_vec(),
        b"GET /events/counter HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
    ] {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        stream.write_all(&request).await.unwrap();
        let mut seen = Vec::new();
        read_until(&mut stream, &mut seen, |seen| {
            seen.windows(4).any(|w| w == b"\r\n\r\n")
                && dechunk(&split_head(seen).1)
                    .windows(5)
                    .filter(|w| w == b"data:")
                    .count()
                    >= 2
        })
        .await;
        let (head, body) = split_head(&seen);
        let events = String::from_utf8(dechunk(&body)).unwrap();
        assert!(events.starts_with("retry: "), "{events:?}");
        assert!(events.contains("\ndata: "), "{events:?}");
        let mut names: Vec<String> = head
            .lines()
            .skip(1)
            .filter_map(|line| line.split_once(':').map(|(name, _)| name.to_owned()))
            .collect();
        names.sort();
        heads.push((head.lines().next().unwrap().to_owned(), names));
    }
    assert_eq!(heads[0].0, "http/1.1 200 ok");
    assert_eq!(
        heads[0], heads[1],
        "the lean head has the same fields as hyper's"
    );
    assert!(heads[0].1.contains(&"transfer-encoding".to_owned()));
    assert!(heads[0].1.contains(&"date".to_owned()));
    server.stop().await;
}

#[tokio::test]
async fn a_request_after_a_lean_response_is_served_by_hyper_on_the_same_connection() {
    let server = start(Config::default()).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    // Pipelined: a lean request (a 404, but it asked for a stream) and then a publish with a
    // body, which only hyper serves, in one write.
    let publish_body = br#"{"data":"hi"}"#;
    let mut requests =
        b"GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".to_vec();
    requests.extend_from_slice(
        format!(
            "POST /publish/pipelined HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            publish_body.len()
        )
        .as_bytes(),
    );
    requests.extend_from_slice(publish_body);
    stream.write_all(&requests).await.unwrap();
    let mut seen = Vec::new();
    within("both answers", stream.read_to_end(&mut seen))
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&seen).to_lowercase();
    let statuses: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("http/1.1 "))
        .collect();
    assert_eq!(statuses.len(), 2, "{text}");
    assert!(statuses[0].starts_with("http/1.1 404"), "{text}");
    assert!(
        statuses[1].starts_with("http/1.1 200") || statuses[1].starts_with("http/1.1 201"),
        "{text}"
    );
    assert!(
        text.contains("content-length: 0"),
        "the 404 is sized: {text}"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_head_longer_than_the_lean_buffer_is_handed_to_hyper_whole() {
    let server = start(Config::default()).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    // 20 KB of headers: more than the lean path reads, far less than hyper accepts.
    let mut request = String::from("GET /events/counter HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for i in 0..20 {
        request.push_str(&format!("x-filler-{i}: {}\r\n", "y".repeat(1000)));
    }
    request.push_str("Accept: text/event-stream\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut seen = Vec::new();
    read_until(&mut stream, &mut seen, |seen| {
        seen.windows(5).any(|w| w == b"data:")
    })
    .await;
    assert!(seen.starts_with(b"HTTP/1.1 200 OK\r\n"));
    server.stop().await;
}

#[tokio::test]
async fn a_subscriber_that_leaves_a_quiet_channel_is_let_go_at_once() {
    // One stream per client address: the second is refused (429) until the first is gone. The
    // channel is quiet and keep-alives are 15 s apart, so only reading the socket can tell.
    let server = start(Config::default().with_max_streams_per_client(1)).await;
    let quiet =
        b"GET /events/quiet HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
    let open = |addr| async move {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(quiet).await.unwrap();
        let mut seen = Vec::new();
        read_until(&mut stream, &mut seen, |seen| {
            seen.windows(4).any(|w| w == b"\r\n\r\n")
        })
        .await;
        (stream, String::from_utf8_lossy(&seen).into_owned())
    };
    let (first, head) = open(server.addr).await;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let (_second, head) = open(server.addr).await;
    assert!(head.starts_with("HTTP/1.1 429"), "the limit holds: {head}");
    drop(first);
    within("the place to be free again", async {
        loop {
            let (stream, head) = open(server.addr).await;
            if head.starts_with("HTTP/1.1 200") {
                return stream;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    server.stop().await;
}

#[tokio::test]
async fn shutdown_ends_a_lean_stream_with_its_last_chunk() {
    let server = start(Config::default()).await;
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(STREAM).await.unwrap();
    let mut seen = Vec::new();
    read_until(&mut stream, &mut seen, |seen| {
        seen.windows(5).any(|w| w == b"data:")
    })
    .await;
    server.signal_stop();
    within("the end of the stream", stream.read_to_end(&mut seen))
        .await
        .unwrap();
    assert!(
        seen.ends_with(b"0\r\n\r\n"),
        "a clean end of the chunked body"
    );
}
