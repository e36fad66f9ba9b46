//! Browsers' six-connection limit, measured in a real headless Chromium: one page opens eight
//! `EventSource`s to its own origin. Over HTTP/1.1 each stream holds a connection and Chromium
//! allows six per origin, so exactly six reach OPEN and two wait in CONNECTING; over HTTP/2 (TLS,
//! the self-signed certificate of `sse serve --tls-self-signed`) all eight share one connection and
//! are OPEN.
//!
//! Chromium is required when `CI` is set; elsewhere the test says it is skipping if there is none.

mod support;

use std::time::{Duration, Instant};

use axum::response::Html;
use serde_json::Value;
use support::devtools::{Browser, chromium, skip_without_chromium};

/// The page: eight streams on the page's own origin, and a way to read their states.
const PAGE: &str = r#"<!doctype html>
<meta charset="utf-8"><title>Eight EventSources</title>
<script>
  window.sources = [];
  for (let i = 0; i < 8; i++) window.sources.push(new EventSource("/events/tab" + i));
</script>"#;

const STATE: &str = r#"JSON.stringify({
  states: window.sources.map((s) => s.readyState),
  protocol: performance.getEntriesByType("navigation")[0].nextHopProtocol,
})"#;

/// Serves the page (a route added with `serve_with`) over plain HTTP/1.1 or TLS; opens it in
/// Chromium; returns the page's state once it has settled, and when it did.
async fn eight_sources(tls: bool) -> Option<(Value, Duration)> {
    let browser = chromium()?;
    let mut config = sse_server::Config::default();
    let mut flags = Vec::new();
    if tls {
        let local = sse_server::tls::self_signed(&["localhost", "127.0.0.1"]).unwrap();
        // Trust exactly this key, as a user of `sse serve --tls-self-signed` would.
        flags.push(format!(
            "--ignore-certificate-errors-spki-list={}",
            local.spki_sha256
        ));
        config.conn.tls = Some(local.config);
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let scheme = if tls { "https" } else { "http" };
    let url = format!("{scheme}://{}/eight", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let signal = async {
        let _ = stopped.await;
    };
    let server = tokio::spawn(sse_server::serve_with(listener, config, signal, |_| {
        axum::Router::new().route("/eight", axum::routing::get(|| async { Html(PAGE) }))
    }));

    let started = Instant::now();
    let mut page = Browser::open(browser, &url, &flags).await;
    let want_open = if tls { 8 } else { 6 };
    let settled = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            if let Some(text) = page.eval(STATE).await.as_str() {
                let state: Value = serde_json::from_str(text).unwrap();
                let open = state["states"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|s| *s == 1)
                    .count();
                if open >= want_open {
                    return started.elapsed();
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("the page opened its streams");
    // Give the waiting ones every chance to get through: they must not.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let state: Value = serde_json::from_str(page.eval(STATE).await.as_str().unwrap()).unwrap();

    page.close().await;
    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(15), server)
        .await
        .expect("serve returned")
        .unwrap()
        .unwrap();
    Some((state, settled))
}

fn states(state: &Value) -> Vec<u64> {
    state["states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_u64().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http1_allows_six_event_sources_per_origin_and_http2_all_eight() {
    let Some((h1, h1_settled)) = eight_sources(false).await else {
        return skip_without_chromium();
    };
    println!("HTTP/1.1: {h1} (six open after {h1_settled:?})");
    assert_eq!(h1["protocol"], "http/1.1");
    let mut h1_states = states(&h1);
    h1_states.sort_unstable();
    // readyState 0 = CONNECTING, 1 = OPEN.
    assert_eq!(h1_states, [0, 0, 1, 1, 1, 1, 1, 1], "{h1}");

    let (h2, h2_settled) = eight_sources(true).await.expect("chromium is there");
    println!("HTTP/2 over TLS: {h2} (eight open after {h2_settled:?})");
    assert_eq!(h2["protocol"], "h2");
    assert_eq!(states(&h2), [1; 8], "{h2}");
}
