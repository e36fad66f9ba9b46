//! Second-reader wrong answer for ch02::ex07.
//! class: spec
//! Mistake: clears the idle deadline on a failure but not the time the connection opened, so after
//! one long-lived connection every refused reconnection attempt (no `on_open`) still looks "open
//! long enough" and resets the count to 1: the backoff never grows during an outage.

// ANCHOR: stub
use std::time::{Duration, Instant};

/// The idle deadline and the consecutive-failure count of a reconnecting client.
#[derive(Debug)]
pub struct Timers {
    idle_timeout: Duration,
    reset_after: Duration,
    /// When the last connection opened.
    opened_at: Option<Instant>,
    /// When the open connection is presumed dead; `None` if none is open, or "never".
    deadline: Option<Instant>,
    /// A connection is open.
    connected: bool,
    /// The last event id, across connections.
    last_event_id: String,
    /// The open connection set the last event id to a new, non-empty value.
    progressed: bool,
    failures: u32,
}

impl Timers {
    /// No connection yet, no failure yet.
    pub fn new(idle_timeout: Duration, reset_after: Duration) -> Self {
        Timers {
            idle_timeout,
            reset_after,
            opened_at: None,
            deadline: None,
            connected: false,
            last_event_id: String::new(),
            progressed: false,
            failures: 0,
        }
    }

    /// A connection opened at `now`: the idle deadline starts.
    pub fn on_open(&mut self, now: Instant) {
        self.opened_at = Some(now);
        self.connected = true;
        self.progressed = false;
        self.deadline = now.checked_add(self.idle_timeout);
    }

    /// Bytes arrived at `now` on the open connection (an event or a comment).
    pub fn on_bytes(&mut self, now: Instant) {
        if self.deadline.is_some() {
            self.deadline = now.checked_add(self.idle_timeout);
        }
    }

    /// A blank line set the last event id to `id` on the open connection.
    pub fn on_last_event_id(&mut self, id: &str) {
        if self.connected && id != self.last_event_id {
            self.progressed |= !id.is_empty();
            self.last_event_id.clear();
            self.last_event_id.push_str(id);
        }
    }

    /// When the open connection is presumed dead.
    pub fn idle_deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// The connection attempt or the open connection failed at `now`; returns the consecutive
    /// failure count, this failure included.
    pub fn on_failure(&mut self, now: Instant) -> u32 {
        if std::mem::take(&mut self.progressed) {
            self.failures = 0;
        }
        self.connected = false;
        if let Some(opened_at) = self.opened_at {
            if now.saturating_duration_since(opened_at) >= self.reset_after {
                self.failures = 0;
            }
        }
        // The connection is closed: no idle deadline any more.
        self.deadline = None;
        self.failures = self.failures.saturating_add(1);
        self.failures
    }
}
// ANCHOR_END: stub
