//! The demo page in a real headless Chromium (Debian's `chromium`), driven over the DevTools
//! protocol: the test reads the page's DOM while it runs, including across forced reconnections.
//!
//! Chromium is required when `CI` is set; elsewhere the test says it is skipping if there is none.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio_tungstenite::tungstenite::Message;

fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var("CHROMIUM").ok(),
        Some("/usr/bin/chromium".into()),
        Some("/usr/bin/chromium-browser".into()),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Evaluates `expression` in the page and returns its value.
struct Page {
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    next_id: u64,
}

impl Page {
    async fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let request = json!({"id": id, "method": method, "params": params}).to_string();
        self.socket
            .send(Message::Text(request.into()))
            .await
            .unwrap();
        loop {
            let message = self
                .socket
                .next()
                .await
                .expect("devtools connection open")
                .unwrap();
            let Message::Text(text) = message else {
                continue;
            };
            let reply: Value = serde_json::from_str(&text).unwrap();
            if reply["id"] == id {
                return reply["result"].clone();
            }
        }
    }

    async fn eval(&mut self, expression: &str) -> Value {
        let result = self
            .call(
                "Runtime.evaluate",
                json!({"expression": expression, "returnByValue": true}),
            )
            .await;
        result["result"]["value"].clone()
    }
}

const STATE: &str = r##"JSON.stringify({
  clock: document.getElementById("clock").textContent,
  clockState: document.getElementById("clock-state").textContent,
  count: Number(document.getElementById("counter-count").textContent),
  reconnects: Number(document.getElementById("counter-reconnects").textContent),
  gaps: Number(document.getElementById("counter-gaps").textContent),
  dups: Number(document.getElementById("counter-dups").textContent),
  ids: [...document.querySelectorAll("#counter-log li[data-id]")].map((li) => li.dataset.id),
  values: [...document.querySelectorAll("#counter-log li[data-id]")].map((li) => li.value),
  node: document.getElementById("node").textContent,
  answer: document.getElementById("answer").textContent,
  answerState: document.getElementById("answer").dataset.state,
})"##;

#[tokio::test(flavor = "multi_thread")]
async fn demo_page_streams_resumes_without_gaps_and_chats() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install Debian's chromium for this test"
        );
        eprintln!("skipping: no chromium (install Debian's `chromium` package to run this test)");
        return;
    };
    // A fast demo: a counter event every 100 ms, reconnection after 200 ms, quick tokens.
    let mut config = sse_server::Config {
        counter_every: Duration::from_millis(100),
        ..Default::default()
    };
    config.sse.retry = Duration::from_millis(200);
    config.mock.token_delay = Duration::from_millis(5);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(sse_server::serve(listener, config, async {
        let _ = stopped.await;
    }));

    let profile = std::env::temp_dir().join(format!("sse-chromium-{}", std::process::id()));
    let mut child = tokio::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--remote-debugging-port=0",
            "--window-size=1280,900",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("{base}/?autotest=1"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start chromium");

    // Chromium prints "DevTools listening on ws://127.0.0.1:PORT/..." on stderr.
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(rest) = line.split("ws://127.0.0.1:").nth(1) {
                return rest.split('/').next().unwrap().to_owned();
            }
        }
        panic!("chromium exited without a DevTools port");
    })
    .await
    .expect("chromium started");
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });

    let targets: Vec<Value> = reqwest::get(format!("http://127.0.0.1:{port}/json/list"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let page_url = targets
        .iter()
        .find(|t| t["type"] == "page" && t["url"].as_str().unwrap_or("").starts_with(&base))
        .and_then(|t| t["webSocketDebuggerUrl"].as_str())
        .expect("the demo page target")
        .to_owned();
    let (socket, _) = tokio_tungstenite::connect_async(page_url).await.unwrap();
    let mut page = Page { socket, next_id: 0 };

    // Watch the DOM until the page has seen several forced reconnections and the chat is done.
    let state = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            let text = page.eval(STATE).await;
            if let Some(text) = text.as_str() {
                let state: Value = serde_json::from_str(text).unwrap();
                if state["count"].as_u64() >= Some(16)
                    && state["reconnects"].as_u64() >= Some(2)
                    && state["answerState"] != "streaming"
                    && state["answerState"] != "idle"
                {
                    return state;
                }
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    })
    .await
    .expect("the page made progress");

    let screenshot = page
        .call("Page.captureScreenshot", json!({"format": "png"}))
        .await;
    if let Some(data) = screenshot["data"].as_str() {
        use base64::Engine as _;
        let png = base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap();
        let _ = std::fs::write(std::env::temp_dir().join("sse-demo-page.png"), png);
    }

    // Every number arrived once, in order, across the reconnections, with increasing ids.
    let values: Vec<u64> = state["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert!(
        values.windows(2).all(|w| w[1] == w[0] + 1),
        "no gap, no duplicate: {values:?}"
    );
    let ids: Vec<sse_server::hub::EventId> = state["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().parse().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    assert!(
        !state["node"].as_str().unwrap().is_empty(),
        "the page names its node"
    );
    assert_eq!(
        (state["gaps"].as_u64(), state["dups"].as_u64()),
        (Some(0), Some(0))
    );
    // The clock ticks through a named event.
    let clock = state["clock"].as_str().unwrap();
    assert!(
        clock.ends_with(" UTC") && clock.len() == 12,
        "clock shows {clock:?}"
    );
    assert_eq!(state["clockState"], "OPEN");
    // The chat box streamed the mock answer through fetch and a ReadableStream.
    assert_eq!(state["answerState"], "done", "{state}");
    assert_eq!(
        state["answer"],
        sse_server::mock_ai::mock_answer("What is SSE?")
    );

    drop(page);
    child.kill().await.unwrap();
    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let _ = std::fs::remove_dir_all(&profile);
}

/// Feeds the page's own `fetch` reader (`sseEvents`) chunks built in the page, and returns what it
/// dispatched. `chunks` is a JavaScript array of strings; with `open`, the stream never ends, so
/// only what the reader yields without waiting for more bytes comes back.
fn reader_probe(chunks: &str, open: bool) -> String {
    format!(
        r#"(async () => {{
  const encoder = new TextEncoder();
  const chunks = {chunks};
  const body = new ReadableStream({{
    start(controller) {{
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (!{open}) controller.close();
    }},
  }});
  const events = [];
  const reading = (async () => {{
    for await (const event of sseEvents(new Response(body))) events.push(event.type + ":" + event.data);
  }})();
  await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, 500))]);
  return JSON.stringify(events);
}})()"#
    )
}

/// The demo page's JavaScript reader follows the book's CR handling: a CR ends its line at once
/// (a blank line ending in CR dispatches without waiting for the next chunk, which on a quiet
/// stream could be a keep-alive 15 s later), and an LF right after a CR, even at the start of the
/// next chunk, is part of the same line ending.
#[tokio::test(flavor = "multi_thread")]
async fn demo_page_reader_ends_a_line_at_a_cr_without_waiting_for_the_next_chunk() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install Debian's chromium for this test"
        );
        eprintln!("skipping: no chromium (install Debian's `chromium` package to run this test)");
        return;
    };
    // The page's script only needs to load: its streams fail over file://, its reader does not.
    let page_file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/index.html");
    let profile = std::env::temp_dir().join(format!("sse-chromium-cr-{}", std::process::id()));
    let mut child = tokio::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--remote-debugging-port=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", page_file.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start chromium");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(rest) = line.split("ws://127.0.0.1:").nth(1) {
                return rest.split('/').next().unwrap().to_owned();
            }
        }
        panic!("chromium exited without a DevTools port");
    })
    .await
    .expect("chromium started");
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let targets: Vec<Value> = reqwest::get(format!("http://127.0.0.1:{port}/json/list"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let page_url = targets
        .iter()
        .find(|t| t["type"] == "page" && t["url"].as_str().unwrap_or("").starts_with("file://"))
        .and_then(|t| t["webSocketDebuggerUrl"].as_str())
        .expect("the demo page target")
        .to_owned();
    let (socket, _) = tokio_tungstenite::connect_async(page_url).await.unwrap();
    let mut page = Page { socket, next_id: 0 };
    tokio::time::timeout(Duration::from_secs(30), async {
        while page.eval("typeof sseEvents").await != "function" {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("the page's script loaded");

    let cases = [
        // (chunks, stream left open, what the reader must have dispatched)
        (r#"["data: a\r\r"]"#, true, r#"["message:a"]"#),
        (r#"["data: a\r", "\r"]"#, true, r#"["message:a"]"#),
        (r#"["event: x\r", "data: b\r", "\r"]"#, true, r#"["x:b"]"#),
        (r#"["data: a\r", "\n\r", "\n"]"#, false, r#"["message:a"]"#),
        (
            r#"["data: a\r", "", "\ndata: b\r", "\n\r", "", "\n"]"#,
            false,
            r#"["message:a\nb"]"#,
        ),
        (
            r#"["data: x\r\n\r", "\ndata: y\r", "\n\r\n"]"#,
            false,
            r#"["message:x","message:y"]"#,
        ),
    ];
    for (chunks, open, want) in cases {
        let reply = tokio::time::timeout(
            Duration::from_secs(10),
            page.call(
                "Runtime.evaluate",
                json!({
                    "expression": reader_probe(chunks, open),
                    "awaitPromise": true,
                    "returnByValue": true,
                }),
            ),
        )
        .await
        .expect("the page answered");
        let got = match reply["result"]["value"].as_str() {
            Some(text) => serde_json::from_str(text).unwrap(),
            None => reply, // an exception: show it whole
        };
        let want: Value = serde_json::from_str(want).unwrap();
        assert_eq!(
            got, want,
            "chunks {chunks} (stream left open: {open}): left = the page's reader, right = expected"
        );
    }

    drop(page);
    child.kill().await.unwrap();
    let _ = std::fs::remove_dir_all(&profile);
}
