//! Independent reader's wrong answer for ch02::ex07.
//! class: boundaries
//! Mistake: the stable-connection check computes `opened + reset_after` with plain `Instant + Duration`,
//! guarding only the idle deadline with `checked_add`; a `reset_after` of `Duration::MAX` panics in
//! `on_failure` as soon as a connection that was open fails.

// ANCHOR: stub
use std::time::{Duration, Instant};

/// Two decisions of a reconnecting client's core (`sse_client::sansio`), with the time passed in
/// so that tests can script the clock.
#[derive(Debug)]
pub struct Timers {
    idle_timeout: Duration,
    reset_after: Duration,
    /// When the open connection was opened; `None` while no connection is open.
    opened_at: Option<Instant>,
    /// When the last byte arrived on the open connection (or when it opened).
    last_activity: Option<Instant>,
    /// The last event id, carried over between connections.
    last_event_id: String,
    /// Whether the current connection set a new, non-empty last event id.
    progress: bool,
    /// Consecutive failures so far.
    failures: u32,
}

impl Timers {
    /// No connection yet, no failure yet, an empty last event id.
    pub fn new(idle_timeout: Duration, reset_after: Duration) -> Self {
        Timers {
            idle_timeout,
            reset_after,
            opened_at: None,
            last_activity: None,
            last_event_id: String::new(),
            progress: false,
            failures: 0,
        }
    }

    /// A connection opened at `now`: the idle deadline starts.
    pub fn on_open(&mut self, now: Instant) {
        self.opened_at = Some(now);
        self.last_activity = Some(now);
    }

    /// Bytes arrived at `now` on the open connection (an event or a comment). With no connection
    /// open, nothing changes.
    pub fn on_bytes(&mut self, now: Instant) {
        if self.opened_at.is_some() {
            self.last_activity = Some(now);
        }
    }

    /// A blank line set the last event id to `id` on the open connection.
    pub fn on_last_event_id(&mut self, id: &str) {
        if self.opened_at.is_none() {
            return;
        }
        if !id.is_empty() && id != self.last_event_id {
            self.progress = true;
        }
        if id != self.last_event_id {
            self.last_event_id.clear();
            self.last_event_id.push_str(id);
        }
    }

    /// When the open connection is presumed dead: `None` if no connection is open, or if the
    /// deadline lies beyond what an `Instant` can hold.
    pub fn idle_deadline(&self) -> Option<Instant> {
        self.opened_at?;
        self.last_activity?.checked_add(self.idle_timeout)
    }

    /// The connection attempt or the open connection failed at `now`: the connection is closed,
    /// and this returns the consecutive failure count, this failure included.
    pub fn on_failure(&mut self, now: Instant) -> u32 {
        let stayed_long = match self.opened_at {
            Some(opened) => now >= opened + self.reset_after,
            None => false,
        };
        let worked = self.progress || stayed_long;
        self.failures = if worked { 1 } else { self.failures.saturating_add(1) };
        self.opened_at = None;
        self.last_activity = None;
        self.progress = false;
        self.failures
    }
}
// ANCHOR_END: stub
