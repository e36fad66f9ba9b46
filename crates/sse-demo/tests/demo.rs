//! The demo over real loopback HTTP, as `sse serve` runs it (`sse_server::serve_with` with
//! `sse_demo::mount`): the page and the book, the demo channels, the `drop_after` stream, and
//! the library's token in front of the demo's streams and mock endpoints.

use std::time::Duration;

use futures::StreamExt;
use serde_json::json;
use sse_demo::DemoConfig;
use sse_server::Config;

mod common;
use common::{start, within};

/// A fast demo: a counter event every 20 ms.
fn fast() -> DemoConfig {
    DemoConfig {
        counter_every: Duration::from_millis(20),
        ..DemoConfig::default()
    }
}

async fn get_text(url: impl reqwest::IntoUrl) -> String {
    reqwest::get(url).await.unwrap().text().await.unwrap()
}

/// Reads a response body to its end (bounded); returns its `data:` values and `id:`s.
async fn read_to_end(response: reqwest::Response) -> (Vec<String>, Vec<String>) {
    let text = within(response.text()).await.unwrap();
    let field = |name: &str| -> Vec<String> {
        text.lines()
            .filter_map(|line| line.strip_prefix(name))
            .map(str::to_owned)
            .collect()
    };
    (field("data: "), field("id: "))
}

#[tokio::test]
async fn the_page_links_the_book_when_it_is_built_and_names_its_node() {
    let dir = std::env::temp_dir().join(format!("sse-book-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<h1>The book</h1>").unwrap();
    let config = Config::default().with_node_name("node-a");
    let demo = DemoConfig {
        book_dir: Some(dir.clone()),
        ..DemoConfig::default()
    };
    let server = start(config, demo).await;
    let page = get_text(&server.base).await;
    assert!(page.contains("new EventSource(\"/events/clock\")"));
    assert!(page.contains("new EventSource(\"/demo/events/counter?drop_after=5\")"));
    assert!(page.contains("href=\"/book/\""));
    assert!(
        page.contains("<code id=\"node\">node-a</code>"),
        "the page shows its node"
    );
    let book = get_text(format!("{}/book/", server.base)).await;
    assert_eq!(book, "<h1>The book</h1>");
    server.stop().await;
    std::fs::remove_dir_all(&dir).unwrap();

    let without = start(Config::default(), DemoConfig::default()).await;
    let page = get_text(&without.base).await;
    assert!(page.contains("mdbook build book"));
    let status = reqwest::get(format!("{}/book/", without.base))
        .await
        .unwrap()
        .status();
    assert_eq!(status, 404, "no book, no /book/");
    without.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drop_after_ends_the_demo_stream_and_a_resume_misses_nothing() {
    let server = start(Config::default(), fast()).await;
    for n in [1usize, 3, 5] {
        let url = format!("{}/demo/events/counter?drop_after={n}", server.base);
        // A first connection: the head (id only), then `n` live events, then the end.
        let response = reqwest::get(&url).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        let (data, ids) = read_to_end(response).await;
        assert_eq!(data.len(), n, "drop_after={n}: {data:?}");
        assert_eq!(ids.len(), n + 1, "the head and one id per event: {ids:?}");
        let values: Vec<u64> = data.iter().map(|d| d.parse().unwrap()).collect();
        assert!(values.windows(2).all(|w| w[1] == w[0] + 1), "{values:?}");

        // A reconnection with the last id, a little later: the replay covers the events
        // published meanwhile, and the live ones follow without a gap.
        tokio::time::sleep(Duration::from_millis(60)).await;
        let resumed = reqwest::Client::new()
            .get(&url)
            .header("last-event-id", ids.last().unwrap())
            .send()
            .await
            .unwrap();
        let (more, _) = read_to_end(resumed).await;
        let more: Vec<u64> = more.iter().map(|d| d.parse().unwrap()).collect();
        assert!(more.len() > n, "replay and {n} live events: {more:?}");
        assert_eq!(more[0], values[n - 1] + 1, "no gap after the resume");
        assert!(more.windows(2).all(|w| w[1] == w[0] + 1), "{more:?}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_library_route_ignores_drop_after() {
    let server = start(Config::default(), fast()).await;
    let response = reqwest::get(format!("{}/events/counter?drop_after=1", server.base))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut body = response.bytes_stream();
    let mut seen = String::new();
    within(async {
        while seen.matches("data: ").count() < 4 {
            seen.push_str(&String::from_utf8_lossy(
                &body.next().await.unwrap().unwrap(),
            ));
        }
    })
    .await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_channels_are_published_only_when_on() {
    let server = start(Config::default(), fast()).await;
    let response = reqwest::get(format!("{}/events/clock", server.base))
        .await
        .unwrap();
    let mut body = response.bytes_stream();
    let mut seen = String::new();
    within(async {
        while !seen.contains("event: tick\n") {
            seen.push_str(&String::from_utf8_lossy(
                &body.next().await.unwrap().unwrap(),
            ));
        }
    })
    .await;
    assert!(seen.contains(" UTC\n"), "{seen}");
    drop(body);
    server.stop().await;

    let quiet = DemoConfig {
        demo_channels: false,
        ..fast()
    };
    let server = start(Config::default(), quiet).await;
    let url = format!("{}/demo/events/counter?drop_after=1", server.base);
    let response = reqwest::get(&url).await.unwrap();
    let mut body = response.bytes_stream();
    // 15 counter periods without an event (the stream would end after the first one).
    let waited = tokio::time::timeout(Duration::from_millis(300), body.next()).await;
    let first = waited.expect("the retry line arrives at once");
    assert!(first.unwrap().unwrap().starts_with(b"retry:"));
    let more = tokio::time::timeout(Duration::from_millis(300), async {
        let mut seen = String::new();
        while let Some(Ok(chunk)) = body.next().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains("data:") {
                return seen;
            }
        }
        seen
    })
    .await;
    assert!(more.is_err(), "nothing published: {more:?}");
    drop(body);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_guards_the_demo_stream_and_the_mock_endpoints_not_the_page() {
    let config = Config::default().with_auth_token("s3cret");
    let server = start(config, fast()).await;
    let client = reqwest::Client::new();
    let page = client.get(&server.base).send().await.unwrap();
    assert_eq!(page.status(), 200, "the page stays open");
    let url = format!("{}/demo/events/counter?drop_after=1", server.base);
    let denied = client.get(&url).send().await.unwrap();
    assert_eq!(denied.status(), 401);
    assert_eq!(denied.headers()["www-authenticate"], "Bearer");
    let cookie = client
        .get(&url)
        .header("cookie", "sse_token=s3cret")
        .send()
        .await
        .unwrap();
    assert_eq!(cookie.status(), 200);
    let chat =
        json!({"model": "m", "stream": true, "messages": [{"role": "user", "content": "hi"}]});
    for path in ["/v1/chat/completions", "/v1/responses", "/v1/messages"] {
        let status = client
            .post(format!("{}{path}", server.base))
            .json(&chat)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 401, "{path}");
    }
    drop(cookie);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_stream_takes_a_per_client_stream_slot() {
    let config = Config::default().with_max_streams_per_client(1);
    let server = start(config, fast()).await;
    let held = reqwest::get(format!("{}/events/news", server.base))
        .await
        .unwrap();
    assert_eq!(held.status(), 200);
    let refused = reqwest::get(format!("{}/demo/events/counter", server.base))
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        429,
        "the same limit as the library's streams"
    );
    drop(held);
    server.stop().await;
}

#[tokio::test]
async fn a_jwt_demo_stream_ends_with_token_expired_when_its_token_does() {
    use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
    let secret = b"a demo secret of at least thirty-two bytes";
    let jwt = sse_server::jwt::JwtConfig::hs256(secret)
        .unwrap()
        .with_leeway(Duration::ZERO);
    let server = start(Config::default().with_jwt(jwt), fast()).await;
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 2;
    let token = encode(
        &Header::new(Algorithm::HS256),
        &json!({ "exp": exp, "sse": { "subscribe": ["counter"] } }),
        &EncodingKey::from_secret(secret).unwrap(),
    )
    .unwrap();
    let response = reqwest::Client::new()
        .get(format!("{}/demo/events/counter", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // The counter ticks every 20 ms; the stream ends by itself within the token's two seconds
    // (and a second of clock granularity), its last event telling the client to fetch a new one.
    let text = within(response.text()).await.unwrap();
    assert!(text.contains("data: "), "events before the expiry");
    assert!(
        text.trim_end().contains("event: token-expired\ndata: "),
        "ends with the notice: {:?}",
        &text[text.len().saturating_sub(200)..]
    );
    server.stop().await;
}
