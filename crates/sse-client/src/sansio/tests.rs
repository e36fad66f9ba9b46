//! The core driven by scripted conversations: no sockets, a scripted clock.

use std::fmt::Write as _;

use proptest::prelude::*;

use super::*;

/// One step of a conversation, from the driver's side.
#[derive(Clone, Debug)]
enum In {
    /// The response head: status and headers.
    Response(u16, &'static [(&'static str, &'static str)]),
    /// A chunk of the body.
    Bytes(&'static [u8]),
    Eof,
    Error,
    /// The clock moves on by this many milliseconds, then `handle_timeout` runs.
    Advance(u64),
    /// The clock jumps to the core's next deadline, then `handle_timeout` runs.
    ToDeadline,
    /// The driver's refresher returned a token.
    Token,
    /// The driver's refresher failed.
    TokenError,
    Close,
}

use In::*;

const SSE: &[(&str, &str)] = &[("content-type", "text/event-stream")];

/// Runs `script` and returns the transcript of everything the core said, one line each, with
/// times in milliseconds since the start.
fn run(config: Config, script: &[In]) -> String {
    let start = Instant::now();
    let mut now = start;
    let mut core = Core::new(Config {
        jitter_seed: Some(1),
        ..config
    });
    let mut out = String::new();
    drain(&mut core, start, now, &mut out);
    for step in script {
        match step {
            Response(status, headers) => {
                let mut map = HeaderMap::new();
                for (name, value) in *headers {
                    map.append(
                        http::HeaderName::from_static(name),
                        HeaderValue::from_static(value),
                    );
                }
                core.handle_response(StatusCode::from_u16(*status).unwrap(), &map, now);
            }
            Bytes(bytes) => core.handle_bytes(bytes, now),
            Eof => core.handle_eof(now),
            Error => core.handle_error(now),
            Advance(ms) => {
                now += Duration::from_millis(*ms);
                core.handle_timeout(now);
            }
            ToDeadline => {
                if let Some(deadline) = core.poll_timeout() {
                    now = deadline;
                    core.handle_timeout(now);
                }
            }
            Token => core.handle_token(now),
            TokenError => core.handle_token_error(now),
            Close => core.close(),
        }
        drain(&mut core, start, now, &mut out);
    }
    out
}

fn drain(core: &mut Core, start: Instant, now: Instant, out: &mut String) {
    let at = now.duration_since(start).as_millis();
    while let Some(event) = core.poll_output() {
        match event {
            Output::Open => writeln!(out, "{at}: open"),
            Output::Message(m) => writeln!(
                out,
                "{at}: message {} {:?} id={:?}",
                m.event_type(),
                m.data(),
                m.last_event_id()
            ),
            Output::Parse(e) => writeln!(out, "{at}: parse error {e}"),
        }
        .unwrap();
    }
    while let Some(action) = core.poll_action(now) {
        match action {
            Action::Connect(headers) => {
                let id = headers
                    .get("last-event-id")
                    .map(|v| format!(" last-event-id={:?}", v.to_str().unwrap()))
                    .unwrap_or_default();
                writeln!(out, "{at}: connect{id}")
            }
            Action::Wait {
                delay,
                attempt,
                cause,
                until,
            } => {
                assert_eq!(until, now + delay, "waits are measured from now");
                writeln!(
                    out,
                    "{at}: wait {}ms attempt {attempt} ({cause:?})",
                    delay.as_millis()
                )
            }
            Action::RefreshToken => writeln!(out, "{at}: refresh token"),
            Action::Stop => writeln!(out, "{at}: stop"),
            Action::Fail(cause) => writeln!(out, "{at}: fail {cause:?}"),
        }
        .unwrap();
    }
}

/// No jitter, 1 s reconnection time, 8 s cap: delays are easy to read.
fn plain() -> Config {
    Config {
        reconnection_time: Duration::from_secs(1),
        backoff: Backoff {
            multiplier: 2.0,
            max_delay: Duration::from_secs(8),
            jitter: 0.0,
        },
        idle_timeout: Some(Duration::from_secs(5)),
        connect_timeout: Some(Duration::from_secs(2)),
        ..Config::default()
    }
}

/// [`plain`], with a driver that can fetch tokens.
fn refreshing() -> Config {
    Config {
        refresh_token: true,
        ..plain()
    }
}

/// The table: a name, a configuration, a script, and the transcript expected.
fn table() -> Vec<(&'static str, Config, Vec<In>, &'static str)> {
    vec![
        (
            "events then a clean end: reconnect after the reconnection time with the last id",
            plain(),
            vec![
                Response(200, SSE),
                Bytes(b"id: 1\ndata: a\n\n"),
                Advance(100),
                Eof,
                ToDeadline,
                Response(204, &[]),
            ],
            "0: connect\n0: open\n0: message message \"a\" id=\"1\"\n\
             100: wait 1000ms attempt 1 (EndOfStream { mid_event: false })\n\
             1100: connect last-event-id=\"1\"\n1100: stop\n",
        ),
        (
            "server errors back off exponentially up to the cap",
            plain(),
            vec![
                Response(500, &[]),
                ToDeadline,
                Response(502, &[]),
                ToDeadline,
                Response(503, &[]),
                ToDeadline,
                Response(504, &[]),
                ToDeadline,
                Response(529, &[]),
            ],
            "0: connect\n0: wait 1000ms attempt 1 (Status { status: 500, retry_after: None })\n\
             1000: connect\n1000: wait 2000ms attempt 2 (Status { status: 502, retry_after: None })\n\
             3000: connect\n3000: wait 4000ms attempt 3 (Status { status: 503, retry_after: None })\n\
             7000: connect\n7000: wait 8000ms attempt 4 (Status { status: 504, retry_after: None })\n\
             15000: connect\n15000: wait 8000ms attempt 5 (Status { status: 529, retry_after: None })\n",
        ),
        (
            "Retry-After in seconds and retry-after-ms are floors",
            plain(),
            vec![
                Response(503, &[("retry-after", "30")]),
                ToDeadline,
                Response(429, &[("retry-after-ms", "1500"), ("retry-after", "99")]),
            ],
            "0: connect\n0: wait 30000ms attempt 1 (Status { status: 503, retry_after: Some(30s) })\n\
             30000: connect\n30000: wait 2000ms attempt 2 (Status { status: 429, retry_after: Some(1.5s) })\n",
        ),
        (
            "Retry-After as an HTTP date, against the response's Date",
            plain(),
            vec![Response(
                503,
                &[
                    ("retry-after", "Wed, 21 Oct 2015 07:28:45 GMT"),
                    ("date", "Wed, 21 Oct 2015 07:28:00 GMT"),
                ],
            )],
            "0: connect\n0: wait 45000ms attempt 1 (Status { status: 503, retry_after: Some(45s) })\n",
        ),
        (
            "a 401 without a token refresher fails at once, never retried",
            plain(),
            vec![Response(401, &[])],
            "0: connect\n0: fail Status { status: 401, retry_after: None }\n",
        ),
        (
            "a 401 with a refresher: one new token, reconnect at once, with the last id",
            refreshing(),
            vec![
                Response(200, SSE),
                Bytes(b"id: 7\ndata: a\n\n"),
                Eof,
                ToDeadline,
                Response(401, &[]),
                Token,
                Response(200, SSE),
            ],
            "0: connect\n0: open\n0: message message \"a\" id=\"7\"\n\
             0: wait 1000ms attempt 1 (EndOfStream { mid_event: false })\n\
             1000: connect last-event-id=\"7\"\n\
             1000: refresh token\n\
             1000: connect last-event-id=\"7\"\n1000: open\n",
        ),
        (
            "a 401 after a new token is final: no loop",
            refreshing(),
            vec![Response(401, &[]), Token, Response(401, &[])],
            "0: connect\n0: refresh token\n0: connect\n\
             0: fail Status { status: 401, retry_after: None }\n",
        ),
        (
            "a stream that opened between two 401s earns another refresh",
            refreshing(),
            vec![
                Response(401, &[]),
                Token,
                Response(200, SSE),
                Eof,
                ToDeadline,
                Response(401, &[]),
                Token,
                Response(403, &[]),
            ],
            "0: connect\n0: refresh token\n0: connect\n0: open\n\
             0: wait 1000ms attempt 1 (EndOfStream { mid_event: false })\n\
             1000: connect\n1000: refresh token\n1000: connect\n\
             1000: fail Status { status: 403, retry_after: None }\n",
        ),
        (
            "a refresher that fails ends the stream",
            refreshing(),
            vec![Response(401, &[]), TokenError],
            "0: connect\n0: refresh token\n0: fail TokenRefresh\n",
        ),
        (
            "token-expired without a refresher: stop, do not come back with the old token",
            plain(),
            vec![
                Response(200, SSE),
                Bytes(b"id: 3\ndata: a\n\nevent: token-expired\ndata: {}\n\n"),
                Eof,
            ],
            "0: connect\n0: open\n0: message message \"a\" id=\"3\"\n\
             0: message token-expired \"{}\" id=\"3\"\n0: fail TokenExpired\n",
        ),
        (
            "token-expired with a refresher: wait, fetch a token, resume after the last id",
            refreshing(),
            vec![
                Response(200, SSE),
                Bytes(b"id: 3\ndata: a\n\nevent: token-expired\ndata: {}\n\n"),
                Advance(500),
                Eof,
                ToDeadline,
                Token,
                Response(200, SSE),
            ],
            "0: connect\n0: open\n0: message message \"a\" id=\"3\"\n\
             0: message token-expired \"{}\" id=\"3\"\n\
             500: wait 1000ms attempt 1 (TokenExpired)\n\
             1500: refresh token\n1500: connect last-event-id=\"3\"\n1500: open\n",
        ),
        (
            "token-expired then a cut connection counts the same",
            refreshing(),
            vec![
                Response(200, SSE),
                Bytes(b"event: token-expired\ndata: {}\n\n"),
                Error,
            ],
            "0: connect\n0: open\n0: message token-expired \"{}\" id=\"\"\n\
             0: wait 1000ms attempt 1 (TokenExpired)\n",
        ),
        (
            "client errors, redirects left over and odd statuses fail at once",
            plain(),
            vec![Response(404, &[])],
            "0: connect\n0: fail Status { status: 404, retry_after: None }\n",
        ),
        (
            "a 200 that is not an event stream fails",
            plain(),
            vec![Response(200, &[("content-type", "application/json")])],
            "0: connect\n0: fail ContentType { found: Some(\"application/json\") }\n",
        ),
        (
            "a 200 without a content type fails",
            plain(),
            vec![Response(200, &[])],
            "0: connect\n0: fail ContentType { found: None }\n",
        ),
        (
            "content type in any case, with parameters",
            plain(),
            vec![Response(
                200,
                &[("content-type", "Text/Event-Stream; charset=utf-8")],
            )],
            "0: connect\n0: open\n",
        ),
        (
            "204 stops without an error",
            plain(),
            vec![Response(204, &[])],
            "0: connect\n0: stop\n",
        ),
        (
            "no response within the connect timeout",
            plain(),
            vec![Advance(1999), Advance(1)],
            "0: connect\n2000: wait 1000ms attempt 1 (ConnectTimeout(2s))\n",
        ),
        (
            "a refused connection is retried",
            plain(),
            vec![Error, ToDeadline],
            "0: connect\n0: wait 1000ms attempt 1 (Connect)\n1000: connect\n",
        ),
        (
            "a cut mid-event discards it and resumes after the last complete one",
            plain(),
            vec![
                Response(200, SSE),
                Bytes(b"id: 1\ndata: one\n\nid: 2\ndata: tw"),
                Error,
                ToDeadline,
            ],
            "0: connect\n0: open\n0: message message \"one\" id=\"1\"\n\
             0: wait 1000ms attempt 1 (Transport)\n1000: connect last-event-id=\"1\"\n",
        ),
        (
            "a clean end of a non-reconnecting stream (POST) is the end",
            Config {
                reconnect: false,
                ..plain()
            },
            vec![Response(200, SSE), Bytes(b"data: x\n\n"), Eof],
            "0: connect\n0: open\n0: message message \"x\" id=\"\"\n0: stop\n",
        ),
        (
            "a non-reconnecting stream cut mid-event fails",
            Config {
                reconnect: false,
                ..plain()
            },
            vec![Response(200, SSE), Bytes(b"data: x"), Eof],
            "0: connect\n0: open\n0: fail EndOfStream { mid_event: true }\n",
        ),
        (
            "max retries: the third failure gives up",
            Config {
                max_retries: Some(2),
                ..plain()
            },
            vec![
                Response(500, &[]),
                ToDeadline,
                Response(500, &[]),
                ToDeadline,
                Response(500, &[]),
            ],
            "0: connect\n0: wait 1000ms attempt 1 (Status { status: 500, retry_after: None })\n\
             1000: connect\n1000: wait 2000ms attempt 2 (Status { status: 500, retry_after: None })\n\
             3000: connect\n3000: fail RetriesExhausted { attempts: 3, last: Status { status: 500, retry_after: None } }\n",
        ),
        (
            "retry deadline: failures for longer than it give up",
            Config {
                retry_deadline: Some(Duration::from_secs(2)),
                ..plain()
            },
            vec![Error, ToDeadline, Error, ToDeadline, Error],
            "0: connect\n0: wait 1000ms attempt 1 (Connect)\n1000: connect\n\
             1000: wait 2000ms attempt 2 (Connect)\n3000: connect\n\
             3000: fail RetriesExhausted { attempts: 3, last: Connect }\n",
        ),
        (
            "retry: sets the reconnection time",
            plain(),
            vec![Response(200, SSE), Bytes(b"retry: 2500\n\n"), Eof],
            "0: connect\n0: open\n0: wait 2500ms attempt 1 (EndOfStream { mid_event: false })\n",
        ),
        (
            "close: nothing more",
            plain(),
            vec![
                Response(200, SSE),
                Close,
                Bytes(b"data: x\n\n"),
                Eof,
                Advance(10_000),
            ],
            "0: connect\n0: open\n",
        ),
        (
            "a parse error is reported and reading goes on",
            Config {
                limits: Limits::default().max_line_len(8),
                ..plain()
            },
            vec![
                Response(200, SSE),
                Bytes(b"data: 0123456789\n\ndata: ok\n\n"),
            ],
            "0: connect\n0: open\n\
             0: parse error line starting at byte 0 exceeds the 8-byte line limit; its event was discarded\n\
             0: message message \"ok\" id=\"\"\n",
        ),
    ]
}

#[test]
fn scripted_conversations() {
    for (name, config, script, want) in table() {
        let got = run(config, &script);
        assert_eq!(
            got, want,
            "{name}: left = the core's transcript, right = expected"
        );
    }
}

// ---- one regression test per finding of issue 10 -------------------------------------------

#[test]
fn keepalive_comment_resets_idle_deadline() {
    // `--idle-timeout 5` against a server that sends a comment every second: never idle.
    let mut script = vec![Response(200, SSE), Bytes(b"data: first\n\n")];
    for _ in 0..20 {
        script.push(Advance(1000));
        script.push(Bytes(b":\n\n"));
    }
    let got = run(plain(), &script);
    assert_eq!(
        got,
        "0: connect\n0: open\n0: message message \"first\" id=\"\"\n"
    );
    // And silence is still noticed: 5 s after the last comment.
    script.push(Advance(4999));
    script.push(Advance(1));
    let got = run(plain(), &script);
    assert!(
        got.ends_with("25000: wait 1000ms attempt 1 (IdleTimeout(5s))\n"),
        "{got}"
    );
}

#[test]
fn retry_after_ms_1e300_does_not_panic() {
    let got = run(plain(), &[Response(503, &[("retry-after-ms", "1e300")])]);
    assert_eq!(
        got,
        "0: connect\n0: wait 3600000ms attempt 1 (Status { status: 503, retry_after: Some(3600s) })\n"
    );
}

#[test]
fn retry_after_99999999999999999999_does_not_panic() {
    let got = run(
        plain(),
        &[Response(503, &[("retry-after", "99999999999999999999")])],
    );
    assert_eq!(
        got,
        "0: connect\n0: wait 3600000ms attempt 1 (Status { status: 503, retry_after: Some(3600s) })\n"
    );
}

#[test]
fn one_event_then_failure_does_not_reset_backoff() {
    // A server that sends one event and then fails, forever.
    let mut script = Vec::new();
    for _ in 0..5 {
        script.extend([Response(200, SSE), Bytes(b"data: x\n\n"), Error, ToDeadline]);
    }
    let got = run(plain(), &script);
    let delays: Vec<&str> = got
        .lines()
        .filter_map(|l| l.split(" wait ").nth(1))
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(delays, ["1000ms", "2000ms", "4000ms", "8000ms", "8000ms"]);
}

/// The delays of a transcript's waits, in order.
fn delays(transcript: &str) -> Vec<&str> {
    transcript
        .lines()
        .filter_map(|l| l.split(" wait ").nth(1))
        .map(|l| l.split(' ').next().unwrap())
        .collect()
}

#[test]
fn cuts_with_progress_reconnect_at_the_reconnection_time() {
    // Something between client and server cuts every connection after a few events; each one
    // delivered new ids, so none of them is a failed attempt.
    let mut script = Vec::new();
    for chunk in [
        &b"id: 1\ndata: a\n\nid: 2\ndata: b\n\n"[..],
        b"id: 3\ndata: c\n\n",
        b"id: 4\ndata: d\n\nid: 5\ndata: e\n\ndata: cut mid-ev",
        b"id: 6\ndata: f\n\n",
        b"id: 7\n\n",
    ] {
        script.extend([Response(200, SSE), Bytes(chunk), Error, ToDeadline]);
    }
    let got = run(plain(), &script);
    assert_eq!(delays(&got), ["1000ms"; 5], "{got}");
    assert!(got.contains("connect last-event-id=\"7\""), "{got}");
}

#[test]
fn cuts_with_progress_wait_the_servers_retry_with_jitter() {
    let config = Config {
        backoff: Backoff {
            jitter: 0.5,
            ..plain().backoff
        },
        ..plain()
    };
    let mut script = vec![Response(200, SSE), Bytes(b"retry: 20\n\n"), Eof, ToDeadline];
    for chunk in [
        &b"id: 1\ndata: a\n\n"[..],
        b"id: 2\ndata: b\n\n",
        b"id: 3\n\n",
    ] {
        script.extend([Response(200, SSE), Bytes(chunk), Eof, ToDeadline]);
    }
    let got = run(config, &script);
    // 20 ms is below the floor: 100 ms, plus up to half of it in jitter, never doubled.
    for delay in &delays(&got)[1..] {
        let ms: u64 = delay.trim_end_matches("ms").parse().unwrap();
        assert!((100..=150).contains(&ms), "{got}");
    }
}

#[test]
fn replaying_the_same_event_backs_off() {
    // A server that answers every resume with the event the client already has, then fails.
    let mut script = vec![
        Response(200, SSE),
        Bytes(b"id: 9\ndata: x\n\n"),
        Error,
        ToDeadline,
    ];
    for _ in 0..4 {
        script.extend([
            Response(200, SSE),
            Bytes(b"id: 9\ndata: x\n\n"),
            Error,
            ToDeadline,
        ]);
    }
    let got = run(plain(), &script);
    assert_eq!(
        delays(&got),
        ["1000ms", "2000ms", "4000ms", "8000ms", "8000ms"],
        "{got}"
    );
}

#[test]
fn an_id_reset_to_empty_is_not_progress() {
    let mut script = vec![
        Response(200, SSE),
        Bytes(b"id: 1\ndata: x\n\n"),
        Error,
        ToDeadline,
    ];
    for _ in 0..3 {
        script.extend([
            Response(200, SSE),
            Bytes(b"id\ndata: x\n\n"),
            Error,
            ToDeadline,
        ]);
    }
    let got = run(plain(), &script);
    assert_eq!(
        delays(&got),
        ["1000ms", "2000ms", "4000ms", "8000ms"],
        "{got}"
    );
}

#[test]
fn failures_after_progress_back_off_from_the_start_again() {
    let script = [
        Response(503, &[]),
        ToDeadline,
        Response(503, &[]),
        ToDeadline,
        Response(200, SSE),
        Bytes(b"id: 1\ndata: a\n\n"),
        Error,
        ToDeadline,
        Response(503, &[]),
        ToDeadline,
        Response(503, &[]),
    ];
    let got = run(plain(), &script);
    assert_eq!(
        delays(&got),
        ["1000ms", "2000ms", "1000ms", "2000ms", "4000ms"],
        "{got}"
    );
}

#[test]
fn backoff_resets_after_a_stable_connection() {
    let script = [
        Response(500, &[]),
        ToDeadline,
        Response(500, &[]),
        ToDeadline,
        Response(200, SSE),
        Advance(4000),
        Bytes(b":\n\n"),
        Advance(4000),
        Bytes(b":\n\n"),
        Advance(2000),
        Error,
    ];
    let got = run(plain(), &script);
    assert!(
        got.ends_with("13000: wait 1000ms attempt 1 (Transport)\n"),
        "up 10 s = plain().backoff_reset_after: {got}"
    );
}

#[test]
fn retry_deadline_is_not_reset_by_one_event() {
    let config = Config {
        retry_deadline: Some(Duration::from_secs(5)),
        ..plain()
    };
    let mut script = Vec::new();
    for _ in 0..4 {
        script.extend([Response(200, SSE), Bytes(b"data: x\n\n"), Eof, ToDeadline]);
    }
    let got = run(config, &script);
    assert!(got.contains("fail RetriesExhausted"), "{got}");
}

#[test]
fn retry_zero_has_a_floor() {
    let got = run(plain(), &[Response(200, SSE), Bytes(b"retry: 0\n\n"), Eof]);
    assert!(
        got.ends_with("0: wait 100ms attempt 1 (EndOfStream { mid_event: false })\n"),
        "{got}"
    );
}

#[test]
fn large_retry_field_does_not_override_the_cap() {
    let got = run(
        plain(),
        &[
            Response(200, SSE),
            Bytes(b"retry: 99999999999999999999999\n\n"),
            Eof,
        ],
    );
    assert!(
        got.ends_with("0: wait 8000ms attempt 1 (EndOfStream { mid_event: false })\n"),
        "{got}"
    );
}

#[test]
fn id_only_block_before_idle_timeout_is_kept() {
    let got = run(
        plain(),
        &[
            Response(200, SSE),
            Bytes(b"id: 1\ndata: a\n\nid: 2\n\n"),
            Advance(5000),
            ToDeadline,
        ],
    );
    assert!(
        got.ends_with(
            "5000: wait 1000ms attempt 1 (IdleTimeout(5s))\n6000: connect last-event-id=\"2\"\n"
        ),
        "{got}"
    );
}

#[test]
fn huge_timeouts_mean_never_not_a_panic() {
    let config = Config {
        idle_timeout: Some(Duration::MAX),
        connect_timeout: Some(Duration::MAX),
        retry_deadline: Some(Duration::MAX),
        ..plain()
    };
    let got = run(
        config,
        &[Response(200, SSE), Bytes(b":\n\n"), Advance(1_000_000)],
    );
    assert_eq!(got, "0: connect\n0: open\n");
}

#[test]
fn content_type_with_escape_sequences_is_made_printable() {
    let mut core = Core::new(plain());
    let now = Instant::now();
    let _ = core.poll_action(now);
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        // U+009B is CSI, the one-character form of ESC [ (HeaderValue refuses ESC itself).
        HeaderValue::from_bytes("text/html\u{9b}31m".as_bytes()).unwrap(),
    );
    core.handle_response(StatusCode::OK, &headers, now);
    match core.poll_action(now) {
        Some(Action::Fail(Cause::ContentType { found: Some(found) })) => {
            assert_eq!(found, "text/html\\u{9b}31m")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_driver_without_a_token_fetches_one_first() {
    let now = Instant::now();
    let mut core = Core::new(refreshing());
    core.fetch_token_first();
    assert_eq!(core.poll_action(now), Some(Action::RefreshToken));
    assert_eq!(core.poll_action(now), None, "nothing until the token comes");
    assert_eq!(core.ready_state(), ReadyState::Connecting);
    core.handle_token(now);
    assert!(matches!(core.poll_action(now), Some(Action::Connect(_))));
    // Without a refresher, asking is ignored.
    let mut plain_core = Core::new(plain());
    plain_core.fetch_token_first();
    assert!(matches!(
        plain_core.poll_action(now),
        Some(Action::Connect(_))
    ));
}

#[test]
fn poll_action_issues_one_connect_per_attempt() {
    // A driver that polls again while a request is in flight must not get a second Connect:
    // the request (a POST billed per call) goes out once.
    let mut core = Core::new(plain());
    let now = Instant::now();
    assert!(matches!(core.poll_action(now), Some(Action::Connect(_))));
    assert_eq!(core.poll_action(now), None);
    assert_eq!(core.poll_action(now + Duration::from_secs(1)), None);
}

// ---- properties ------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Step {
    Response(u16, Vec<(String, Vec<u8>)>),
    Bytes(Vec<u8>),
    Eof,
    Error,
    Advance(u64),
    Close,
}

fn step() -> impl Strategy<Value = Step> {
    let header_name = prop_oneof![
        Just("content-type".to_owned()),
        Just("retry-after".to_owned()),
        Just("retry-after-ms".to_owned()),
        Just("date".to_owned()),
        "[a-z-]{1,12}",
    ];
    let header_value = prop_oneof![
        Just(b"text/event-stream".to_vec()),
        "[0-9]{1,30}".prop_map(String::into_bytes),
        "[0-9.e+-]{1,12}".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..40),
    ];
    let sse_bytes = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..64),
        "(retry: [0-9]{0,25}\n|id: [a-z0-9]{0,3}\n|data: x\n|: \n|\n|event: e\n){1,6}"
            .prop_map(String::into_bytes),
    ];
    prop_oneof![
        (
            100u16..1000,
            proptest::collection::vec((header_name, header_value), 0..4)
        )
            .prop_map(|(s, h)| Step::Response(s, h)),
        sse_bytes.prop_map(Step::Bytes),
        Just(Step::Eof),
        Just(Step::Error),
        prop_oneof![0u64..10_000, any::<u64>()].prop_map(Step::Advance),
        Just(Step::Close),
    ]
}

fn any_config() -> impl Strategy<Value = Config> {
    let duration = prop_oneof![
        (0u64..100_000).prop_map(Duration::from_millis),
        Just(Duration::MAX),
        Just(Duration::ZERO),
    ];
    (
        any::<bool>(),
        duration.clone(),
        duration.clone(),
        (0.0f64..10.0, 0.0f64..2.0),
        proptest::option::of(0u32..5),
        proptest::option::of(duration.clone()),
        proptest::option::of(duration.clone()),
        duration,
    )
        .prop_map(
            |(reconnect, time, cap, (multiplier, jitter), max_retries, deadline, idle, reset)| {
                Config {
                    reconnect,
                    reconnection_time: time,
                    backoff: Backoff {
                        multiplier,
                        max_delay: cap,
                        jitter,
                    },
                    max_retries,
                    retry_deadline: deadline,
                    idle_timeout: idle,
                    connect_timeout: idle,
                    backoff_reset_after: reset,
                    refresh_token: reconnect ^ max_retries.is_some(),
                    ..Config::default()
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Whatever the server sends and however the clock moves: no panic, no delay above
    /// MAX_DELAY, no wait that ends before it starts, at most one Connect per attempt.
    #[test]
    fn any_conversation_is_safe(config in any_config(), steps in proptest::collection::vec(step(), 0..40)) {
        let mut now = Instant::now();
        let mut core = Core::new(config);
        let mut in_flight = false;
        let mut refreshes = 0u32;
        for step in steps {
            match step {
                Step::Response(status, headers) => {
                    let mut map = HeaderMap::new();
                    for (name, value) in headers {
                        if let (Ok(name), Ok(value)) = (http::HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_bytes(&value)) {
                            map.append(name, value);
                        }
                    }
                    core.handle_response(StatusCode::from_u16(status).unwrap(), &map, now);
                    // A response answers the request in flight, whatever the core makes of it
                    // (a 401 with a refresher leads to RefreshToken, not to a Wait).
                    in_flight = false;
                }
                Step::Bytes(bytes) => core.handle_bytes(&bytes, now),
                Step::Eof => core.handle_eof(now),
                Step::Error => core.handle_error(now),
                Step::Advance(ms) => {
                    if let Some(later) = now.checked_add(Duration::from_millis(ms)) {
                        now = later;
                    }
                    core.handle_timeout(now);
                }
                Step::Close => core.close(),
            }
            while core.poll_output().is_some() {}
            if let Some(deadline) = core.poll_timeout() {
                // A wait never lies beyond MAX_DELAY from now.
                if core.ready_state() == ReadyState::Connecting && !in_flight {
                    prop_assert!(deadline <= now + MAX_DELAY);
                }
            }
            while let Some(action) = core.poll_action(now) {
                match action {
                    Action::Connect(_) => {
                        prop_assert!(!in_flight, "a second Connect while one is in flight");
                        in_flight = true;
                    }
                    Action::Wait { delay, until, .. } => {
                        prop_assert!(delay <= MAX_DELAY, "{delay:?}");
                        prop_assert!(until >= now);
                        in_flight = false;
                    }
                    Action::RefreshToken => {
                        prop_assert!(!in_flight, "a token asked for while a request is in flight");
                        // Every third refresh fails.
                        refreshes += 1;
                        if !refreshes.is_multiple_of(3) {
                            core.handle_token(now);
                        } else {
                            core.handle_token_error(now);
                        }
                    }
                    Action::Stop | Action::Fail(_) => in_flight = false,
                }
            }
            if core.ready_state() != ReadyState::Connecting {
                in_flight = false;
            }
            if core.ready_state() == ReadyState::Open {
                in_flight = false;
            }
        }
    }
}
