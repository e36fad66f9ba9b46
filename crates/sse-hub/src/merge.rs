//! Identical storage reads merged ("singleflight"): when a node with thousands of subscribers
//! dies, they all resume on the survivors at once, most from the same last id. Each would read
//! the channel's state and history on its own, thousands of identical round trips to Redis at the
//! worst moment; merged, a storm costs one read per key per round trip.
//!
//! Merging must not break the join rule ([`crate::node`]): a subscriber registers its queue
//! first, then reads, so that every entry is in what it read or in its queue. A read sent before
//! the subscriber registered could miss an entry appended between that read and the
//! registration. So a caller only ever shares a read that is sent *after* it called:
//!
//! - callers with the same key wait together in a batch that has not been sent yet;
//! - at most one read per key is in flight; the next batch is sent when it ends, carrying
//!   everyone who came meanwhile.
//!
//! The read runs on a task of its own, so a caller that goes away (its client disconnected) does
//! not take the read from the others waiting on it.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use tokio::sync::Notify;

use crate::HubError;

/// Reads by key, merged. Cheap to share (`Arc` it).
pub(crate) struct Merged<K, V> {
    keys: Mutex<HashMap<K, Slot<V>>>,
    /// Off: every caller sends its own read ([`crate::HubConfig::merge_reads`]).
    enabled: bool,
}

/// One key's reads: the one in flight, and the batch waiting to be sent after it.
struct Slot<V> {
    in_flight: Option<Arc<Batch<V>>>,
    waiting: Option<Arc<Batch<V>>>,
}

impl<V> Default for Slot<V> {
    fn default() -> Self {
        Slot {
            in_flight: None,
            waiting: None,
        }
    }
}

/// The callers of one read, and its result once it is there.
struct Batch<V> {
    result: OnceLock<Result<V, HubError>>,
    done: Notify,
}

impl<V: Clone> Batch<V> {
    fn new() -> Self {
        Batch {
            result: OnceLock::new(),
            done: Notify::new(),
        }
    }

    fn finish(&self, result: Result<V, HubError>) {
        let _ = self.result.set(result);
        self.done.notify_waiters();
    }

    async fn wait(&self) -> Result<V, HubError> {
        loop {
            let notified = self.done.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            if let Some(result) = self.result.get() {
                return match result {
                    Ok(value) => Ok(value.clone()),
                    Err(error) => Err(share(error)),
                };
            }
            notified.await;
        }
    }
}

/// The same error for every caller of a merged read. Storage reads fail with
/// [`HubError::Unavailable`], kept as it is; anything else is reported as unavailability with
/// its message.
fn share(error: &HubError) -> HubError {
    match error {
        HubError::Unavailable {
            reason,
            retry_after,
        } => HubError::Unavailable {
            reason: reason.clone(),
            retry_after: *retry_after,
        },
        other => HubError::Unavailable {
            reason: other.to_string(),
            retry_after: Duration::from_secs(1),
        },
    }
}

impl<K, V> Merged<K, V>
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    pub(crate) fn new(enabled: bool) -> Arc<Self> {
        Arc::new(Merged {
            keys: Mutex::new(HashMap::new()),
            enabled,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Slot<V>>> {
        // A panic under this lock leaves at worst a stale slot: carry on.
        self.keys
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `read()`'s result for `key`, shared with every caller that joined the same batch. `read`
    /// is called at most once per batch, after every caller of the batch called this.
    pub(crate) async fn run<F, Fut>(self: &Arc<Self>, key: K, read: F) -> Result<V, HubError>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = Result<V, HubError>> + Send + 'static,
    {
        if !self.enabled {
            return read().await;
        }
        let (batch, leader) = {
            let mut keys = self.lock();
            let slot = keys.entry(key.clone()).or_default();
            match &slot.waiting {
                Some(batch) => (batch.clone(), false),
                None => {
                    let batch = Arc::new(Batch::new());
                    slot.waiting = Some(batch.clone());
                    (batch, true)
                }
            }
        };
        if leader {
            tokio::spawn(self.clone().send(key, batch.clone(), read));
        }
        batch.wait().await
    }

    /// Sends `batch`'s read once the key has no read in flight; until then, more callers join.
    async fn send<F, Fut>(self: Arc<Self>, key: K, batch: Arc<Batch<V>>, read: F)
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, HubError>>,
    {
        loop {
            let before = {
                let mut keys = self.lock();
                let slot = keys.entry(key.clone()).or_default();
                match &slot.in_flight {
                    Some(before) => before.clone(),
                    None => {
                        // Closed: whoever calls from now on waits for the next read.
                        slot.in_flight = Some(batch.clone());
                        if slot
                            .waiting
                            .as_ref()
                            .is_some_and(|waiting| Arc::ptr_eq(waiting, &batch))
                        {
                            slot.waiting = None;
                        }
                        break;
                    }
                }
            };
            // Only its end matters, not its result.
            let _ = before.wait().await;
        }
        let result = read().await;
        {
            let mut keys = self.lock();
            if let Some(slot) = keys.get_mut(&key) {
                slot.in_flight = None;
                if slot.waiting.is_none() {
                    keys.remove(&key);
                }
            }
        }
        batch.finish(result);
    }

    /// Keys with a read in flight or waiting (for tests: nothing is left behind).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// A read that takes `delay`, counting how often it is sent, and returning the number of
    /// calls made (to `Merged::run`) before it was sent.
    fn counted(
        calls: &Arc<AtomicUsize>,
        sent: &Arc<AtomicUsize>,
        delay: Duration,
    ) -> impl FnOnce() -> std::pin::Pin<Box<dyn Future<Output = Result<usize, HubError>> + Send>>
    + Send
    + 'static {
        let calls = calls.clone();
        let sent = sent.clone();
        move || {
            Box::pin(async move {
                sent.fetch_add(1, Ordering::SeqCst);
                let seen = calls.load(Ordering::SeqCst);
                tokio::time::sleep(delay).await;
                Ok(seen)
            })
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_storm_of_identical_reads_costs_one_read_per_round_trip() {
        let merged = Merged::<&'static str, usize>::new(true);
        let calls = Arc::new(AtomicUsize::new(0));
        let sent = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        // 1,000 callers over 30 ms, each read taking 10 ms.
        for i in 0..1000 {
            if i % 100 == 0 {
                tokio::time::sleep(Duration::from_millis(3)).await;
            }
            calls.fetch_add(1, Ordering::SeqCst);
            let read = counted(&calls, &sent, Duration::from_millis(10));
            let merged = merged.clone();
            tasks.push(tokio::spawn(
                async move { merged.run("channel", read).await },
            ));
        }
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let reads = sent.load(Ordering::SeqCst);
        assert!(reads <= 5, "{reads} reads for 1,000 callers");
        assert_eq!(merged.len(), 0, "nothing left behind");
    }

    #[tokio::test(start_paused = true)]
    async fn a_caller_never_shares_a_read_sent_before_it_called() {
        let merged = Merged::<&'static str, usize>::new(true);
        let calls = Arc::new(AtomicUsize::new(0));
        let sent = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for i in 0..200 {
            tokio::time::sleep(Duration::from_millis(i % 3)).await;
            // This caller is call number `me`: the read it gets must have seen it.
            let me = calls.fetch_add(1, Ordering::SeqCst) + 1;
            let read = counted(&calls, &sent, Duration::from_millis(4));
            let merged = merged.clone();
            tasks.push(tokio::spawn(async move {
                let seen = merged.run("channel", read).await.unwrap();
                assert!(
                    seen >= me,
                    "call {me} got a read sent after only {seen} calls"
                );
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert!(sent.load(Ordering::SeqCst) < 200, "and reads were merged");
    }

    #[tokio::test(start_paused = true)]
    async fn with_merging_off_every_caller_sends_its_own_read() {
        let merged = Merged::<&'static str, usize>::new(false);
        let calls = Arc::new(AtomicUsize::new(0));
        let sent = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                calls.fetch_add(1, Ordering::SeqCst);
                let read = counted(&calls, &sent, Duration::from_millis(10));
                let merged = merged.clone();
                tokio::spawn(async move { merged.run("channel", read).await })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(sent.load(Ordering::SeqCst), 50);
        assert_eq!(merged.len(), 0, "nothing kept");
    }

    #[tokio::test(start_paused = true)]
    async fn different_keys_are_not_merged() {
        let merged = Merged::<u32, u32>::new(true);
        let (a, b) = tokio::join!(
            merged.run(1, || async { Ok(1) }),
            merged.run(2, || async { Ok(2) })
        );
        assert_eq!((a.unwrap(), b.unwrap()), (1, 2));
    }

    #[tokio::test(start_paused = true)]
    async fn a_caller_that_goes_away_does_not_strand_the_others() {
        let merged = Merged::<&'static str, u32>::new(true);
        let first = {
            let merged = merged.clone();
            tokio::spawn(async move {
                merged
                    .run("channel", || async {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Ok(7)
                    })
                    .await
            })
        };
        tokio::task::yield_now().await;
        let second = merged.run("channel", || async { Ok(8) });
        first.abort();
        let got = tokio::time::timeout(Duration::from_secs(5), second)
            .await
            .expect("not stranded");
        assert!(matches!(got, Ok(7 | 8)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_read_fails_its_batch_only() {
        let merged = Merged::<&'static str, u32>::new(true);
        let failed = merged
            .run("channel", || async {
                Err(HubError::Unavailable {
                    reason: "down".into(),
                    retry_after: Duration::from_secs(2),
                })
            })
            .await;
        assert!(
            matches!(failed, Err(HubError::Unavailable { reason, retry_after }) if reason == "down" && retry_after == Duration::from_secs(2))
        );
        assert_eq!(merged.run("channel", || async { Ok(3) }).await.unwrap(), 3);
    }
}
