//! WRONG variant of ch04::ex01 (see exercises/wrong/README.md).
//! The mistake: check, then wait. The `Notified` future is created (and registered) only after
//! the check found nothing, so a publish in between wakes nobody and the poll sleeps until its
//! timeout. Caught by `ch04_ex01_a_publish_right_after_the_check_wakes_the_poll`, every time: its
//! hook publishes exactly in that window. (The concurrent test rarely hits the window by chance.)

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

    /// The long poll: the events after `after`, waiting up to `timeout` for the next publish.
    pub async fn wait_after(&self, after: u64, timeout: Duration) -> Vec<(u64, String)> {
        let ready = self.after(after);
        if !ready.is_empty() {
            return ready;
        }
        // Nothing yet: wait for the next publish.
        let _ = tokio::time::timeout(timeout, self.published.notified()).await;
        self.after(after)
    }
}
