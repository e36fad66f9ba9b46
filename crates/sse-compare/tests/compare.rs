//! The comparison program end to end, small and bounded: one JSON document, every transport, no
//! loss in the steady state, and the known behaviour after a dropped connection.

use std::time::Duration;

use serde_json::Value;

#[tokio::test(flavor = "multi_thread")]
async fn json_report_for_all_four_transports() {
    let run = tokio::process::Command::new(env!("CARGO_BIN_EXE_sse-compare"))
        .args([
            "--format",
            "json",
            "--clients",
            "4",
            "--messages",
            "40",
            "--rate",
            "200",
            "--poll-interval-ms",
            "50",
        ])
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .expect("bounded in time")
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value =
        serde_json::from_slice(&output.stdout).expect("stdout is one JSON document");
    let transports = report["transports"].as_object().unwrap();
    let names: Vec<&str> = transports.keys().map(String::as_str).collect();
    assert_eq!(names, ["long-polling", "polling", "sse", "websocket"]);
    for (name, entry) in transports {
        assert_eq!(
            entry["lost"].as_u64(),
            Some(0),
            "{name} loses nothing in the steady state"
        );
        assert_eq!(entry["duplicated"].as_u64(), Some(0), "{name}");
        let steady = &entry["steady"];
        assert_eq!(steady["delivered"].as_u64(), Some(160), "{name}");
        assert!(
            steady["bytes_down_per_message"].as_f64().unwrap() > 20.0,
            "{name}: payload and framing counted"
        );
        assert!(
            steady["latency"]["p99"].as_f64().unwrap()
                >= steady["latency"]["p50"].as_f64().unwrap()
        );
        assert!(steady["connections"].as_u64().unwrap() >= 4, "{name}");
    }
    // Long polling pays a request per answer; the streams pay one per client.
    let requests = |name: &str| transports[name]["steady"]["requests"].as_u64().unwrap();
    assert_eq!(requests("sse"), 4);
    assert_eq!(requests("websocket"), 4);
    assert!(
        requests("long-polling") > 40,
        "{}",
        requests("long-polling")
    );
    // After every connection is dropped: SSE resumes by Last-Event-ID and the polls by cursor;
    // the WebSocket clients reconnect to the live feed and miss what came in between.
    let dropped_lost = |name: &str| transports[name]["dropped"]["lost"].as_u64().unwrap();
    assert_eq!(dropped_lost("sse"), 0);
    assert_eq!(dropped_lost("long-polling"), 0);
    assert_eq!(dropped_lost("polling"), 0);
    assert!(dropped_lost("websocket") > 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn markdown_table_and_svg_chart() {
    let svg = std::env::temp_dir().join(format!("sse-compare-{}.svg", std::process::id()));
    let run = tokio::process::Command::new(env!("CARGO_BIN_EXE_sse-compare"))
        .args([
            "--clients",
            "2",
            "--messages",
            "20",
            "--rate",
            "200",
            "--no-drop",
            "--poll-interval-ms",
            "50",
            "--svg",
        ])
        .arg(&svg)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .expect("bounded in time")
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(table.contains("| transport | direction | connection | use case | p50 ms"));
    assert_eq!(
        table
            .lines()
            .filter(|l| l.starts_with("| sse ")
                || l.starts_with("| websocket ")
                || l.starts_with("| long-polling ")
                || l.starts_with("| polling "))
            .count(),
        4
    );
    let chart = std::fs::read_to_string(&svg).unwrap();
    assert!(
        chart.starts_with("<svg")
            && chart.contains("websocket")
            && chart.trim_end().ends_with("</svg>")
    );
    let _ = std::fs::remove_file(&svg);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_options_are_refused_clearly() {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_sse-compare"))
        .args(["--clients", "0"])
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("--clients and --messages must be at least 1")
    );
}
