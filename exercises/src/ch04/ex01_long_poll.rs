//! Exercise ch04::ex01: a long poll that loses nothing. Book: Chapter 4 › Exercises › "ch04::ex01".
//! Stuck? `cargo course hint ch04::ex01`. Test: `cargo test -p exercises --test ch04 ch04_ex01`.

// ANCHOR: stub
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Notify;

/// A hook the tests run inside `EventLog::after` (given).
type CheckHook = Box<dyn FnOnce(&EventLog) + Send>;

/// An append-only log of events with ids 1, 2, 3, ... (given: everything but `wait_after`).
#[derive(Default)]
pub struct EventLog {
    events: Mutex<Vec<(u64, String)>>,
    /// Notified by every `publish`, with `Notify::notify_waiters`: it wakes the waiters that are
    /// registered at that moment, and stores nothing for later ones.
    published: Notify,
    /// See `on_next_empty_check`.
    hook: Mutex<Option<CheckHook>>,
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
        let found: Vec<(u64, String)> = self
            .events
            .lock()
            .unwrap()
            .iter()
            .filter(|(id, _)| *id > after)
            .cloned()
            .collect();
        if found.is_empty() {
            let hook = self.hook.lock().unwrap().take();
            if let Some(hook) = hook {
                hook(self);
            }
        }
        found
    }

    /// For the tests (given): runs `hook` once, inside the next call of `after` that finds no
    /// events, just before that call returns. A test uses it to publish at the worst moment: right
    /// after your check, before your wait.
    pub fn on_next_empty_check(&self, hook: impl FnOnce(&EventLog) + Send + 'static) {
        *self.hook.lock().unwrap() = Some(Box::new(hook));
    }

    /// The long poll (book: Chapter 4 › What the numbers mean, "Long polling
    /// costs a request per answer").
    ///
    /// The contract:
    /// - If the log has events after `after`, return them at once.
    /// - Otherwise wait until the next `publish`, up to `timeout`, then return the events after
    ///   `after` (an empty answer, after the timeout, means "nothing new, ask again").
    /// - Check the log with `self.after(after)`, and wait for `self.published`.
    /// - The trap: a publish can land between your check ("nothing yet") and the moment your wait
    ///   begins. `notify_waiters` only wakes the waiters registered when it runs, so such a
    ///   publish wakes nobody and the poll sleeps through an event it should have returned. Your
    ///   poll must answer promptly even then; the tests publish exactly in that window.
    pub async fn wait_after(&self, after: u64, timeout: Duration) -> Vec<(u64, String)> {
        // TODO: follow the contract above.
        todo!("wait for events after {after}")
    }
}
// ANCHOR_END: stub
