//! The demo page in a real headless Chromium (Debian's `chromium`), driven over the DevTools
//! protocol: the test reads the page's DOM while it runs, including across forced reconnections.
//!
//! Chromium is required when `CI` is set; elsewhere the test says it is skipping if there is none.

mod common;
// The DevTools driver is shared with sse-server's six-connection test.
#[path = "../../sse-server/tests/support/mod.rs"]
mod support;

use std::time::Duration;

use serde_json::Value;
use support::devtools::{Browser, chromium, skip_without_chromium};

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
        return skip_without_chromium();
    };
    // A fast demo: a counter event every 100 ms, reconnection after 200 ms, quick tokens.
    let mut config = sse_server::Config::default();
    config.sse.retry = Duration::from_millis(200);
    config.sse.retry_jitter = Duration::ZERO;
    let mut demo = sse_demo::DemoConfig {
        counter_every: Duration::from_millis(100),
        ..Default::default()
    };
    demo.mock.token_delay = Duration::from_millis(5);
    let server = common::start(config, demo).await;
    let base = &server.base;

    let mut page = Browser::open(
        browser,
        &format!("{base}/?autotest=1"),
        &["--window-size=1280,900".to_owned()],
    )
    .await;

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

    page.screenshot(&std::env::temp_dir().join("sse-demo-page.png"))
        .await;

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
        sse_demo::mock_ai::mock_answer("What is SSE?")
    );

    page.close().await;
    server.stop().await;
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
        return skip_without_chromium();
    };
    // The page's script only needs to load: its streams fail over file://, its reader does not.
    let page_file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static/index.html");
    let mut page = Browser::open(browser, &format!("file://{}", page_file.display()), &[]).await;
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
            page.eval_awaited(&reader_probe(chunks, open)),
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

    page.close().await;
}
