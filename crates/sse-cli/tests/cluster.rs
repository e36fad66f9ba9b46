//! Several `sse serve --redis` nodes on one real `redis-server` (Debian package `redis-server`):
//! the programs themselves, killed with SIGKILL and restarted, and a chaos run through a proxy
//! that alternates the nodes and cuts every connection at a random byte.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};
use sse_format::{Frame, Parser};
use test_kit::free_port;
use test_kit::redis::LocalRedis;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::process::{Child, Command};

/// One `sse serve` process.
struct Node {
    child: Child,
    port: u16,
    name: &'static str,
    redis: String,
}

impl Node {
    async fn start(redis: &LocalRedis, name: &'static str) -> Node {
        Node::start_on(redis.url(), name, free_port()).await
    }

    async fn start_on(redis: String, name: &'static str, port: u16) -> Node {
        let child = Command::new(env!("CARGO_BIN_EXE_sse"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .args(["--redis", &redis, "--node-name", name])
            .args([
                "--retry-ms",
                "50",
                "--retry-jitter-ms",
                "0",
                "--keep-alive",
                "1",
                "--no-demo-channels",
            ])
            .args(["--book-dir", "/nonexistent"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start sse serve");
        let node = Node {
            child,
            port,
            name,
            redis,
        };
        let health = format!("{}/health", node.base());
        within(async {
            loop {
                if let Ok(response) = reqwest::get(&health).await
                    && response.status() == 200
                {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await;
        node
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// SIGKILL: no graceful end for its streams.
    async fn kill(&mut self) {
        self.child.kill().await.unwrap();
    }

    async fn restart(&mut self) {
        *self = Node::start_on(self.redis.clone(), self.name, self.port).await;
    }
}

async fn within<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), future)
        .await
        .expect("timed out")
}

async fn publish(client: &reqwest::Client, base: &str, channel: &str, data: &str) -> String {
    loop {
        let response = client
            .post(format!("{base}/publish/{channel}"))
            .json(&json!({ "data": data }))
            .send()
            .await
            .unwrap();
        if response.status() == 503 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        assert_eq!(response.status(), 200);
        return response.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
    }
}

/// What a reconnecting client saw.
#[derive(Debug, Default)]
struct Seen {
    data: Vec<String>,
    last_event_id: String,
    gaps: usize,
    connections: usize,
    nodes: Vec<String>,
}

/// Reads `url` as an `EventSource` would, resuming with `Last-Event-ID`, until `count` data
/// events were received or `stop()` says so. Every connection is cut by whoever (proxy, killed
/// node); the client reconnects at once.
async fn read_until(urls: impl Fn(usize) -> String, seen: &mut Seen, count: usize) {
    let client = reqwest::Client::new();
    while seen.data.len() < count {
        seen.connections += 1;
        let mut request = client.get(urls(seen.connections));
        if !seen.last_event_id.is_empty() {
            request = request.header("last-event-id", &seen.last_event_id);
        }
        let response = match tokio::time::timeout(Duration::from_secs(2), request.send()).await {
            Ok(Ok(response)) if response.status() == 200 => response,
            _ => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        if let Some(node) = response.headers().get("x-sse-node") {
            seen.nodes.push(node.to_str().unwrap().to_owned());
        }
        let mut parser = Parser::new();
        parser.set_last_event_id(&seen.last_event_id);
        let mut body = response.bytes_stream();
        while let Ok(Some(Ok(chunk))) =
            tokio::time::timeout(Duration::from_secs(5), body.next()).await
        {
            for frame in parser.feed(&chunk) {
                if let Ok(Frame::Event(event)) = frame {
                    if event.event_type() == "replay-gap" {
                        seen.gaps += 1;
                    } else {
                        seen.data.push(event.data().to_owned());
                    }
                }
            }
            // Set by dispatched events and id-only blocks, never by a half-received event.
            seen.last_event_id = parser.last_event_id().to_owned();
            if seen.data.len() >= count {
                return;
            }
        }
    }
}

fn numbers(range: std::ops::RangeInclusive<usize>) -> Vec<String> {
    range.map(|n| n.to_string()).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_publish_on_one_node_reaches_listeners_on_the_other() {
    let Some(redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    let (a, b) = (
        Node::start(&redis, "a").await,
        Node::start(&redis, "b").await,
    );
    let client = reqwest::Client::new();
    let health: Value = reqwest::get(format!("{}/health", b.base()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health, json!({"node": "b", "hub": "redis", "redis": "ok"}));
    let on_b = b.base();
    let listening = tokio::spawn(async move {
        let mut seen = Seen::default();
        read_until(|_| format!("{on_b}/events/news"), &mut seen, 3).await;
        seen
    });
    // Publish once B's listener is in (it has no id: it only gets what comes after).
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut ids = Vec::new();
    for n in 1..=3 {
        ids.push(publish(&client, &a.base(), "news", &n.to_string()).await);
    }
    let seen = within(listening).await.unwrap();
    assert_eq!(seen.data, numbers(1..=3));
    assert_eq!(seen.last_event_id, ids[2], "the same id on every node");
    assert_eq!(seen.nodes, ["b"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_node_killed_and_restarted_its_clients_resume_on_another_node() {
    let Some(redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    let (mut a, b) = (
        Node::start(&redis, "a").await,
        Node::start(&redis, "b").await,
    );
    let client = reqwest::Client::new();
    let mut seen = Seen {
        last_event_id: "0".into(),
        ..Seen::default()
    };
    for n in 1..=3 {
        publish(&client, &b.base(), "jobs", &n.to_string()).await;
    }
    within(read_until(
        |_| format!("{}/events/jobs", a.base()),
        &mut seen,
        3,
    ))
    .await;
    a.kill().await;
    for n in 4..=6 {
        publish(&client, &b.base(), "jobs", &n.to_string()).await;
    }
    // A is gone: the client's next connection goes to B, with its last id.
    within(read_until(
        |_| format!("{}/events/jobs", b.base()),
        &mut seen,
        6,
    ))
    .await;
    a.restart().await;
    for n in 7..=9 {
        publish(&client, &a.base(), "jobs", &n.to_string()).await;
    }
    within(read_until(
        |_| format!("{}/events/jobs", a.base()),
        &mut seen,
        9,
    ))
    .await;
    assert_eq!(
        seen.data,
        numbers(1..=9),
        "each once, in order, across three nodes' lives"
    );
    assert_eq!(seen.gaps, 0);
    assert_eq!(seen.nodes, ["a", "b", "a"]);
}

/// A TCP proxy on loopback: connection `i` goes to node `i % 2`, and the answer is cut after a
/// random number of bytes (1 to 600: inside the HTTP head, mid-event, anywhere).
async fn chaos_proxy(ports: [u16; 2], seed: u64, cuts: Arc<AtomicUsize>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut rng = fastrand::Rng::with_seed(seed);
    tokio::spawn(async move {
        for i in 0usize.. {
            let Ok((mut downstream, _)) = listener.accept().await else {
                continue;
            };
            let target = ports[i % 2];
            let budget = rng.usize(1..=600);
            let cuts = cuts.clone();
            tokio::spawn(async move {
                let Ok(Ok(mut upstream)) = tokio::time::timeout(
                    Duration::from_secs(1),
                    TcpStream::connect(("127.0.0.1", target)),
                )
                .await
                else {
                    return; // that node is down: the client sees a closed connection
                };
                let (mut down_read, mut down_write) = downstream.split();
                let (mut up_read, mut up_write) = upstream.split();
                let request = tokio::io::copy(&mut down_read, &mut up_write);
                let answer = async {
                    let mut left = budget;
                    let mut buffer = [0u8; 1024];
                    while left > 0 {
                        let n = match up_read.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => n.min(left),
                        };
                        if down_write.write_all(&buffer[..n]).await.is_err() {
                            return;
                        }
                        left -= n;
                    }
                    cuts.fetch_add(1, Ordering::Relaxed);
                };
                tokio::select! {
                    _ = request => {}
                    () = answer => {}
                }
                // Dropping both sockets cuts the connection.
            });
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread")]
async fn chaos_every_event_exactly_once_in_order_through_cuts_and_a_node_restart() {
    let Some(redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    const EVENTS: usize = 300;
    let seed = std::env::var("CHAOS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("chaos seed {seed} (rerun with CHAOS_SEED={seed})");
    let (mut a, b) = (
        Node::start(&redis, "a").await,
        Node::start(&redis, "b").await,
    );
    let cuts = Arc::new(AtomicUsize::new(0));
    let proxy = chaos_proxy([a.port, b.port], seed, cuts.clone()).await;
    let reader = tokio::spawn(async move {
        // "0": everything from the start of the (new) channel.
        let mut seen = Seen {
            last_event_id: "0".into(),
            ..Seen::default()
        };
        read_until(
            |_| format!("http://127.0.0.1:{proxy}/events/chaos"),
            &mut seen,
            EVENTS,
        )
        .await;
        seen
    });
    // Publish through B (never killed), so that no publish is ever in doubt.
    let client = reqwest::Client::new();
    for n in 1..=EVENTS {
        if n == EVENTS / 3 {
            a.kill().await;
        }
        if n == 2 * EVENTS / 3 {
            a.restart().await;
        }
        publish(&client, &b.base(), "chaos", &n.to_string()).await;
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let seen = within(reader).await.unwrap();
    eprintln!(
        "chaos: {} events received once each and in order over {} connections ({} cut at a random byte; served by a {} times, by b {} times), {} gap notices",
        seen.data.len(),
        seen.connections,
        cuts.load(Ordering::Relaxed),
        seen.nodes.iter().filter(|n| *n == "a").count(),
        seen.nodes.iter().filter(|n| *n == "b").count(),
        seen.gaps
    );
    assert_eq!(seen.data, numbers(1..=EVENTS), "exactly once, in order");
    assert_eq!(seen.gaps, 0);
    assert!(
        cuts.load(Ordering::Relaxed) > 30,
        "the proxy did cut: {} connections",
        seen.connections
    );
    assert!(seen.nodes.contains(&"a".to_owned()) && seen.nodes.contains(&"b".to_owned()));
}

#[tokio::test(flavor = "multi_thread")]
async fn while_redis_is_down_health_and_publish_say_503_and_open_streams_keep_alive() {
    let Some(mut redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    let node = Node::start(&redis, "a").await;
    let client = reqwest::Client::new();
    let stream = client
        .get(format!("{}/events/quiet", node.base()))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let mut body = stream.bytes_stream();
    redis.kill().await;
    let health = within(async {
        loop {
            let response = reqwest::get(format!("{}/health", node.base()))
                .await
                .unwrap();
            if response.status() == 503 {
                return response.json::<Value>().await.unwrap();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    assert_eq!(
        health,
        json!({"node": "a", "hub": "redis", "redis": "unreachable"})
    );
    let refused = client
        .post(format!("{}/publish/quiet", node.base()))
        .json(&json!({"data": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 503);
    assert!(refused.headers().contains_key("retry-after"));
    let message = refused.text().await.unwrap();
    assert!(
        message.contains("unavailable") && !message.contains("redis://"),
        "{message}"
    );
    // The open stream still gets its keep-alive comments (every second here).
    let mut received = Vec::new();
    within(async {
        while !received.ends_with(b":\n\n") {
            received.extend_from_slice(&body.next().await.unwrap().unwrap());
        }
    })
    .await;
    redis.restart().await;
    within(async {
        while reqwest::get(format!("{}/health", node.base()))
            .await
            .unwrap()
            .status()
            != 200
        {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    publish(&client, &node.base(), "quiet", "back").await;
    // The same stream, never reconnected, carries on once the node's reader is back.
    within(async {
        while !String::from_utf8_lossy(&received).contains("data: back\n\n") {
            received.extend_from_slice(&body.next().await.unwrap().unwrap());
        }
    })
    .await;
}
