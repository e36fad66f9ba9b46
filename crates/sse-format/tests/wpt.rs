//! The web-platform-tests vectors, run against the parser whole, byte by byte and in random splits.

use base64::Engine as _;
use serde_json::Value;
use sse_format::{Frame, Parser};

/// One output in the vectors' JSON shape.
fn to_json(frame: Frame) -> Value {
    match frame {
        Frame::Event(e) => serde_json::json!({
            "event": e.event_type(), "data": e.data(), "id": e.last_event_id()
        }),
        Frame::Retry(t) => serde_json::json!({ "retry": t.as_millis() as u64 }),
        other => panic!("a frame the vectors do not know: {other:?}"),
    }
}

fn run(pieces: &[&[u8]]) -> Vec<Value> {
    let mut parser = Parser::new();
    let mut out = Vec::new();
    for piece in pieces {
        out.extend(
            parser
                .feed(piece)
                .map(|f| to_json(f.expect("no limit is hit"))),
        );
    }
    let _ = parser.finish();
    out
}

/// A small deterministic generator, so failures reproduce.
fn splits(input: &[u8], seed: u64) -> Vec<&[u8]> {
    let mut state = seed;
    let mut pieces = vec![&input[..0]];
    let mut at = 0;
    while at < input.len() {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let len = ((state >> 33) % 16 + 1) as usize;
        let end = (at + len).min(input.len());
        pieces.push(&input[at..end]);
        if state.is_multiple_of(7) {
            pieces.push(&input[end..end]);
        }
        at = end;
    }
    pieces
}

#[test]
fn every_wpt_vector_passes_whole_bytewise_and_split() {
    let vectors: Vec<Value> =
        serde_json::from_str(include_str!("data/wpt-vectors.json")).expect("valid vectors file");
    assert_eq!(vectors.len(), 35);
    for vector in &vectors {
        let name = vector["name"].as_str().unwrap();
        let input = base64::engine::general_purpose::STANDARD
            .decode(vector["input_b64"].as_str().unwrap())
            .unwrap();
        let mut accepted = vec![vector["expect"].as_array().unwrap().clone()];
        if let Some(alternatives) = vector.get("alt_expect").and_then(Value::as_array) {
            accepted.extend(alternatives.iter().map(|a| a.as_array().unwrap().clone()));
        }
        let bytewise: Vec<&[u8]> = input.chunks(1).collect();
        let mut runs = vec![("whole", run(&[&input])), ("bytewise", run(&bytewise))];
        for seed in 1..=3 {
            runs.push(("random split", run(&splits(&input, seed))));
        }
        for (how, got) in runs {
            assert!(
                accepted.contains(&got),
                "{name} ({how}): got {got:?}, expected {:?}",
                accepted[0]
            );
        }
    }
}
