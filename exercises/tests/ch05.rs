//! Chapter 5 tests: `cargo test -p exercises --test ch05` (one exercise: add `ch05_ex02`).

use exercises::ch05::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRng, TestRunner};

/// Differential testing: runs `check` (yours against the reference behaviour written below) on
/// `example`, then on 256 generated inputs, the same ones on every run; on a failure, panics with
/// the smallest failing input proptest could shrink it to.
fn differential<S>(
    example: S::Value,
    strategy: S,
    check: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S: Strategy,
    S::Value: std::fmt::Debug + Clone,
{
    // One plain case first: an unfinished answer fails here, once, without a page of shrinking.
    if let Err(why) = check(example.clone()) {
        panic!("{why}\nthe input: {example:#?}");
    }
    let config = Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(config.rng_algorithm);
    let mut runner = TestRunner::new_with_rng(config, rng);
    match runner.run(&strategy, check) {
        Ok(()) => {}
        Err(TestError::Fail(why, input)) => {
            panic!("{why}\nthe smallest failing input found: {input:#?}")
        }
        Err(TestError::Abort(why)) => panic!("the property test gave up: {why}"),
    }
}

/// Numbers that sit where mistakes live: 0, digit-count changes (text order differs from
/// numeric order there), today's milliseconds, and the top of `u64`, which is often drawn.
fn a_number() -> impl Strategy<Value = u64> + Clone {
    prop_oneof![
        4 => prop::sample::select(vec![
            0,
            1,
            9,
            10,
            11,
            99,
            100,
            1_699_999_999_999,
            1_700_000_000_000,
            u64::MAX - 1,
        ]),
        2 => Just(u64::MAX),
        2 => 0..12u64,
        1 => any::<u64>(),
    ]
}

/// An id as the hub writes it, `<ms>-<seq>`, or a bare `<ms>`.
fn an_id_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (a_number(), a_number()).prop_map(|(ms, seq)| format!("{ms}-{seq}")),
        1 => a_number().prop_map(|ms| ms.to_string()),
    ]
}

/// Text that is not quite an id, as a header or a careless client may send it: an id with one
/// sign, space, dash, letter, non-ASCII digit or line ending slipped in; a jumble of such
/// characters and digits; decimal numbers around the size of `u64::MAX`. No part is written
/// with a leading zero, so that every valid id among them is written one way.
fn a_near_miss() -> impl Strategy<Value = String> {
    let slipped_in = prop::sample::select(vec!['+', ' ', '-', 'x', '\u{663}', '\r', '\n']);
    prop_oneof![
        // Where a mistake shows: in front of a part, at the end, or anywhere.
        2 => (an_id_text(), 0..4u8, any::<prop::sample::Index>(), slipped_in).prop_map(
            |(mut id, place, anywhere, c)| {
                let at = match place {
                    0 => 0,
                    1 => id.find('-').map_or(0, |dash| dash + 1),
                    2 => id.len(),
                    _ => anywhere.index(id.len() + 1),
                };
                id.insert(at, c);
                id
            }
        ),
        1 => "[1-9+ x\u{663}-]{0,8}",
        1 => "[1-9][0-9]{18,20}(-[1-9][0-9]{0,20})?",
    ]
}

/// The strict parse every exercise of the chapter shares: one or more ASCII digits, within `u64`.
fn reference_part(part: &str) -> Option<u64> {
    let digits = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| part.parse().ok()).flatten()
}

// ---------------------------------------------------------------- ex01: XRANGE start

use ex01_xrange_start::{MalformedId, xrange_start};

fn starts(ids: &[&str]) -> Vec<Result<Option<String>, MalformedId>> {
    ids.iter().map(|id| xrange_start(id)).collect()
}

#[test]
fn ch05_ex01_starts_at_the_next_sequence_number() {
    let ids = [
        "0-0",
        "5-0",
        "9-99",
        "1700000000000-41",
        "42-18446744073709551614",
    ];
    let want = [
        "0-1",
        "5-1",
        "9-100",
        "1700000000000-42",
        "42-18446744073709551615",
    ]
    .map(|s| Ok(Some(s.to_owned())));
    assert_eq!(
        starts(&ids),
        want,
        "first id after each of {ids:?}: left = yours, right = expected"
    );
}

#[test]
fn ch05_ex01_the_largest_sequence_number_carries_into_the_next_millisecond() {
    let max = u64::MAX;
    let ids = [
        format!("5-{max}"),
        format!("0-{max}"),
        format!("1700000000000-{max}"),
        format!("{max}-7"),
        format!("{max}-{max}"),
    ];
    let want = [
        Ok(Some("6-0".to_owned())),
        Ok(Some("1-0".to_owned())),
        Ok(Some("1700000000001-0".to_owned())),
        Ok(Some(format!("{max}-8"))),
        // Nothing can come after the largest id: an empty replay, not a panic.
        Ok(None),
    ];
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(
        starts(&ids),
        want,
        "first id after each of {ids:?}: left = yours, right = expected"
    );
}

#[test]
fn ch05_ex01_malformed_ids_are_errors_not_panics() {
    let ids = [
        "",
        "-",
        "5-",
        "-5",
        "5-0-1",
        "5--0",
        "a-0",
        "5-x",
        "0x5-0",
        " 5-0",
        "5-0 ",
        "+5-0",
        "5-+0",
        "-5-0",
        "5_0",
        "\u{663}-0",
        "\u{ff15}-0",
        "5-\u{663}",
        "\u{663}",
        "+5",
        " 5",
        "5\n",
        "5-0\r",
        "18446744073709551616",
        "18446744073709551616-0",
        "5-18446744073709551616",
        "99999999999999999999999-0",
    ];
    let want: Vec<_> = ids
        .iter()
        .map(|id| Err(MalformedId(id.to_string())))
        .collect();
    assert_eq!(
        starts(&ids),
        want,
        "each of {ids:?} is not an id the hub issues: left = yours, right = expected"
    );
}

#[test]
fn ch05_ex01_a_bare_millisecond_means_sequence_zero() {
    // Redis reads an incomplete start id `<ms>` as `<ms>-0`, and so does the contract.
    let max = u64::MAX;
    let ids = [
        "5".to_owned(),
        "0".to_owned(),
        "1700000000000".to_owned(),
        max.to_string(),
    ];
    let want = [
        "5-1".to_owned(),
        "0-1".to_owned(),
        "1700000000000-1".to_owned(),
        format!("{max}-1"),
    ]
    .map(|s| Ok(Some(s)));
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(
        starts(&ids),
        want,
        "a bare <ms> is <ms>-0; first id after each of {ids:?}: left = yours, right = expected"
    );
}

/// The reference behaviour of ch05::ex01, from the contract: `None` for a malformed id, else
/// the successor of `(ms, seq)` read as one 128-bit number, if there is one.
fn reference_start(id: &str) -> Option<Option<String>> {
    let (ms, seq) = id.split_once('-').unwrap_or((id, "0"));
    let (ms, seq) = (reference_part(ms)?, reference_part(seq)?);
    let next = ((u128::from(ms) << 64) | u128::from(seq)).checked_add(1);
    Some(next.map(|n| format!("{}-{}", n >> 64, n as u64)))
}

#[test]
fn ch05_ex01_agrees_with_the_contract_on_generated_ids() {
    let ids = prop_oneof![2 => an_id_text(), 1 => a_near_miss()];
    differential("1700000000000-41".to_owned(), ids, |id| {
        let expected = reference_start(&id).ok_or_else(|| MalformedId(id.clone()));
        prop_assert_eq!(
            xrange_start(&id),
            expected,
            "the first id after {:?}: left = yours, right = expected",
            id
        );
        Ok(())
    });
}

/// A `redis-server` started on a free loopback port with persistence off, stopped on drop.
struct RedisServer {
    child: std::process::Child,
    port: u16,
}

impl RedisServer {
    /// `None` (after one line naming the package) when `redis-server` or `redis-cli` is not
    /// installed and `CI` is unset; a panic when `CI` is set.
    fn start() -> Option<RedisServer> {
        let installed = ["redis-server", "redis-cli"].iter().all(|tool| {
            std::process::Command::new(tool)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
        if !installed {
            assert!(
                std::env::var_os("CI").is_none(),
                "redis-server/redis-cli not found and CI is set: install the Debian package redis-server"
            );
            println!("skipped: needs redis-server and redis-cli (Debian package redis-server)");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let child = std::process::Command::new("redis-server")
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start redis-server");
        let server = RedisServer { child, port };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while server.cli(&["PING"]) != ["PONG"] {
            assert!(
                std::time::Instant::now() < deadline,
                "redis-server did not answer PING within 10 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Some(server)
    }

    /// Runs one command through `redis-cli` and returns its output lines.
    fn cli(&self, args: &[&str]) -> Vec<String> {
        let output = std::process::Command::new("redis-cli")
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(args)
            .output()
            .expect("run redis-cli");
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn ch05_ex01_a_real_redis_replays_exactly_the_entries_after_the_id() {
    let max = u64::MAX;
    let stored = [
        "5-1".to_owned(),
        format!("5-{}", max - 1),
        format!("5-{max}"),
        "6-0".to_owned(),
        "6-1".to_owned(),
        "10-0".to_owned(),
    ];
    // Ask for the starts first, so that the test fails on an unsolved exercise even where it
    // skips the Redis part.
    let plans: Vec<(usize, Option<String>)> = (0..stored.len())
        .map(|n| {
            let start = xrange_start(&stored[n])
                .unwrap_or_else(|e| panic!("{:?} is a valid id, yours said {e:?}", stored[n]));
            (n, start)
        })
        .collect();
    let Some(redis) = RedisServer::start() else {
        return;
    };
    for id in &stored {
        assert_eq!(
            redis.cli(&["XADD", "ch05", id, "data", "x"]),
            [id.as_str()],
            "XADD with an explicit id"
        );
    }
    let mut got = Vec::new();
    let mut want = Vec::new();
    for (n, start) in plans {
        let replayed: Vec<String> = match &start {
            Some(start) => redis
                .cli(&["XRANGE", "ch05", start, "+"])
                .into_iter()
                // Lines are: id, field, value, id, ... (fields are `data`, values `x`).
                .filter(|line| line.contains('-'))
                .collect(),
            None => Vec::new(),
        };
        got.push((stored[n].clone(), replayed));
        want.push((stored[n].clone(), stored[n + 1..].to_vec()));
    }
    assert_eq!(
        got, want,
        "(Last-Event-ID, what XRANGE <your start> + returned) on a real Redis: \
         left = yours, right = expected"
    );
}

// ---------------------------------------------------------------- ex02: replay or gap

use ex02_replay_or_gap::{Decision, StreamId, StreamState, decide};

fn id(ms: u64, seq: u64) -> StreamId {
    StreamId { ms, seq }
}

fn decisions(clients: &[StreamId], stream: StreamState) -> Vec<Decision> {
    clients.iter().map(|c| decide(*c, stream)).collect()
}

#[test]
fn ch05_ex02_ids_inside_the_stream_replay_and_the_last_one_is_up_to_date() {
    let stream = StreamState {
        first_entry: Some(id(100, 5)),
        last_generated: id(105, 3),
    };
    let clients = [id(100, 5), id(100, 6), id(103, 0), id(105, 2), id(105, 3)];
    use Decision::*;
    assert_eq!(
        decisions(&clients, stream),
        [Replay, Replay, Replay, Replay, UpToDate],
        "clients {clients:?} on a stream {stream:?}: left = yours, right = expected"
    );
}

#[test]
fn ch05_ex02_ids_older_than_the_first_entry_are_gaps() {
    let stream = StreamState {
        first_entry: Some(id(100, 5)),
        last_generated: id(105, 3),
    };
    let clients = [id(100, 4), id(99, 9), id(1, 0), id(0, 0)];
    let gap = Decision::Gap {
        first_available: Some(id(100, 5)),
    };
    assert_eq!(
        decisions(&clients, stream),
        [gap; 4],
        "clients {clients:?} on a stream {stream:?}: left = yours, right = expected"
    );
}

#[test]
fn ch05_ex02_ids_newer_than_the_last_generated_are_from_another_stream() {
    // The stream was deleted and recreated (or Redis lost writes): these ids were issued by a
    // stream that no longer exists. Replaying "after" them would silently skip events.
    let stream = StreamState {
        first_entry: Some(id(100, 5)),
        last_generated: id(105, 3),
    };
    let clients = [id(105, 4), id(106, 0), id(200, 0), id(u64::MAX, u64::MAX)];
    let gap = Decision::Gap {
        first_available: Some(id(100, 5)),
    };
    assert_eq!(
        decisions(&clients, stream),
        [gap; 4],
        "clients {clients:?} on a stream {stream:?}: left = yours, right = expected"
    );
}

#[test]
fn ch05_ex02_empty_and_missing_streams() {
    use Decision::*;
    // Every entry trimmed or deleted: only the client that had the very last one missed nothing.
    let emptied = StreamState {
        first_entry: None,
        last_generated: id(50, 2),
    };
    let clients = [id(50, 2), id(50, 1), id(7, 0), id(50, 3), id(51, 0)];
    let gap = Gap {
        first_available: None,
    };
    assert_eq!(
        decisions(&clients, emptied),
        [UpToDate, gap, gap, gap, gap],
        "clients {clients:?} on an emptied stream {emptied:?}: left = yours, right = expected"
    );
    // No key at all (evicted, or Redis restarted without persistence): any real id is a gap.
    let missing = StreamState::default();
    let clients = [id(1, 0), id(0, 1), id(1_700_000_000_000, 0)];
    assert_eq!(
        decisions(&clients, missing),
        [gap; 3],
        "clients {clients:?} on a missing stream: left = yours, right = expected"
    );
}

#[test]
fn ch05_ex02_a_restart_in_memory_is_a_gap_never_a_silent_skip() {
    // In memory the hub's ids are `<boot epoch>-<seq>`. Before the restart (epoch 1000) the
    // client saw up to 1000-3; after it (epoch 2000) nothing or four events were published.
    use Decision::*;
    let client = id(1000, 3);
    let fresh = StreamState {
        first_entry: None,
        last_generated: id(2000, 0),
    };
    let four_later = StreamState {
        first_entry: Some(id(2000, 1)),
        last_generated: id(2000, 4),
    };
    // And the opposite mistake: the up-to-date client of the new epoch is not a gap.
    let head = id(2000, 0);
    let got = [
        decide(client, fresh),
        decide(client, four_later),
        decide(head, fresh),
        decide(head, four_later),
    ];
    let want = [
        Gap {
            first_available: None,
        },
        Gap {
            first_available: Some(id(2000, 1)),
        },
        UpToDate,
        Gap {
            first_available: Some(id(2000, 1)),
        },
    ];
    assert_eq!(
        got, want,
        "1000-3 and 2000-0 after a restart, on a fresh stream and after four publishes: \
         left = yours, right = expected"
    );
}

#[test]
fn ch05_ex02_ids_at_the_ends_of_the_range() {
    use Decision::*;
    let max = u64::MAX;
    let stream = StreamState {
        first_entry: Some(id(0, 1)),
        last_generated: id(max, max),
    };
    let clients = [id(max, max), id(max, max - 1), id(0, 1), id(0, 0)];
    let gap = Gap {
        first_available: Some(id(0, 1)),
    };
    assert_eq!(
        decisions(&clients, stream),
        [UpToDate, Replay, Replay, gap],
        "clients {clients:?} on a stream {stream:?}: left = yours, right = expected"
    );
}

/// The reference behaviour of ch05::ex02, from the contract: holding the last generated id is
/// up to date; an id inside the entries still there replays; anything else is a gap.
fn reference_decide(client: StreamId, stream: StreamState) -> Decision {
    let inside = stream
        .first_entry
        .is_some_and(|first| first <= client && client < stream.last_generated);
    if client == stream.last_generated {
        Decision::UpToDate
    } else if inside {
        Decision::Replay
    } else {
        Decision::Gap {
            first_available: stream.first_entry,
        }
    }
}

/// A stream Redis could report: entries from `first_entry` to `last_generated` (or none), and
/// nothing at all when nothing was ever added.
fn a_stream() -> impl Strategy<Value = StreamState> {
    let part = prop::sample::select(vec![0, 1, 2, 9, 10, u64::MAX - 1, u64::MAX]);
    let an_id = (part.clone(), part).prop_map(|(ms, seq)| id(ms, seq));
    (an_id.clone(), an_id, any::<bool>()).prop_map(|(a, b, holds_entries)| {
        let (first, last) = (a.min(b), a.max(b));
        let possible = holds_entries && first != StreamId::default();
        StreamState {
            first_entry: possible.then_some(first),
            last_generated: last,
        }
    })
}

#[test]
fn ch05_ex02_agrees_with_the_contract_on_generated_streams() {
    let part = prop::sample::select(vec![0, 1, 2, 3, 9, 10, u64::MAX - 1, u64::MAX]);
    let client = (part.clone(), part).prop_map(|(ms, seq)| id(ms, seq));
    let example = (
        id(1, 0),
        StreamState {
            first_entry: Some(id(0, 1)),
            last_generated: id(2, 0),
        },
    );
    differential(example, (client, a_stream()), |(client, stream)| {
        prop_assert_eq!(
            decide(client, stream),
            reference_decide(client, stream),
            "a client at {:?} on the stream {:?}: left = yours, right = expected",
            client,
            stream
        );
        Ok(())
    });
}

// ---------------------------------------------------------------- ex03: reader resume

use ex03_reader_resume::{BadId, Entry, to_forward};

fn entries(ids: &[&str]) -> Vec<Entry> {
    ids.iter()
        .map(|id| Entry {
            id: id.to_string(),
            data: format!("event {id}"),
        })
        .collect()
}

fn forwarded_ids(last: Option<&str>, batch: &[&str]) -> Result<Vec<String>, BadId> {
    let forwarded = to_forward(last, &entries(batch))?;
    // The data must travel with its id.
    for entry in &forwarded {
        assert_eq!(entry.data, format!("event {}", entry.id), "entry data kept");
    }
    Ok(forwarded.into_iter().map(|e| e.id).collect())
}

#[test]
fn ch05_ex03_the_boundary_entry_is_not_forwarded_twice() {
    let cases = [
        (
            Some("5-3"),
            vec!["5-2", "5-3", "5-4", "6-0"],
            vec!["5-4", "6-0"],
        ),
        (Some("5-3"), vec!["5-3"], vec![]),
        (Some("5-3"), vec!["5-1", "5-2"], vec![]),
        (Some("5-3"), vec!["5-4"], vec!["5-4"]),
        (None, vec!["5-1", "5-2"], vec!["5-1", "5-2"]),
        (None, vec![], vec![]),
    ];
    for (last, batch, want) in cases {
        assert_eq!(
            forwarded_ids(last, &batch),
            Ok(want.iter().map(|s| s.to_string()).collect()),
            "after {last:?}, from the batch {batch:?}: left = yours, right = expected"
        );
    }
}

#[test]
fn ch05_ex03_ids_compare_as_numbers_not_as_text() {
    let cases = [
        // "10-0" < "9-5" as text.
        (
            "9-5",
            vec!["9-4", "9-5", "9-6", "10-0", "10-1", "100-0"],
            vec!["9-6", "10-0", "10-1", "100-0"],
        ),
        // "5-10" < "5-9" as text.
        (
            "5-9",
            vec!["5-8", "5-9", "5-10", "5-11"],
            vec!["5-10", "5-11"],
        ),
        // The other way round: as text "9-0" > "10-0", so old entries would be forwarded again.
        ("10-0", vec!["9-0", "9-9", "10-0", "10-1"], vec!["10-1"]),
        (
            "1699999999999-0",
            vec!["1699999999999-0", "1700000000000-0"],
            vec!["1700000000000-0"],
        ),
        (
            "1700000000999-9",
            vec!["1700000000999-9", "1700000000999-10", "1700000001000-0"],
            vec!["1700000000999-10", "1700000001000-0"],
        ),
    ];
    for (last, batch, want) in cases {
        assert_eq!(
            forwarded_ids(Some(last), &batch),
            Ok(want.iter().map(|s| s.to_string()).collect()),
            "after {last:?}, from the batch {batch:?}: left = yours, right = expected"
        );
    }
}

#[test]
fn ch05_ex03_an_outage_at_any_point_delivers_each_event_once() {
    // The stream holds 30 entries whose ids cross digit-count boundaries. The reader forwards
    // them in order, Redis goes away after entry `cut`, and the reader re-reads from an earlier
    // point (`overlap` entries before the cut): subscribers must get all 30 exactly once.
    let ids: Vec<String> = (0..30u64)
        .map(|n| format!("{}-{}", 8 + n / 4, (n % 4) * 5))
        .collect();
    let all: Vec<&str> = ids.iter().map(String::as_str).collect();
    for cut in 0..all.len() {
        for overlap in [0, 1, 3, cut] {
            let overlap = overlap.min(cut);
            let mut delivered: Vec<String> = all[..cut].iter().map(|s| s.to_string()).collect();
            let last = cut.checked_sub(1).map(|n| all[n]);
            let batch = &all[cut - overlap..];
            delivered.extend(forwarded_ids(last, batch).expect("valid ids"));
            assert_eq!(
                delivered, all,
                "cut after {cut} entries, re-read from {overlap} before the cut: \
                 left = yours, right = expected"
            );
        }
    }
}

#[test]
fn ch05_ex03_malformed_ids_are_errors() {
    let cases = [
        (Some("5"), vec!["5-1"], "5"),
        (Some("x-1"), vec!["5-1"], "x-1"),
        (Some("5-1"), vec!["5-2", "5-y"], "5-y"),
        (
            None,
            vec!["5-1", "18446744073709551616-0"],
            "18446744073709551616-0",
        ),
        (
            None,
            vec!["5-1", "5-18446744073709551616"],
            "5-18446744073709551616",
        ),
        // Forwarded or not, a bad id stops the reader: here it sits before the boundary.
        (Some("5-3"), vec!["5-x", "5-4"], "5-x"),
        (Some("5-3"), vec!["5-2", "+5-4"], "+5-4"),
        (Some("5-3"), vec!["5-+4"], "5-+4"),
        (Some("+5-3"), vec!["5-4"], "+5-3"),
        (Some(""), vec!["5-4"], ""),
        (Some("5-3"), vec!["5-"], "5-"),
        (Some("5-3"), vec!["-4"], "-4"),
        (Some("5-3"), vec!["5-4-1"], "5-4-1"),
        (Some("5-3"), vec![" 5-4"], " 5-4"),
        (Some("5-3"), vec!["5-4 "], "5-4 "),
        (Some("5-3"), vec!["\u{663}-4"], "\u{663}-4"),
    ];
    for (last, batch, bad) in cases {
        assert_eq!(
            forwarded_ids(last, &batch),
            Err(BadId(bad.to_owned())),
            "after {last:?}, from the batch {batch:?}: left = yours, right = expected"
        );
    }
}

#[test]
fn ch05_ex03_ids_at_the_ends_of_the_range() {
    let max = u64::MAX;
    let (top, below_top, last_of_5) = (
        format!("{max}-{max}"),
        format!("{max}-{}", max - 1),
        format!("5-{max}"),
    );
    let cases = [
        (
            Some(top.as_str()),
            vec![below_top.as_str(), top.as_str()],
            vec![],
        ),
        (
            Some(below_top.as_str()),
            vec![below_top.as_str(), top.as_str()],
            vec![top.as_str()],
        ),
        (
            Some(last_of_5.as_str()),
            vec![last_of_5.as_str(), "6-0"],
            vec!["6-0"],
        ),
        (
            Some("0-0"),
            vec!["0-1", top.as_str()],
            vec!["0-1", top.as_str()],
        ),
        (None, vec!["0-1", top.as_str()], vec!["0-1", top.as_str()]),
    ];
    for (last, batch, want) in cases {
        assert_eq!(
            forwarded_ids(last, &batch),
            Ok(want.iter().map(|s| s.to_string()).collect()),
            "after {last:?}, from the batch {batch:?}: left = yours, right = expected"
        );
    }
}

/// The reference behaviour of ch05::ex03, from the contract: every id parsed strictly (a bad
/// one is the error), then the entries whose `(ms, seq)` is greater than the last forwarded.
fn reference_forward(last: Option<&str>, batch: &[Entry]) -> Result<Vec<Entry>, BadId> {
    let parse = |id: &str| {
        let parsed = id
            .split_once('-')
            .and_then(|(ms, seq)| Some((reference_part(ms)?, reference_part(seq)?)));
        parsed.ok_or_else(|| BadId(id.to_owned()))
    };
    let last = last.map(parse).transpose()?;
    let ids = batch
        .iter()
        .map(|entry| parse(&entry.id))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(batch
        .iter()
        .zip(ids)
        .filter(|(_, id)| last.is_none_or(|last| *id > last))
        .map(|(entry, _)| entry.clone())
        .collect())
}

/// One resume: the id forwarded last and the ids of the batch read back.
#[derive(Debug, Clone)]
struct Resume {
    last_forwarded: Option<String>,
    batch: Vec<String>,
}

/// Batches in ascending numeric order (so in a scrambled text order), a last forwarded id that
/// is often one of the batch, and sometimes one malformed id in place of any of them.
fn a_resume() -> impl Strategy<Value = Resume> {
    let an_id = (a_number(), a_number());
    let batch = prop::collection::btree_set(an_id.clone(), 0..8);
    // `None`: nothing forwarded yet; `Some(Some(id))`: any id; `Some(None)`: one of the batch.
    let last = prop_oneof![
        1 => Just(None),
        2 => an_id.prop_map(|id| Some(Some(id))),
        3 => Just(Some(None)),
    ];
    let malformed = a_near_miss().prop_filter("malformed", |text| {
        text.split_once('-')
            .and_then(|(ms, seq)| Some((reference_part(ms)?, reference_part(seq)?)))
            .is_none()
    });
    let bad = prop::option::weighted(0.3, (any::<prop::sample::Index>(), malformed));
    (batch, last, any::<prop::sample::Index>(), bad).prop_map(|(batch, last, pick, bad)| {
        let text = |(ms, seq): (u64, u64)| format!("{ms}-{seq}");
        let mut batch: Vec<String> = batch.into_iter().map(text).collect();
        let mut last_forwarded = match last {
            None => None,
            Some(Some(id)) => Some(text(id)),
            // One of the batch, when there is one.
            Some(None) => (!batch.is_empty()).then(|| batch[pick.index(batch.len())].clone()),
        };
        if let Some((slot, bad)) = bad {
            let slots = batch.len() + usize::from(last_forwarded.is_some());
            match slot.index(slots.max(1)) {
                n if n < batch.len() => batch[n] = bad,
                _ => last_forwarded = Some(bad),
            }
        }
        Resume {
            last_forwarded,
            batch,
        }
    })
}

#[test]
fn ch05_ex03_agrees_with_the_contract_on_generated_resumes() {
    let example = Resume {
        last_forwarded: Some("9-5".to_owned()),
        batch: vec!["9-5".to_owned(), "10-0".to_owned()],
    };
    differential(example, a_resume(), |resume| {
        let batch = entries(&resume.batch.iter().map(String::as_str).collect::<Vec<_>>());
        let last = resume.last_forwarded.as_deref();
        prop_assert_eq!(
            to_forward(last, &batch),
            reference_forward(last, &batch),
            "after {:?}, from the batch {:?}: left = yours, right = expected",
            last,
            resume.batch
        );
        Ok(())
    });
}

// ---------------------------------------------------------------- ex04: is it a stream id?

use ex04_stream_id::parse_stream_id;

fn parsed(ids: &[&str]) -> Vec<Option<(u64, u64)>> {
    ids.iter().map(|id| parse_stream_id(id)).collect()
}

#[test]
fn ch05_ex04_reads_both_numbers() {
    let max = u64::MAX;
    let ids = [
        "0-0".to_owned(),
        "5-17".to_owned(),
        "17-5".to_owned(),
        "1700000000000-41".to_owned(),
        "007-010".to_owned(),
        format!("{max}-0"),
        format!("0-{max}"),
        format!("{max}-{max}"),
    ];
    let want = [
        (0, 0),
        (5, 17),
        (17, 5),
        (1_700_000_000_000, 41),
        (7, 10),
        (max, 0),
        (0, max),
        (max, max),
    ]
    .map(Some);
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(
        parsed(&ids),
        want,
        "the (ms, seq) of each of {ids:?}: left = yours, right = expected"
    );
}

#[test]
fn ch05_ex04_a_bare_millisecond_means_sequence_zero() {
    // Redis reads an incomplete id `<ms>` as `<ms>-0`, and so does the hub's parser.
    let max = u64::MAX;
    let ids = [
        "5".to_owned(),
        "0".to_owned(),
        "1700000000000".to_owned(),
        max.to_string(),
    ];
    let want = [(5, 0), (0, 0), (1_700_000_000_000, 0), (max, 0)].map(Some);
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(
        parsed(&ids),
        want,
        "a bare <ms> is (ms, 0); each of {ids:?}: left = yours, right = expected"
    );
}

#[test]
fn ch05_ex04_text_that_is_not_an_id_is_none() {
    let ids = [
        "",
        "-",
        "5-",
        "-5",
        "5-0-1",
        "5--0",
        "1-2-3",
        "a-0",
        "5-x",
        "0x5-0",
        " 5-0",
        "5-0 ",
        "5 -0",
        "+5-0",
        "5-+0",
        "-5-0",
        "5_0",
        "5.0",
        "\u{663}-0",
        "\u{ff15}-0",
        "5-\u{663}",
        "\u{663}",
        "+5",
        " 5",
        "5\n",
        "5-0\r",
        "5-0\r\n",
    ];
    let want = vec![None; ids.len()];
    assert_eq!(
        parsed(&ids),
        want,
        "none of {ids:?} is a stream id: left = yours, right = expected (None for each)"
    );
}

#[test]
fn ch05_ex04_numbers_past_u64_max_are_none_not_a_panic() {
    let ids = [
        "18446744073709551616",
        "18446744073709551616-0",
        "0-18446744073709551616",
        "18446744073709551615-18446744073709551616",
        "99999999999999999999999-0",
        "5-99999999999999999999999",
    ];
    let want = vec![None; ids.len()];
    assert_eq!(
        parsed(&ids),
        want,
        "each of {ids:?} has a part past u64::MAX: left = yours, right = expected (None for each)"
    );
}

/// The reference behaviour of ch05::ex04, from the contract: split at the first `-` (none: a
/// bare `<ms>`, sequence 0), then the chapter's strict parse of each part.
fn reference_stream_id(id: &str) -> Option<(u64, u64)> {
    let (ms, seq) = id.split_once('-').unwrap_or((id, "0"));
    Some((reference_part(ms)?, reference_part(seq)?))
}

/// Decimal numbers within twenty of `u64::MAX`, on both sides of it.
fn near_u64_max() -> impl Strategy<Value = String> {
    (0u128..=40).prop_map(|d| (u128::from(u64::MAX) - 20 + d).to_string())
}

#[test]
fn ch05_ex04_agrees_with_the_contract_on_generated_ids() {
    let near_max_id = prop_oneof![
        (near_u64_max(), near_u64_max()).prop_map(|(ms, seq)| format!("{ms}-{seq}")),
        (near_u64_max(), a_number()).prop_map(|(ms, seq)| format!("{ms}-{seq}")),
        (a_number(), near_u64_max()).prop_map(|(ms, seq)| format!("{ms}-{seq}")),
        near_u64_max(),
    ];
    let ids = prop_oneof![2 => an_id_text(), 2 => a_near_miss(), 1 => near_max_id];
    differential("1700000000000-41".to_owned(), ids, |id| {
        prop_assert_eq!(
            parse_stream_id(&id),
            reference_stream_id(&id),
            "the (ms, seq) of {:?}: left = yours, right = expected",
            id
        );
        Ok(())
    });
}

// ---------------------------------------------------------------- ex05: which id is newer?

use ex05_newer_id::is_newer;

/// `is_newer(candidate, last)` for each pair, next to the pair, so a failure shows both.
fn newer(pairs: &[(&str, &str)]) -> Vec<(String, String, bool)> {
    pairs
        .iter()
        .map(|&(candidate, last)| (candidate.into(), last.into(), is_newer(candidate, last)))
        .collect()
}

/// The pairs with the expected answers, in the shape of `newer`.
fn expected(pairs: &[(&str, &str)], want: &[bool]) -> Vec<(String, String, bool)> {
    pairs
        .iter()
        .zip(want)
        .map(|(&(candidate, last), &want)| (candidate.into(), last.into(), want))
        .collect()
}

#[test]
fn ch05_ex05_orders_by_milliseconds_then_sequence() {
    let pairs = [
        ("1700000000001-0", "1700000000000-0"),
        ("1700000000000-0", "1700000000001-0"),
        ("1700000000000-1", "1700000000000-0"),
        ("1700000000000-0", "1700000000000-1"),
        ("6-0", "5-99"),
        ("5-99", "6-0"),
        ("0-1", "0-0"),
        ("0-0", "0-0"),
        ("5-3", "5-3"),
    ];
    let want = [true, false, true, false, true, false, true, false, false];
    assert_eq!(
        newer(&pairs),
        expected(&pairs, &want),
        "is the first id of each (candidate, last, answer) newer than the second? \
         left = yours, right = expected (an id is not newer than itself)"
    );
}

#[test]
fn ch05_ex05_the_sequence_breaks_a_tie_in_milliseconds() {
    let pairs = [
        ("5-1", "5-0"),
        ("5-0", "5-1"),
        ("5-2", "5-1"),
        ("5-1", "5-2"),
        ("1700000000000-41", "1700000000000-40"),
        ("1700000000000-40", "1700000000000-41"),
    ];
    let want = [true, false, true, false, true, false];
    assert_eq!(
        newer(&pairs),
        expected(&pairs, &want),
        "within one millisecond the sequence number decides; each (candidate, last, answer): \
         left = yours, right = expected"
    );
}

#[test]
fn ch05_ex05_ids_compare_as_numbers_not_as_text() {
    // As text, each of these pairs is in the other order.
    let pairs = [
        ("10-0", "9-0"),
        ("9-0", "10-0"),
        ("100-0", "99-99"),
        ("5-10", "5-9"),
        ("5-9", "5-10"),
        ("1-100", "1-99"),
        ("1-10", "1-9"),
        ("1-9", "1-10"),
        ("1-20", "1-3"),
        ("10000000000000-0", "9999999999999-5"),
    ];
    let want = [
        true, false, true, true, false, true, true, false, true, true,
    ];
    assert_eq!(
        newer(&pairs),
        expected(&pairs, &want),
        "ids are ordered by their numbers, not their text; each (candidate, last, answer): \
         left = yours, right = expected"
    );
}

#[test]
fn ch05_ex05_ids_at_the_ends_of_the_range() {
    let max = u64::MAX;
    let below = max - 1;
    let i64_max = i64::MAX as u64;
    let i64_past = i64_max + 1;
    let u32_past = u64::from(u32::MAX) + 1;
    // 2^53 + 1 is the first integer an `f64` cannot hold: it rounds to 2^53.
    let f64_exact = 1u64 << 53;
    let f64_past = f64_exact + 1;
    let texts = [
        (format!("{max}-0"), format!("{below}-0")),
        (format!("{below}-0"), format!("{max}-0")),
        (format!("0-{max}"), format!("0-{below}")),
        (format!("0-{below}"), format!("0-{max}")),
        (format!("{max}-{max}"), format!("{max}-{below}")),
        (format!("{max}-{max}"), format!("{max}-{max}")),
        (format!("{max}-0"), "0-0".to_owned()),
        ("0-0".to_owned(), format!("{max}-0")),
        ("1-0".to_owned(), format!("0-{max}")),
        (format!("{i64_past}-0"), format!("{i64_max}-0")),
        (format!("5-{i64_past}"), format!("5-{i64_max}")),
        (format!("{u32_past}-0"), format!("{}-0", u32::MAX)),
        (format!("5-{u32_past}"), format!("5-{}", u32::MAX)),
        (format!("{f64_past}-0"), format!("{f64_exact}-0")),
        (format!("5-{f64_past}"), format!("5-{f64_exact}")),
        (format!("{f64_exact}-0"), format!("{f64_past}-0")),
    ];
    let want = [
        true, false, true, false, true, false, true, false, true, true, true, true, true, true,
        true, false,
    ];
    let pairs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(c, l)| (c.as_str(), l.as_str()))
        .collect();
    assert_eq!(
        newer(&pairs),
        expected(&pairs, &want),
        "both parts range over the whole u64 (0, 2^32, 2^53 + 1, 2^63, u64::MAX); \
         each (candidate, last, answer): left = yours, right = expected"
    );
}

#[test]
fn ch05_ex05_text_that_is_not_an_id_is_never_newer() {
    let pairs = [
        ("", "5-0"),
        ("6-0", ""),
        ("6", "5-0"),
        ("6-", "5-0"),
        ("-6", "5-0"),
        ("6-0-1", "5-0"),
        ("x-0", "5-0"),
        ("6-x", "5-0"),
        ("6.0", "5-0"),
        ("18446744073709551616-0", "5-0"),
        ("6-18446744073709551616", "5-0"),
        ("6-0", "18446744073709551616-0"),
        ("99999999999999999999999-0", "0-0"),
        // `str::parse::<u64>` takes a leading `+`; an id's parts are digits only.
        ("+6-0", "5-0"),
        ("6-+1", "6-0"),
        ("6-0", "+5-0"),
        (" 6-0", "5-0"),
        ("6-0\n", "5-0"),
        ("\u{0666}-0", "5-0"),
    ];
    let want = [false; 19];
    assert_eq!(
        newer(&pairs),
        expected(&pairs, &want),
        "a pair with text that is not <ms>-<seq> within u64 is never newer (and never a panic); \
         each (candidate, last, answer): left = yours, right = expected"
    );
}

/// Numbers for ex05: the chapter's (0, 9/10, the top of `u64`) and the edges of the types a part
/// does not fit in: `u32`, `f64`'s exact integers (2^53), `i64`.
fn an_id_number() -> impl Strategy<Value = u64> + Clone {
    let f64_exact = 1u64 << 53;
    let edges = prop::sample::select(vec![
        u64::from(u32::MAX),
        u64::from(u32::MAX) + 1,
        f64_exact - 1,
        f64_exact,
        f64_exact + 1,
        f64_exact + 2,
        i64::MAX as u64,
        i64::MAX as u64 + 1,
    ]);
    prop_oneof![3 => a_number(), 1 => edges]
}

#[test]
fn ch05_ex05_agrees_with_the_contract_on_generated_ids() {
    // Near ids are where order mistakes show: the same ms, or ms one apart.
    let pair = (
        an_id_number(),
        an_id_number(),
        an_id_number(),
        an_id_number(),
        0..3u8,
    )
        .prop_map(|(ms, seq, other_ms, other_seq, shape)| {
            let other_ms = match shape {
                0 => ms,
                1 => ms.saturating_add(1),
                _ => other_ms,
            };
            ((ms, seq), (other_ms, other_seq))
        });
    let pairs = prop_oneof![pair.clone(), pair.prop_map(|(a, b)| (b, a))];
    let example = ((1_700_000_000_000, 10), (1_700_000_000_000, 9));
    differential(example, pairs, |((ms, seq), (last_ms, last_seq))| {
        let candidate = format!("{ms}-{seq}");
        let last = format!("{last_ms}-{last_seq}");
        // The reference: Redis's order is the order of the pairs of numbers.
        let want = (ms, seq) > (last_ms, last_seq);
        prop_assert_eq!(
            is_newer(&candidate, &last),
            want,
            "is {:?} newer than {:?}? left = yours, right = expected",
            candidate,
            last
        );
        Ok(())
    });
}

// ---------------------------------------------------------------- ex06: is it a channel name?

use ex06_channel_name::{MAX_CHANNEL_LEN, is_channel_name};

/// `is_channel_name` of each name, next to the name, so a failure shows which one.
fn judged(names: &[String]) -> Vec<(String, bool)> {
    names
        .iter()
        .map(|name| (name.clone(), is_channel_name(name)))
        .collect()
}

/// Each name with the same expected answer.
fn all(names: &[String], want: bool) -> Vec<(String, bool)> {
    names.iter().map(|name| (name.clone(), want)).collect()
}

fn owned(names: &[&str]) -> Vec<String> {
    names.iter().map(|&name| name.to_owned()).collect()
}

#[test]
fn ch05_ex06_letters_digits_and_four_marks_are_allowed() {
    let names = owned(&[
        "prices",
        "a",
        "Z",
        "0",
        "-",
        "_",
        ".",
        ":",
        "Prices.EUR:usd-2026_12",
        "sse:prices",
        "0123456789",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    ]);
    assert_eq!(
        judged(&names),
        all(&names, true),
        "each (name, answer): left = yours, right = expected (every one is a channel name)"
    );
}

#[test]
fn ch05_ex06_the_length_is_1_to_128_bytes() {
    assert_eq!(MAX_CHANNEL_LEN, 128, "the given limit changed");
    let allowed = vec![
        "n".to_owned(),
        "n".repeat(127),
        "n".repeat(128),
        "a:".repeat(64),
    ];
    let refused = vec![
        String::new(),
        "n".repeat(129),
        "a:".repeat(65),
        "n".repeat(1000),
    ];
    let mut names = allowed.clone();
    names.extend(refused.iter().cloned());
    let mut want = all(&allowed, true);
    want.extend(all(&refused, false));
    let lengths: Vec<usize> = names.iter().map(String::len).collect();
    assert_eq!(
        judged(&names),
        want,
        "names of {lengths:?} bytes, 1 to 128 allowed; each (name, answer): \
         left = yours, right = expected"
    );
}

#[test]
fn ch05_ex06_other_characters_are_refused() {
    let names = owned(&[
        " ",
        "a b",
        " prices",
        "prices ",
        "news/sports",
        "/",
        "prices*",
        "*",
        "a?b",
        "a#b",
        "a%20b",
        "a+b",
        "a,b",
        "a~b",
        "a@b",
        "a\"b",
        "a\\b",
        "prices\n",
        "prices\r\n",
        "a\tb",
        "a\0b",
        "a\u{7f}b",
    ]);
    assert_eq!(
        judged(&names),
        all(&names, false),
        "each (name, answer): left = yours, right = expected (none is a channel name: \
         only A-Z a-z 0-9 _ . : - are allowed)"
    );
}

#[test]
fn ch05_ex06_letters_and_digits_outside_ascii_are_refused() {
    let names = owned(&[
        "é",
        "café",
        "prices.€",
        "Жук",
        "\u{663}",
        "\u{ff11}",
        "ß",
        "日本",
        "\u{1c5}",
        "a\u{301}",
        "prices\u{a0}",
        "\u{1d7ce}",
    ]);
    assert_eq!(
        judged(&names),
        all(&names, false),
        "letters and digits of other scripts are not ASCII; each (name, answer): \
         left = yours, right = expected (none is a channel name)"
    );
}

/// The reference behaviour of ch05::ex06, from the contract.
fn reference_channel_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.:-".contains(c))
}

#[test]
fn ch05_ex06_agrees_with_the_contract_on_generated_names() {
    let slipped_in = prop::sample::select(vec![
        ' ', '/', '*', '+', '\n', '\0', 'é', '\u{663}', '\u{ff11}', 'Ж', '日',
    ]);
    let with_one_slipped_in = (
        "[A-Za-z0-9_.:-]{0,130}",
        any::<prop::sample::Index>(),
        slipped_in,
    )
        .prop_map(|(mut name, at, c)| {
            let mut at = at.index(name.len() + 1);
            while !name.is_char_boundary(at) {
                at -= 1;
            }
            name.insert(at, c);
            name
        });
    let names = prop_oneof![
        2 => "[A-Za-z0-9_.:-]{0,140}",
        2 => "[A-Za-z0-9_.:-]{125,131}",
        2 => with_one_slipped_in,
        1 => "\\PC{0,40}",
    ];
    differential("prices.EUR".to_owned(), names, |name| {
        prop_assert_eq!(
            is_channel_name(&name),
            reference_channel_name(&name),
            "may {:?} ({} bytes) name a channel? left = yours, right = expected",
            name,
            name.len()
        );
        Ok(())
    });
}

// ------------------------------------------------------------------ ex07: take a token
use ex07_token_bucket::{NANOS_PER_TOKEN, TokenBucket};
use std::time::Duration;

const MS: Duration = Duration::from_millis(1);

/// The answers of `take` at each of `times` (milliseconds since the start), in turn.
fn takes(bucket: &mut TokenBucket, times: &[u64]) -> Vec<Result<(), Duration>> {
    times
        .iter()
        .map(|&t| bucket.take(Duration::from_millis(t)))
        .collect()
}

#[test]
fn ch05_ex07_a_new_bucket_is_full_then_says_when_the_next_token_is_due() {
    let mut bucket = TokenBucket::new(10, 3, Duration::ZERO);
    assert_eq!(
        takes(&mut bucket, &[0, 0, 0, 0]),
        [Ok(()), Ok(()), Ok(()), Err(100 * MS)],
        "10 per second with a burst of 3, four takes at once: the burst, then a token due in 100 ms"
    );
}

#[test]
fn ch05_ex07_tokens_come_back_at_the_rate_fractions_included() {
    // 10 per second, a burst of 1: a take every 50 ms gets a token every other time. A bucket
    // that adds only whole tokens (or whole seconds) per call loses each half token.
    let mut bucket = TokenBucket::new(10, 1, Duration::ZERO);
    assert_eq!(
        takes(&mut bucket, &[0, 50, 100, 150, 200, 250, 300]),
        [
            Ok(()),
            Err(50 * MS),
            Ok(()),
            Err(50 * MS),
            Ok(()),
            Err(50 * MS),
            Ok(())
        ],
        "takes at 0, 50, 100, ... ms at 10 per second"
    );
}

#[test]
fn ch05_ex07_a_quiet_spell_refills_the_burst_and_no_more() {
    let mut bucket = TokenBucket::new(100, 5, Duration::ZERO);
    for _ in 0..5 {
        bucket.take(Duration::ZERO).unwrap();
    }
    // An hour later: 360,000 tokens' worth of time, but the bucket holds 5.
    let hour = Duration::from_secs(3600);
    let answers: Vec<_> = (0..7).map(|_| bucket.take(hour)).collect();
    assert_eq!(
        answers,
        [
            Ok(()),
            Ok(()),
            Ok(()),
            Ok(()),
            Ok(()),
            Err(10 * MS),
            Err(10 * MS)
        ],
        "seven takes after an hour of quiet, burst 5 at 100 per second"
    );
}

#[test]
fn ch05_ex07_the_wait_is_exact_and_rounded_up() {
    // 3 per second: a token every 333,333,333.3 ns. After 333,333,333 ns the bucket holds
    // 999,999,999 nano-tokens: one short, one nanosecond to go.
    let mut bucket = TokenBucket::new(3, 1, Duration::ZERO);
    let ns = Duration::from_nanos;
    assert_eq!(bucket.take(ns(0)), Ok(()));
    assert_eq!(bucket.take(ns(0)), Err(ns(333_333_334)), "the wait at 0 ns");
    assert_eq!(
        bucket.take(ns(333_333_333)),
        Err(ns(1)),
        "the wait at 333,333,333 ns"
    );
    assert_eq!(
        bucket.take(ns(333_333_334)),
        Ok(()),
        "the take at 333,333,334 ns"
    );
    assert_eq!(NANOS_PER_TOKEN, 1_000_000_000);
}

#[test]
fn ch05_ex07_a_clock_that_goes_back_adds_nothing_and_never_panics() {
    let ten = Duration::from_secs(10);
    let mut bucket = TokenBucket::new(1, 1, ten);
    assert_eq!(bucket.take(ten), Ok(()));
    // Earlier than the bucket has seen: no tokens come from the past, and no panic.
    assert_eq!(
        bucket.take(Duration::from_secs(3)),
        Err(Duration::from_secs(1)),
        "a take at 3 s after one at 10 s"
    );
    assert_eq!(bucket.take(ten + 999 * MS), Err(MS), "a take at 10.999 s");
    assert_eq!(bucket.take(ten + 1000 * MS), Ok(()), "a take at 11 s");
}

#[test]
fn ch05_ex07_zero_and_huge_rates_bursts_and_times_do_not_panic() {
    let mut slowest = TokenBucket::new(0, 0, Duration::ZERO);
    assert_eq!(
        takes(&mut slowest, &[0, 0, 1000]),
        [Ok(()), Err(Duration::from_secs(1)), Ok(())],
        "a rate and a burst of 0 count as 1"
    );
    let mut fastest = TokenBucket::new(u32::MAX, u32::MAX, Duration::ZERO);
    assert_eq!(fastest.take(Duration::MAX), Ok(()));
    assert_eq!(fastest.take(Duration::MAX), Ok(()));
    let mut one = TokenBucket::new(1, u32::MAX, Duration::MAX);
    assert_eq!(one.take(Duration::MAX), Ok(()));
    assert_eq!(
        one.take(Duration::ZERO),
        Ok(()),
        "a full bucket, even when time goes back"
    );
}

/// The reference behaviour of ch05::ex07, from the contract (nano-tokens, whole numbers).
struct ReferenceBucket {
    rate: u128,
    capacity: u128,
    nanos: u128,
    last: Duration,
}

impl ReferenceBucket {
    fn new(per_second: u32, burst: u32, now: Duration) -> Self {
        let capacity = u128::from(burst.max(1)) * 1_000_000_000;
        ReferenceBucket {
            rate: u128::from(per_second.max(1)),
            capacity,
            nanos: capacity,
            last: now,
        }
    }

    fn take(&mut self, now: Duration) -> Result<(), Duration> {
        if now >= self.last {
            let added = (now - self.last).as_nanos().saturating_mul(self.rate);
            self.nanos = (self.nanos.saturating_add(added)).min(self.capacity);
            self.last = now;
        }
        if self.nanos >= 1_000_000_000 {
            self.nanos -= 1_000_000_000;
            Ok(())
        } else {
            let missing = 1_000_000_000 - self.nanos;
            Err(Duration::from_nanos(missing.div_ceil(self.rate) as u64))
        }
    }
}

#[test]
fn ch05_ex07_agrees_with_the_contract_on_generated_takes() {
    // A rate, a burst, and takes at times that mostly move forward by up to a second (in
    // nanoseconds), sometimes stand still, sometimes go back.
    let rates = prop_oneof![4 => 0u32..=20, 1 => 1u32..=1_000_000, 1 => Just(u32::MAX)];
    let bursts = prop_oneof![4 => 0u32..=5, 1 => Just(u32::MAX)];
    let step = prop_oneof![
        4 => 0i64..=1_000_000_000,
        2 => Just(0i64),
        1 => -2_000_000_000i64..0,
    ];
    let case = (rates, bursts, prop::collection::vec(step, 1..40));
    differential(
        (10u32, 2u32, vec![0i64, 0, 0, 50_000_000]),
        case,
        |(rate, burst, steps)| {
            let start = Duration::from_secs(100);
            let mut yours = TokenBucket::new(rate, burst, start);
            let mut expected = ReferenceBucket::new(rate, burst, start);
            let mut now = start;
            for (i, step) in steps.iter().enumerate() {
                now = if *step >= 0 {
                    now + Duration::from_nanos(step.unsigned_abs())
                } else {
                    now.saturating_sub(Duration::from_nanos(step.unsigned_abs()))
                };
                let (got, want) = (yours.take(now), expected.take(now));
                prop_assert_eq!(
                    got,
                    want,
                    "take number {} at {:?} (rate {}, burst {}); left = yours, right = expected",
                    i + 1,
                    now - Duration::ZERO,
                    rate,
                    burst
                );
            }
            Ok(())
        },
    );
}

// ------------------------------------------------- ex08: may this token read the channel?
use ex08_channel_grant::grants;

/// `grants(pattern, channel)` for each pair, next to the pair, so a failure shows which one.
fn grant_table(pairs: &[(&str, &str)]) -> Vec<(String, Option<bool>)> {
    pairs
        .iter()
        .map(|(p, c)| (format!("{p} -> {c}"), grants(p, c)))
        .collect()
}

fn expect_all(pairs: &[(&str, &str)], answer: Option<bool>) -> Vec<(String, Option<bool>)> {
    pairs
        .iter()
        .map(|(p, c)| (format!("{p} -> {c}"), answer))
        .collect()
}

#[test]
fn ch05_ex08_a_name_grants_that_channel_only() {
    let yes = [
        ("news", "news"),
        ("user.42", "user.42"),
        ("a:b-c_d", "a:b-c_d"),
    ];
    let no = [
        ("news", "news2"),
        ("news", "news.eu"),
        ("news", "NEWS"),
        ("News", "news"),
        ("user.42", "user.420"),
    ];
    assert_eq!(grant_table(&yes), expect_all(&yes, Some(true)));
    assert_eq!(grant_table(&no), expect_all(&no, Some(false)));
}

#[test]
fn ch05_ex08_a_prefix_grants_what_is_below_its_separator_and_nothing_else() {
    let yes = [
        ("user.42.*", "user.42.inbox"),
        ("user.42.*", "user.42.inbox.urgent"),
        ("user.42.*", "user.42.x"),
        ("room:*", "room:7"),
        ("room:*", "room:7:chat"),
    ];
    let no = [
        ("user.42.*", "user.42"),
        ("user.42.*", "user.42."),
        ("user.42.*", "user.420"),
        ("user.42.*", "user.42x"),
        ("user.42.*", "USER.42.inbox"),
        ("room:*", "room"),
        ("room:*", "room.7"),
    ];
    assert_eq!(grant_table(&yes), expect_all(&yes, Some(true)));
    assert_eq!(grant_table(&no), expect_all(&no, Some(false)));
}

#[test]
fn ch05_ex08_a_lone_star_grants_every_channel() {
    let yes = [("*", "news"), ("*", "user.42.inbox"), ("*", "x")];
    assert_eq!(grant_table(&yes), expect_all(&yes, Some(true)));
}

#[test]
fn ch05_ex08_any_other_star_is_not_a_pattern() {
    // Each channel here is one the sloppy reading of the pattern would grant.
    let bad = [
        ("user.4*", "user.42"),
        ("user.42*", "user.42.inbox"),
        ("*.news", "eu.news"),
        ("a.*.b", "a.x.b"),
        ("user.**", "user.x"),
        ("**", "news"),
        ("*news", "news"),
        ("news*", "news"),
        ("user.*.*", "user.a.b"),
    ];
    assert_eq!(grant_table(&bad), expect_all(&bad, None));
}

#[test]
fn ch05_ex08_a_name_part_that_is_not_a_channel_name_is_not_a_pattern() {
    let long = "a".repeat(129);
    let long_prefix = format!("{}.*", "a".repeat(128));
    let bad = [
        ("", "news"),
        ("a b", "a b"),
        ("a/b", "a/b"),
        ("é", "é"),
        (" .*", " .x"),
        (long.as_str(), long.as_str()),
        (long_prefix.as_str(), "news"),
    ];
    assert_eq!(grant_table(&bad), expect_all(&bad, None));
}

#[test]
fn ch05_ex08_agrees_with_the_server_on_generated_patterns() {
    // The reference is the server's own parser (`sse_server::jwt::ChannelPattern`).
    let reference = |pattern: &str, channel: &str| {
        sse_server::jwt::ChannelPattern::parse(pattern)
            .ok()
            .map(|parsed| parsed.matches(channel))
    };
    let pattern = prop_oneof![
        3 => "[ab]{1,3}[.:]?[ab]{0,2}[.:]?\\*?",
        2 => "[ab.:*]{0,6}",
        1 => Just("*".to_owned()),
        1 => "[ab .é/]{0,4}\\*?",
    ];
    let channel = "[ab]{1,3}([.:][ab]{0,3}){0,2}";
    differential(
        ("a.*".to_owned(), "a.b".to_owned()),
        (pattern, channel),
        |(pattern, channel)| {
            prop_assert_eq!(
                grants(&pattern, &channel),
                reference(&pattern, &channel),
                "does {:?} grant {:?}? left = yours, right = expected",
                pattern,
                channel
            );
            Ok(())
        },
    );
}
