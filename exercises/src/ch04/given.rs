//! Code chapter 4's exercises are given: ch04::ex01's event log (everything but the long poll
//! itself). The stub, the solution and every wrong variant use this one copy.

// ANCHOR: event_log
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Notify;

/// A hook the tests run inside `EventLog::after`.
type CheckHook = Box<dyn FnOnce(&EventLog) + Send>;

/// An append-only log of events with ids 1, 2, 3, ... (ch04::ex01 adds `wait_after`).
#[derive(Default)]
pub struct EventLog {
    events: Mutex<Vec<(u64, String)>>,
    /// Notified by every `publish`, with `Notify::notify_waiters`: it wakes the waiters that are
    /// registered at that moment, and stores nothing for later ones.
    pub(super) published: Notify,
    /// See `on_next_empty_check`.
    hook: Mutex<Option<CheckHook>>,
    /// See `checks`.
    checks: AtomicUsize,
}

impl EventLog {
    /// Appends an event and wakes every waiting poll.
    pub fn publish(&self, data: &str) -> u64 {
        let mut events = self.events.lock().unwrap();
        let id = events.len() as u64 + 1;
        events.push((id, data.to_owned()));
        self.published.notify_waiters();
        id
    }

    /// The events after `after`, at once. This is the only way to look at the log.
    pub fn after(&self, after: u64) -> Vec<(u64, String)> {
        self.checks.fetch_add(1, Ordering::Relaxed);
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

    /// For the tests: runs `hook` once, inside the next call of `after` that finds no events,
    /// just before that call returns. A test uses it to publish at the worst moment: right after
    /// your check, before your wait.
    pub fn on_next_empty_check(&self, hook: impl FnOnce(&EventLog) + Send + 'static) {
        *self.hook.lock().unwrap() = Some(Box::new(hook));
    }

    /// For the tests: how many times `after` has looked at the log so far.
    pub fn checks(&self) -> usize {
        self.checks.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: event_log
