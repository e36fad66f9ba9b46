//! Solution to ch04::ex01: a long poll that loses nothing.

// ANCHOR: solution
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Notify;

/// An append-only log of events with ids 1, 2, 3, ... (given).
#[derive(Debug, Default)]
pub struct EventLog {
    events: Mutex<Vec<(u64, String)>>,
    published: Notify,
}

impl EventLog {
    /// Appends an event and wakes every waiting poll (given).
    pub fn publish(&self, data: &str) -> u64 {
        let mut events = self.events.lock().unwrap();
        let id = events.len() as u64 + 1;
        events.push((id, data.to_owned()));
        self.published.notify_waiters();
        id
    }

    /// The events after `after`, at once (given).
    pub fn after(&self, after: u64) -> Vec<(u64, String)> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .filter(|(id, _)| *id > after)
            .cloned()
            .collect()
    }

    /// The long poll: the events after `after`, waiting up to `timeout` for the next publish.
    pub async fn wait_after(&self, after: u64, timeout: Duration) -> Vec<(u64, String)> {
        // Register interest first, check second: a publish between the two still wakes us,
        // because `notify_waiters` reaches every enabled `Notified`.
        let notified = self.published.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let ready = self.after(after);
        if !ready.is_empty() {
            return ready;
        }
        let _ = tokio::time::timeout(timeout, notified).await;
        self.after(after)
    }
}
// ANCHOR_END: solution
