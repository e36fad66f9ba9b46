//! The Redis Streams storage against a real `redis-server` (Debian package `redis-server`),
//! started by each test on a free loopback port. Two hubs on one Redis are two nodes.
#![cfg(feature = "redis")]

use std::time::Duration;

use sse_format::Event;
use sse_hub::redis::RedisConfig;
use sse_hub::{EventId, Hub, HubConfig, HubError, IdempotencyKey};
use test_kit::redis::LocalRedis;

fn node(redis: &LocalRedis, config: HubConfig) -> Hub {
    let mut settings = RedisConfig::new(redis.url());
    settings.timeout = Duration::from_millis(300);
    settings.block = Duration::from_millis(500);
    Hub::redis(config, settings).unwrap()
}

async fn within<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), future)
        .await
        .expect("timed out")
}

async fn publish(hub: &Hub, channel: &str, data: &str) -> EventId {
    hub.publish(channel, Event::new().data(data)).await.unwrap()
}

/// A client as a browser behaves: it keeps the last id, and when its stream ends it subscribes
/// again (to any node) with that id. It records the data of every event, and the gap notices.
struct Client {
    channel: String,
    last_id: Option<String>,
    data: Vec<String>,
    gaps: usize,
}

impl Client {
    fn new(channel: &str) -> Self {
        Client {
            channel: channel.to_owned(),
            last_id: None,
            data: Vec::new(),
            gaps: 0,
        }
    }

    /// Subscribes on `hub` and reads until `until` data events were seen in all, or the stream
    /// ends (returns false then).
    async fn read(&mut self, hub: &Hub, until: usize) -> bool {
        let mut subscription = loop {
            match hub.subscribe(&self.channel, self.last_id.as_deref()).await {
                Ok(subscription) => break subscription,
                Err(HubError::Unavailable { .. }) => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Err(error) => panic!("{error}"),
            }
        };
        self.gaps += usize::from(subscription.gap.is_some());
        if self.last_id.is_none() || subscription.replay.is_empty() {
            self.last_id = Some(subscription.head.to_string());
        }
        for published in subscription.replay.drain(..) {
            self.last_id = Some(published.id.to_string());
            self.data.push(published.data.to_string());
        }
        while self.data.len() < until {
            match subscription.live.recv().await {
                Some(published) => {
                    self.last_id = Some(published.id.to_string());
                    self.data.push(published.data.to_string());
                }
                None => return false,
            }
        }
        true
    }
}

fn numbers(range: std::ops::RangeInclusive<u32>) -> Vec<String> {
    range.map(|n| n.to_string()).collect()
}

#[tokio::test]
async fn a_publish_on_node_a_reaches_subscribers_on_node_b_with_the_same_ids() {
    let Some(redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    let (a, b) = (
        node(&redis, HubConfig::default()),
        node(&redis, HubConfig::default()),
    );
    let mut on_b = within(b.subscribe("news", None)).await.unwrap();
    assert_eq!(on_b.head, EventId::ZERO, "a new stream");
    let mut ids = Vec::new();
    for n in 1..=3 {
        ids.push(publish(&a, "news", &n.to_string()).await);
    }
    for (n, id) in (1..=3).zip(&ids) {
        let got = within(on_b.live.recv()).await.unwrap();
        assert_eq!((got.id, &*got.data), (*id, n.to_string().as_str()));
        assert_eq!(
            &got.bytes[..],
            format!("id: {id}\ndata: {n}\n\n").as_bytes(),
            "encoded once per node, with the stream id"
        );
    }
    assert!(
        ids[0].high > 1_600_000_000_000,
        "a Redis stream id: {}",
        ids[0]
    );
}

#[tokio::test]
async fn a_client_cut_from_node_a_resumes_on_node_b_exactly() {
    let Some(redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    let (a, b) = (
        node(&redis, HubConfig::default()),
        node(&redis, HubConfig::default()),
    );
    let mut client = Client::new("feed");
    let reading = async {
        // Reads two on node A, then is cut.
        client.read(&a, 2).await;
    };
    let publishing = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        for n in 1..=2 {
            publish(&a, "feed", &n.to_string()).await;
        }
    };
    within(futures::future::join(reading, publishing)).await;
    for n in 3..=5 {
        publish(&a, "feed", &n.to_string()).await;
    }
    assert!(within(client.read(&b, 5)).await);
    publish(&b, "feed", "6").await;
    assert!(within(client.read(&b, 6)).await);
    assert_eq!(client.data, numbers(1..=6));
    assert_eq!(client.gaps, 0);
}

#[tokio::test]
async fn a_trimmed_stream_gives_a_gap_then_what_is_there() {
    let Some(redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    let hub = node(&redis, HubConfig::default());
    let mut ids = Vec::new();
    for n in 1..=10 {
        ids.push(publish(&hub, "t", &n.to_string()).await);
    }
    redis
        .command(&["XTRIM", "sse:t", "MAXLEN", "3"])
        .await
        .unwrap();
    let behind = hub.subscribe("t", Some(&ids[1].to_string())).await.unwrap();
    let gap = behind.gap.expect("a gap");
    assert_eq!(gap.first_available, Some(ids[7]));
    let data: Vec<&str> = behind.replay.iter().map(|p| &*p.data).collect();
    assert_eq!(data, ["8", "9", "10"]);
    // From the first kept id on, nothing is lost. (Redis does not say which id a trim removed
    // last, so an id older than the first entry is a gap, even the newest trimmed one.)
    let edge = hub.subscribe("t", Some(&ids[7].to_string())).await.unwrap();
    assert!(edge.gap.is_none());
    assert_eq!(edge.replay.len(), 2);
    // Malformed ids and ids from another stream incarnation are gaps too.
    for id in ["garbage", "1-0", "99999999999999-0"] {
        let sub = hub.subscribe("t", Some(id)).await.unwrap();
        assert!(sub.gap.is_some(), "{id}");
        assert_eq!(sub.replay.len(), 3, "{id}: then what is there");
    }
    // A stream deleted and recreated: the old ids mean nothing there.
    redis.command(&["DEL", "sse:t"]).await.unwrap();
    let fresh = publish(&hub, "t", "new").await;
    let sub = hub.subscribe("t", Some(&ids[9].to_string())).await.unwrap();
    assert_eq!(sub.gap.map(|g| g.first_available), Some(Some(fresh)));
}

#[tokio::test]
async fn the_replay_is_bounded_by_count_and_bytes_on_read() {
    let Some(redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    let hub = node(
        &redis,
        HubConfig::default()
            .with_replay_count(4)
            .with_replay_bytes(10_000),
    );
    for n in 1..=20 {
        publish(&hub, "c", &n.to_string()).await;
    }
    let sub = hub.subscribe("c", Some("0")).await.unwrap();
    let data: Vec<&str> = sub.replay.iter().map(|p| &*p.data).collect();
    assert_eq!(data, ["17", "18", "19", "20"], "the newest four");
    assert!(sub.gap.is_some(), "the rest is reported lost");
    let big = "x".repeat(3_000);
    for _ in 0..4 {
        hub.publish("b", Event::new().data(big.clone()))
            .await
            .unwrap();
    }
    let sub = hub.subscribe("b", Some("0")).await.unwrap();
    assert_eq!(
        sub.replay.len(),
        3,
        "four would be ~12 KB with their encoding"
    );
}

#[tokio::test]
async fn pollers_read_without_subscribing() {
    let Some(redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    let hub = node(&redis, HubConfig::default());
    let one = publish(&hub, "p", "1").await;
    publish(&hub, "p", "2").await;
    let other = node(&redis, HubConfig::default());
    let after = other
        .events_after("p", Some(&one.to_string()))
        .await
        .unwrap();
    assert!(after.gap.is_none());
    assert_eq!(after.events.len(), 1);
    assert_eq!(
        other.channel_count(),
        0,
        "reading created nothing on the node"
    );
    let unknown = other.events_after("nothing-here", None).await.unwrap();
    assert!(unknown.events.is_empty() && unknown.gap.is_none());
}

#[tokio::test]
async fn bounds_hold_on_redis_too() {
    let Some(redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    let hub = node(
        &redis,
        HubConfig::default()
            .with_max_channels(2)
            .with_channel_ttl(Duration::from_millis(300)),
    );
    publish(&hub, "a", "x").await;
    publish(&hub, "b", "x").await;
    let full = hub.publish("c", Event::new().data("x")).await.unwrap_err();
    assert_eq!(full.status(), 429);
    // The stream keys expire in Redis too.
    let ttl = redis.command(&["TTL", "sse:a"]).await.unwrap();
    assert!(matches!(ttl, redis::Value::Int(t) if t > 0), "{ttl:?}");
    tokio::time::sleep(Duration::from_millis(400)).await;
    hub.evict_idle();
    assert_eq!(
        hub.channel_count(),
        0,
        "idle channels are forgotten by the node"
    );
    publish(&hub, "c", "x").await;
    assert_eq!(
        hub.publish("a b", Event::new().data("x"))
            .await
            .unwrap_err()
            .status(),
        400
    );
}

#[tokio::test]
async fn redis_paused_mid_stream_loses_and_duplicates_nothing() {
    let Some(redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    let (a, b) = (
        node(&redis, HubConfig::default()),
        node(&redis, HubConfig::default()),
    );
    let mut subscription = within(b.subscribe("live", None)).await.unwrap();
    let mut expected = Vec::new();
    for n in 1..=3 {
        expected.push(publish(&a, "live", &n.to_string()).await);
    }
    redis
        .command(&["CLIENT", "PAUSE", "1500", "ALL"])
        .await
        .unwrap();
    let health = a.health().await;
    assert_eq!(
        health.reachable,
        Some(false),
        "a paused Redis does not answer"
    );
    let refused = a
        .publish("live", Event::new().data("lost?"))
        .await
        .unwrap_err();
    assert_eq!(refused.status(), 503);
    assert!(refused.retry_after().is_some());
    // After the pause, publishing works again and the open subscription carries on.
    let resumed = within(async {
        loop {
            match a.publish("live", Event::new().data("4")).await {
                Ok(id) => return id,
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    })
    .await;
    expected.push(resumed);
    expected.push(publish(&a, "live", "5").await);
    let mut got = Vec::new();
    while got.len() < 5 {
        let published = within(subscription.live.recv())
            .await
            .expect("the stream stayed open");
        got.push(published.id);
    }
    assert_eq!(
        got, expected,
        "each once, in order; the refused publish was never stored"
    );
    assert_eq!(a.health().await.reachable, Some(true));
}

#[tokio::test]
async fn redis_restarted_mid_stream_loses_and_duplicates_nothing() {
    let Some(mut redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    let (a, b) = (
        node(&redis, HubConfig::default()),
        node(&redis, HubConfig::default()),
    );
    let mut client = Client::new("r");
    let mut published = 0u32;
    let reader = async {
        // Reads on node B, resubscribing (on B) whenever its stream ends, until it has 6.
        while !client.read(&b, 6).await {}
    };
    let writer = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        for n in 1..=3 {
            publish(&a, "r", &n.to_string()).await;
            published = n;
        }
        redis.restart().await;
        // Publishing fails until the node reconnects; a failed publish stored nothing.
        while published < 6 {
            let n = published + 1;
            match a.publish("r", Event::new().data(n.to_string())).await {
                Ok(_) => published = n,
                Err(error) => {
                    assert_eq!(error.status(), 503, "{error}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    };
    within(futures::future::join(reader, writer)).await;
    assert_eq!(client.data, numbers(1..=6), "each once, in order");
}

/// The data of every entry of `sse:<channel>`, oldest first, read straight from Redis.
async fn stream_data(redis: &LocalRedis, channel: &str) -> Vec<(String, String)> {
    let key = format!("sse:{channel}");
    let reply = redis.command(&["XRANGE", &key, "-", "+"]).await.unwrap();
    let redis::Value::Array(entries) = reply else {
        panic!("XRANGE answers an array, got {reply:?}");
    };
    let text = |v: &redis::Value| match v {
        redis::Value::BulkString(b) => String::from_utf8(b.clone()).unwrap(),
        other => panic!("a bulk string, got {other:?}"),
    };
    entries
        .iter()
        .map(|entry| {
            let redis::Value::Array(parts) = entry else {
                panic!("an entry, got {entry:?}");
            };
            let redis::Value::Array(fields) = &parts[1] else {
                panic!("fields, got {:?}", parts[1]);
            };
            let data = fields
                .chunks(2)
                .find(|pair| text(&pair[0]) == "data")
                .map(|pair| text(&pair[1]))
                .expect("a data field");
            (text(&parts[0]), data)
        })
        .collect()
}

// The finding: a publish that timed out while Redis was paused was applied when the pause
// ended, so a publisher retrying after the 503 published the event twice.
#[tokio::test]
async fn publish_retried_after_a_paused_redis_is_not_duplicated() {
    let Some(redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    let (a, b) = (
        node(&redis, HubConfig::default()),
        node(&redis, HubConfig::default()),
    );
    let mut subscription = within(b.subscribe("orders", None)).await.unwrap();
    // A plain publish first: the connection is up, and the first keyed publish (the script's
    // first run on this Redis) is the one that meets the pause.
    let first = within(a.publish("orders", Event::new().data("41")))
        .await
        .unwrap();
    redis
        .command(&["CLIENT", "PAUSE", "1500", "ALL"])
        .await
        .unwrap();
    let key = IdempotencyKey::new("order-42").unwrap();
    let refused = within(a.publish_idempotent("orders", Event::new().data("42"), &key))
        .await
        .unwrap_err();
    assert_eq!(refused.status(), 503, "the paused Redis did not answer");
    // The publisher retries, as `Retry-After` says, with the same key, until Redis answers.
    let retry = within(async {
        loop {
            match a
                .publish_idempotent("orders", Event::new().data("42"), &key)
                .await
            {
                Ok(receipt) => return receipt,
                Err(HubError::Unavailable { .. }) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => panic!("{error}"),
            }
        }
    })
    .await;
    assert!(
        retry.duplicate,
        "the timed-out publish ran when the pause ended; the retry must recognise it"
    );
    let stored = stream_data(&redis, "orders").await;
    assert_eq!(
        stored,
        [
            (first.to_string(), "41".to_owned()),
            (retry.id.to_string(), "42".to_owned()),
        ],
        "one entry per key, and the retry answered the stored entry's id"
    );
    let end = within(a.publish("orders", Event::new().data("end")))
        .await
        .unwrap();
    let mut got = Vec::new();
    while got.last().is_none_or(|(id, _)| *id != end) {
        let published = within(subscription.live.recv())
            .await
            .expect("the stream stayed open");
        got.push((published.id, published.data.to_string()));
    }
    assert_eq!(
        got,
        [
            (first, "41".to_owned()),
            (retry.id, "42".to_owned()),
            (end, "end".to_owned()),
        ],
        "the subscriber on the other node gets each event exactly once"
    );
}

#[tokio::test]
async fn idempotency_keys_in_redis_are_per_channel_and_expire() {
    let Some(redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    let hub = node(
        &redis,
        HubConfig::default().with_idempotency_ttl(Duration::from_secs(1)),
    );
    let key = IdempotencyKey::new("y").unwrap();
    let publish = async |channel: &str| {
        within(hub.publish_idempotent(channel, Event::new().data(channel), &key))
            .await
            .unwrap()
    };
    let x = publish("x").await;
    assert!(!x.duplicate);
    assert_eq!(
        publish("x").await,
        sse_hub::Receipt {
            duplicate: true,
            ..x
        }
    );
    // A channel whose name looks like another channel's key is its own channel.
    assert!(!publish("idem:x:y").await.duplicate);
    assert!(!publish("x:y").await.duplicate);
    assert_eq!(stream_data(&redis, "x").await.len(), 1);
    let ttl = redis.command(&["TTL", "sse:idem/x/y"]).await.unwrap();
    assert_eq!(ttl, redis::Value::Int(1), "the key lives for the TTL");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert!(
        !publish("x").await.duplicate,
        "an expired key publishes again"
    );
    assert_eq!(stream_data(&redis, "x").await.len(), 2);
}

/// The calls Redis counted of each command (`INFO commandstats`), e.g. `xrevrange`.
async fn command_calls(redis: &LocalRedis, command: &str) -> u64 {
    let info = redis.command(&["INFO", "commandstats"]).await.unwrap();
    let text = match info {
        redis::Value::BulkString(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        redis::Value::VerbatimString { text, .. } => text,
        other => panic!("INFO answered {other:?}"),
    };
    let prefix = format!("cmdstat_{command}:calls=");
    text.lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .and_then(|rest| rest.split(',').next())
        .and_then(|calls| calls.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resume_storm_from_one_id_costs_a_few_redis_reads_and_loses_nothing() {
    let Some(redis) = LocalRedis::start_or_skip().await else {
        return;
    };
    // Node A held the subscribers and died; they all come back to node B at once, from the same
    // last id, while events keep being published.
    let (a, b) = (
        node(&redis, HubConfig::default()),
        node(&redis, HubConfig::default()),
    );
    let mut ids = Vec::new();
    for n in 1..=5 {
        ids.push(publish(&a, "storm", &n.to_string()).await);
    }
    let last_seen = ids[1].to_string(); // they had events 1 and 2
    let reads_before =
        command_calls(&redis, "xrevrange").await + command_calls(&redis, "xrange").await;
    let publisher = {
        let a = a.clone();
        tokio::spawn(async move {
            for n in 6..=25 {
                publish(&a, "storm", &n.to_string()).await;
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        })
    };
    let resumes: Vec<_> = (0..1000)
        .map(|_| {
            let (b, last_seen) = (b.clone(), last_seen.clone());
            tokio::spawn(async move {
                let mut subscription = b.subscribe("storm", Some(&last_seen)).await.unwrap();
                assert!(subscription.gap.is_none());
                // Replay then live: events 3 to 25, each once, in order.
                let mut data: Vec<String> = subscription
                    .replay
                    .iter()
                    .map(|p| p.data.to_string())
                    .collect();
                while data.len() < 23 {
                    let next =
                        tokio::time::timeout(Duration::from_secs(20), subscription.live.recv())
                            .await
                            .expect("the next event")
                            .expect("a live event");
                    data.push(next.data.to_string());
                }
                data
            })
        })
        .collect();
    let expected = numbers(3..=25);
    for resume in resumes {
        assert_eq!(within(resume).await.unwrap(), expected);
    }
    publisher.await.unwrap();
    let reads = command_calls(&redis, "xrevrange").await + command_calls(&redis, "xrange").await
        - reads_before;
    // One read per round trip while the storm lasts, not one per client (1,000 unmerged).
    assert!(reads <= 50, "{reads} history reads for 1,000 resumes");
}
