//! `sse serve` as an operator sees it: `/metrics` counts what happened (streams, refusals by
//! cause, resumes by outcome, deliveries), passes Debian's `promtool check metrics`, is scraped
//! by a real `prometheus`, stays closed without its token and off the public listener when it
//! has its own; the JSON logs never show a token, a cookie or an `Authorization` header.

use std::time::Duration;
use test_kit::prometheus::series_value as value;

use futures::StreamExt;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

const TOKEN: &str = "s3cret-stream-token";
const METRICS_TOKEN: &str = "m3trics-scrape-token";

/// A running `sse serve`, its public base URL and, if any, its metrics address.
struct Serve {
    child: tokio::process::Child,
    base: String,
    metrics: Option<String>,
}

/// Starts `sse serve` on free ports with `args`, and reads its banner (bounded).
async fn serve(args: &[&str], envs: &[(&str, &str)]) -> Serve {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_sse"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--book-dir",
            "/nonexistent",
        ])
        .args(["--no-demo-channels", "--keep-alive", "1"])
        .args(args)
        .envs(envs.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut base, mut metrics) = (None, None);
    tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(url) = line.strip_prefix("sse serve: listening on ") {
                base = Some(url.to_owned());
            } else if let Some(rest) = line.trim().strip_prefix("metrics") {
                metrics = rest.split_whitespace().next().map(str::to_owned);
            } else if line.trim().starts_with("try") {
                return;
            }
        }
        panic!("sse serve ended before its banner");
    })
    .await
    .expect("sse serve printed its banner within 20 s");
    // Keep reading stdout so the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Serve {
        child,
        base: base.expect("the address"),
        metrics,
    }
}

impl Serve {
    /// The socket address of the metrics listener (from `http://<addr>/metrics`).
    fn metrics_addr(&self) -> std::net::SocketAddr {
        self.metrics
            .as_deref()
            .and_then(|url| url.strip_prefix("http://"))
            .and_then(|rest| rest.strip_suffix("/metrics"))
            .expect("http://<addr>/metrics")
            .parse()
            .expect("a socket address")
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn publish(base: &str, channel: &str, data: &str) -> String {
    let response = client()
        .post(format!("{base}/publish/{channel}"))
        .bearer_auth(TOKEN)
        .json(&serde_json::json!({ "data": data }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_owned()
}

/// An open SSE stream and what it has received so far.
struct Stream {
    body: futures::stream::BoxStream<'static, reqwest::Result<String>>,
    text: String,
}

/// Opens `/events/{channel}` (with `last_event_id`, if any); the status if it is not 200.
async fn open(base: &str, channel: &str, last_event_id: Option<&str>) -> Result<Stream, u16> {
    let mut request = reqwest::Client::new()
        .get(format!("{base}/events/{channel}"))
        .bearer_auth(TOKEN);
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    let response = tokio::time::timeout(Duration::from_secs(10), request.send())
        .await
        .expect("response head within 10 s")
        .unwrap();
    if response.status() != 200 {
        return Err(response.status().as_u16());
    }
    Ok(Stream {
        body: response
            .bytes_stream()
            .map(|chunk| chunk.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
            .boxed(),
        text: String::new(),
    })
}

impl Stream {
    /// Reads until the text received contains `needle` `times` times (bounded: 10 s).
    async fn until(&mut self, needle: &str, times: usize) -> &str {
        tokio::time::timeout(Duration::from_secs(10), async {
            while self.text.matches(needle).count() < times {
                let chunk = self
                    .body
                    .next()
                    .await
                    .expect("the stream stays open")
                    .unwrap();
                self.text.push_str(&chunk);
            }
        })
        .await
        .unwrap_or_else(|_| panic!("{needle:?} x{times} within 10 s; got {:?}", self.text));
        &self.text
    }
}

async fn scrape(url: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = client().get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

async fn scrape_text(url: &str, token: Option<&str>) -> String {
    let response = scrape(url, token).await;
    assert_eq!(response.status(), 200);
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    response.text().await.unwrap()
}

/// Scrapes until `series` has `expected` (bounded: 10 s); returns the last scrape.
async fn wait_for(url: &str, token: Option<&str>, series: &str, expected: f64) -> String {
    let mut text = String::new();
    let reached = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            text = scrape_text(url, token).await;
            if value(&text, series) == Some(expected) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    assert!(
        reached.is_ok(),
        "{series} = {expected} within 10 s:\n{text}"
    );
    text
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_streams_refusals_resumes_and_deliveries_and_pass_promtool() {
    let server = serve(
        &[
            "--token",
            TOKEN,
            "--max-streams-per-client",
            "2",
            "--metrics-addr",
            "127.0.0.1:0",
        ],
        &[],
    )
    .await;
    let base = server.base.clone();
    let metrics = server.metrics.clone().expect("the metrics address");
    assert!(metrics.starts_with("http://127.0.0.1:"), "{metrics}");

    // With an address of its own, /metrics is not on the public listener.
    assert_eq!(scrape(&format!("{base}/metrics"), None).await.status(), 404);
    assert_eq!(
        scrape(&format!("{base}/metrics"), Some(TOKEN))
            .await
            .status(),
        404
    );

    // A live subscriber gets three events.
    let mut live = open(&base, "news", None).await.unwrap();
    let mut ids = Vec::new();
    for n in 0..3 {
        ids.push(publish(&base, "news", &format!("event {n}")).await);
    }
    live.until("data: event", 3).await;

    // Three resumes, one of each outcome.
    let mut replayed = open(&base, "news", Some(&ids[0])).await.unwrap();
    replayed.until("data: event", 2).await;
    drop(replayed);
    let mut gap = open(&base, "news", Some("not-an-id")).await.unwrap();
    gap.until("event: replay-gap", 1).await;
    drop(gap);
    let text = wait_for(&metrics, None, "sse_streams_open{transport=\"sse\"}", 1.0).await;
    assert_eq!(
        value(&text, "sse_resumes_total{outcome=\"replayed\"}"),
        Some(1.0)
    );
    let _head = open(&base, "news", Some(&ids[2])).await.unwrap();

    // Two streams open: a third from this address is refused.
    assert_eq!(open(&base, "news", None).await.err(), Some(429));
    // A bad token, and a Host this server does not answer to.
    let bad = client()
        .get(format!("{base}/events/news"))
        .bearer_auth("wrong-token")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    let rebinding = client()
        .get(format!("{base}/health"))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(rebinding.status(), 421);

    let text = scrape_text(&metrics, None).await;
    let expect = [
        ("sse_streams_open{transport=\"sse\"}", 2.0),
        ("sse_resumes_total{outcome=\"replayed\"}", 1.0),
        ("sse_resumes_total{outcome=\"gap\"}", 1.0),
        ("sse_resumes_total{outcome=\"head\"}", 1.0),
        ("sse_replay_events_count", 3.0),
        ("sse_connections_refused_total{cause=\"client_limit\"}", 1.0),
        ("sse_connections_refused_total{cause=\"auth\"}", 1.0),
        ("sse_connections_refused_total{cause=\"host\"}", 1.0),
        ("sse_hub_events_published_total", 3.0),
        // Only the live subscriber was there when they were published.
        ("sse_hub_events_delivered_total", 3.0),
        ("sse_hub_subscribers_dropped_total", 0.0),
        ("sse_hub_fanout_delay_seconds_count", 3.0),
    ];
    for (series, expected) in expect {
        assert_eq!(value(&text, series), Some(expected), "{series} in:\n{text}");
    }
    // The replay of the first resume was two events; the gap's replay is all that is kept.
    let replayed_sum = value(&text, "sse_replay_events_sum").unwrap();
    assert!(replayed_sum >= 2.0, "{replayed_sum}");
    assert!(
        text.contains("# HELP sse_hub_events_delivered_total "),
        "{text}"
    );
    assert!(
        text.contains("# TYPE sse_hub_fanout_delay_seconds histogram"),
        "{text}"
    );
    // No channel name, address or token in any series.
    for secret in ["news", "127.0.0.1", TOKEN, "wrong-token", "evil.example"] {
        assert!(!text.contains(secret), "{secret:?} in:\n{text}");
    }
    if let Some(verdict) = test_kit::prometheus::promtool_check_metrics(&text) {
        verdict.unwrap();
    }
    drop(live);
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_need_their_token_when_served_on_the_public_address() {
    let server = serve(&["--metrics-token", METRICS_TOKEN], &[]).await;
    assert_eq!(
        server.metrics.as_deref(),
        Some(&*format!("{}/metrics", server.base))
    );
    let url = format!("{}/metrics", server.base);
    let without = scrape(&url, None).await;
    assert_eq!(without.status(), 401);
    assert_eq!(without.headers()["www-authenticate"], "Bearer");
    let body = without.text().await.unwrap();
    assert!(!body.contains("sse_"), "{body}");
    assert_eq!(
        scrape(&url, Some("m3trics-scrape-tokeN")).await.status(),
        401
    );
    let text = scrape_text(&url, Some(METRICS_TOKEN)).await;
    assert_eq!(value(&text, "sse_hub_events_published_total"), Some(0.0));
    assert!(!text.contains(METRICS_TOKEN));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_real_prometheus_scrapes_the_metrics_and_answers_a_query() {
    let server = serve(
        &[
            "--token",
            TOKEN,
            "--metrics-addr",
            "127.0.0.1:0",
            "--metrics-token",
            METRICS_TOKEN,
        ],
        &[],
    )
    .await;
    let target = server.metrics_addr();
    publish(&server.base, "news", "one").await;
    publish(&server.base, "news", "two").await;
    let Some(prometheus) =
        test_kit::prometheus::LocalPrometheus::start_or_skip(target, Some(METRICS_TOKEN)).await
    else {
        return;
    };
    let query = format!(
        "http://{}/api/v1/query?query=sse_hub_events_published_total",
        prometheus.addr()
    );
    let mut last = serde_json::Value::Null;
    let answered = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            last = client()
                .get(&query)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            if last["data"]["result"][0]["value"][1] == "2" {
                return;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    })
    .await;
    assert!(
        answered.is_ok(),
        "prometheus answered 2 within 30 s: {last}"
    );
    assert_eq!(last["status"], "success");
    assert_eq!(last["data"]["result"][0]["metric"]["job"], "sse");
}

#[tokio::test(flavor = "multi_thread")]
async fn json_logs_show_requests_but_never_a_token_a_cookie_or_a_query() {
    let mut server = serve(
        &["--token", TOKEN, "--log-format", "json"],
        // The most verbose level the server's own crates log at: still no secret.
        &[("RUST_LOG", "debug")],
    )
    .await;
    let secret = "h34der-secret";
    let response = client()
        .get(format!(
            "{}/events/news?access_token=query-secret&lastEventId=1",
            server.base
        ))
        .bearer_auth(secret)
        .header("cookie", "sse_token=cookie-secret")
        .header("x-api-key", "key-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let ok = client()
        .get(format!("{}/health", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    // Stop the server as an operator does (SIGTERM), then read every line it logged.
    let pid = server.child.id().unwrap().to_string();
    let term = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(term.success());
    let mut logs = String::new();
    let mut stderr = server.child.stderr.take().unwrap();
    tokio::time::timeout(Duration::from_secs(10), stderr.read_to_string(&mut logs))
        .await
        .expect("stderr closed within 10 s")
        .unwrap();
    let status = tokio::time::timeout(Duration::from_secs(10), server.child.wait())
        .await
        .expect("sse serve ended within 10 s of SIGTERM")
        .unwrap();
    assert!(status.success(), "{status}");
    let lines: Vec<serde_json::Value> = logs
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let requests: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|line| line["span"]["name"] == "request")
        .collect();
    assert!(
        requests
            .iter()
            .any(|line| line["span"]["path"] == "/events/news" && line["fields"]["status"] == 401),
        "a line for the refused stream request:\n{logs}"
    );
    assert!(
        requests
            .iter()
            .any(|line| line["span"]["path"] == "/health"),
        "{logs}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line["fields"]["message"] == "sse serve: shut down cleanly"),
        "every line is JSON, the last one too:\n{logs}"
    );
    for secret in [secret, "query-secret", "cookie-secret", "key-secret", TOKEN] {
        assert!(!logs.contains(secret), "{secret:?} in the logs:\n{logs}");
    }
}

#[test]
fn the_book_lists_every_metric_and_the_dashboard_queries_only_real_ones() {
    let book = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/src/ch05");
    let page = std::fs::read_to_string(book.join("operations.md")).unwrap();
    let names: Vec<&str> = sse_server::metrics::ALL.iter().map(|m| m.0).collect();
    for name in &names {
        assert!(
            page.contains(&format!("| `{name}` |")),
            "{name} in the book's table"
        );
    }
    let dashboard: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(book.join("grafana-dashboard.json")).unwrap(),
    )
    .expect("the dashboard is JSON");
    let panels = dashboard["panels"].as_array().unwrap();
    assert!(panels.len() >= 6);
    for panel in panels {
        for target in panel["targets"].as_array().unwrap() {
            let expr = target["expr"].as_str().unwrap();
            let used: Vec<&str> = expr
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|word| word.starts_with("sse_"))
                .collect();
            assert!(!used.is_empty(), "{expr}");
            for word in used {
                let base = ["_bucket", "_sum", "_count"]
                    .iter()
                    .find_map(|suffix| word.strip_suffix(suffix))
                    .unwrap_or(word);
                assert!(names.contains(&base), "{word} in {expr} is not a metric");
            }
        }
    }
}

#[tokio::test]
async fn the_metrics_listener_is_capped_and_still_answers_a_scrape_after_a_flood() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server = serve(&["--metrics-addr", "127.0.0.1:0"], &[]).await;
    let metrics = server.metrics.clone().expect("the metrics address");
    let addr = server.metrics_addr();
    // Sixteen connections that never send a request hold every place of the listener.
    let mut idle = Vec::new();
    for _ in 0..16 {
        idle.push(tokio::net::TcpStream::connect(&addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The seventeenth is told to come back, not queued behind them.
    let mut extra = tokio::net::TcpStream::connect(&addr).await.unwrap();
    extra
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), extra.read_to_end(&mut answer))
        .await
        .expect("an answer within 10 s")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer).to_lowercase();
    assert!(answer.starts_with("http/1.1 503"), "{answer}");
    assert!(answer.contains("retry-after: "), "{answer}");
    // Once they are gone, a scraper gets its metrics again.
    drop(idle);
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Ok(response) = client().get(&metrics).send().await
                && response.status() == 200
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("a scrape succeeds after the flood");
}

#[tokio::test]
async fn the_metrics_listener_refuses_a_rebound_host_name_like_the_public_one() {
    use tokio::io::AsyncWriteExt;
    let server = serve(&["--metrics-addr", "127.0.0.1:0"], &[]).await;
    let addr = server.metrics_addr();
    // What a browser sends after a page on evil.example rebound its name to 127.0.0.1.
    let ask = |host: &'static str| async move {
        let mut socket = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let request = format!("GET /metrics HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        socket.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), socket.read_to_end(&mut answer))
            .await
            .expect("an answer within 10 s")
            .unwrap();
        String::from_utf8_lossy(&answer).into_owned()
    };
    let rebound = ask("evil.example:9100").await;
    assert!(rebound.starts_with("HTTP/1.1 421"), "{rebound}");
    assert!(
        !rebound.contains("sse_streams_open"),
        "no metrics leak: {rebound}"
    );
    let scraper = ask("127.0.0.1").await;
    assert!(scraper.starts_with("HTTP/1.1 200"), "{scraper}");
    assert!(scraper.contains("# TYPE"), "{scraper}");
}
