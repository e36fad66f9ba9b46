//! Exercise ch04::ex01: a long poll that loses nothing. Book: Chapter 4 › Exercises › "ch04::ex01".
//! Stuck? `cargo course hint ch04::ex01`. Test: `cargo test -p exercises --test ch04 ch04_ex01`.

// ANCHOR: stub
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

    /// The long poll: the events after `after`; if there are none yet, waits up to `timeout` for
    /// the next publish, then answers (an empty answer means "nothing new, ask again").
    ///
    /// The trap: checking the log and then starting to wait leaves a window in which a publish
    /// wakes nobody, and the poll sleeps through an event it should have returned.
    pub async fn wait_after(&self, after: u64, timeout: Duration) -> Vec<(u64, String)> {
        // TODO: create `self.published.notified()`, pin it, and call `.enable()` on it BEFORE
        //       checking `self.after(after)`: from then on, a publish cannot be missed.
        // TODO: if the check finds events, return them; otherwise wait for the notification with
        //       `tokio::time::timeout` and return `self.after(after)` (empty on timeout).
        todo!("wait for events after {after}")
    }
}
// ANCHOR_END: stub
