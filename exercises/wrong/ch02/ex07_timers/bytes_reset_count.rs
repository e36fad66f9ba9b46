//! The tempting mistake: "an event arrived, so the server is fine again" resets the failure count
//! on every byte. A server that sends one event and then fails is then retried at the base delay
//! forever.
//! class: spec

use std::time::{Duration, Instant};

/// The idle deadline and the consecutive-failure count.
#[derive(Debug)]
pub struct Timers {
    idle_timeout: Duration,
    opened: bool,
    idle_deadline: Option<Instant>,
    /// The last event id, across connections.
    last_event_id: String,
    failures: u32,
}

impl Timers {
    /// No connection yet, no failure yet.
    pub fn new(idle_timeout: Duration, _reset_after: Duration) -> Self {
        Timers {
            idle_timeout,
            opened: false,
            idle_deadline: None,
            last_event_id: String::new(),
            failures: 0,
        }
    }

    /// A connection opened at `now`.
    pub fn on_open(&mut self, now: Instant) {
        self.opened = true;
        self.idle_deadline = now.checked_add(self.idle_timeout);
    }

    /// Bytes arrived: the connection works, so forget the failures.
    pub fn on_bytes(&mut self, now: Instant) {
        if self.opened {
            self.idle_deadline = now.checked_add(self.idle_timeout);
            self.failures = 0;
        }
    }

    /// A blank line set the last event id to `id`: a new, non-empty one is progress, which (like
    /// any byte, here) forgets the failures.
    pub fn on_last_event_id(&mut self, id: &str) {
        if self.opened && id != self.last_event_id {
            if !id.is_empty() {
                self.failures = 0;
            }
            self.last_event_id.clear();
            self.last_event_id.push_str(id);
        }
    }

    /// When the open connection is presumed dead.
    pub fn idle_deadline(&self) -> Option<Instant> {
        self.idle_deadline
    }

    /// A failure at `now`.
    pub fn on_failure(&mut self, _now: Instant) -> u32 {
        self.opened = false;
        self.idle_deadline = None;
        self.failures = self.failures.saturating_add(1);
        self.failures
    }
}
