//! Headless Chromium (Debian's `chromium`) driven over the DevTools protocol: start it on a URL,
//! evaluate expressions in the page, take a screenshot.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio_tungstenite::tungstenite::Message;

/// The Chromium binary, if installed.
pub fn chromium() -> Option<PathBuf> {
    [
        std::env::var("CHROMIUM").ok(),
        Some("/usr/bin/chromium".into()),
        Some("/usr/bin/chromium-browser".into()),
    ]
    .into_iter()
    .flatten()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// Says why a browser test is skipping; fails instead when `CI` is set, where Chromium must be
/// installed.
pub fn skip_without_chromium() {
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install Debian's chromium for this test"
    );
    eprintln!("skipping: no chromium (install Debian's `chromium` package to run this test)");
}

/// A running browser with one page open.
pub struct Browser {
    child: tokio::process::Child,
    profile: PathBuf,
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    next_id: u64,
}

impl Browser {
    /// Starts `binary` headless on `url`, with `extra` flags and a fresh profile.
    pub async fn open(binary: PathBuf, url: &str, extra: &[String]) -> Browser {
        let profile = std::env::temp_dir().join(format!(
            "sse-chromium-{}-{}",
            std::process::id(),
            fastrand::u64(..)
        ));
        let mut child = tokio::process::Command::new(binary)
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
            .args(extra)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(url)
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
        let page_url = tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                let targets: Vec<Value> =
                    reqwest::get(format!("http://127.0.0.1:{port}/json/list"))
                        .await
                        .unwrap()
                        .json()
                        .await
                        .unwrap();
                if let Some(url) = targets
                    .iter()
                    .find(|t| t["type"] == "page")
                    .and_then(|t| t["webSocketDebuggerUrl"].as_str())
                {
                    return url.to_owned();
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await
        .expect("a page target");
        let (socket, _) = tokio_tungstenite::connect_async(page_url).await.unwrap();
        Browser {
            child,
            profile,
            socket,
            next_id: 0,
        }
    }

    /// Calls a DevTools method on the page.
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
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

    /// Evaluates `expression` in the page and returns its value.
    pub async fn eval(&mut self, expression: &str) -> Value {
        let result = self
            .call(
                "Runtime.evaluate",
                json!({"expression": expression, "returnByValue": true}),
            )
            .await;
        result["result"]["value"].clone()
    }

    /// Evaluates `expression`, awaiting it if it is a promise, and returns the whole DevTools
    /// result: its value at `["result"]["value"]`, or the exception that it threw.
    pub async fn eval_awaited(&mut self, expression: &str) -> Value {
        self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "awaitPromise": true, "returnByValue": true}),
        )
        .await
    }

    /// Saves a PNG of the page at `path`, if the browser can take one (a debugging aid: a browser that
    /// takes none does not fail the test).
    pub async fn screenshot(&mut self, path: &std::path::Path) {
        use base64::Engine as _;
        let reply = self
            .call("Page.captureScreenshot", json!({"format": "png"}))
            .await;
        if let Some(data) = reply["data"].as_str() {
            let png = base64::engine::general_purpose::STANDARD
                .decode(data)
                .expect("DevTools sends the screenshot in base64");
            let _ = std::fs::write(path, png);
        }
    }

    /// Stops the browser and removes its profile.
    pub async fn close(mut self) {
        let _ = self.child.kill().await;
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
