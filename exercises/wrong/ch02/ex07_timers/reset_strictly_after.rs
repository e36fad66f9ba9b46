//! Second-reader wrong answer for ch02::ex07.
//! class: boundaries
//! Mistake: restarts the failure count only if the connection stayed open strictly LONGER than
//! `reset_after` (`>`), where the contract says "at least" (`>=`): exactly `reset_after` keeps growing the backoff.

// ANCHOR: stub
use std::time::{Duration, Instant};

/// The idle deadline and the consecutive-failure count of a reconnecting client.
#[derive(Debug)]
pub struct Timers {
    idle_timeout: Duration,
    reset_after: Duration,
    /// When the open connection opened; `None` when no connection is open.
    opened_at: Option<Instant>,
    /// When the open connection is presumed dead; `None` if none is open, or "never".
    deadline: Option<Instant>,
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
            last_event_id: String::new(),
            progressed: false,
            failures: 0,
        }
    }

    /// A connection opened at `now`: the idle deadline starts.
    pub fn on_open(&mut self, now: Instant) {
        self.opened_at = Some(now);
        self.progressed = false;
        self.deadline = now.checked_add(self.idle_timeout);
    }

    /// Bytes arrived at `now` on the open connection (an event or a comment).
    pub fn on_bytes(&mut self, now: Instant) {
        if self.opened_at.is_some() {
            self.deadline = now.checked_add(self.idle_timeout);
        }
    }

    /// A blank line set the last event id to `id` on the open connection.
    pub fn on_last_event_id(&mut self, id: &str) {
        if self.opened_at.is_some() && id != self.last_event_id {
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
        let progressed = std::mem::take(&mut self.progressed);
        if let Some(opened_at) = self.opened_at.take() {
            if progressed || now.saturating_duration_since(opened_at) > self.reset_after {
                self.failures = 0;
            }
        }
        self.deadline = None;
        self.failures = self.failures.saturating_add(1);
        self.failures
    }
}
// ANCHOR_END: stub
