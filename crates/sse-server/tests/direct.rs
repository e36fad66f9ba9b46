//! Direct delivery (`conn::direct`): on a plain HTTP/1.1 connection the fan-out writes each live
//! event to the subscriber's socket itself. Raw TCP against `sse_server::serve_with` (the real
//! accept loop, which is where the lean path runs) on loopback, with the hub behind it; the bytes
//! on the wire are what is checked, and every wait is bounded.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sse_server::hub::HubConfig;
use sse_server::sse::SseConfig;
use sse_server::{AppState, Config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

struct Server {
    addr: std::net::SocketAddr,
    state: AppState,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(config: Config) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let captured: Arc<Mutex<Option<AppState>>> = Arc::default();
    let keep = captured.clone();
    let task = tokio::spawn(sse_server::serve_with(
        listener,
        config,
        async {
            let _ = stopped.await;
        },
        move |state| {
            *keep.lock().unwrap() = Some(state.clone());
            axum::Router::new()
        },
    ));
    let state = within("the server to start", async {
        loop {
            if let Some(state) = captured.lock().unwrap().clone() {
                return state;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    Server {
        addr,
        state,
        stop: Some(stop),
        task,
    }
}

async fn within<T>(what: &str, f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .unwrap_or_else(|_| panic!("timed out: {what}"))
}

/// Opens `channel` with a raw request; `lean` asks for `text/event-stream` (the lean path and
/// direct delivery), otherwise the request goes to hyper.
async fn open(server: &Server, channel: &str, lean: bool) -> TcpStream {
    let mut socket = TcpStream::connect(server.addr).await.unwrap();
    let accept = if lean {
        "Accept: text/event-stream\r\n"
    } else {
        ""
    };
    let request = format!("GET /events/{channel} HTTP/1.1\r\nHost: 127.0.0.1\r\n{accept}\r\n");
    socket.write_all(request.as_bytes()).await.unwrap();
    socket
}

async fn wait_for_subscribers(server: &Server, channel: &str, count: usize) {
    within("the subscribers", async {
        while server.state.hub.subscriber_count(channel) != count {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
}

/// Reads until `done(bytes)` holds.
async fn read_until(socket: &mut TcpStream, seen: &mut Vec<u8>, done: impl Fn(&[u8]) -> bool) {
    within("reading", async {
        let mut buf = [0u8; 8192];
        while !done(seen) {
            let n = socket.read(&mut buf).await.unwrap();
            let tail = &seen[seen.len().saturating_sub(200)..];
            assert!(
                n > 0,
                "closed early, after {:?}",
                String::from_utf8_lossy(tail)
            );
            seen.extend_from_slice(&buf[..n]);
        }
    })
    .await;
}

/// The body after the head, dechunked as far as it goes, and whether the last chunk came.
fn body(wire: &[u8]) -> (String, bool) {
    let Some(head_end) = wire.windows(4).position(|w| w == b"\r\n\r\n") else {
        return (String::new(), false); // the head has not all arrived
    };
    let start = head_end + 4;
    let mut rest = &wire[start..];
    let mut out = Vec::new();
    let mut ended = false;
    while let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).unwrap(), 16)
            .expect("a chunk size");
        if size == 0 {
            ended = true;
            break;
        }
        let from = line_end + 2;
        if rest.len() < from + size + 2 {
            break;
        }
        out.extend_from_slice(&rest[from..from + size]);
        assert_eq!(
            &rest[from + size..from + size + 2],
            b"\r\n",
            "chunk trailer"
        );
        rest = &rest[from + size + 2..];
    }
    (String::from_utf8(out).expect("UTF-8 events"), ended)
}

/// Event blocks of a body, without the first (`retry:`, whose jitter differs per stream).
fn blocks(body: &str) -> Vec<String> {
    body.split_terminator("\n\n")
        .skip(1)
        .filter(|block| *block != ":")
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_stream_carries_the_same_events_as_hypers_path_in_order() {
    // Room for every event: the readers start after the publishing.
    let hub = HubConfig::default().with_subscriber_queue(1024);
    let server = start(Config::default().with_hub_config(hub)).await;
    let mut direct = open(&server, "news", true).await;
    let mut hyper = open(&server, "news", false).await;
    wait_for_subscribers(&server, "news", 2).await;
    // Published from two tasks at once: the fan-out still hands them over in id order.
    let publish = |from: usize| {
        let hub = server.state.hub.clone();
        tokio::spawn(async move {
            for i in 0..200 {
                let data = format!("{from}-{i} {}", "é".repeat(i % 7));
                hub.publish("news", sse_format::Event::new().data(data))
                    .await
                    .unwrap();
            }
        })
    };
    let (a, b) = (publish(1), publish(2));
    within("publishing", async {
        a.await.unwrap();
        b.await.unwrap();
    })
    .await;
    let complete = |wire: &[u8]| blocks(&body(wire).0).len() > 400;
    let (mut direct_wire, mut hyper_wire) = (Vec::new(), Vec::new());
    read_until(&mut direct, &mut direct_wire, complete).await;
    read_until(&mut hyper, &mut hyper_wire, complete).await;
    let (direct_blocks, hyper_blocks) =
        (blocks(&body(&direct_wire).0), blocks(&body(&hyper_wire).0));
    assert_eq!(direct_blocks, hyper_blocks, "the same bytes either way");
    // The head (an id-only block for a new client), then 400 events with increasing ids.
    assert_eq!(direct_blocks.len(), 401);
    let ids: Vec<sse_server::hub::EventId> = direct_blocks[1..]
        .iter()
        .map(|block| {
            block
                .lines()
                .next()
                .unwrap()
                .strip_prefix("id: ")
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "in id order");
    assert!(direct_wire.starts_with(b"HTTP/1.1 200 OK\r\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_direct_subscriber_is_let_go_without_holding_back_the_others() {
    let config = Config::default().with_hub_config(HubConfig::default().with_subscriber_queue(64));
    let server = start(config).await;
    // Connected, then never read until the end.
    let mut slow = open(&server, "firehose", true).await;
    let mut fast = open(&server, "firehose", true).await;
    wait_for_subscribers(&server, "firehose", 2).await;
    // 32 MB in all: more than the kernel buffers of the slow socket and its 64 events.
    let payload = "x".repeat(16 * 1024);
    let hub = server.state.hub.clone();
    // The writer stays at most 32 events ahead of the fast reader (a debug build reads slowly),
    // so that only the slow one falls behind its 64.
    let (read, mut progress) = tokio::sync::watch::channel(0usize);
    let writer = tokio::spawn(async move {
        for i in 0..2000 {
            let _ = progress.wait_for(|done| i < done + 32).await;
            hub.publish("firehose", sse_format::Event::new().data(payload.clone()))
                .await
                .unwrap();
        }
    });
    // Read as fast as it comes, counting event ends in the new bytes only.
    let mut fast_wire = Vec::new();
    within("the fast subscriber", async {
        let (mut ends, mut buf) = (0, vec![0u8; 64 * 1024]);
        while ends < 2000 {
            let n = fast.read(&mut buf).await.unwrap();
            assert!(n > 0, "the fast subscriber was cut after {ends} events");
            let from = fast_wire.len().saturating_sub(3);
            fast_wire.extend_from_slice(&buf[..n]);
            ends += fast_wire[from..]
                .windows(4)
                .filter(|w| *w == b"x\n\n\r")
                .count();
            let _ = read.send(ends);
        }
    })
    .await;
    within("the writer", writer).await.unwrap();
    let events = blocks(&body(&fast_wire).0);
    assert!(
        events[1..]
            .iter()
            .all(|b| b.ends_with(&"x".repeat(16 * 1024)))
    );
    // The slow one was let go: its stream ends, after what was written or waiting, intact.
    wait_for_subscribers(&server, "firehose", 1).await;
    // The response ends (the connection stays open for another request).
    let mut slow_wire = Vec::new();
    read_until(&mut slow, &mut slow_wire, |wire| {
        wire.ends_with(b"\r\n0\r\n\r\n")
    })
    .await;
    let (slow_body, ended) = body(&slow_wire);
    assert!(ended, "a clean end: the last chunk");
    let slow_events = blocks(&slow_body);
    assert!(slow_events.len() > 1, "it got events before it stalled");
    assert!(
        slow_events.len() < 1000,
        "it did not get everything: {}",
        slow_events.len()
    );
    assert!(
        slow_events[1..]
            .iter()
            .all(|b| b.ends_with(&"x".repeat(16 * 1024)))
    );
    // The socket went back to the connection: it serves the client's next request.
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut next = Vec::new();
    read_until(&mut slow, &mut next, |wire| wire.ends_with(b"}")).await;
    assert!(
        next.starts_with(b"HTTP/1.1 200 OK\r\n"),
        "{}",
        String::from_utf8_lossy(&next)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_direct_subscriber_that_leaves_is_let_go_at_once() {
    let server = start(Config::default()).await;
    let socket = open(&server, "quiet", true).await;
    wait_for_subscribers(&server, "quiet", 1).await;
    drop(socket);
    // Noticed from the socket's end, not at the next event or keep-alive.
    wait_for_subscribers(&server, "quiet", 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiet_direct_stream_gets_keep_alives_and_ends_with_its_last_chunk_at_shutdown() {
    let sse = SseConfig::default().with_keep_alive(Duration::from_millis(100));
    let mut server = start(Config::default().with_sse(sse)).await;
    let mut socket = open(&server, "quiet", true).await;
    let mut wire = Vec::new();
    read_until(&mut socket, &mut wire, |wire| {
        body(wire).0.matches(":\n\n").count() >= 2
    })
    .await;
    server.stop.take().unwrap().send(()).unwrap();
    within("the end of the stream", socket.read_to_end(&mut wire))
        .await
        .unwrap();
    assert!(body(&wire).1, "the last chunk");
    within("serve to return", &mut server.task)
        .await
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_direct_stream_gets_no_keep_alive_and_a_quiet_one_gets_one_within_the_interval() {
    // A second: the sweep looks every half second; only a stall of that long between two events
    // would earn the busy stream a comment.
    let sse = SseConfig::default().with_keep_alive(Duration::from_secs(1));
    let server = start(Config::default().with_sse(sse)).await;
    let mut socket = open(&server, "busy", true).await;
    wait_for_subscribers(&server, "busy", 1).await;
    // An event every 20 ms for 1.5 s: never quiet for the interval, so no comment.
    for i in 0..75 {
        server
            .state
            .hub
            .publish("busy", sse_format::Event::new().data(i.to_string()))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut wire = Vec::new();
    read_until(&mut socket, &mut wire, |wire| {
        blocks(&body(wire).0).len() > 75
    })
    .await;
    let (text, _) = body(&wire);
    assert!(
        !text.contains(":\n\n"),
        "no comment on a busy stream: {text:?}"
    );
    // Quiet from here: a comment comes, within the interval on a quiet machine (the bound here
    // is loose: tests run side by side).
    let quiet_since = std::time::Instant::now();
    read_until(&mut socket, &mut wire, |wire| {
        body(wire).0.contains(":\n\n")
    })
    .await;
    assert!(
        quiet_since.elapsed() < Duration::from_secs(5),
        "the first comment came after {:?}",
        quiet_since.elapsed()
    );
}
