//! Chapter 5 tests: `cargo test -p exercises --test ch05` (one exercise: add `ch05_ex02`).

use exercises::ch05::*;

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
    ];
    for (last, batch, bad) in cases {
        assert_eq!(
            forwarded_ids(last, &batch),
            Err(BadId(bad.to_owned())),
            "after {last:?}, from the batch {batch:?}: left = yours, right = expected"
        );
    }
}
