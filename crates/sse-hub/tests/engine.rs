//! A third engine, written against the small `Storage` trait from outside the crate: one
//! unbounded log per channel under one lock. The engine only stores, reads and hands new entries
//! back; the hub brings the registry, the queues, the fan-out and the join rule.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use futures::FutureExt;
use futures::future::{BoxFuture, ready};
use sse_format::Event;
use sse_hub::resume::StreamState;
use sse_hub::{
    ChannelName, EventId, Feed, Handler, Health, History, Hub, HubConfig, HubError, IdempotencyKey,
    NewEvent, Published, Receipt, Storage,
};

#[derive(Default)]
struct Toy {
    state: Mutex<Logs>,
    handler: OnceLock<Handler>,
}

#[derive(Default)]
struct Logs {
    next: u64,
    logs: HashMap<ChannelName, Vec<Published>>,
    keys: HashMap<(ChannelName, IdempotencyKey), EventId>,
}

impl Toy {
    fn lock(&self) -> MutexGuard<'_, Logs> {
        self.state.lock().unwrap()
    }

    fn stream(&self, channel: &ChannelName) -> StreamState {
        let state = self.lock();
        let log = state.logs.get(channel).map_or(&[][..], Vec::as_slice);
        StreamState {
            origin: EventId::ZERO,
            first: log.first().map(|p| p.id),
            last: log.last().map_or(EventId::ZERO, |p| p.id),
            max_deleted: EventId::ZERO, // it never removes anything
        }
    }

    fn append_now(
        &self,
        channel: &ChannelName,
        event: &NewEvent,
        key: Option<IdempotencyKey>,
    ) -> Result<Receipt, HubError> {
        let mut state = self.lock();
        // The key check and the append under one lock: one atomic step.
        if let Some(key) = &key
            && let Some(id) = state.keys.get(&(channel.clone(), key.clone()))
        {
            return Ok(Receipt {
                id: *id,
                duplicate: true,
            });
        }
        state.next += 1;
        let id = EventId::new(1, state.next);
        let published = Published::encode(id, event.event.as_deref(), &event.data)?;
        state
            .logs
            .entry(channel.clone())
            .or_default()
            .push(published.clone());
        if let Some(key) = key {
            state.keys.insert((channel.clone(), key), id);
        }
        // Under the lock, so in id order; every channel's entries, since the hub drops what
        // nobody here watches.
        if let Some(handler) = self.handler.get() {
            handler(channel, Feed::Entry(published));
        }
        Ok(Receipt {
            id,
            duplicate: false,
        })
    }
}

impl Storage for Toy {
    fn register(&self, handler: Handler) {
        let _ = self.handler.set(handler);
    }

    fn append(
        &self,
        channel: ChannelName,
        event: NewEvent,
        key: Option<IdempotencyKey>,
    ) -> BoxFuture<'_, Result<Receipt, HubError>> {
        ready(self.append_now(&channel, &event, key)).boxed()
    }

    fn state(&self, channel: ChannelName) -> BoxFuture<'_, Result<StreamState, HubError>> {
        ready(Ok(self.stream(&channel))).boxed()
    }

    fn read_after(
        &self,
        channel: ChannelName,
        after: EventId,
    ) -> BoxFuture<'_, Result<History, HubError>> {
        let events = self.lock().logs.get(&channel).map_or_else(Vec::new, |log| {
            log.iter().filter(|p| p.id > after).cloned().collect()
        });
        ready(Ok(History { events, cut: false })).boxed()
    }

    fn watch(&self, channel: ChannelName) -> BoxFuture<'_, Result<StreamState, HubError>> {
        // Every append is handed over anyway: watching only answers the state.
        ready(Ok(self.stream(&channel))).boxed()
    }

    fn unwatch(&self, _channel: &ChannelName) {}

    fn health(&self) -> BoxFuture<'_, Health> {
        ready(Health {
            storage: "toy",
            reachable: None,
        })
        .boxed()
    }
}

fn hub(config: HubConfig) -> Hub {
    Hub::with_storage(config, Arc::new(Toy::default()))
}

#[tokio::test]
async fn a_small_engine_gets_the_fan_out_and_the_join_rule_from_the_hub() {
    let hub = hub(HubConfig::default());
    let mut first = hub.subscribe("news", None).await.unwrap();
    assert_eq!(first.head, EventId::ZERO);
    let one = hub.publish("news", Event::new().data("one")).await.unwrap();
    assert_eq!(first.live.recv().await.unwrap().id, one);
    hub.publish("news", Event::new().data("two")).await.unwrap();
    assert_eq!(&*first.live.recv().await.unwrap().data, "two");

    let mut back = hub.subscribe("news", Some(&one.to_string())).await.unwrap();
    assert!(back.gap.is_none());
    let replayed: Vec<&str> = back.replay.iter().map(|p| &*p.data).collect();
    assert_eq!(replayed, ["two"]);
    let three = hub
        .publish("news", Event::new().data("three"))
        .await
        .unwrap();
    assert_eq!(
        back.live.recv().await.unwrap().id,
        three,
        "live after the replay"
    );
    assert_eq!(hub.subscriber_count("news"), 2);
    assert_eq!(hub.health().await.storage, "toy");
}

#[tokio::test]
async fn the_hub_bounds_channels_and_checks_keys_whatever_the_engine() {
    let hub = hub(HubConfig::default().with_max_channels(1));
    let key = IdempotencyKey::new("k").unwrap();
    let first = hub
        .publish_idempotent("a", Event::new().data("x"), &key)
        .await
        .unwrap();
    let retry = hub
        .publish_idempotent("a", Event::new().data("x"), &key)
        .await
        .unwrap();
    assert_eq!((retry.id, retry.duplicate), (first.id, true));
    let refused = hub.publish("b", Event::new().data("x")).await.unwrap_err();
    assert_eq!(refused.status(), 429, "the cap is the hub's");
    let after = hub.events_after("a", None).await.unwrap();
    assert_eq!(after.events.len(), 1, "stored once");
    assert_eq!(hub.channel_count(), 1);
}
