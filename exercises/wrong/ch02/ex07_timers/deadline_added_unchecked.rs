//! The tempting mistake: computing the idle deadline as `now + idle_timeout`, because "a deadline
//! is always some instant"; an `idle_timeout` of `Duration::MAX` (the caller's "never") makes
//! `Instant + Duration` panic instead of giving no deadline.
//! class: errors

use std::time::{Duration, Instant};

/// The idle deadline and the consecutive-failure count (see the exercise for the contract).
#[derive(Debug)]
pub struct Timers {
    idle_timeout: Duration,
    reset_after: Duration,
    /// When the open connection opened; `None` while there is none.
    opened_at: Option<Instant>,
    /// Moved by every byte; `None` while closed, or when it cannot be represented.
    idle_deadline: Option<Instant>,
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
            idle_deadline: None,
            last_event_id: String::new(),
            progressed: false,
            failures: 0,
        }
    }

    /// A connection opened at `now`: the idle deadline starts.
    pub fn on_open(&mut self, now: Instant) {
        self.opened_at = Some(now);
        self.progressed = false;
        self.idle_deadline = Some(now + self.idle_timeout);
    }

    /// Bytes arrived at `now`: any byte proves the connection alive. Note what this does NOT do:
    /// touch the failure count. An event is not proof that the server is healthy again.
    pub fn on_bytes(&mut self, now: Instant) {
        if self.opened_at.is_some() {
            self.idle_deadline = Some(now + self.idle_timeout);
        }
    }

    /// A blank line set the last event id to `id`.
    pub fn on_last_event_id(&mut self, id: &str) {
        if self.opened_at.is_some() && id != self.last_event_id {
            self.progressed |= !id.is_empty();
            self.last_event_id.clear();
            self.last_event_id.push_str(id);
        }
    }

    /// When the open connection is presumed dead.
    pub fn idle_deadline(&self) -> Option<Instant> {
        self.idle_deadline
    }

    /// A failure at `now`: the consecutive count, this one included.
    pub fn on_failure(&mut self, now: Instant) -> u32 {
        // A connection that made progress, or stayed up long enough, resets the count.
        // `saturating_duration_since` cannot panic, even if a caller's clock went backwards.
        let progressed = std::mem::take(&mut self.progressed);
        if let Some(opened_at) = self.opened_at.take()
            && (progressed || now.saturating_duration_since(opened_at) >= self.reset_after)
        {
            self.failures = 0;
        }
        self.idle_deadline = None;
        self.failures = self.failures.saturating_add(1);
        self.failures
    }
}
