//! `sse parse` as a program: the conformance vectors through stdin, and its error handling.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use base64::Engine as _;
use serde_json::Value;

fn sse(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sse"))
        .args(args)
        .env_remove("SSE_FRAMED")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sse");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect()
}

fn framed(pieces: &[&[u8]]) -> Vec<u8> {
    pieces
        .iter()
        .flat_map(|p| {
            (p.len() as u32)
                .to_be_bytes()
                .into_iter()
                .chain(p.iter().copied())
        })
        .collect()
}

#[test]
fn wpt_vectors_pass_whole_byte_by_byte_and_framed() {
    let vectors: Vec<Value> =
        serde_json::from_str(include_str!("../../sse-format/tests/data/wpt-vectors.json")).unwrap();
    for vector in &vectors {
        let name = vector["name"].as_str().unwrap();
        let input = base64::engine::general_purpose::STANDARD
            .decode(vector["input_b64"].as_str().unwrap())
            .unwrap();
        let expected = vector["expect"].as_array().unwrap();
        let pieces: Vec<&[u8]> = std::iter::once(&input[..0])
            .chain(input.chunks(3))
            .collect();
        let runs = [
            sse(&["parse", "--json"], &input, &[]),
            sse(&["parse", "--json", "--chunk-size", "1"], &input, &[]),
            sse(
                &["parse", "--json"],
                &framed(&pieces),
                &[("SSE_FRAMED", "1")],
            ),
        ];
        for output in &runs {
            assert!(
                output.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert_eq!(&json_lines(output), expected, "{name}");
        }
    }
}

#[test]
fn human_output_shows_type_id_and_data_lines() {
    let output = sse(
        &["parse"],
        b"id: 4\nevent: add\ndata: a\ndata: b\n\nretry: 50\n",
        &[],
    );
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "event: add  (last event id \"4\")\n  | a\n  | b\nretry: reconnection time is now 50 ms\n"
    );
}

#[test]
fn oversized_line_is_reported_and_parsing_goes_on() {
    let output = sse(
        &["parse", "--json", "--max-line", "10"],
        b"data: far too long for the limit\n\ndata: ok\n\n",
        &[],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "a limit error makes the exit status 1"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("exceeds the 10-byte line limit"),
        "{stderr}"
    );
    assert_eq!(
        json_lines(&output),
        [serde_json::json!({"event": "message", "data": "ok", "id": ""})]
    );
}

#[test]
fn stream_cut_mid_event_is_noted_on_stderr() {
    let output = sse(&["parse", "--json"], b"data: a\n\ndata: cut", &[]);
    assert!(output.status.success());
    assert_eq!(json_lines(&output).len(), 1);
    assert!(String::from_utf8_lossy(&output.stderr).contains("middle of an event"));
}

#[test]
fn truncated_frame_is_a_clear_error() {
    let mut input = framed(&[b"data: a\n\n"]);
    input.extend_from_slice(&[0, 0, 0, 9, b'x']);
    let output = sse(&["parse", "--json", "--framed"], &input, &[]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("stdin ended inside a frame")
    );
}

#[test]
fn chunk_size_zero_is_refused() {
    let output = sse(&["parse", "--chunk-size", "0"], b"", &[]);
    assert_eq!(output.status.code(), Some(2));
}
