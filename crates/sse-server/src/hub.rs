//! The broadcast hub: named channels, increasing ids, a bounded replay buffer, and slow-subscriber
//! protection.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use sse_format::{EncodeError, Event};
use tokio::sync::mpsc;
use tokio::time::Instant;

/// Limits of the hub.
#[derive(Clone, Copy, Debug)]
pub struct HubConfig {
    /// Events kept per channel for replay.
    pub replay_count: usize,
    /// How long an event stays replayable.
    pub replay_age: Duration,
    /// The length of each subscriber's queue: one that falls this far behind is disconnected (it
    /// then reconnects and resumes from the replay buffer).
    pub subscriber_queue: usize,
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig {
            replay_count: 1000,
            replay_age: Duration::from_secs(300),
            subscriber_queue: 256,
        }
    }
}

/// An event as published: its id and its wire bytes, encoded once for every subscriber.
#[derive(Clone, Debug)]
pub struct Published {
    /// The channel-wide increasing id (first event: 1).
    pub id: u64,
    /// When it was published.
    pub at: Instant,
    /// The encoded event, `id:` line included.
    pub bytes: Bytes,
    /// The event's data, for transports other than SSE (WebSocket, polling) that frame it their
    /// own way.
    pub data: Arc<str>,
}

/// The replay could not cover everything the client missed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gap {
    /// The `Last-Event-ID` the client sent.
    pub last_event_id: String,
    /// The oldest id still available (the replay starts there), or the next id if none is.
    pub first_available: u64,
}

impl Gap {
    /// The documented event that tells the client: `event: replay-gap`, data
    /// `{"last_event_id": "...", "first_available": N}`.
    pub fn event(&self) -> Event {
        let data = serde_json::json!({
            "last_event_id": self.last_event_id,
            "first_available": self.first_available,
        });
        Event::new().event("replay-gap").data(data.to_string())
    }
}

/// What a new subscriber gets: the events it missed, a gap notice if some are gone, and the live
/// feed (which starts exactly after the replay: no gap, no duplicate).
#[derive(Debug)]
pub struct Subscription {
    /// Set when events the client missed are no longer in the buffer.
    pub gap: Option<Gap>,
    /// Missed events still in the buffer, oldest first.
    pub replay: Vec<Published>,
    /// Events published from now on. It ends if the subscriber falls `subscriber_queue` events
    /// behind.
    pub live: mpsc::Receiver<Published>,
}

struct Channel {
    next_id: u64,
    replay: VecDeque<Published>,
    /// One bounded queue per subscriber. (A shared `broadcast` ring would make every subscriber
    /// take one lock to wait for the next event: 10,000 lock round-trips per event, and a stalled
    /// subscriber would only notice it had lagged when it read again.)
    subscribers: Vec<mpsc::Sender<Published>>,
}

/// Named channels of events. Cheap to clone (shared).
#[derive(Clone)]
pub struct Hub {
    config: HubConfig,
    channels: Arc<Mutex<HashMap<String, Channel>>>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Hub {
    /// A hub with these limits.
    pub fn new(config: HubConfig) -> Self {
        Hub {
            config,
            channels: Arc::default(),
        }
    }

    /// The hub's limits.
    pub fn config(&self) -> HubConfig {
        self.config
    }

    fn channel<'a>(
        &self,
        channels: &'a mut HashMap<String, Channel>,
        name: &str,
    ) -> &'a mut Channel {
        channels.entry(name.to_owned()).or_insert_with(|| Channel {
            next_id: 1,
            replay: VecDeque::new(),
            subscribers: Vec::new(),
        })
    }

    // ANCHOR: publish
    /// Publishes `event` on `channel` and returns the id it was given (any id set on `event` is
    /// replaced: ids are the hub's to assign, so they always increase).
    pub fn publish(&self, channel: &str, event: Event) -> Result<u64, EncodeError> {
        let mut channels = self.channels.lock().expect("hub lock");
        let channel = self.channel(&mut channels, channel);
        let id = channel.next_id;
        let data: Arc<str> = Arc::from(event.data_ref().unwrap_or_default());
        let bytes = Bytes::from(event.id(id.to_string()).to_bytes()?);
        channel.next_id += 1;
        let now = Instant::now();
        let published = Published {
            id,
            at: now,
            bytes,
            data,
        };
        channel.replay.push_back(published.clone());
        while channel.replay.len() > self.config.replay_count
            || channel
                .replay
                .front()
                .is_some_and(|p| now.duration_since(p.at) > self.config.replay_age)
        {
            channel.replay.pop_front();
        }
        // Sent under the lock, so a concurrent subscribe sees it either in the replay or live,
        // never both and never neither. A full queue means the subscriber cannot keep up: drop
        // its sender, which ends its stream after what is queued. Gone subscribers go too.
        channel
            .subscribers
            .retain(|queue| queue.try_send(published.clone()).is_ok());
        Ok(id)
    }
    // ANCHOR_END: publish

    // ANCHOR: subscribe
    /// Subscribes to `channel`, resuming after `last_event_id` if the client sent one.
    pub fn subscribe(&self, channel: &str, last_event_id: Option<&str>) -> Subscription {
        let mut channels = self.channels.lock().expect("hub lock");
        let config = self.config;
        let channel = self.channel(&mut channels, channel);
        let now = Instant::now();
        let fresh: Vec<&Published> = channel
            .replay
            .iter()
            .filter(|p| now.duration_since(p.at) <= config.replay_age)
            .collect();
        let first_available = fresh.first().map_or(channel.next_id, |p| p.id);
        let (gap, replay) = match last_event_id {
            None => (None, Vec::new()),
            Some(text) => {
                // An id this channel gave out; anything else (an id from before a restart, or
                // garbage) replays everything there is.
                let last = text
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|l| *l < channel.next_id);
                let replay = fresh
                    .iter()
                    .filter(|p| last.is_none_or(|l| p.id > l))
                    .map(|p| (*p).clone())
                    .collect();
                // The replay is complete only if nothing after `last` has left the buffer;
                // otherwise say so rather than leave a silent gap.
                let complete = last.is_some_and(|l| l + 1 >= first_available);
                let gap = (!complete).then(|| Gap {
                    last_event_id: text.to_owned(),
                    first_available,
                });
                (gap, replay)
            }
        };
        let (queue, live) = mpsc::channel(config.subscriber_queue.max(1));
        channel.subscribers.retain(|q| !q.is_closed());
        channel.subscribers.push(queue);
        Subscription { gap, replay, live }
    }
    // ANCHOR_END: subscribe

    /// How many subscribers `channel` has now.
    pub fn subscriber_count(&self, channel: &str) -> usize {
        let channels = self.channels.lock().expect("hub lock");
        channels.get(channel).map_or(0, |c| {
            c.subscribers.iter().filter(|q| !q.is_closed()).count()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub(count: usize) -> Hub {
        Hub::new(HubConfig {
            replay_count: count,
            replay_age: Duration::from_secs(60),
            subscriber_queue: 4,
        })
    }

    fn ids(replay: &[Published]) -> Vec<u64> {
        replay.iter().map(|p| p.id).collect()
    }

    #[tokio::test]
    async fn ids_increase_and_bytes_carry_them() {
        let hub = hub(10);
        assert_eq!(
            hub.publish("a", Event::new().data("x").id("ignored"))
                .unwrap(),
            1
        );
        assert_eq!(hub.publish("a", Event::new().data("y")).unwrap(), 2);
        assert_eq!(
            hub.publish("b", Event::new().data("z")).unwrap(),
            1,
            "ids are per channel"
        );
        let sub = hub.subscribe("a", Some("0"));
        assert_eq!(ids(&sub.replay), [1, 2]);
        assert_eq!(&sub.replay[1].bytes[..], b"id: 2\ndata: y\n\n");
    }

    #[tokio::test]
    async fn resume_replays_exactly_what_was_missed_then_goes_live() {
        let hub = hub(10);
        for n in 0..5 {
            hub.publish("a", Event::new().data(n.to_string())).unwrap();
        }
        let mut sub = hub.subscribe("a", Some("3"));
        assert_eq!((sub.gap.clone(), ids(&sub.replay)), (None, vec![4, 5]));
        hub.publish("a", Event::new().data("6")).unwrap();
        assert_eq!(sub.live.recv().await.unwrap().id, 6);
        let fresh = hub.subscribe("a", None);
        assert!(
            fresh.replay.is_empty() && fresh.gap.is_none(),
            "no id: live only"
        );
        let current = hub.subscribe("a", Some("6"));
        assert!(current.replay.is_empty() && current.gap.is_none());
    }

    #[tokio::test]
    async fn evicted_events_are_reported_as_a_gap() {
        let hub = hub(3);
        for n in 0..10 {
            hub.publish("a", Event::new().data(n.to_string())).unwrap();
        }
        let sub = hub.subscribe("a", Some("2"));
        assert_eq!(
            sub.gap,
            Some(Gap {
                last_event_id: "2".into(),
                first_available: 8
            })
        );
        assert_eq!(ids(&sub.replay), [8, 9, 10]);
        let gap = sub.gap.unwrap().event().to_bytes().unwrap();
        assert_eq!(
            gap,
            b"event: replay-gap\ndata: {\"first_available\":8,\"last_event_id\":\"2\"}\n\n"
        );
    }

    #[tokio::test]
    async fn unknown_ids_are_a_gap_too() {
        let hub = hub(3);
        hub.publish("a", Event::new().data("1")).unwrap();
        for id in ["99", "abc"] {
            let sub = hub.subscribe("a", Some(id));
            assert_eq!(sub.gap.unwrap().first_available, 1, "{id}");
            assert_eq!(ids(&sub.replay), [1]);
        }
    }

    #[tokio::test(start_paused = true)]
    async fn old_events_age_out() {
        let hub = hub(100);
        hub.publish("a", Event::new().data("old")).unwrap();
        tokio::time::advance(Duration::from_secs(61)).await;
        hub.publish("a", Event::new().data("new")).unwrap();
        let sub = hub.subscribe("a", Some("0"));
        assert_eq!(sub.gap.map(|g| g.first_available), Some(2));
        assert_eq!(ids(&sub.replay), [2]);
    }

    #[tokio::test]
    async fn a_slow_subscriber_is_dropped_instead_of_blocking_others() {
        let hub = hub(100);
        let mut slow = hub.subscribe("a", None).live;
        let mut fast = hub.subscribe("a", None).live;
        for n in 0..10 {
            hub.publish("a", Event::new().data(n.to_string())).unwrap();
            assert_eq!(
                fast.recv().await.unwrap().id,
                n + 1,
                "the fast one is never held back"
            );
        }
        assert_eq!(hub.subscriber_count("a"), 1);
        // The slow one gets what was queued (4 events), then the end of its stream.
        let mut got = Vec::new();
        while let Some(published) = slow.recv().await {
            got.push(published.id);
        }
        assert_eq!(got, [1, 2, 3, 4]);
    }
}
