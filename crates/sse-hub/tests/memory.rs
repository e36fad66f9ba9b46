//! The in-memory hub: ids, resume, gaps, bounds.

use std::time::Duration;

use serde_json::{Value, json};
use sse_format::Event;
use sse_hub::{EventId, Hub, HubConfig, HubError, IdempotencyKey, Published};

fn hub(count: usize) -> Hub {
    Hub::new(
        HubConfig::default()
            .with_replay_count(count)
            .with_replay_age(Duration::from_secs(60))
            .with_subscriber_queue(4),
    )
}

fn data(replay: &[Published]) -> Vec<&str> {
    replay.iter().map(|p| &*p.data).collect()
}

async fn publish(hub: &Hub, channel: &str, data: &str) -> EventId {
    hub.publish(channel, Event::new().data(data)).await.unwrap()
}

fn gap_json(bytes: &[u8]) -> Value {
    let text = std::str::from_utf8(bytes).unwrap();
    let data = text
        .strip_prefix("event: replay-gap\ndata: ")
        .and_then(|t| t.strip_suffix("\n\n"))
        .unwrap_or_else(|| panic!("not a gap event: {text:?}"));
    serde_json::from_str(data).unwrap()
}

#[tokio::test]
async fn ids_increase_across_channels_and_the_bytes_carry_them() {
    let hub = hub(10);
    // (An id set by the publisher is refused: an_event_with_fields_the_hub_does_not_keep_...)
    let a1 = publish(&hub, "a", "x").await;
    let b1 = publish(&hub, "b", "z").await;
    let a2 = publish(&hub, "a", "y").await;
    assert!(a1 < b1 && b1 < a2, "one counter: {a1} {b1} {a2}");
    assert_eq!(a1.high, a2.high, "one epoch");
    let sub = hub.subscribe("a", Some("0")).await.unwrap();
    assert_eq!(data(&sub.replay), ["x", "y"]);
    assert_eq!(
        &sub.replay[1].bytes[..],
        format!("id: {a2}\ndata: y\n\n").as_bytes()
    );
}

#[tokio::test]
async fn resume_replays_exactly_what_was_missed_then_goes_live() {
    let hub = hub(10);
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(publish(&hub, "a", &n.to_string()).await);
    }
    let mut sub = hub.subscribe("a", Some(&ids[2].to_string())).await.unwrap();
    assert!(sub.gap.is_none());
    assert_eq!(data(&sub.replay), ["3", "4"]);
    let six = publish(&hub, "a", "5").await;
    assert_eq!(sub.live.recv().await.unwrap().id, six);
    let current = hub.subscribe("a", Some(&six.to_string())).await.unwrap();
    assert!(current.replay.is_empty() && current.gap.is_none());
}

#[tokio::test]
async fn a_new_subscriber_gets_the_head_as_an_id_only_block() {
    let hub = hub(10);
    // An empty channel has a head too: the first reconnect resumes from before its first event.
    let mut empty = hub.subscribe("fresh", None).await.unwrap();
    let prelude = empty.sse_prelude(None);
    assert_eq!(prelude, [format!("id: {}\n\n", empty.head).into_bytes()]);
    let first = publish(&hub, "fresh", "1").await;
    let resumed = hub
        .subscribe("fresh", Some(&empty.head.to_string()))
        .await
        .unwrap();
    assert!(resumed.gap.is_none(), "resuming from the head is no gap");
    assert_eq!(resumed.replay[0].id, first);

    let mut later = hub.subscribe("fresh", None).await.unwrap();
    assert_eq!(later.head, first);
    assert!(later.replay.is_empty(), "no id: live only");
    assert_eq!(
        later.sse_prelude(None),
        [format!("id: {first}\n\n").into_bytes()]
    );
    // A client at the head gets nothing before the live feed.
    let mut current = hub
        .subscribe("fresh", Some(&first.to_string()))
        .await
        .unwrap();
    assert!(current.sse_prelude(Some(&first.to_string())).is_empty());
}

#[tokio::test]
async fn an_id_from_before_a_restart_is_a_gap_never_a_silent_skip() {
    // The case: three events, restart, four more, resume with the third's id.
    let before = hub(10);
    let mut old = Vec::new();
    for n in 1..=3 {
        old.push(publish(&before, "feed", &n.to_string()).await);
    }
    drop(before);
    let after = hub(10);
    let mut new = Vec::new();
    for n in 4..=7 {
        new.push(publish(&after, "feed", &n.to_string()).await);
    }
    let mut sub = after
        .subscribe("feed", Some(&old[2].to_string()))
        .await
        .unwrap();
    let gap = sub.gap.clone().expect("a gap");
    assert_eq!(gap.first_available, Some(new[0]));
    assert_eq!(
        data(&sub.replay),
        ["4", "5", "6", "7"],
        "then everything kept"
    );
    let prelude = sub.sse_prelude(Some(&old[2].to_string()));
    assert_eq!(
        gap_json(&prelude[0]),
        json!({"last_event_id": old[2].to_string(), "first_available": new[0].to_string()})
    );
}

#[tokio::test]
async fn trimmed_events_are_reported_as_a_gap() {
    let hub = hub(3);
    let mut ids = Vec::new();
    for n in 1..=10 {
        ids.push(publish(&hub, "a", &n.to_string()).await);
    }
    let sub = hub.subscribe("a", Some(&ids[1].to_string())).await.unwrap();
    let gap = sub.gap.expect("a gap");
    assert_eq!(
        (gap.last_event_id.as_str(), gap.first_available),
        (ids[1].to_string().as_str(), Some(ids[7]))
    );
    assert_eq!(data(&sub.replay), ["8", "9", "10"]);
    // The last trimmed id itself is no gap: nothing after it is gone.
    let edge = hub.subscribe("a", Some(&ids[6].to_string())).await.unwrap();
    assert!(edge.gap.is_none());
    assert_eq!(data(&edge.replay), ["8", "9", "10"]);
}

#[tokio::test]
async fn malformed_and_unknown_ids_are_gaps_too() {
    let hub = hub(3);
    let one = publish(&hub, "a", "1").await;
    let future = EventId::new(one.high, one.low + 1000).to_string();
    for id in ["99", "abc", "", "1-2-3", future.as_str()] {
        let sub = hub.subscribe("a", Some(id)).await.unwrap();
        assert_eq!(sub.gap.unwrap().first_available, Some(one), "{id:?}");
        assert_eq!(data(&sub.replay), ["1"], "{id:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn old_events_age_out() {
    let hub = hub(100);
    publish(&hub, "a", "old").await;
    tokio::time::advance(Duration::from_secs(61)).await;
    let new = publish(&hub, "a", "new").await;
    let sub = hub.subscribe("a", Some("0")).await.unwrap();
    assert_eq!(sub.gap.map(|g| g.first_available), Some(Some(new)));
    assert_eq!(data(&sub.replay), ["new"]);
}

#[tokio::test]
async fn the_replay_is_bounded_in_bytes() {
    let hub = Hub::new(HubConfig::default().with_replay_bytes(10_000));
    let big = "x".repeat(2_000);
    for _ in 0..20 {
        hub.publish("big", Event::new().data(big.clone()))
            .await
            .unwrap();
    }
    let sub = hub.subscribe("big", Some("0")).await.unwrap();
    let kept: usize = sub.replay.iter().map(Published::size).sum();
    assert!(kept <= 10_000, "kept {kept} bytes");
    assert_eq!(
        sub.replay.len(),
        4,
        "each costs ~2 KB (the data shares the encoded bytes)"
    );
    assert!(sub.gap.is_some(), "the rest is reported as lost");
}

#[tokio::test]
async fn the_hub_wide_budget_drops_idle_channels_first() {
    let hub = Hub::new(HubConfig::default().with_total_replay_bytes(100_000));
    let _listener = hub.subscribe("watched", None).await.unwrap();
    let watched = hub
        .publish("watched", Event::new().data("keep me"))
        .await
        .unwrap();
    let payload = "y".repeat(1_000);
    for n in 0..500 {
        hub.publish(&format!("c{n}"), Event::new().data(payload.clone()))
            .await
            .unwrap();
    }
    // 500 channels of ~1 KB would be ~500 KB: the budget holds, the oldest idle ones went first.
    assert!(
        hub.channel_count() < 110,
        "{} channels",
        hub.channel_count()
    );
    let recent = hub.events_after("c499", None).await.unwrap();
    assert_eq!(recent.events.len(), 1, "the newest channel is kept");
    let old = hub.events_after("c0", None).await.unwrap();
    assert!(old.events.is_empty(), "the oldest idle channel was dropped");
    let sub = hub.subscribe("watched", Some("0")).await.unwrap();
    assert_eq!(
        sub.replay[0].id, watched,
        "a channel with a subscriber is kept"
    );
}

#[tokio::test]
async fn a_slow_subscriber_is_dropped_instead_of_blocking_others() {
    let hub = hub(100);
    let mut slow = hub.subscribe("a", None).await.unwrap().live;
    let mut fast = hub.subscribe("a", None).await.unwrap().live;
    for n in 0..10 {
        let id = publish(&hub, "a", &n.to_string()).await;
        assert_eq!(
            fast.recv().await.unwrap().id,
            id,
            "the fast one is never held back"
        );
    }
    assert_eq!(hub.subscriber_count("a"), 1);
    let mut got = Vec::new();
    while let Some(published) = slow.recv().await {
        got.push(published.data.to_string());
    }
    assert_eq!(got, ["0", "1", "2", "3"], "what was queued, then the end");
}

#[tokio::test(start_paused = true)]
async fn idle_channels_are_evicted_after_the_ttl() {
    let hub = Hub::new(HubConfig::default().with_channel_ttl(Duration::from_secs(60)));
    let gone = publish(&hub, "quiet", "1").await;
    let watched = hub.subscribe("watched", None).await.unwrap();
    publish(&hub, "busy", "1").await;
    tokio::time::advance(Duration::from_secs(40)).await;
    publish(&hub, "busy", "2").await;
    // (The hub's own sweeper runs as paused time advances; calling it here changes nothing.)
    hub.evict_idle();
    assert_eq!(hub.channel_count(), 3, "nothing is idle for 60 s yet");
    tokio::time::advance(Duration::from_secs(30)).await;
    hub.evict_idle();
    assert_eq!(
        hub.channel_count(),
        2,
        "only `quiet` goes: `busy` published 30 s ago, `watched` has a subscriber"
    );
    // Its history is gone, and a client coming back is told so.
    let back = hub
        .subscribe("quiet", Some(&gone.to_string()))
        .await
        .unwrap();
    assert!(back.gap.is_some() && back.replay.is_empty());
    drop((watched, back));
    tokio::time::advance(Duration::from_secs(61)).await;
    hub.evict_idle();
    assert_eq!(
        hub.channel_count(),
        0,
        "a subscriber that left frees its channel"
    );
}

#[tokio::test]
async fn the_channel_cap_refuses_new_channels_with_a_clear_error() {
    let hub = Hub::new(HubConfig::default().with_max_channels(3));
    for name in ["a", "b", "c"] {
        publish(&hub, name, "x").await;
    }
    let refused = hub.publish("d", Event::new().data("x")).await.unwrap_err();
    assert!(matches!(refused, HubError::TooManyChannels { max: 3, .. }));
    assert_eq!(refused.status(), 429);
    assert!(refused.retry_after().is_some());
    assert!(refused.to_string().contains("at most 3"), "{refused}");
    assert_eq!(hub.subscribe("e", None).await.unwrap_err().status(), 429);
    // Existing channels keep working; reading an unknown one creates nothing.
    publish(&hub, "a", "y").await;
    assert!(
        hub.events_after("zzz", None)
            .await
            .unwrap()
            .events
            .is_empty()
    );
    assert_eq!(hub.channel_count(), 3);
}

#[tokio::test]
async fn channel_names_are_validated() {
    let hub = hub(10);
    for name in ["", "a b", "../etc", "x".repeat(129).as_str(), "caf\u{e9}"] {
        let error = hub.publish(name, Event::new().data("x")).await.unwrap_err();
        assert_eq!(error.status(), 400, "{name:?}: {error}");
        assert_eq!(hub.subscribe(name, None).await.unwrap_err().status(), 400);
    }
    assert_eq!(hub.channel_count(), 0);
}

#[tokio::test]
async fn publishers_cannot_use_reserved_names_or_oversized_data() {
    let hub = hub(10);
    let error = hub
        .publish("a", Event::new().event("replay-gap").data("{}"))
        .await
        .unwrap_err();
    assert!(matches!(error, HubError::ReservedEvent(_)));
    assert_eq!(error.status(), 400);
    // The server's own `token-expired` tells clients to fetch a new token: reserved too, on the
    // hub itself, so that a publish task of one's own cannot send it either.
    let error = hub
        .publish("a", Event::new().event("token-expired").data("{}"))
        .await
        .unwrap_err();
    assert!(matches!(error, HubError::ReservedEvent(name) if name == "token-expired"));
    let huge = "x".repeat(HubConfig::default().max_event_bytes + 1);
    assert_eq!(
        hub.publish("a", Event::new().data(huge))
            .await
            .unwrap_err()
            .status(),
        413
    );
    let bad = hub
        .publish("a", Event::new().event("a\nb").data("x"))
        .await
        .unwrap_err();
    assert_eq!(bad.status(), 422);
    assert_eq!(hub.channel_count(), 0, "nothing was stored");
}

#[tokio::test]
async fn pollers_read_without_subscribing_and_see_the_gap() {
    let hub = hub(2);
    let mut ids = Vec::new();
    for n in 1..=4 {
        ids.push(publish(&hub, "p", &n.to_string()).await);
    }
    let all = hub.events_after("p", None).await.unwrap();
    assert!(
        all.gap.is_none(),
        "no cursor: everything kept, nothing missed"
    );
    assert_eq!(data(&all.events), ["3", "4"]);
    assert_eq!(all.head, ids[3]);
    let behind = hub
        .events_after("p", Some(&ids[0].to_string()))
        .await
        .unwrap();
    assert_eq!(behind.gap.unwrap().first_available, Some(ids[2]));
    let exact = hub
        .events_after("p", Some(&ids[2].to_string()))
        .await
        .unwrap();
    assert!(exact.gap.is_none());
    assert_eq!(data(&exact.events), ["4"]);
    assert_eq!(hub.subscriber_count("p"), 0, "no throwaway queue");
}

#[tokio::test]
async fn a_publish_retried_with_its_idempotency_key_is_stored_once() {
    let hub = hub(10);
    let mut subscription = hub.subscribe("orders", None).await.unwrap();
    let key = IdempotencyKey::new("order-42").unwrap();
    let other = IdempotencyKey::new("order-43").unwrap();
    let first = hub
        .publish_idempotent("orders", Event::new().data("42"), &key)
        .await
        .unwrap();
    assert!(!first.duplicate, "a new key publishes");
    for _ in 0..3 {
        let retry = hub
            .publish_idempotent("orders", Event::new().data("42"), &key)
            .await
            .unwrap();
        assert_eq!(
            (retry.id, retry.duplicate),
            (first.id, true),
            "a retry answers the first id"
        );
    }
    let next = hub
        .publish_idempotent("orders", Event::new().data("43"), &other)
        .await
        .unwrap();
    assert!(
        !next.duplicate && next.id > first.id,
        "another key publishes"
    );
    // The same key on another channel is another event.
    let elsewhere = hub
        .publish_idempotent("invoices", Event::new().data("42"), &key)
        .await
        .unwrap();
    assert!(!elsewhere.duplicate, "keys are per channel");
    let got: Vec<String> = [
        subscription.live.try_recv(),
        subscription.live.try_recv(),
        subscription.live.try_recv(),
    ]
    .into_iter()
    .map(|p| p.map_or_else(|| "<none>".to_owned(), |p| p.data.to_string()))
    .collect();
    assert_eq!(got, ["42", "43", "<none>"], "each event delivered once");
    let after = hub.events_after("orders", None).await.unwrap();
    assert_eq!(data(&after.events), ["42", "43"], "each event stored once");
}

#[tokio::test(start_paused = true)]
async fn idempotency_keys_are_bounded_in_count_and_time() {
    let hub = Hub::new(
        HubConfig::default()
            .with_idempotency_keys(2)
            .with_idempotency_ttl(Duration::from_secs(60)),
    );
    let key = |n: u32| IdempotencyKey::new(&format!("k{n}")).unwrap();
    let publish = async |n: u32| {
        hub.publish_idempotent("c", Event::new().data(n.to_string()), &key(n))
            .await
            .unwrap()
    };
    // A peer sending new keys only ever keeps the newest two.
    for n in 1..=1000 {
        assert!(!publish(n).await.duplicate);
    }
    assert!(
        publish(1000).await.duplicate,
        "the newest key is remembered"
    );
    assert!(publish(999).await.duplicate, "and the one before");
    assert!(
        !publish(998).await.duplicate,
        "past the count bound the oldest keys are forgotten"
    );
    tokio::time::advance(Duration::from_secs(61)).await;
    assert!(
        !publish(998).await.duplicate,
        "past the TTL a key is forgotten"
    );
}

#[tokio::test]
async fn a_bad_idempotency_key_is_refused_with_400() {
    for bad in ["", "a b", "tab\there", "é"] {
        let error = IdempotencyKey::new(bad).unwrap_err();
        assert_eq!(HubError::from(error).status(), 400, "key {bad:?}");
    }
    let long = "k".repeat(129);
    assert!(IdempotencyKey::new(&long).is_err());
    assert!(IdempotencyKey::new(&long[..128]).is_ok());
}

// The hub joins the fan-out before it reads the history, without a lock shared with the engine:
// an event published meanwhile is in the replay, or live, or both, and the queue drops the
// second copy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribing_while_publishing_loses_and_repeats_nothing() {
    let hub = Hub::new(
        HubConfig::default()
            .with_replay_count(10_000)
            .with_subscriber_queue(10_000),
    );
    let mut last = publish(&hub, "race", "0").await;
    let publisher = {
        let hub = hub.clone();
        tokio::spawn(async move {
            for n in 1..=2000 {
                publish(&hub, "race", &n.to_string()).await;
                if n % 20 == 0 {
                    tokio::task::yield_now().await;
                }
            }
        })
    };
    let mut seen = vec![0u32];
    while seen.last() != Some(&2000) {
        let mut sub = hub
            .subscribe("race", Some(&last.to_string()))
            .await
            .unwrap();
        assert!(sub.gap.is_none());
        for published in sub
            .replay
            .drain(..)
            .chain(std::iter::from_fn(|| sub.live.try_recv()))
        {
            seen.push(published.data.parse().unwrap());
            last = published.id;
        }
        tokio::task::yield_now().await;
    }
    publisher.await.unwrap();
    assert_eq!(
        seen,
        (0..=2000).collect::<Vec<u32>>(),
        "each event once, in order"
    );
}

#[tokio::test]
async fn an_event_with_fields_the_hub_does_not_keep_is_refused_not_dropped() {
    let hub = hub(10);
    for (event, field) in [
        (Event::new().id("7").data("x"), "id"),
        (
            Event::new().retry(Duration::from_secs(1)).data("x"),
            "retry",
        ),
        (Event::new().comment("note").data("x"), "comment"),
    ] {
        let error = hub.publish("news", event).await.unwrap_err();
        assert!(
            matches!(error, HubError::Unkept(f) if f == field),
            "{error}"
        );
        assert_eq!(error.status(), 400);
    }
    let mut subscription = hub.subscribe("news", None).await.unwrap();
    assert!(subscription.replay.is_empty(), "nothing was stored");
    hub.publish("news", Event::new().event("tick").data("kept"))
        .await
        .unwrap();
    let live = subscription.live.recv().await.unwrap();
    assert_eq!(&*live.data, "kept");
}
