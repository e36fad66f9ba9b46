//! Chapter 2 tests: `cargo test -p exercises --test ch02` (one exercise: add `ch02_ex04`).
//!
//! Snapshot failures read: "-old snapshot" is the expected answer, "+new results" is yours. In
//! every other assertion, `left` is your answer and `right` the expected one.

use std::fmt::Write as _;
use std::time::Duration;

use exercises::ch02::*;
use proptest::prelude::*;
use serde_json::json;
use sse_format::MessageEvent;

/// Compares `$value` with the blessed snapshot `$name`; `$what` says what the snapshot checks.
macro_rules! snapshot {
    ($name:literal, $what:expr, $value:expr $(,)?) => {
        insta::with_settings!(
            {
                description => concat!(
                    $what,
                    "\nReading the diff: `-old snapshot` lines are the expected answer, ",
                    "`+new results` lines are yours."
                ),
                omit_expression => true,
            },
            { insta::assert_snapshot!($name, $value) }
        )
    };
}

fn named(items: &[(&str, serde_json::Value)]) -> Vec<MessageEvent> {
    items
        .iter()
        .map(|(name, data)| MessageEvent::new(*name, data.to_string(), ""))
        .collect()
}

fn data_only(items: &[&str]) -> Vec<MessageEvent> {
    items
        .iter()
        .map(|data| MessageEvent::new("", *data, ""))
        .collect()
}

// ---------------------------------------------------------------- ex01: collect a stream

const BODY: &str = "id: 1\r\ndata: gr\u{fc}\u{df}e\r\n\r\n: ping\n\ndata: line 1\ndata: line 2\n\nevent: x\rdata: \u{1f600}\r\r";

fn chunked(input: &[u8], cuts: &[usize]) -> Vec<Result<bytes::Bytes, std::io::Error>> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for &cut in cuts {
        pieces.push(Ok(bytes::Bytes::copy_from_slice(&input[start..cut])));
        start = cut;
    }
    pieces.push(Ok(bytes::Bytes::copy_from_slice(&input[start..])));
    pieces
}

#[tokio::test]
async fn ch02_ex01_collects_across_every_split() {
    use ex01_collect::collect_data;
    let input = BODY.as_bytes();
    let expected = vec![
        "gr\u{fc}\u{df}e".to_owned(),
        "line 1\nline 2".to_owned(),
        "\u{1f600}".to_owned(),
    ];
    for a in 0..=input.len() {
        for b in [a, (a + 3).min(input.len()), input.len()] {
            let body = futures::stream::iter(chunked(input, &[a, b]));
            match collect_data(body).await {
                Ok(got) => assert_eq!(
                    got, expected,
                    "the body cut into chunks at bytes {a} and {b}: left = yours, right = expected"
                ),
                Err(error) => panic!("the body has no error, yet yours returned Err({error})"),
            }
        }
    }
}

#[tokio::test]
async fn ch02_ex01_drops_the_unfinished_event_and_reports_errors() {
    use ex01_collect::collect_data;
    for cuts in [&[3][..], &[5, 14], &[12, 13]] {
        let body = futures::stream::iter(chunked(b"data: done\n\ndata: cut", cuts));
        match collect_data(body).await {
            Ok(got) => assert_eq!(
                got,
                ["done"],
                "\"data: done\\n\\ndata: cut\" cut at {cuts:?}: the unfinished last event is \
                 dropped: left = yours, right = expected"
            ),
            Err(error) => panic!("the body has no error, yet yours returned Err({error})"),
        }
    }
    let failing = futures::stream::iter(vec![
        Ok(bytes::Bytes::from_static(b"data: a\n\n")),
        Err(std::io::Error::other("connection reset")),
    ]);
    match collect_data(failing).await {
        Ok(got) => panic!(
            "the body ended with the error \"connection reset\", which must be returned as Err; \
             yours returned Ok({got:?})"
        ),
        Err(error) => assert_eq!(
            error.to_string(),
            "connection reset",
            "the error returned: left = yours, right = expected"
        ),
    }
}

// ---------------------------------------------------------------- ex02: OpenAI deltas

fn chunk(content: serde_json::Value, finish: serde_json::Value) -> String {
    json!({"object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish}]}).to_string()
}

#[test]
fn ch02_ex02_assembles_openai_streams() {
    use ex02_openai_deltas::assemble_chat;
    let (a, b, stop) = (
        chunk(json!("Hel"), json!(null)),
        chunk(json!("lo"), json!(null)),
        chunk(json!(null), json!("stop")),
    );
    let usage = json!({"choices": [], "usage": {"total_tokens": 9}}).to_string();
    let two = json!({"choices": [{"index": 1, "delta": {"content": "other"}}, {"index": 0, "delta": {"content": "!"}}]}).to_string();
    let error = json!({"error": {"message": "The server had an error", "type": "server_error"}})
        .to_string();
    let streams: Vec<Vec<&str>> = vec![
        vec![&a, &b, &stop, "[DONE]"],
        vec![&a, &b, &stop, &usage, "[DONE]", &a],
        vec![&a, &two, "[DONE]"],
        vec![&a, &error, "[DONE]"],
        vec![&a, &b],
        vec!["[DONE]"],
    ];
    let mut out = String::new();
    for stream in &streams {
        writeln!(out, "{:?}", assemble_chat(&data_only(stream))).unwrap();
    }
    snapshot!(
        "ch02_ex02_assemble_chat",
        "ch02::ex02: assemble_chat on each stream of chunks (one line per stream: your ChatOutcome).",
        out,
    );
}

#[test]
fn ch02_ex02_the_reference_example_stream() {
    use ex02_openai_deltas::{ChatOutcome, assemble_chat};
    let events: Vec<MessageEvent> = sse_format::parse_all(include_bytes!(
        "../../crates/sse-ai/tests/data/openai_chat_text.sse"
    ))
    .into_iter()
    .filter_map(|f| match f.unwrap() {
        sse_format::Frame::Event(e) => Some(e),
        _ => None,
    })
    .collect();
    assert_eq!(
        assemble_chat(&events),
        ChatOutcome::Complete {
            text: "Server-sent events let servers push updates to clients over one HTTP response."
                .into(),
            finish_reason: Some("stop".into()),
        },
        "the recorded example stream openai_chat_text.sse: left = yours, right = expected"
    );
}

#[test]
fn ch02_ex02_only_choice_zero() {
    use ex02_openai_deltas::{ChatOutcome, assemble_chat};
    let choice = |index: u64, content: &str| json!({"index": index, "delta": {"content": content}});
    let chunks = [
        json!({"choices": [choice(0, "A"), choice(1, "x")]}).to_string(),
        json!({"choices": [choice(1, "y"), choice(0, "B")]}).to_string(),
        json!({"choices": [choice(2, "z")]}).to_string(),
        json!({"choices": [{"index": 1, "delta": {}, "finish_reason": "length"}, {"index": 0, "delta": {"content": "C"}, "finish_reason": "stop"}]}).to_string(),
    ];
    let mut events: Vec<&str> = chunks.iter().map(String::as_str).collect();
    events.push("[DONE]");
    assert_eq!(
        assemble_chat(&data_only(&events)),
        ChatOutcome::Complete {
            text: "ABC".into(),
            finish_reason: Some("stop".into()),
        },
        "chunks with several choices in any order; only the one with \"index\": 0 counts: \
         left = yours, right = expected"
    );
}

#[test]
fn ch02_ex02_only_done_ends_the_stream() {
    use ex02_openai_deltas::{ChatOutcome, assemble_chat};
    let (a, stop) = (
        chunk(json!("Bonjour \u{e0} vous"), json!(null)),
        chunk(json!(null), json!("stop")),
    );
    let usage = json!({"choices": [], "usage": {"total_tokens": 9}}).to_string();
    let error = json!({"error": {"message": "overloaded"}}).to_string();
    let text = "Bonjour \u{e0} vous".to_owned();
    let cases: [(Vec<&str>, ChatOutcome, &str); 3] = [
        (
            vec![&a, &stop],
            ChatOutcome::Cut {
                partial_text: text.clone(),
            },
            "a finish_reason, then the events run out before [DONE]",
        ),
        (
            vec![&a, &stop, &usage, &error],
            ChatOutcome::Error {
                partial_text: text.clone(),
                message: "overloaded".into(),
            },
            "a finish_reason, then an error object before [DONE]",
        ),
        (
            vec![&a, &stop, &usage, "[DONE]"],
            ChatOutcome::Complete {
                text: text.clone(),
                finish_reason: Some("stop".into()),
            },
            "a finish_reason, the usage chunk, then [DONE]",
        ),
    ];
    for (stream, want, what) in cases {
        assert_eq!(
            assemble_chat(&data_only(&stream)),
            want,
            "{what}: a finish_reason does not end the stream, only [DONE] does: \
             left = yours, right = expected"
        );
    }
}

#[test]
fn ch02_ex02_data_that_is_not_json_is_an_error() {
    use ex02_openai_deltas::{ChatOutcome, assemble_chat};
    let (a, b) = (
        chunk(json!("caf\u{e9} "), json!(null)),
        chunk(json!("cr\u{e8}me"), json!(null)),
    );
    for garbled in [
        "{\"choices\": [",
        "Internal Server Error",
        "[DONE] ",
        "done",
    ] {
        let got = assemble_chat(&data_only(&[&a, garbled, &b, "[DONE]"]));
        let described = match &got {
            ChatOutcome::Error { partial_text, .. } => {
                format!("Error {{ partial_text: {partial_text:?}, .. }}")
            }
            other => format!("{other:?}"),
        };
        assert_eq!(
            described, "Error { partial_text: \"caf\u{e9} \", .. }",
            "a chunk whose data is {garbled:?} (not JSON) after \"caf\u{e9} \": the stream failed \
             there (any message): left = yours, right = expected"
        );
    }
}

// ---------------------------------------------------------------- ex03: Anthropic tool call

#[test]
fn ch02_ex03_assembles_text_and_tool_use() {
    use ex03_anthropic_tool::assemble_message;
    let stream = named(&[
        (
            "message_start",
            json!({"type": "message_start", "message": {"usage": {"input_tokens": 30, "output_tokens": 1}}}),
        ),
        (
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Checking "}}),
        ),
        ("ping", json!({"type": "ping"})),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "the weather."}}),
        ),
        (
            "content_block_stop",
            json!({"type": "content_block_stop", "index": 0}),
        ),
        (
            "content_block_start",
            json!({"type": "content_block_start", "index": 1, "content_block": {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {}}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": ""}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "{\"location\": \"Par"}}),
        ),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "is\", \"unit\": \"C\"}"}}),
        ),
        (
            "content_block_stop",
            json!({"type": "content_block_stop", "index": 1}),
        ),
        (
            "content_block_start",
            json!({"type": "content_block_start", "index": 2, "content_block": {"type": "tool_use", "id": "toolu_02", "name": "get_time", "input": {}}}),
        ),
        (
            "content_block_stop",
            json!({"type": "content_block_stop", "index": 2}),
        ),
        (
            "message_delta",
            json!({"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 61}}),
        ),
        (
            "message_delta",
            json!({"type": "message_delta", "delta": {}, "usage": {"output_tokens": 64}}),
        ),
        ("brand_new_event", json!({"type": "brand_new_event"})),
        ("message_stop", json!({"type": "message_stop"})),
        (
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "after the end"}}),
        ),
    ]);
    snapshot!(
        "ch02_ex03_assemble_message",
        "ch02::ex03: assemble_message on a stream with text, two tools, pings and two \
         message_delta events (your Assembled).",
        format!("{:#?}", assemble_message(&stream)),
    );
}

#[test]
fn ch02_ex03_plain_text_message() {
    use ex03_anthropic_tool::assemble_message;
    let events: Vec<MessageEvent> = sse_format::parse_all(include_bytes!(
        "../../crates/sse-ai/tests/data/anthropic_text.sse"
    ))
    .into_iter()
    .filter_map(|f| match f.unwrap() {
        sse_format::Frame::Event(e) => Some(e),
        _ => None,
    })
    .collect();
    let message = assemble_message(&events);
    assert_eq!(
        message.text,
        "Server-sent events let servers push updates to clients over one HTTP response.",
        "the text of the recorded anthropic_text.sse: left = yours, right = expected"
    );
    assert_eq!(
        (
            message.stop_reason.as_deref(),
            message.output_tokens,
            message.tools.len()
        ),
        (Some("end_turn"), Some(17), 0),
        "(stop_reason, output_tokens, number of tools) of anthropic_text.sse: \
         left = yours, right = expected"
    );
}

#[test]
fn ch02_ex03_usage_is_cumulative() {
    use ex03_anthropic_tool::assemble_message;
    for totals in [&[5u64, 12][..], &[3, 3, 9], &[40]] {
        let mut items = vec![(
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        )];
        for total in totals {
            items.push((
                "message_delta",
                json!({"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": total}}),
            ));
        }
        items.push(("message_stop", json!({"type": "message_stop"})));
        let got = assemble_message(&named(&items)).output_tokens;
        assert_eq!(
            got,
            totals.last().copied(),
            "message_delta events reporting the running totals {totals:?}: \
             left = your output_tokens, right = expected"
        );
    }
}

/// The events of a tool block `index` (`id`, `name`) with these `partial_json` fragments, without
/// its `content_block_stop`.
fn tool_block(
    index: u64,
    id: &str,
    name: &str,
    fragments: &[&str],
) -> Vec<(&'static str, serde_json::Value)> {
    let mut items = vec![(
        "content_block_start",
        json!({"type": "content_block_start", "index": index, "content_block": {"type": "tool_use", "id": id, "name": name, "input": {}}}),
    )];
    for fragment in fragments {
        items.push((
            "content_block_delta",
            json!({"type": "content_block_delta", "index": index, "delta": {"type": "input_json_delta", "partial_json": fragment}}),
        ));
    }
    items
}

fn block_stop(index: u64) -> (&'static str, serde_json::Value) {
    (
        "content_block_stop",
        json!({"type": "content_block_stop", "index": index}),
    )
}

#[test]
fn ch02_ex03_tools_in_the_order_they_close() {
    use ex03_anthropic_tool::{ToolUse, assemble_message};
    // Two tool blocks open at once, their fragments interleaved; block 2 closes first.
    let first = tool_block(1, "toolu_a", "search", &["{\"q\": \"caf", "\u{e9}\"}"]);
    let second = tool_block(2, "toolu_b", "clock", &["{\"tz\"", ": \"UTC\"}"]);
    let items = vec![
        first[0].clone(),
        second[0].clone(),
        first[1].clone(),
        second[1].clone(),
        ("ping", json!({"type": "ping"})),
        second[2].clone(),
        first[2].clone(),
        block_stop(2),
        block_stop(1),
        ("message_stop", json!({"type": "message_stop"})),
    ];
    let tools = assemble_message(&named(&items)).tools;
    let want = vec![
        ToolUse {
            id: "toolu_b".into(),
            name: "clock".into(),
            input: json!({"tz": "UTC"}),
        },
        ToolUse {
            id: "toolu_a".into(),
            name: "search".into(),
            input: json!({"q": "caf\u{e9}"}),
        },
    ];
    assert_eq!(
        tools, want,
        "tool blocks 1 and 2 open together, fragments interleaved, block 2 closes first: the \
         tools come in the order their blocks close: left = yours, right = expected"
    );
}

#[test]
fn ch02_ex03_tool_inputs_at_the_edges() {
    use ex03_anthropic_tool::assemble_message;
    let cases: [(&[&str], serde_json::Value, &str); 4] = [
        (&[], json!({}), "no fragment at all"),
        (&[""], json!({}), "one empty fragment"),
        (&["", "", ""], json!({}), "only empty fragments"),
        (&["", "{}", ""], json!({}), "empty fragments around {}"),
    ];
    for (fragments, want, what) in cases {
        let mut items = tool_block(0, "toolu_e", "noop", fragments);
        items.push(block_stop(0));
        let message = assemble_message(&named(&items));
        let inputs: Vec<&serde_json::Value> = message.tools.iter().map(|t| &t.input).collect();
        assert_eq!(
            inputs,
            [&want],
            "a tool with {what} ({fragments:?}): the inputs of your tools: left = yours, \
             right = expected"
        );
    }
}

#[test]
fn ch02_ex03_broken_tool_input_is_null_not_a_panic() {
    use ex03_anthropic_tool::assemble_message;
    for fragments in [
        &["{\"location\": \"Par"][..],
        &["{\"a\": 1}", "{"],
        &["nul"],
    ] {
        let mut items = tool_block(0, "toolu_x", "broken", fragments);
        items.push(block_stop(0));
        items.push(("message_stop", json!({"type": "message_stop"})));
        let events = named(&items);
        match std::panic::catch_unwind(|| assemble_message(&events)) {
            Ok(message) => {
                let inputs: Vec<&serde_json::Value> =
                    message.tools.iter().map(|t| &t.input).collect();
                assert_eq!(
                    inputs,
                    [&serde_json::Value::Null],
                    "fragments {fragments:?} do not join into valid JSON: the tool's input is \
                     null: left = yours, right = expected"
                );
            }
            Err(_) => panic!(
                "fragments {fragments:?} do not join into valid JSON, and yours panicked; the \
                 data is the server's: the tool's input is null, never a panic"
            ),
        }
    }
}

// ---------------------------------------------------------------- ex04: backoff

#[test]
fn ch02_ex04_backoff_schedule() {
    use ex04_backoff::next_delay;
    let s = Duration::from_secs;
    let ms = Duration::from_millis;
    let cases: [(Duration, u32, Option<Duration>, f64); 12] = [
        (s(3), 1, None, 0.0),
        (s(3), 2, None, 0.0),
        (s(3), 3, None, 0.0),
        (s(3), 4, None, 0.0),
        (s(3), 5, None, 0.0),
        (s(3), 50, None, 0.0),
        (s(3), 1, None, 0.5),
        (s(3), 3, None, 0.999),
        (ms(250), 3, None, 0.0),
        (s(60), 2, None, 0.0),
        (s(3), 1, Some(s(20)), 0.5),
        (s(3), 4, Some(s(2)), 0.0),
    ];
    let mut out = String::new();
    for (base, failures, retry_after, jitter) in cases {
        let delay = next_delay(base, failures, retry_after, jitter);
        // Rounded to the microsecond: a correct answer may round its float jitter differently.
        let delay = Duration::from_micros(((delay.as_nanos() + 500) / 1000) as u64);
        writeln!(out, "base {base:?}, failures {failures}, retry-after {retry_after:?}, jitter {jitter} => {delay:?}").unwrap();
    }
    snapshot!(
        "ch02_ex04_next_delay",
        "ch02::ex04: next_delay for each case (one line per case: your Duration).",
        out,
    );
}

#[test]
fn ch02_ex04_never_overflows() {
    use ex04_backoff::next_delay;
    let s = Duration::from_secs;
    for (base, failures, jitter, want) in [
        (s(3), u32::MAX, 0.0, s(30)),
        (s(3), 40, 0.0, s(30)),
        (s(3), 33, 0.5, Duration::from_millis(37_500)),
        (s(60), 1_000, 0.0, s(60)),
        (Duration::from_millis(1), 64, 0.0, s(30)),
        (s(3), 0, 0.0, s(3)),
        // A reconnection time of 1 ns still doubles all the way to the cap.
        (Duration::from_nanos(1), 40, 0.0, s(30)),
        (
            Duration::from_nanos(1),
            30,
            0.0,
            Duration::from_nanos(1 << 29),
        ),
        (s(30), 2, 1.0 - f64::EPSILON, Duration::from_millis(45_000)),
        // The largest `retry:` a server can send, and the largest Duration: saturate.
        (
            Duration::from_millis(u64::MAX),
            3,
            0.0,
            Duration::from_millis(u64::MAX),
        ),
        (Duration::MAX, 1, 0.5, Duration::MAX),
    ] {
        let got = std::panic::catch_unwind(|| next_delay(base, failures, None, jitter));
        match got {
            Ok(got) => assert_eq!(
                got, want,
                "next_delay({base:?}, {failures} failures, no Retry-After, jitter {jitter}): \
                 left = yours, right = expected"
            ),
            Err(_) => panic!(
                "next_delay({base:?}, {failures} failures, no Retry-After, jitter {jitter}) \
                 panicked (an overflow?); it must return {want:?}"
            ),
        }
    }
}

#[test]
fn ch02_ex04_retry_after_is_a_bounded_floor() {
    use ex04_backoff::next_delay;
    use exercises::ch02::given::MAX_RETRY_AFTER;
    let s = Duration::from_secs;
    for (retry_after, want) in [
        (s(20), s(20)),
        (s(2), s(3)),
        (MAX_RETRY_AFTER, MAX_RETRY_AFTER),
        (MAX_RETRY_AFTER + Duration::from_nanos(1), MAX_RETRY_AFTER),
        (s(99_999_999_999), MAX_RETRY_AFTER),
        (Duration::MAX, MAX_RETRY_AFTER),
    ] {
        match std::panic::catch_unwind(|| next_delay(s(3), 1, Some(retry_after), 0.0)) {
            Ok(got) => assert_eq!(
                got, want,
                "next_delay(3 s, 1 failure, Retry-After {retry_after:?}, jitter 0): the server's \
                 Retry-After is a floor of at most MAX_RETRY_AFTER ({MAX_RETRY_AFTER:?}): \
                 left = yours, right = expected"
            ),
            Err(_) => panic!(
                "next_delay(3 s, 1 failure, Retry-After {retry_after:?}, jitter 0) panicked; \
                 it must return {want:?}"
            ),
        }
    }
}

/// The backoff contract, computed another way: whole nanoseconds in `u128` for steps 1 to 3.
fn reference_delay(
    reconnection_time: Duration,
    failures: u32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    let base = reconnection_time.as_nanos();
    // Past 2^40 times even one nanosecond is beyond any cap of 30 s or more.
    let grown = base << failures.max(1).saturating_sub(1).min(40);
    let cap = exercises::ch02::given::MAX_DELAY.as_nanos().max(base);
    let capped = grown.min(cap);
    let jittered = capped as f64 * (1.0 + jitter / 2.0);
    let floor = retry_after
        .unwrap_or_default()
        .min(exercises::ch02::given::MAX_RETRY_AFTER);
    Duration::from_nanos(jittered.round() as u64).max(floor)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Yours against the contract on generated cases; a failure is shrunk to a small one.
    #[test]
    fn ch02_ex04_matches_the_contract_on_generated_cases(
        base in prop_oneof![
            (0u64..=2_000).prop_map(Duration::from_millis),
            Just(Duration::from_secs(3)),
            (0u64..=120_000).prop_map(Duration::from_millis),
            Just(Duration::from_secs(86_400)),
            (0u64..=1_000).prop_map(Duration::from_nanos),
        ],
        failures in prop_oneof![0u32..=12, 13u32..=100, Just(u32::MAX), any::<u32>()],
        retry_after_s in proptest::option::of(prop_oneof![0u64..=100, Just(3_600), 3_601u64..=1_000_000_000]),
        jitter in 0.0f64..1.0,
    ) {
        let retry_after = retry_after_s.map(Duration::from_secs);
        let want = reference_delay(base, failures, retry_after, jitter);
        let got = std::panic::catch_unwind(|| ex04_backoff::next_delay(base, failures, retry_after, jitter));
        let Ok(got) = got else {
            return Err(TestCaseError::fail(format!(
                "next_delay({base:?}, {failures}, {retry_after:?}, {jitter}) panicked; it must return {want:?}"
            )));
        };
        let off = got.abs_diff(want);
        prop_assert!(
            off <= Duration::from_micros(1),
            "next_delay({base:?}, {failures} failures, Retry-After {retry_after:?}, jitter {jitter}): \
             yours {got:?}, expected {want:?} (steps: grow, cap at max(MAX_DELAY, reconnection \
             time), then jitter, then the Retry-After floor)"
        );
    }
}

// ---------------------------------------------------------------- ex05: retry or fail

#[test]
fn ch02_ex05_decisions() {
    use ex05_retry_decision::decide;
    let cases: [(u16, Option<&str>); 16] = [
        (200, Some("text/event-stream")),
        (200, Some("Text/Event-Stream; charset=utf-8")),
        (200, Some("application/json")),
        (200, Some("text/event-streaming")),
        (200, None),
        (204, None),
        (301, None),
        (400, Some("application/json")),
        (401, None),
        (404, None),
        (408, None),
        (429, Some("application/json")),
        (500, None),
        (503, None),
        (529, None),
        (201, Some("text/event-stream")),
    ];
    let mut out = String::new();
    for (status, content_type) in cases {
        writeln!(
            out,
            "{status} {content_type:?} => {:?}",
            decide(status, content_type)
        )
        .unwrap();
    }
    snapshot!(
        "ch02_ex05_decide",
        "ch02::ex05: decide for each (status, Content-Type) (one line per case: your Decision).",
        out,
    );
}

#[test]
fn ch02_ex05_media_type_not_header_text() {
    use ex05_retry_decision::{Decision, decide};
    for (content_type, want) in [
        ("text/event-stream; charset=utf-8", Decision::Read),
        ("TEXT/EVENT-STREAM", Decision::Read),
        ("text/event-stream ;charset=UTF-8", Decision::Read),
        (" text/event-stream", Decision::Read),
        ("text/event-stream2", Decision::Fail),
        ("application/json; x=text/event-stream", Decision::Fail),
        ("text/event-streaming", Decision::Fail),
        ("Text/Event-Streaming; charset=utf-8", Decision::Fail),
        ("text/event", Decision::Fail),
        ("text/event-stream;", Decision::Read),
        ("\ttext/event-stream\t; charset=utf-8", Decision::Read),
        ("", Decision::Fail),
    ] {
        assert_eq!(
            decide(200, Some(content_type)),
            want,
            "200 with Content-Type {content_type:?}: left = yours, right = expected"
        );
    }
}

#[test]
fn ch02_ex05_the_status_decides_first() {
    use ex05_retry_decision::{Decision, decide};
    for (status, content_type, want) in [
        (503, Some("text/html; charset=utf-8"), Decision::Retry),
        (529, Some("application/json"), Decision::Retry),
        (429, None, Decision::Retry),
        (408, Some("text/plain"), Decision::Retry),
        (599, None, Decision::Retry),
        (204, None, Decision::Stop),
        (204, Some("text/event-stream"), Decision::Stop),
        (600, None, Decision::Fail),
        (999, Some("text/event-stream"), Decision::Fail),
        (100, Some("text/event-stream"), Decision::Fail),
        (499, None, Decision::Fail),
        (206, Some("text/event-stream"), Decision::Fail),
    ] {
        assert_eq!(
            decide(status, content_type),
            want,
            "status {status} with Content-Type {content_type:?}: left = yours, right = expected"
        );
    }
}

/// The decision contract, written another way: the media type is what precedes any `;`, without
/// the spaces or tabs around it, compared case-insensitively.
fn reference_decision(status: u16, content_type: Option<&str>) -> ex05_retry_decision::Decision {
    use ex05_retry_decision::Decision;
    let event_stream = content_type.is_some_and(|value| {
        let media_type = value.split(';').next().unwrap_or_default();
        media_type
            .trim_matches([' ', '\t'])
            .eq_ignore_ascii_case("text/event-stream")
    });
    match status {
        200 if event_stream => Decision::Read,
        204 => Decision::Stop,
        408 | 429 => Decision::Retry,
        s if (500..600).contains(&s) => Decision::Retry,
        _ => Decision::Fail,
    }
}

/// A `Content-Type` value: the media type or a look-alike, in mixed case, with optional spaces
/// and parameters.
fn content_type_value() -> impl Strategy<Value = String> {
    let media = prop_oneof![
        4 => Just("text/event-stream"),
        1 => Just("text/event-streaming"),
        1 => Just("text/event-stream2"),
        1 => Just("text/event"),
        1 => Just("text/plain"),
        1 => Just("application/json"),
        1 => Just("text/html"),
    ];
    let case = proptest::collection::vec(any::<bool>(), 24);
    let space = prop_oneof![Just(""), Just(" "), Just("\t"), Just("  ")];
    let parameter = prop_oneof![
        Just(""),
        Just(";"),
        Just("; charset=utf-8"),
        Just(";charset=UTF-8"),
        Just(" ; x=text/event-stream"),
    ];
    (space.clone(), media, case, space, parameter).prop_map(
        |(before, media, case, after, parameter)| {
            let media: String = media
                .chars()
                .zip(case.into_iter().chain(std::iter::repeat(false)))
                .map(|(c, upper)| if upper { c.to_ascii_uppercase() } else { c })
                .collect();
            format!("{before}{media}{after}{parameter}")
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Yours against the contract on generated statuses and headers; a failure is shrunk.
    #[test]
    fn ch02_ex05_matches_the_contract_on_generated_cases(
        status in prop_oneof![Just(200u16), Just(204u16), 100u16..=1000, any::<u16>()],
        content_type in proptest::option::of(content_type_value()),
    ) {
        let want = reference_decision(status, content_type.as_deref());
        let got = decide_caught(status, content_type.as_deref());
        prop_assert_eq!(
            got,
            Some(want),
            "status {} with Content-Type {:?}: left = yours (None: it panicked), right = expected",
            status,
            content_type
        );
    }
}

fn decide_caught(status: u16, content_type: Option<&str>) -> Option<ex05_retry_decision::Decision> {
    std::panic::catch_unwind(|| ex05_retry_decision::decide(status, content_type)).ok()
}

// ---------------------------------------------------------------- ex06: resume

mod resume_server {
    use std::sync::{Arc, Mutex};

    use axum::Router;
    use axum::body::{Body, Bytes};
    use axum::http::{HeaderMap, header};
    use axum::response::IntoResponse;
    use axum::routing::get;
    use futures::{StreamExt, stream};

    /// Serves events 1..=n (`id: k`, `data: event k`), resuming after `Last-Event-ID`, cutting
    /// each connection after a pseudo-random number of bytes. The first connection is cut after
    /// at least one complete event; the second one inside its first event, so that it completes
    /// nothing. Returns the URL and the log of the Last-Event-ID headers it received.
    pub async fn start(n: u64, seed: u64) -> (String, Arc<Mutex<Vec<String>>>) {
        let log = Arc::new(Mutex::new(Vec::new()));
        let state = Arc::new(Mutex::new(seed));
        let seen = log.clone();
        let app = Router::new().route(
            "/events",
            get(move |headers: HeaderMap| {
                let (seen, state) = (seen.clone(), state.clone());
                async move {
                    let last = headers
                        .get("last-event-id")
                        .map(|v| v.to_str().unwrap().to_owned())
                        .unwrap_or_default();
                    let connection = {
                        let mut seen = seen.lock().unwrap();
                        seen.push(last.clone());
                        seen.len()
                    };
                    let from: u64 = last.parse().unwrap_or(0);
                    let body: Vec<u8> = (from + 1..=n)
                        .flat_map(|k| format!("id: {k}\ndata: event {k}\n\n").into_bytes())
                        .collect();
                    // Sometimes past the end: then the whole rest is sent and the stream ends cleanly.
                    let cut = {
                        let mut s = state.lock().unwrap();
                        *s = s
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        let random = (*s >> 33) as usize;
                        let first_event = body
                            .windows(2)
                            .position(|pair| pair == b"\n\n")
                            .map_or(1, |at| at + 2);
                        match connection {
                            // Always cut, after at least one complete event, so resuming is
                            // always tested.
                            1 => (random % body.len()).max(first_event),
                            // Cut inside the first event: this connection completes nothing.
                            2 => 3,
                            _ => (random % (body.len() * 5 / 4 + 1)).max(1),
                        }
                    };
                    let complete = cut >= body.len();
                    let sent = Bytes::from(body[..cut.min(body.len())].to_vec());
                    let data = stream::once(async move { Ok::<_, std::io::Error>(sent) });
                    let abort = stream::once(async {
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        Err(std::io::Error::other("cut"))
                    })
                    .filter(move |_| std::future::ready(!complete));
                    (
                        [(header::CONTENT_TYPE, "text/event-stream")],
                        Body::from_stream(data.chain(abort)),
                    )
                        .into_response()
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (format!("http://{addr}/events"), log)
    }
}

#[tokio::test]
async fn ch02_ex06_every_event_once_despite_cuts() {
    for seed in [1, 2, 3] {
        let (url, log) = resume_server::start(25, seed).await;
        let got =
            match tokio::time::timeout(Duration::from_secs(30), ex06_resume::fetch_all(&url, 25))
                .await
            {
                Ok(Ok(got)) => got,
                Ok(Err(error)) => panic!("seed {seed}: yours gave up with Err({error:?})"),
                Err(_) => panic!("seed {seed}: yours did not finish within 30 s"),
            };
        let expected: Vec<String> = (1..=25).map(|k| format!("event {k}")).collect();
        let log = log.lock().unwrap().clone();
        assert_eq!(
            got, expected,
            "seed {seed}: each of the 25 events exactly once, in order (the Last-Event-ID headers \
             yours sent: {log:?}): left = yours, right = expected"
        );
        assert!(
            log.len() > 2,
            "seed {seed}: the server cut the first two connections, so yours must have \
             reconnected; the headers it sent: {log:?}"
        );
        assert_eq!(
            log[0], "",
            "seed {seed}: the first connection has no Last-Event-ID: left = yours, right = expected"
        );
        assert!(
            log[1..].iter().all(|id| !id.is_empty()),
            "seed {seed}: every reconnection resumes with the id of the last completed event, even \
             after a connection that completed nothing; the headers yours sent: {log:?}"
        );
    }
}

/// A plain TCP server speaking just enough HTTP/1.1 to cut a body for real: its head announces a
/// `Content-Length`, and the socket closes before that many bytes were sent, which a client can
/// only read as a transport error in the middle of the body.
mod raw_server {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// What a request carried.
    #[derive(Clone, Debug, Default)]
    pub struct Seen {
        pub last_event_id: Option<String>,
        pub accept: Option<String>,
    }

    /// What to answer: a status, a body, and how many of its bytes to send before closing.
    pub struct Reply {
        pub status: u16,
        pub body: Vec<u8>,
        pub sent: usize,
    }

    /// The events `from..=to` (`id: k`, `data: événement k`: non-ASCII, so bytes are not chars).
    pub fn events(from: u64, to: u64) -> Vec<u8> {
        (from..=to)
            .flat_map(|k| format!("id: {k}\ndata: \u{e9}v\u{e9}nement {k}\n\n").into_bytes())
            .collect()
    }

    /// Starts the server; `answer(n, seen)` answers the `n`-th request (1 for the first). Returns
    /// the URL and the log of what each request carried.
    pub async fn start<F>(answer: F) -> (String, Arc<Mutex<Vec<Seen>>>)
    where
        F: Fn(usize, &Seen) -> Reply + Send + Sync + 'static,
    {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (answer, seen_log) = (Arc::new(answer), log.clone());
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (answer, seen_log) = (answer.clone(), seen_log.clone());
                tokio::spawn(async move {
                    let Ok(Some(seen)) =
                        tokio::time::timeout(Duration::from_secs(10), read_head(&mut socket)).await
                    else {
                        return;
                    };
                    let n = {
                        let mut log = seen_log.lock().unwrap();
                        log.push(seen.clone());
                        log.len()
                    };
                    let reply = answer(n, &seen);
                    let head = format!(
                        "HTTP/1.1 {} X\r\ncontent-type: text/event-stream\r\ncontent-length: {}\r\n\
                         connection: close\r\n\r\n",
                        reply.status,
                        reply.body.len()
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket
                        .write_all(&reply.body[..reply.sent.min(reply.body.len())])
                        .await;
                    let _ = socket.flush().await;
                    // Dropping the socket closes it, mid-body if `sent` < the length announced.
                });
            }
        });
        (format!("http://{addr}/events"), log)
    }

    /// Reads a request head (at most 16 KiB) and picks the two headers out of it.
    async fn read_head(socket: &mut tokio::net::TcpStream) -> Option<Seen> {
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.ok()?;
            if n == 0 || head.len() > 16 * 1024 {
                return None;
            }
            head.extend_from_slice(&buf[..n]);
        }
        let text = String::from_utf8_lossy(&head);
        let mut seen = Seen::default();
        for line in text.split("\r\n").skip(1) {
            if let Some((name, value)) = line.split_once(':') {
                let value = Some(value.trim().to_owned());
                match name.trim().to_ascii_lowercase().as_str() {
                    "last-event-id" => seen.last_event_id = value,
                    "accept" => seen.accept = value,
                    _ => {}
                }
            }
        }
        Some(seen)
    }
}

/// Runs `fetch_all(url, count)` in its own task, within 30 s: `Err` says how it failed (a panic is
/// observed through the task's `JoinHandle`, not lost).
async fn fetch_all_bounded(url: &str, count: usize) -> Result<Result<Vec<String>, String>, String> {
    let url = url.to_owned();
    let task = tokio::spawn(async move { ex06_resume::fetch_all(&url, count).await });
    match tokio::time::timeout(Duration::from_secs(30), task).await {
        Ok(Ok(result)) => Ok(result),
        Ok(Err(error)) if error.is_panic() => Err("yours panicked".into()),
        Ok(Err(error)) => Err(format!("yours was cancelled: {error}")),
        Err(_) => Err("yours did not finish within 30 s".into()),
    }
}

#[tokio::test]
async fn ch02_ex06_a_cut_mid_body_is_a_reconnect() {
    // Each connection sends its first event whole, then half of the next one, then the socket
    // closes before the announced length: a transport error in the middle of the body. The last
    // event is sent whole and the body ends cleanly.
    let (url, log) = raw_server::start(|_, seen| {
        let from = seen
            .last_event_id
            .as_deref()
            .and_then(|id| id.parse::<u64>().ok())
            .unwrap_or(0)
            + 1;
        let body = raw_server::events(from, 6);
        let first = raw_server::events(from, from).len();
        let sent = if from == 6 { body.len() } else { first + 9 };
        raw_server::Reply {
            status: 200,
            body,
            sent,
        }
    })
    .await;
    let result = fetch_all_bounded(&url, 6).await;
    let log = log.lock().unwrap().clone();
    let expected: Vec<String> = (1..=6)
        .map(|k| format!("\u{e9}v\u{e9}nement {k}"))
        .collect();
    match result {
        Ok(Ok(got)) => assert_eq!(
            got, expected,
            "every connection cut mid-body (the requests yours sent: {log:?}): left = yours, \
             right = expected"
        ),
        Ok(Err(error)) => panic!(
            "the server cut each connection in the middle of the body (a transport error), which \
             means: reconnect and resume; yours gave up with Err({error:?}) after the requests \
             {log:?}"
        ),
        Err(how) => panic!("{how}; the requests it sent: {log:?}"),
    }
    let ids: Vec<Option<&str>> = log.iter().map(|s| s.last_event_id.as_deref()).collect();
    assert_eq!(
        ids,
        [None, Some("1"), Some("2"), Some("3"), Some("4"), Some("5")],
        "the Last-Event-ID of each request: left = yours, right = expected"
    );
    assert!(
        log.iter()
            .all(|s| s.accept.as_deref() == Some("text/event-stream")),
        "every request carries Accept: text/event-stream; the requests yours sent: {log:?}"
    );
}

#[tokio::test]
async fn ch02_ex06_gives_up_after_50_connections() {
    // Every connection ends cleanly after a comment, without a single event.
    let (url, log) = raw_server::start(|_, _| raw_server::Reply {
        status: 200,
        body: b": nothing yet\n\n".to_vec(),
        sent: usize::MAX,
    })
    .await;
    let result = fetch_all_bounded(&url, 3).await;
    let connections = log.lock().unwrap().len();
    match result {
        Ok(Ok(got)) => panic!("no event ever arrives, yet yours returned Ok({got:?})"),
        Ok(Err(_)) => assert_eq!(
            connections, 50,
            "connections opened before giving up: left = yours, right = expected"
        ),
        Err(how) => panic!(
            "{how} against a server that never sends an event (after {connections} \
             connections); it must give up with Err after 50 connections"
        ),
    }
}

#[tokio::test]
async fn ch02_ex06_an_error_status_fails_at_once() {
    for status in [404, 500] {
        let (url, log) = raw_server::start(move |_, _| raw_server::Reply {
            status,
            body: b"data: not for you\n\n".to_vec(),
            sent: usize::MAX,
        })
        .await;
        let result = fetch_all_bounded(&url, 1).await;
        let connections = log.lock().unwrap().len();
        match result {
            Ok(Err(_)) => assert_eq!(
                connections, 1,
                "status {status}: connections opened before the Err: left = yours, right = expected"
            ),
            Ok(Ok(got)) => {
                panic!("status {status}: yours returned Ok({got:?}); it must return Err")
            }
            Err(how) => panic!("status {status}: {how}; it must return Err at once"),
        }
    }
}

#[tokio::test]
async fn ch02_ex06_count_zero_asks_for_nothing() {
    let (url, log) = raw_server::start(|_, _| raw_server::Reply {
        status: 200,
        body: raw_server::events(1, 3),
        sent: usize::MAX,
    })
    .await;
    let result = fetch_all_bounded(&url, 0).await;
    let log = log.lock().unwrap().clone();
    match result {
        Ok(Ok(got)) => assert_eq!(
            got,
            Vec::<String>::new(),
            "fetch_all(url, 0): left = yours, right = expected"
        ),
        Ok(Err(error)) => panic!(
            "fetch_all(url, 0) asks for no event, so it is Ok(vec![]); yours returned \
             Err({error:?}) after {} connections",
            log.len()
        ),
        Err(how) => panic!("fetch_all(url, 0): {how}; it must return Ok(vec![])"),
    }
}

// ---------------------------------------------------------------- ex07: timers on a scripted clock

mod ex07 {
    use std::time::{Duration, Instant};

    use exercises::ch02::ex07_timers::Timers;

    /// One step of a scripted connection, at a time in milliseconds since the start.
    #[derive(Clone, Copy, Debug)]
    pub enum Tick {
        Open(u64),
        Bytes(u64),
        /// `on_last_event_id`: a blank line set the last event id (it takes no time).
        Id(&'static str),
        Fail(u64),
    }

    /// Runs the script; returns the count returned by each failure.
    pub fn run(timers: &mut Timers, start: Instant, script: &[Tick]) -> Vec<u32> {
        let at = |ms: u64| start + Duration::from_millis(ms);
        let mut counts = Vec::new();
        for tick in script {
            match *tick {
                Tick::Open(ms) => timers.on_open(at(ms)),
                Tick::Bytes(ms) => timers.on_bytes(at(ms)),
                Tick::Id(id) => timers.on_last_event_id(id),
                Tick::Fail(ms) => counts.push(timers.on_failure(at(ms))),
            }
        }
        counts
    }

    pub fn timers() -> Timers {
        Timers::new(Duration::from_secs(5), Duration::from_secs(10))
    }

    /// The script as the calls it makes, for failure messages.
    pub fn describe(script: &[Tick]) -> String {
        let secs = |ms: u64| format!("t={} s", ms as f64 / 1000.0);
        let calls: Vec<String> = script
            .iter()
            .map(|tick| match *tick {
                Tick::Open(ms) => format!("on_open({})", secs(ms)),
                Tick::Bytes(ms) => format!("on_bytes({})", secs(ms)),
                Tick::Id(id) => format!("on_last_event_id({id:?})"),
                Tick::Fail(ms) => format!("on_failure({})", secs(ms)),
            })
            .collect();
        calls.join(", ")
    }

    /// Runs `script` on `timers()` (idle timeout 5 s, reset_after 10 s) and checks the count
    /// each `on_failure` returned.
    pub fn expect_counts(script: &[Tick], want: &[u32], why: &str) {
        let mut timers = timers();
        let got = run(&mut timers, Instant::now(), script);
        assert_eq!(
            got,
            want,
            "{why}.\nTimers::new(idle_timeout 5 s, reset_after 10 s), then {}:\nyour on_failure \
             calls returned {got:?} (left), expected {want:?} (right)",
            describe(script)
        );
    }
}

#[test]
fn ch02_ex07_any_byte_moves_the_idle_deadline() {
    use ex07::Tick::*;
    let start = std::time::Instant::now();
    let secs = |s: u64| start + Duration::from_secs(s);
    let mut timers = ex07::timers();
    assert_eq!(
        timers.idle_deadline(),
        None,
        "no connection, no deadline: left = yours, right = expected"
    );
    ex07::run(&mut timers, start, &[Open(0)]);
    assert_eq!(
        timers.idle_deadline(),
        Some(secs(5)),
        "opened at 0 s with a 5 s idle timeout: left = yours, right = expected"
    );
    // A keep-alive comment every second: the deadline keeps moving.
    for t in [1, 2, 3, 7, 11] {
        ex07::run(&mut timers, start, &[Bytes(t * 1000)]);
        assert_eq!(
            timers.idle_deadline(),
            Some(secs(t + 5)),
            "bytes at {t} s: left = yours, right = expected"
        );
    }
    ex07::run(&mut timers, start, &[Id("1")]);
    assert_eq!(
        timers.idle_deadline(),
        Some(secs(16)),
        "on_last_event_id(\"1\") after the bytes at 11 s: a new id does not move the deadline \
         (its bytes already did): left = yours, right = expected"
    );
    ex07::run(&mut timers, start, &[Fail(20_000)]);
    assert_eq!(
        timers.idle_deadline(),
        None,
        "after a failure the connection is closed: left = yours, right = expected"
    );
}

#[test]
fn ch02_ex07_one_event_then_failure_keeps_counting() {
    use ex07::Tick::*;
    let mut script = Vec::new();
    for k in 0..5u64 {
        let t = k * 3_000;
        script.extend([Open(t), Bytes(t + 100), Fail(t + 200)]);
    }
    ex07::expect_counts(
        &script,
        &[1, 2, 3, 4, 5],
        "one event without an id per connection, then a failure: up 0.2 s (< reset_after 10 s) \
         and no new id, so every failure counts one more",
    );
}

#[test]
fn ch02_ex07_refused_connections_count_up() {
    use ex07::Tick::*;
    ex07::expect_counts(
        &[Fail(0), Fail(1_000), Fail(3_000), Fail(7_000)],
        &[1, 2, 3, 4],
        "failures without any connection",
    );
}

#[test]
fn ch02_ex07_without_new_ids_a_stable_connection_resets_the_count() {
    use ex07::Tick::*;
    let cases: [(&[ex07::Tick], &[u32], &str); 5] = [
        (
            &[
                Fail(0),
                Fail(1_000),
                Open(3_000),
                Bytes(8_000),
                Fail(13_000),
                Fail(14_000),
            ],
            &[1, 2, 1, 2],
            "a stream without ids, open from 3 s to 13 s: exactly reset_after (10 s) is \
             \"at least\", so it resets",
        ),
        (
            &[
                Fail(0),
                Fail(1_000),
                Open(3_000),
                Bytes(8_000),
                Fail(12_999),
            ],
            &[1, 2, 3],
            "a stream without ids, open 9.999 s: less than reset_after, no reset",
        ),
        (
            &[Fail(0), Open(500), Fail(60_500), Open(61_000), Fail(61_100)],
            &[1, 1, 2],
            "a long quiet connection resets, the next short one does not",
        ),
        (
            &[
                Fail(0),
                Open(1_000),
                Id("9"),
                Fail(1_100),
                Open(2_000),
                Id("9"),
                Bytes(7_000),
                Id("9"),
                Fail(12_000),
                Open(13_000),
                Id("9"),
                Fail(22_999),
            ],
            &[1, 1, 1, 2],
            "id \"9\" is new on the first connection (progress); the next two only replay it, so \
             only their duration counts: 10 s resets, 9.999 s does not",
        ),
        (
            &[
                Fail(0),
                Fail(1_000),
                Open(2_000),
                Id(""),
                Bytes(7_000),
                Fail(12_000),
            ],
            &[1, 2, 1],
            "a stream whose events all have an empty id, open exactly reset_after (10 s): resets",
        ),
    ];
    for (script, want, why) in cases {
        ex07::expect_counts(script, want, why);
    }
}

#[test]
fn ch02_ex07_progress_resets_the_count_however_short_the_connection() {
    use ex07::Tick::*;
    const IDS: [&str; 10] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];
    // Two refused attempts, then a proxy that cuts every connection after 0.2 s, each one having
    // delivered two new events.
    let mut script = vec![Fail(0), Fail(1_000)];
    for (k, ids) in (0u64..).zip(IDS.chunks(2)) {
        let t = 2_000 + k * 1_000;
        script.extend([
            Open(t),
            Bytes(t + 100),
            Id(ids[0]),
            Bytes(t + 150),
            Id(ids[1]),
            Fail(t + 200),
        ]);
    }
    ex07::expect_counts(
        &script,
        &[1, 2, 1, 1, 1, 1, 1],
        "every connection set the last event id to a new value (up 0.2 s each, far below \
         reset_after): each made progress, so each cut counts as the first failure again",
    );
}

#[test]
fn ch02_ex07_the_same_id_replayed_is_not_progress() {
    use ex07::Tick::*;
    ex07::expect_counts(
        &[
            Fail(0),
            Open(1_000),
            Bytes(1_100),
            Id("7"),
            Fail(1_200),
            Open(2_000),
            Bytes(2_100),
            Id("7"),
            Fail(2_200),
            Open(4_000),
            Bytes(4_100),
            Id("7"),
            Bytes(4_150),
            Id("7"),
            Fail(4_200),
        ],
        &[1, 1, 2, 3],
        "\"7\" is new on the first connection (progress: 1); the next two connections replay \
         event 7 and fail, so the last event id never changes: failed attempts, the count grows",
    );
}

#[test]
fn ch02_ex07_an_id_reset_to_empty_is_not_progress() {
    use ex07::Tick::*;
    ex07::expect_counts(
        &[
            Fail(0),
            Open(1_000),
            Id("3"),
            Fail(1_200),
            Open(2_000),
            Id(""),
            Fail(2_200),
            Open(4_000),
            Id(""),
            Fail(4_200),
        ],
        &[1, 1, 2, 3],
        "\"3\" is new (progress: 1); then a connection resets the id to empty and one keeps it \
         empty: an empty id is not progress, the count grows",
    );
}

#[test]
fn ch02_ex07_refused_attempts_after_progress_count_up_again() {
    use ex07::Tick::*;
    ex07::expect_counts(
        &[
            Fail(0),
            Fail(1_000),
            Open(3_000),
            Bytes(3_100),
            Id("41"),
            Fail(3_200),
            Fail(4_000),
            Fail(6_000),
            Open(10_000),
            Bytes(10_100),
            Fail(10_200),
        ],
        &[1, 2, 1, 2, 3, 4],
        "a connection with a new id (progress: 1), then two refused attempts (no on_open) and a \
         short connection without a new id: the progress belonged to the connection that ended, \
         so the count grows again from 1",
    );
}

#[test]
fn ch02_ex07_an_id_with_no_connection_open_changes_nothing() {
    use ex07::Tick::*;
    ex07::expect_counts(
        &[
            Open(0),
            Id("4"),
            Fail(200),
            Fail(1_000),
            Id("5"),
            Fail(3_000),
            Open(7_000),
            Id("5"),
            Fail(7_200),
        ],
        &[1, 2, 3, 1],
        "on_last_event_id(\"5\") with no connection open changes nothing: the refused attempt \
         after it still counts 3, and the last event id is still \"4\", so \"5\" set on the next \
         connection is new (progress: 1)",
    );
}

#[test]
fn ch02_ex07_huge_timeouts_mean_never_not_a_panic() {
    use ex07::Tick::*;
    let mut timers = ex07_timers::Timers::new(Duration::MAX, Duration::MAX);
    let counts = ex07::run(
        &mut timers,
        std::time::Instant::now(),
        &[Open(0), Bytes(1), Fail(2), Open(3), Fail(4)],
    );
    assert_eq!(
        counts,
        [1, 2],
        "reset_after = MAX never resets: left = yours, right = expected"
    );
    timers.on_open(std::time::Instant::now());
    assert_eq!(
        timers.idle_deadline(),
        None,
        "an idle timeout of Duration::MAX has no representable deadline: left = yours, right = expected"
    );
}

#[test]
fn ch02_ex07_refused_attempts_after_a_long_connection_keep_counting() {
    use ex07::Tick::*;
    let start = std::time::Instant::now();
    let mut timers = ex07::timers();
    assert_eq!(
        ex07::run(
            &mut timers,
            start,
            &[
                Open(0),
                Bytes(30_000),
                Fail(60_000),
                Fail(61_000),
                Fail(63_000),
                Fail(67_000)
            ]
        ),
        [1, 2, 3, 4],
        "a connection up for 60 s, then three refused attempts (no on_open): only the first \
         failure follows a stable connection: left = yours, right = expected"
    );
    ex07::run(&mut timers, start, &[Bytes(68_000)]);
    assert_eq!(
        timers.idle_deadline(),
        None,
        "bytes with no connection open change nothing: left = yours, right = expected"
    );
}

/// The timers' contract, written as a plain model (`None` settings stand for `Duration::MAX`).
#[derive(Debug, Default)]
struct ReferenceTimers {
    idle_timeout_s: Option<u64>,
    reset_after_s: Option<u64>,
    /// The second the open connection opened, if one is open.
    opened_at: Option<u64>,
    /// The second of the idle deadline, if a connection is open and the deadline is representable.
    deadline: Option<u64>,
    /// The last event id; it outlives connections.
    last_event_id: String,
    /// The open connection set the last event id to a new, non-empty value.
    progressed: bool,
    failures: u32,
}

impl ReferenceTimers {
    fn open(&mut self, now: u64) {
        self.opened_at = Some(now);
        self.deadline = self.idle_timeout_s.map(|t| now + t);
        self.progressed = false;
    }
    fn bytes(&mut self, now: u64) {
        if self.opened_at.is_some() {
            self.deadline = self.idle_timeout_s.map(|t| now + t);
        }
    }
    fn last_event_id(&mut self, id: &str) {
        if self.opened_at.is_none() {
            return;
        }
        let new = !id.is_empty() && id != self.last_event_id;
        self.progressed = self.progressed || new;
        self.last_event_id = id.to_owned();
    }
    fn fail(&mut self, now: u64) -> u32 {
        let worked = match self.opened_at.take() {
            None => false,
            Some(opened) => {
                self.progressed
                    || self
                        .reset_after_s
                        .is_some_and(|reset_after| now.saturating_sub(opened) >= reset_after)
            }
        };
        if worked {
            self.failures = 0;
        }
        self.progressed = false;
        self.deadline = None;
        self.failures += 1;
        self.failures
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Yours against the contract on generated scripts (times in whole seconds, so that a
    /// connection up for exactly `reset_after` comes up often; ids from three values, empty
    /// included, so that replays and resets come up often); a failure is shrunk to a short
    /// script.
    #[test]
    fn ch02_ex07_matches_the_contract_on_generated_scripts(
        idle_timeout_s in proptest::option::of(0u64..=6),
        reset_after_s in proptest::option::of(0u64..=6),
        script in proptest::collection::vec((0u8..4, 0u64..=3, 0usize..3), 1..32),
    ) {
        const IDS: [&str; 3] = ["", "a", "b"];
        let setting = |s: Option<u64>| s.map_or(Duration::MAX, Duration::from_secs);
        let start = std::time::Instant::now();
        let at = |s: u64| start + Duration::from_secs(s);
        let mut reference = ReferenceTimers { idle_timeout_s, reset_after_s, ..Default::default() };
        let mut steps = Vec::new();
        let mut now = 0;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut timers = ex07_timers::Timers::new(setting(idle_timeout_s), setting(reset_after_s));
            for &(kind, step, id) in &script {
                now += step;
                let (what, got, want) = match kind {
                    0 => {
                        timers.on_open(at(now));
                        reference.open(now);
                        (format!("on_open(t={now} s)"), None, None)
                    }
                    1 => {
                        timers.on_bytes(at(now));
                        reference.bytes(now);
                        (format!("on_bytes(t={now} s)"), None, None)
                    }
                    2 => {
                        let id = IDS[id];
                        timers.on_last_event_id(id);
                        reference.last_event_id(id);
                        (format!("on_last_event_id({id:?})"), None, None)
                    }
                    _ => (
                        format!("on_failure(t={now} s)"),
                        Some(timers.on_failure(at(now))),
                        Some(reference.fail(now)),
                    ),
                };
                steps.push(what.clone());
                if got != want {
                    return Err(format!("{what} returned {got:?}, expected {want:?}"));
                }
                let (got, want) = (timers.idle_deadline(), reference.deadline.map(at));
                if got != want {
                    let show = |d: Option<std::time::Instant>| d.map(|d| format!("t={} s", (d - start).as_secs()));
                    return Err(format!(
                        "after {what}, idle_deadline() is {:?}, expected {:?}",
                        show(got),
                        show(want)
                    ));
                }
            }
            Ok(())
        }));
        let settings = format!(
            "Timers::new(idle_timeout {}, reset_after {})",
            idle_timeout_s.map_or("Duration::MAX".into(), |s| format!("{s} s")),
            reset_after_s.map_or("Duration::MAX".into(), |s| format!("{s} s")),
        );
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(mismatch)) => prop_assert!(false, "{settings}, then {}: {mismatch}", steps.join(", ")),
            Err(_) => prop_assert!(false, "{settings}, then {}: yours panicked", steps.join(", ")),
        }
    }
}

// ---------------------------------------------------------------- ex08: events from a recording

/// A recording: the version line, then one JSON line per item.
fn recording_of(lines: &[serde_json::Value]) -> String {
    let mut text = String::from("{\"sse_recording\":1}\n");
    for line in lines {
        writeln!(text, "{line}").unwrap();
    }
    text
}

fn request_line(conn: u32) -> serde_json::Value {
    json!({"ms": 0.0, "conn": conn, "request": {"method": "GET", "url": "http://127.0.0.1:3000/events", "headers": [["accept", "text/event-stream"]]}})
}

fn response_line(conn: u32) -> serde_json::Value {
    json!({"ms": 1.0, "conn": conn, "response": {"status": 200, "headers": [["content-type", "text/event-stream"]]}})
}

fn end_line(conn: u32, how: &str) -> serde_json::Value {
    json!({"ms": 9.0, "conn": conn, "end": how})
}

fn text_chunk(conn: u32, text: &str) -> serde_json::Value {
    json!({"ms": 2.0, "conn": conn, "chunk": text})
}

fn base64_chunk(conn: u32, bytes: &[u8]) -> serde_json::Value {
    use base64::Engine as _;
    json!({"ms": 2.0, "conn": conn, "chunk_base64": base64::engine::general_purpose::STANDARD.encode(bytes)})
}

/// A chunk line as `sse record` writes it: text when the bytes are UTF-8 on their own, base64
/// otherwise (or when `as_base64` asks for it).
fn recorded_chunk(conn: u32, bytes: &[u8], as_base64: bool) -> serde_json::Value {
    match std::str::from_utf8(bytes) {
        Ok(text) if !as_base64 => text_chunk(conn, text),
        _ => base64_chunk(conn, bytes),
    }
}

fn received(id: &str, event_type: &str, data: &str) -> ex08_recording::ReceivedEvent {
    ex08_recording::ReceivedEvent {
        id: id.to_owned(),
        event_type: event_type.to_owned(),
        data: data.to_owned(),
    }
}

type RecordingAnswer = Result<Vec<ex08_recording::ReceivedEvent>, ex08_recording::RecordingError>;

/// Yours, or `None` if it panicked.
fn events_of_caught(recording: &str, conn: u32) -> Option<RecordingAnswer> {
    std::panic::catch_unwind(|| ex08_recording::events_of(recording, conn)).ok()
}

/// Checks `events_of(recording, conn)`; `what` says what the recording holds.
fn expect_recording(what: &str, recording: &str, conn: u32, expected: RecordingAnswer) {
    match events_of_caught(recording, conn) {
        Some(got) if got == expected => {}
        Some(got) => panic!(
            "{what}: events_of(recording, {conn})\n  yours:    {got:?}\n  expected: {expected:?}\n\
             the recording:\n{recording}"
        ),
        None => panic!(
            "{what}: events_of(recording, {conn}) panicked; expected {expected:?}\n\
             the recording:\n{recording}"
        ),
    }
}

#[test]
fn ch02_ex08_the_book_example() {
    let book = concat!(
        "{\"sse_recording\":1}\n",
        "{\"ms\":0.0,\"conn\":1,\"request\":{\"method\":\"GET\",\"url\":\"http://127.0.0.1:3000/events\",\"headers\":[[\"accept\",\"text/event-stream\"]]}}\n",
        "{\"ms\":3.1,\"conn\":1,\"response\":{\"status\":200,\"headers\":[[\"content-type\",\"text/event-stream\"]]}}\n",
        "{\"ms\":3.4,\"conn\":1,\"chunk\":\"retry: 1000\\n\\n\"}\n",
        "{\"ms\":3.5,\"conn\":1,\"chunk_base64\":\"aWQ6IDEKZGF0YTogY2Fmww==\"}\n",
        "{\"ms\":9.0,\"conn\":1,\"chunk_base64\":\"qQoK\"}\n",
        "{\"ms\":2000.2,\"conn\":1,\"end\":\"cut\"}\n",
    );
    expect_recording(
        "the book's recording (`é` split between two base64 chunks; a retry field is not an event)",
        book,
        1,
        Ok(vec![received("1", "message", "caf\u{e9}")]),
    );
    expect_recording(
        "the book's recording, asked for a connection it does not have",
        book,
        2,
        Ok(vec![]),
    );
}

#[test]
fn ch02_ex08_a_character_split_across_chunks() {
    for c in ["\u{e9}", "\u{20ac}", "\u{1f600}"] {
        let stream = format!("id: {c}1\nevent: t{c}\ndata: {c}{c}\n\n: {c}\ndata: x{c}\n\n");
        let bytes = stream.as_bytes();
        let expected = vec![
            received(&format!("{c}1"), &format!("t{c}"), &format!("{c}{c}")),
            received(&format!("{c}1"), "message", &format!("x{c}")),
        ];
        for cut in 0..=bytes.len() {
            let (a, b) = bytes.split_at(cut);
            let recording = recording_of(&[
                request_line(1),
                response_line(1),
                recorded_chunk(1, a, false),
                recorded_chunk(1, b, false),
                end_line(1, "eof"),
            ]);
            expect_recording(
                &format!("{stream:?} recorded as two chunks cut at byte {cut}"),
                &recording,
                1,
                Ok(expected.clone()),
            );
        }
    }
    // One emoji in three pieces, none of them UTF-8 on its own.
    let emoji = "\u{1f600}".as_bytes();
    let recording = recording_of(&[
        text_chunk(1, "data: <"),
        base64_chunk(1, &emoji[..1]),
        base64_chunk(1, &emoji[1..3]),
        base64_chunk(1, &[emoji[3], b'>', b'\n']),
        text_chunk(1, "\n"),
    ]);
    expect_recording(
        "\"data: <\u{1f600}>\\n\\n\" with the emoji in three base64 chunks",
        &recording,
        1,
        Ok(vec![received("", "message", "<\u{1f600}>")]),
    );
}

#[test]
fn ch02_ex08_cr_and_lf_split_across_chunks() {
    let stream = b"data: a\r\ndata: b\r\n\r\nid: 2\rdata: c\r\r: done\r\n";
    let expected = vec![
        received("", "message", "a\nb"),
        received("2", "message", "c"),
    ];
    for cut in 0..=stream.len() {
        let (a, b) = stream.split_at(cut);
        // An empty chunk between the two halves, as a recorder may see one.
        let recording = recording_of(&[
            recorded_chunk(1, a, cut % 2 == 0),
            text_chunk(1, ""),
            recorded_chunk(1, b, cut % 3 == 0),
        ]);
        expect_recording(
            &format!(
                "{:?} recorded as two chunks cut at byte {cut}, an empty one between",
                String::from_utf8_lossy(stream)
            ),
            &recording,
            1,
            Ok(expected.clone()),
        );
    }
}

#[test]
fn ch02_ex08_only_the_asked_connection() {
    let recording = recording_of(&[
        request_line(1),
        response_line(1),
        text_chunk(1, "retry: 500\nid: 1\ndata: one-"),
        request_line(2),
        response_line(2),
        text_chunk(2, "data: two\n"),
        text_chunk(1, "a\n\nevent: up"),
        text_chunk(2, "\nid: 9\ndata: nine\n\n"),
        text_chunk(1, "date\ndata: more\n\n"),
        end_line(1, "cut"),
        request_line(3),
        base64_chunk(3, b"data: three\n\n"),
        end_line(2, "eof"),
        end_line(3, "stopped"),
    ]);
    let answers = [
        (
            1,
            vec![
                received("1", "message", "one-a"),
                received("1", "update", "more"),
            ],
        ),
        (
            2,
            vec![
                received("", "message", "two"),
                received("9", "message", "nine"),
            ],
        ),
        (3, vec![received("", "message", "three")]),
        (4, vec![]),
    ];
    for (conn, expected) in answers {
        expect_recording(
            "three connections, their chunks interleaved (each connection is its own stream)",
            &recording,
            conn,
            Ok(expected),
        );
    }
}

#[test]
fn ch02_ex08_an_event_cut_at_the_end_was_never_received() {
    let cases: [(&str, Vec<serde_json::Value>); 5] = [
        (
            "an event cut in its data line",
            vec![
                text_chunk(1, "data: done\n\n"),
                text_chunk(1, "data: cut"),
                end_line(1, "cut"),
            ],
        ),
        (
            "an event cut in its data line, and no end line (the recorder was killed)",
            vec![text_chunk(1, "data: done\n\nid: 7\ndata: cut")],
        ),
        (
            "an event cut before its blank line",
            vec![
                text_chunk(1, "data: done\n\ndata: almost\n"),
                end_line(1, "eof"),
            ],
        ),
        (
            "an event cut after a CR, before its blank line",
            vec![
                text_chunk(1, "data: done\r\rdata: almost\r"),
                end_line(1, "cut"),
            ],
        ),
        (
            "a connection cut mid-event, then a reconnection that starts with blank lines",
            vec![
                text_chunk(1, "data: done\n\ndata: half"),
                end_line(1, "cut"),
                request_line(2),
                text_chunk(2, "\n\ndata: again\n\n"),
                end_line(2, "eof"),
            ],
        ),
    ];
    for (what, lines) in cases {
        expect_recording(
            what,
            &recording_of(&lines),
            1,
            Ok(vec![received("", "message", "done")]),
        );
    }
}

#[test]
fn ch02_ex08_blank_lines_empty_chunks_and_crlf() {
    let body = [
        text_chunk(1, ""),
        text_chunk(1, "data: x"),
        base64_chunk(1, b""),
        text_chunk(1, "\n\n"),
        json!({"ms": 3.0, "conn": 1, "note": "a kind of line this reader does not know"}),
        text_chunk(1, "data: y\n\n"),
    ];
    let lines: Vec<String> = body.iter().map(|line| line.to_string()).collect();
    let expected = Ok(vec![
        received("", "message", "x"),
        received("", "message", "y"),
    ]);
    let recordings = [
        (
            "blank lines before the version line and between lines",
            format!(
                "\n  \n{{\"sse_recording\":1}}\n\n{}\n\t\n{}\n",
                lines[..3].join("\n"),
                lines[3..].join("\n\n")
            ),
        ),
        (
            "CRLF line endings and a version line with spaces",
            format!("{{ \"sse_recording\": 1 }}\r\n{}\r\n", lines.join("\r\n")),
        ),
        (
            "no newline after the last line",
            format!("{{\"sse_recording\":1}}\n{}", lines.join("\n")),
        ),
    ];
    for (what, recording) in recordings {
        expect_recording(what, &recording, 1, expected.clone());
    }
    expect_recording(
        "only the version line",
        "{\"sse_recording\":1}\n",
        1,
        Ok(vec![]),
    );
}

#[test]
fn ch02_ex08_not_a_recording() {
    use ex08_recording::RecordingError::NotARecording;
    let chunk = text_chunk(1, "data: a\n\n").to_string();
    let inputs = [
        String::new(),
        "\n  \r\n\n".to_owned(),
        "data: hello\n\n".to_owned(),
        format!("{{\"sse_recording\":2}}\n{chunk}\n"),
        format!("{{\"sse_recording\":\"1\"}}\n{chunk}\n"),
        format!("{{\"data\":1}}\n{chunk}\n"),
        format!("[1]\n{chunk}\n"),
        format!("{{\"sse_recording\":1\n{chunk}\n"),
        format!("{chunk}\n{{\"sse_recording\":1}}\n"),
    ];
    for input in inputs {
        expect_recording(
            "the first non-blank line is not {\"sse_recording\":1}",
            &input,
            1,
            Err(NotARecording),
        );
    }
}

#[test]
fn ch02_ex08_malformed_lines_are_errors_with_their_number() {
    use ex08_recording::RecordingError::{BadBase64, BadLine};
    type Bad = fn(usize) -> ex08_recording::RecordingError;
    let bad_line: Bad = |line| BadLine { line };
    let bad_base64: Bad = |line| BadBase64 { line };
    let cases: [(&str, Bad); 15] = [
        (r#"{"ms":1,"conn":1,"chunk":"data: x"#, bad_line),
        ("data: not json\n", bad_line),
        ("[1,2]", bad_line),
        ("null", bad_line),
        (r#"{"ms":1,"chunk":"data: x\n\n"}"#, bad_line),
        (r#"{"ms":1,"conn":"1","chunk":"data: x\n\n"}"#, bad_line),
        (r#"{"ms":1,"conn":-1,"chunk":"data: x\n\n"}"#, bad_line),
        (r#"{"ms":1,"conn":1.5,"chunk":"data: x\n\n"}"#, bad_line),
        (
            r#"{"ms":1,"conn":4294967297,"chunk":"data: x\n\n"}"#,
            bad_line,
        ),
        (r#"{"ms":1,"conn":1,"chunk":5}"#, bad_line),
        (r#"{"ms":1,"conn":1,"chunk_base64":null}"#, bad_line),
        (
            r#"{"ms":1,"conn":1,"chunk":"x","chunk_base64":"eA=="}"#,
            bad_line,
        ),
        (r#"{"ms":1,"conn":1,"chunk_base64":"***"}"#, bad_base64),
        (r#"{"ms":1,"conn":1,"chunk_base64":"-_8="}"#, bad_base64),
        (r#"{"ms":1,"conn":1,"chunk_base64":"aGk"}"#, bad_base64),
    ];
    for (bad, error) in cases {
        let bad = bad.trim_end();
        for (blank_lines, conn) in [(0, 1), (1, 1), (3, 2)] {
            // The version line, then `blank_lines` blank lines, a good event, the bad line, and
            // more good lines: the error, not the event before it, is the answer.
            let mut recording = String::from("{\"sse_recording\":1}\n");
            recording.push_str(&"\n".repeat(blank_lines));
            writeln!(recording, "{}", text_chunk(conn, "data: before\n\n")).unwrap();
            writeln!(recording, "{bad}").unwrap();
            writeln!(recording, "{}", text_chunk(conn, "data: after\n\n")).unwrap();
            let number = blank_lines + 3;
            let asked = if conn == 1 { 1 } else { 7 };
            expect_recording(
                &format!("line {number} is {bad}"),
                &recording,
                asked,
                Err(error(number)),
            );
        }
    }
    // `+` and `/` are the standard alphabet's: "Pj4+Pz8/" is ">>>???".
    expect_recording(
        "a chunk_base64 with `+` and `/` (the standard alphabet)",
        &recording_of(&[
            text_chunk(1, "data: "),
            json!({"ms": 1.0, "conn": 1, "chunk_base64": "Pj4+Pz8/"}),
            text_chunk(1, "\n\n"),
        ]),
        1,
        Ok(vec![received("", "message", ">>>???")]),
    );
}

/// What the course's parser dispatches when fed the whole stream at once: the reference.
fn reference_events(stream: &[u8]) -> Vec<ex08_recording::ReceivedEvent> {
    let mut parser = sse_format::Parser::new();
    let mut events = Vec::new();
    for frame in parser.feed(stream) {
        if let Ok(sse_format::Frame::Event(event)) = frame {
            events.push(event.into());
        }
    }
    let _cut_off = parser.finish();
    events
}

/// A generated event stream: fields, comments, blank lines, with CR, LF or CRLF and values with
/// non-ASCII characters; often ending inside an event.
fn generated_stream() -> impl Strategy<Value = Vec<u8>> {
    let value = proptest::collection::vec(
        proptest::sample::select(vec!["", "a", "b c", "\u{e9}", "\u{20ac}", "\u{1f600}", ":"]),
        0..3,
    )
    .prop_map(|parts| parts.concat());
    let eol = proptest::sample::select(vec!["\n", "\r", "\r\n"]);
    let field =
        proptest::sample::select(vec!["data: ", "data:", "id: ", "event: ", ": ", "retry: "]);
    let line = prop_oneof![
        3 => (field, value).prop_map(|(field, value)| format!("{field}{value}")),
        1 => Just(String::new()),
        1 => Just("retry: 250".to_owned()),
    ];
    proptest::collection::vec((line, eol), 0..16).prop_map(|lines| {
        lines
            .into_iter()
            .flat_map(|(line, eol)| [line, eol.to_owned()])
            .collect::<String>()
            .into_bytes()
    })
}

/// `stream` cut at the generated points into chunk lines of connection `conn`, each recorded as
/// base64 when its flag says so (or when it is not UTF-8 on its own): the bytes and the line.
fn chunk_lines(
    conn: u32,
    stream: &[u8],
    cuts: &[(proptest::sample::Index, bool)],
) -> Vec<(Vec<u8>, serde_json::Value)> {
    let mut points: Vec<usize> = cuts
        .iter()
        .map(|(at, _)| at.index(stream.len() + 1))
        .collect();
    points.sort_unstable();
    points.push(stream.len());
    let flags = cuts.iter().map(|&(_, as_base64)| as_base64).chain([false]);
    let mut start = 0;
    let mut lines = Vec::new();
    for (point, as_base64) in points.into_iter().zip(flags) {
        let piece = &stream[start..point];
        lines.push((piece.to_vec(), recorded_chunk(conn, piece, as_base64)));
        start = point;
    }
    lines
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Two connections' generated streams, each cut into random chunks (some recorded as
    /// base64), their lines interleaved: the events of each connection must be what the course's
    /// parser dispatches for that connection's whole stream. A failure is shrunk to a small case.
    #[test]
    fn ch02_ex08_matches_the_parser_on_generated_recordings(
        first in generated_stream(),
        second in generated_stream(),
        first_cuts in proptest::collection::vec((any::<proptest::sample::Index>(), any::<bool>()), 0..8),
        second_cuts in proptest::collection::vec((any::<proptest::sample::Index>(), any::<bool>()), 0..8),
        order in proptest::collection::vec(any::<bool>(), 0..16),
        ended in any::<bool>(),
    ) {
        let mut first_lines = chunk_lines(1, &first, &first_cuts).into_iter();
        let mut second_lines = chunk_lines(2, &second, &second_cuts).into_iter();
        let mut lines = vec![request_line(1), response_line(1), request_line(2)];
        let mut chunks: [Vec<String>; 2] = Default::default();
        for take_first in order.into_iter().chain(std::iter::repeat_n(true, 9)).chain(std::iter::repeat_n(false, 9)) {
            let (which, next) = if take_first { (0, first_lines.next()) } else { (1, second_lines.next()) };
            if let Some((bytes, line)) = next {
                chunks[which].push(format!("{:?}", String::from_utf8_lossy(&bytes)));
                lines.push(line);
            }
        }
        if ended {
            lines.push(end_line(1, "cut"));
            lines.push(end_line(2, "eof"));
        }
        let recording = recording_of(&lines);
        for (conn, stream) in [(1, &first), (2, &second)] {
            let want = reference_events(stream);
            let cut_into = chunks[conn as usize - 1].join(" | ");
            match events_of_caught(&recording, conn) {
                Some(Ok(got)) => prop_assert_eq!(
                    &got,
                    &want,
                    "connection {}'s stream {:?} recorded as the chunks {} (interleaved with the \
                     other connection's): left = yours, right = expected\nthe recording:\n{}",
                    conn,
                    String::from_utf8_lossy(stream),
                    cut_into,
                    recording
                ),
                Some(Err(error)) => prop_assert!(
                    false,
                    "connection {conn}'s stream {:?} recorded as the chunks {cut_into}: yours \
                     returned Err({error:?}), expected the events {want:?}\nthe recording:\n{recording}",
                    String::from_utf8_lossy(stream)
                ),
                None => prop_assert!(
                    false,
                    "connection {conn}'s stream {:?} recorded as the chunks {cut_into}: yours \
                     panicked, expected the events {want:?}\nthe recording:\n{recording}",
                    String::from_utf8_lossy(stream)
                ),
            }
        }
    }
}

// ---------------------------------------------------------------- ex09: which Last-Event-ID

/// Property tests of the short exercises: a modest number of generated cases, no regression files,
/// a failure shrunk to a small case before it is reported.
fn short_property_config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The reference: the course's parser, seeded with `initial` and fed the whole stream (no
/// `finish`: what a block the stream cut off leaves in the parser never reaches `last_event_id`).
fn reference_last_event_id(stream: &str, initial: &str) -> String {
    let mut parser = sse_format::Parser::new();
    parser.set_last_event_id(initial);
    for _frame in parser.feed(stream.as_bytes()) {}
    parser.last_event_id().to_owned()
}

/// Yours, with a panic turned into `None`.
fn last_event_id_caught(stream: &str, initial: &str) -> Option<String> {
    std::panic::catch_unwind(|| ex09_last_event_id::last_event_id_after(stream, initial)).ok()
}

/// Checks each `(stream, initial, expected)` case, naming the rule in `rule`.
fn expect_last_event_ids(rule: &str, cases: &[(&str, &str, &str)]) {
    for &(stream, initial, want) in cases {
        assert_eq!(
            reference_last_event_id(stream, initial),
            want,
            "test table disagrees with sse_format on {stream:?}"
        );
        match last_event_id_caught(stream, initial) {
            Some(got) => assert_eq!(
                got, want,
                "{rule}: the stream {stream:?} received by a client that started with the id \
                 {initial:?}: left = yours, right = the Last-Event-ID it sends"
            ),
            None => panic!(
                "{rule}: the stream {stream:?} received by a client that started with the id \
                 {initial:?}: yours panicked, expected the Last-Event-ID {want:?}"
            ),
        }
    }
}

#[test]
fn ch02_ex09_set_at_the_blank_line_and_kept() {
    expect_last_event_ids(
        "the id counts at the blank line and persists",
        &[
            ("id: 1\ndata: a\n\n", "", "1"),
            ("id: 1\ndata: a\n\nid: 2\ndata: b\n\n", "", "2"),
            ("id: 1\ndata: a\n\ndata: b\n\n", "", "1"),
            ("id: 7\n\n", "", "7"),
            ("id: 41\ndata: a\n\nid: 42\n\ndata: b\n\n", "", "42"),
            ("data: no id\n\n", "41", "41"),
            ("", "41", "41"),
            ("\n\n\n", "x", "x"),
            ("id: 1\nid: 2\ndata: a\n\n", "", "2"),
            ("data: a\nid: 9\n\n", "3", "9"),
            ("event: e\nid: 5\nretry: 10\n\n", "4", "5"),
        ],
    );
}

#[test]
fn ch02_ex09_an_empty_id_resets_a_null_is_ignored() {
    expect_last_event_ids(
        "an empty id resets, an id with NULL is ignored",
        &[
            ("id: 1\n\nid\n\n", "", ""),
            ("id: 1\ndata: a\n\nid:\ndata: b\n\n", "", ""),
            ("id: \n\n", "9", ""),
            ("id\ndata: a\n\ndata: b\n\n", "9", ""),
            ("id: 3\n\nid: a\0b\n\n", "", "3"),
            ("id: 3\nid: 4\0\ndata: x\n\n", "", "3"),
            ("id: \0\n\n", "9", "9"),
            ("id: 1\n\nid: 2\nid: \0\n\n", "", "2"),
        ],
    );
}

#[test]
fn ch02_ex09_a_cut_block_does_not_count() {
    expect_last_event_ids(
        "an id in a block no blank line ended does not count",
        &[
            ("id: 1\ndata: a\n\nid: 2\ndata: b", "", "1"),
            ("id: 1\ndata: a\n\nid: 2\ndata: b\n", "", "1"),
            ("id: 2\n", "1", "1"),
            ("id: 2", "1", "1"),
            ("id: 5\n\nid", "4", "5"),
            ("id: 5\n\nid:\n", "4", "5"),
            ("id: 8\ndata: x\r\n", "", ""),
        ],
    );
}

#[test]
fn ch02_ex09_lines_end_with_cr_lf_or_crlf() {
    expect_last_event_ids(
        "lines end with CRLF, LF or a lone CR",
        &[
            ("id: 5\r\r", "", "5"),
            ("id: 5\r\n\r\n", "", "5"),
            ("id: 5\r\rid: 6\r", "", "5"),
            ("id: 8\rdata: x\r\r", "1", "8"),
            ("id: 1\n\r\nid: 2\r\n\n", "", "2"),
            ("id: 3\r\n", "1", "1"),
            ("id: 4\n\r", "1", "4"),
        ],
    );
}

#[test]
fn ch02_ex09_the_field_is_exactly_id() {
    expect_last_event_ids(
        "only the id field, its value less one leading space",
        &[
            (": id: 9\n\n", "1", "1"),
            ("ID: 9\n\nidx: 9\n\nid : 9\n\n", "1", "1"),
            ("data: id: 9\n\n", "1", "1"),
            ("id:5\n\n", "", "5"),
            ("id:  spaced \n\n", "", " spaced "),
            ("id: a:b\n\n", "", "a:b"),
            (
                "id: \u{e9}t\u{e9}-\u{1f980}\n\n",
                "",
                "\u{e9}t\u{e9}-\u{1f980}",
            ),
            ("id:\u{e9}\n\n", "", "\u{e9}"),
            ("id: \t7\t\n\n", "", "\t7\t"),
        ],
    );
}

/// One line of a generated stream: an `id` line of many forms, or another line.
fn stream_line() -> impl Strategy<Value = String> {
    let id_value = proptest::collection::vec(
        proptest::sample::select(&['1', '7', 'a', ' ', ':', '\0', '\u{e9}', '\u{1f980}'][..]),
        0..4,
    )
    .prop_map(String::from_iter);
    prop_oneof![
        3 => id_value.clone().prop_map(|v| format!("id: {v}")),
        1 => id_value.prop_map(|v| format!("id:{v}")),
        1 => Just("id".to_owned()),
        2 => Just(String::new()),
        2 => Just("data: x".to_owned()),
        1 => Just(": id: 99".to_owned()),
        1 => Just("event: e".to_owned()),
        1 => Just("ID: 5".to_owned()),
    ]
}

proptest! {
    #![proptest_config(short_property_config())]

    /// Yours against `sse_format::Parser` on generated streams, with every line ending and cut at
    /// any character; a failure is shrunk.
    #[test]
    fn ch02_ex09_matches_sse_format_on_generated_streams(
        lines in proptest::collection::vec(
            (stream_line(), prop_oneof![Just("\n"), Just("\r"), Just("\r\n")]),
            0..12,
        ),
        cut in any::<proptest::sample::Index>(),
        initial in prop_oneof![Just(""), Just("0"), Just("\u{e9}")],
    ) {
        let whole: String = lines.iter().map(|(line, end)| format!("{line}{end}")).collect();
        // Cut the stream at a character boundary (or not at all).
        let boundaries: Vec<usize> = whole
            .char_indices()
            .map(|(i, _)| i)
            .chain([whole.len()])
            .collect();
        let stream = &whole[..boundaries[cut.index(boundaries.len())]];
        let want = reference_last_event_id(stream, initial);
        match last_event_id_caught(stream, initial) {
            Some(got) => prop_assert_eq!(
                &got,
                &want,
                "the stream {:?} received by a client that started with the id {:?}: left = \
                 yours, right = the Last-Event-ID it sends",
                stream,
                initial
            ),
            None => prop_assert!(
                false,
                "the stream {stream:?} received by a client that started with the id \
                 {initial:?}: yours panicked, expected the Last-Event-ID {want:?}"
            ),
        }
    }
}

// ---------------------------------------------------------------- ex10: retry or not

/// The reference: `sse-client`'s own rule. A status `http` cannot hold (below 100, above 999) is
/// given up on, and a 200 that reaches the question had the wrong `Content-Type`: also give up.
fn reference_verdict(status: u16) -> ex10_should_retry::Verdict {
    use ex10_should_retry::Verdict;
    use sse_client::retry::{Disposition, classify_status};
    match reqwest::StatusCode::from_u16(status).map(classify_status) {
        Ok(Disposition::Retry) => Verdict::Retry,
        Ok(Disposition::Stop) => Verdict::Stop,
        Ok(Disposition::Open | Disposition::Fail) | Err(_) => Verdict::GiveUp,
    }
}

/// Yours, with a panic turned into `None`.
fn verdict_caught(status: u16) -> Option<ex10_should_retry::Verdict> {
    std::panic::catch_unwind(|| ex10_should_retry::should_retry(status)).ok()
}

/// Checks each `(status, expected)` case, naming the rule in `rule`.
fn expect_verdicts(rule: &str, cases: &[(u16, ex10_should_retry::Verdict)]) {
    for &(status, want) in cases {
        assert_eq!(
            reference_verdict(status),
            want,
            "test table disagrees with sse-client on {status}"
        );
        assert_eq!(
            verdict_caught(status),
            Some(want),
            "{rule}: status {status}: left = yours (None: it panicked), right = expected"
        );
    }
}

#[test]
fn ch02_ex10_stop_retry_or_give_up() {
    use ex10_should_retry::Verdict::{GiveUp, Retry, Stop};
    expect_verdicts(
        "204 stops, 408, 429 and 5xx retry, the rest gives up",
        &[
            (204, Stop),
            (408, Retry),
            (429, Retry),
            (500, Retry),
            (502, Retry),
            (503, Retry),
            (504, Retry),
            (400, GiveUp),
            (401, GiveUp),
            (403, GiveUp),
            (404, GiveUp),
            (200, GiveUp),
        ],
    );
}

#[test]
fn ch02_ex10_every_5xx_and_only_5xx() {
    use ex10_should_retry::Verdict::{GiveUp, Retry};
    expect_verdicts(
        "every status from 500 to 599 retries, and nothing from 600",
        &[
            (529, Retry),
            (501, Retry),
            (507, Retry),
            (599, Retry),
            (499, GiveUp),
            (600, GiveUp),
            (999, GiveUp),
            (1000, GiveUp),
            (u16::MAX, GiveUp),
        ],
    );
}

#[test]
fn ch02_ex10_what_is_not_an_error_status_gives_up() {
    use ex10_should_retry::Verdict::GiveUp;
    expect_verdicts(
        "statuses that are not 4xx or 5xx give up, except 204",
        &[
            (0, GiveUp),
            (99, GiveUp),
            (100, GiveUp),
            (101, GiveUp),
            (201, GiveUp),
            (205, GiveUp),
            (206, GiveUp),
            (301, GiveUp),
            (304, GiveUp),
            (307, GiveUp),
        ],
    );
}

#[test]
fn ch02_ex10_matches_sse_client_on_every_status() {
    // Every u16, against `sse_client::retry::classify_status`; stops at the first difference.
    for status in 0..=u16::MAX {
        let want = reference_verdict(status);
        let got = verdict_caught(status);
        assert_eq!(
            got,
            Some(want),
            "status {status}: left = yours (None: it panicked), right = sse-client's verdict"
        );
    }
}

// ---------------------------------------------------------------- ex11: where a chunk may be decoded

/// The reference, written another way: decode from the front as the standard library does,
/// stepping over each invalid sequence it reports (`error_len() == Some(n)`), until it either
/// reaches the end (everything is decodable) or stops because the input ENDED inside a character
/// (`error_len() == None`): that character waits.
fn reference_decodable_prefix(buf: &[u8]) -> usize {
    let mut start = 0;
    while let Some(rest) = buf.get(start..) {
        match std::str::from_utf8(rest) {
            Ok(_) => return buf.len(),
            Err(error) => match error.error_len() {
                None => return start + error.valid_up_to(),
                Some(invalid) => start += error.valid_up_to() + invalid,
            },
        }
    }
    buf.len()
}

/// Yours, with a panic turned into `None`.
fn decodable_prefix_caught(buf: &[u8]) -> Option<usize> {
    std::panic::catch_unwind(|| ex11_decodable_prefix::decodable_prefix(buf)).ok()
}

/// Checks each `(bytes, expected)` case, naming the rule in `rule`.
fn expect_prefixes(rule: &str, cases: &[(&[u8], usize)]) {
    for &(buf, want) in cases {
        assert_eq!(
            reference_decodable_prefix(buf),
            want,
            "test table disagrees with the reference on {buf:02X?}"
        );
        let got = decodable_prefix_caught(buf);
        assert_eq!(
            got,
            Some(want),
            "{rule}: the bytes {buf:02X?} ({:?}): left = yours (None: it panicked), right = how \
             many bytes may be decoded now",
            String::from_utf8_lossy(buf)
        );
    }
}

#[test]
fn ch02_ex11_whole_text_is_all_decodable() {
    expect_prefixes(
        "text whose last character is complete is decoded whole",
        &[
            (b"", 0),
            (b"data: hi", 8),
            ("\u{e9}".as_bytes(), 2),
            ("gr\u{fc}\u{df}e".as_bytes(), 7),
            ("gr\u{fc}\u{df}".as_bytes(), 6),
            ("\u{20ac}".as_bytes(), 3),
            ("5 \u{20ac}".as_bytes(), 5),
            ("\u{1f600}".as_bytes(), 4),
            ("a\u{1f980}".as_bytes(), 5),
            ("\u{e9}\u{20ac}\u{1f600}".as_bytes(), 9),
        ],
    );
}

#[test]
fn ch02_ex11_an_unfinished_character_waits() {
    let euro = "a\u{20ac}".as_bytes(); // 61 E2 82 AC
    let smile = "\u{1f600}".as_bytes(); // F0 9F 98 80
    let text = "gr\u{fc}\u{df}e\u{1f980}".as_bytes();
    expect_prefixes(
        "the 1 to 3 bytes that begin an unfinished character wait for the next chunk",
        &[
            (&"\u{e9}".as_bytes()[..1], 0),
            (&"x\u{e9}".as_bytes()[..2], 1),
            (&euro[..2], 1),
            (&euro[..3], 1),
            (&smile[..1], 0),
            (&smile[..2], 0),
            (&smile[..3], 0),
            (&text[..3], 2),
            (&text[..5], 4),
            (&text[..8], 7),
            (&text[..9], 7),
            (&text[..10], 7),
            (&[0xF4, 0x8F, 0xBF], 0),
            (&[0xED, 0x9F], 0),
        ],
    );
}

#[test]
fn ch02_ex11_invalid_bytes_are_not_held_back() {
    expect_prefixes(
        "invalid bytes, and a tail that can never become a character, are decoded now",
        &[
            (&[0xFF], 1),
            (&[b'a', 0x80], 2),
            (&[0x80, 0x80, 0x80], 3),
            (&[0xC3, b'a'], 2),
            (&[0xC0], 1),
            (&[0xF5], 1),
            (&[0xE0, 0x80], 2),
            (&[0xED, 0xA0], 2),
            (&[0xF4, 0x90], 2),
            (&[0xF0, 0x80, 0x80], 3),
            (&[0xFF, b'a', 0xC3], 2),
            (&[0xC3, 0xE2, 0x82], 1),
            (&[b'x', 0xFE, 0xF0, 0x9F, 0x98], 2),
        ],
    );
}

/// Characters of every UTF-8 length, to build valid text from.
fn utf8_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(
            &[
                'a',
                ' ',
                '\n',
                '\u{e9}',
                '\u{df}',
                '\u{20ac}',
                '\u{ffff}',
                '\u{1f600}',
                '\u{10ffff}',
            ][..],
        ),
        0..8,
    )
    .prop_map(String::from_iter)
}

proptest! {
    #![proptest_config(short_property_config())]

    /// Yours against the reference on any bytes at all; a failure is shrunk.
    #[test]
    fn ch02_ex11_matches_the_reference_on_any_bytes(
        buf in proptest::collection::vec(
            prop_oneof![
                any::<u8>(),
                proptest::sample::select(&[0x80u8, 0xBF, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4][..]),
            ],
            0..10,
        ),
    ) {
        let want = reference_decodable_prefix(&buf);
        prop_assert_eq!(
            decodable_prefix_caught(&buf),
            Some(want),
            "the bytes {:02X?}: left = yours (None: it panicked), right = how many bytes may be \
             decoded now",
            buf
        );
    }

    /// Valid text cut at every byte offset, as a network would cut it: the decodable prefix is
    /// exactly the last character boundary at or before the cut.
    #[test]
    fn ch02_ex11_valid_text_cut_at_every_offset(text in utf8_text()) {
        let bytes = text.as_bytes();
        for cut in 0..=bytes.len() {
            let want = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            prop_assert_eq!(
                decodable_prefix_caught(&bytes[..cut]),
                Some(want),
                "{:?} cut after {} bytes ({:02X?}): left = yours (None: it panicked), right = \
                 how many bytes may be decoded now",
                text,
                cut,
                &bytes[..cut]
            );
        }
    }
}

// ---------------------------------------------------------------- ex12: route an Anthropic event

/// Yours, with a panic turned into `None`.
fn route_caught(
    event: &str,
    data: &str,
) -> Option<Result<ex12_anthropic_route::Step, ex12_anthropic_route::BadEvent>> {
    std::panic::catch_unwind(|| ex12_anthropic_route::route(event, data)).ok()
}

/// Checks each `(event, data, expected)` case, naming the rule in `rule`.
fn expect_routes(
    rule: &str,
    cases: &[(
        &str,
        &str,
        Result<ex12_anthropic_route::Step, ex12_anthropic_route::BadEvent>,
    )],
) {
    for (event, data, want) in cases {
        assert_eq!(
            route_caught(event, data).as_ref(),
            Some(want),
            "{rule}: event: {event}, data: {data}: left = yours (None: it panicked), right = \
             what the client does"
        );
    }
}

fn text_step(text: &str) -> Result<ex12_anthropic_route::Step, ex12_anthropic_route::BadEvent> {
    Ok(ex12_anthropic_route::Step::Text(text.to_owned()))
}

fn tool_step(json: &str) -> Result<ex12_anthropic_route::Step, ex12_anthropic_route::BadEvent> {
    Ok(ex12_anthropic_route::Step::ToolJson(json.to_owned()))
}

fn bad_event(event: &str) -> Result<ex12_anthropic_route::Step, ex12_anthropic_route::BadEvent> {
    Err(ex12_anthropic_route::BadEvent {
        event: event.to_owned(),
    })
}

#[test]
fn ch02_ex12_the_events_of_a_message() {
    use ex12_anthropic_route::Step::{Done, Skip};
    // The example stream of the course material, with its padding and Python-style `ping`.
    let frames = sse_format::parse_all(include_bytes!(
        "../../crates/sse-ai/tests/data/anthropic_text.sse"
    ));
    let steps: Vec<_> = frames
        .into_iter()
        .filter_map(|frame| match frame {
            Ok(sse_format::Frame::Event(event)) => Some(event),
            _ => None,
        })
        .map(|event| route_caught(event.event_type(), event.data()))
        .collect();
    assert_eq!(steps.len(), 9, "the example stream has 9 events");
    assert_eq!(
        steps,
        vec![
            Some(Ok(Skip)),
            Some(Ok(Skip)),
            Some(Ok(Skip)),
            Some(text_step("Server")),
            Some(text_step("-sent events let servers push updates")),
            Some(text_step(" to clients over one HTTP response.")),
            Some(Ok(Skip)),
            Some(Ok(Skip)),
            Some(Ok(Done)),
        ],
        "the example stream, event by event: left = yours (None: it panicked), right = what the \
         client does"
    );
}

#[test]
fn ch02_ex12_text_and_tool_json_exactly_as_sent() {
    expect_routes(
        "a text_delta is answer text and an input_json_delta a tool fragment, unaltered",
        &[
            (
                "content_block_delta",
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#,
                text_step("Hi"),
            ),
            (
                "content_block_delta",
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" gr\u00fc\u00dfe \ud83e\udd80\n"}}   "#,
                text_step(" gr\u{fc}\u{df}e \u{1f980}\n"),
            ),
            (
                "content_block_delta",
                r#"{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":" "}}"#,
                text_step(" "),
            ),
            (
                "content_block_delta",
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":""}}"#,
                text_step(""),
            ),
            (
                "content_block_delta",
                r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"location\": \"San Fra"}}"#,
                tool_step("{\"location\": \"San Fra"),
            ),
            (
                "content_block_delta",
                r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"#,
                tool_step(""),
            ),
            (
                "content_block_delta",
                r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \"M\u00fcnchen\"}\t"}}"#,
                tool_step(" \"M\u{fc}nchen\"}\t"),
            ),
        ],
    );
}

#[test]
fn ch02_ex12_other_deltas_are_not_answer_text() {
    use ex12_anthropic_route::Step::Skip;
    expect_routes(
        "thinking, signatures, citations and delta types added later are skipped",
        &[
            (
                "content_block_delta",
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me think"}}"#,
                Ok(Skip),
            ),
            (
                "content_block_delta",
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAh"}}"#,
                Ok(Skip),
            ),
            (
                "content_block_delta",
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{"cited_text":"x"}}}"#,
                Ok(Skip),
            ),
            (
                "content_block_delta",
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"shiny_new_delta","text":"not for you"}}"#,
                Ok(Skip),
            ),
        ],
    );
}

#[test]
fn ch02_ex12_an_error_event_fails_the_stream() {
    use ex12_anthropic_route::Step::Failed;
    let failed = |kind: &str, message: &str| {
        Ok(Failed {
            kind: kind.to_owned(),
            message: message.to_owned(),
        })
    };
    expect_routes(
        "an error event after the 200 is a failure with its type and message",
        &[
            (
                "error",
                r#"{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}"#,
                failed("overloaded_error", "Overloaded"),
            ),
            (
                "error",
                r#"{"type":"error","error":{"type":"api_error","message":"Internal server error \u00e9"}}  "#,
                failed("api_error", "Internal server error \u{e9}"),
            ),
            (
                "error",
                r#"{"error":{"message":"","type":"rate_limit_error"},"request_id":"req_011"}"#,
                failed("rate_limit_error", ""),
            ),
            ("error", r#"{"type":"error"}"#, bad_event("error")),
            (
                "error",
                r#"{"type":"error","error":{"type":"overloaded_error"}}"#,
                bad_event("error"),
            ),
        ],
    );
}

#[test]
fn ch02_ex12_the_event_name_decides_unknown_names_are_skipped() {
    use ex12_anthropic_route::Step::{Done, Skip};
    expect_routes(
        "the event name decides; names not known today are skipped whatever their data",
        &[
            ("ping", r#"{"type": "ping"}"#, Ok(Skip)),
            ("message_stop", r#"{"type":"message_stop"    }"#, Ok(Done)),
            ("message_stop", "{}", Ok(Done)),
            (
                "message_start",
                r#"{"type":"message_start","message":{"id":"msg_1","content":[]}}"#,
                Ok(Skip),
            ),
            (
                "content_block_start",
                r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
                Ok(Skip),
            ),
            (
                "content_block_stop",
                r#"{"type":"content_block_stop","index":0 }"#,
                Ok(Skip),
            ),
            (
                "message_delta",
                r#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":17}}"#,
                Ok(Skip),
            ),
            ("future_event", r#"{"type":"future_event","x":1}"#, Ok(Skip)),
            ("message_citation", "not json at all", Ok(Skip)),
            ("usage_update", "", Ok(Skip)),
            ("message", r#"{"type":"message_stop"}"#, Ok(Skip)),
            ("ping", r#"{"type":"message_stop"}"#, Ok(Skip)),
            (
                "content_block_delta",
                r#"{"index":0,"delta":{"type":"text_delta","text":"no type field"}}"#,
                text_step("no type field"),
            ),
            (
                "content_block_delta",
                r#"{"type":"ping","index":0,"delta":{"type":"text_delta","text":"the name wins"}}"#,
                text_step("the name wins"),
            ),
        ],
    );
}

#[test]
fn ch02_ex12_bad_data_is_an_error_not_a_panic() {
    expect_routes(
        "data that is not the JSON its event name promises is a BadEvent",
        &[
            ("content_block_delta", "", bad_event("content_block_delta")),
            (
                "content_block_delta",
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_del"#,
                bad_event("content_block_delta"),
            ),
            (
                "content_block_delta",
                "[1, 2]",
                bad_event("content_block_delta"),
            ),
            (
                "content_block_delta",
                r#"{"index":0}"#,
                bad_event("content_block_delta"),
            ),
            (
                "content_block_delta",
                r#"{"delta":"text"}"#,
                bad_event("content_block_delta"),
            ),
            (
                "content_block_delta",
                r#"{"delta":{"text":"no type"}}"#,
                bad_event("content_block_delta"),
            ),
            (
                "content_block_delta",
                r#"{"delta":{"type":"text_delta"}}"#,
                bad_event("content_block_delta"),
            ),
            (
                "content_block_delta",
                r#"{"delta":{"type":"text_delta","text":7}}"#,
                bad_event("content_block_delta"),
            ),
            (
                "content_block_delta",
                r#"{"delta":{"type":"input_json_delta","partial_json":null}}"#,
                bad_event("content_block_delta"),
            ),
            ("message_stop", "", bad_event("message_stop")),
            ("message_stop", "[DONE]", bad_event("message_stop")),
            ("ping", "\"ping\"", bad_event("ping")),
            ("message_delta", "{", bad_event("message_delta")),
            ("error", "Overloaded", bad_event("error")),
            (
                "error",
                r#"{"error":"overloaded_error"}"#,
                bad_event("error"),
            ),
        ],
    );
}

/// The reference, written another way (JSON pointers instead of matching objects).
fn reference_route(
    event: &str,
    data: &str,
) -> Result<ex12_anthropic_route::Step, ex12_anthropic_route::BadEvent> {
    use ex12_anthropic_route::{BadEvent, Step};
    const KNOWN: [&str; 8] = [
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
        "ping",
        "error",
    ];
    if !KNOWN.contains(&event) {
        return Ok(Step::Skip);
    }
    let bad = BadEvent {
        event: event.to_owned(),
    };
    let value: serde_json::Value = match serde_json::from_str(data) {
        Ok(value @ serde_json::Value::Object(_)) => value,
        _ => return Err(bad),
    };
    let text_at = |pointer: &str| value.pointer(pointer).and_then(|v| v.as_str());
    match event {
        "content_block_delta" => match text_at("/delta/type") {
            None => Err(bad),
            Some("text_delta") => text_at("/delta/text")
                .map(|t| Step::Text(t.to_owned()))
                .ok_or(bad),
            Some("input_json_delta") => text_at("/delta/partial_json")
                .map(|t| Step::ToolJson(t.to_owned()))
                .ok_or(bad),
            Some(_) => Ok(Step::Skip),
        },
        "message_stop" => Ok(Step::Done),
        "error" => match (text_at("/error/type"), text_at("/error/message")) {
            (Some(kind), Some(message)) => Ok(Step::Failed {
                kind: kind.to_owned(),
                message: message.to_owned(),
            }),
            _ => Err(bad),
        },
        _ => Ok(Step::Skip),
    }
}

/// A generated event: a name, known or not, and data of many shapes, well-formed or not.
fn generated_anthropic_event() -> impl Strategy<Value = (String, String)> {
    let name = proptest::sample::select(
        &[
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "error",
            "message_stop",
            "ping",
            "message_delta",
            "content_block_start",
            "thinking",
            "message",
            "",
        ][..],
    );
    let text = proptest::collection::vec(
        proptest::sample::select(&['a', ' ', '\n', '\t', '"', '{', '\u{e9}', '\u{1f980}'][..]),
        0..5,
    )
    .prop_map(String::from_iter);
    let delta_type = proptest::sample::select(
        &[
            "text_delta",
            "input_json_delta",
            "thinking_delta",
            "signature_delta",
        ][..],
    );
    let field = proptest::sample::select(&["text", "partial_json", "thinking", "message"][..]);
    let data = prop_oneof![
        4 => (delta_type, field, text.clone()).prop_map(|(kind, field, text)| {
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": kind, field: text}})
                .to_string()
        }),
        2 => (proptest::sample::select(&["overloaded_error", "api_error"][..]), text.clone(), any::<bool>())
            .prop_map(|(kind, message, whole)| {
                let error = if whole {
                    json!({"type": kind, "message": message})
                } else {
                    json!({"type": kind})
                };
                json!({"type": "error", "error": error}).to_string()
            }),
        1 => Just(r#"{"type": "ping"}"#.to_owned()),
        1 => Just(r#"{"type":"message_stop"   }"#.to_owned()),
        1 => text.prop_map(|text| format!("{{\"delta\":{{\"type\":\"text_delta\",\"text\":\"{text}")),
        1 => Just("[DONE]".to_owned()),
    ];
    (name.prop_map(str::to_owned), data)
}

proptest! {
    #![proptest_config(short_property_config())]

    /// Yours against the reference on generated events; a failure is shrunk.
    #[test]
    fn ch02_ex12_matches_the_reference_on_generated_events(
        (event, data) in generated_anthropic_event(),
    ) {
        let want = reference_route(&event, &data);
        prop_assert_eq!(
            route_caught(&event, &data),
            Some(want),
            "event: {}, data: {}: left = yours (None: it panicked), right = what the client does",
            event,
            data
        );
    }
}
