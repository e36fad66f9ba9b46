//! Solution to ch02::ex07: the idle deadline and the backoff count.

// ANCHOR: solution
use std::time::{Duration, Instant};

/// The idle deadline and the consecutive-failure count (see the exercise for the contract).
#[derive(Debug)]
pub struct Timers {
    idle_timeout: Duration,
    reset_after: Duration,
    /// The open connection; `None` before the first open and after every failure.
    open: Option<Connection>,
    /// The last event id, kept across connections: a reconnection resumes from it, so an id is
    /// "new" only if it differs from this, whichever connection set it.
    last_event_id: String,
    failures: u32,
}

/// What the struct knows about the open connection. Keeping it in one `Option` means a failure
/// forgets all of it at once: nothing of one connection can leak into the judgement of the next.
#[derive(Debug)]
struct Connection {
    opened_at: Instant,
    /// Moved by every byte; `None` when it cannot be represented (a timeout meaning "never").
    idle_deadline: Option<Instant>,
    /// Whether this connection moved the last event id to a new, non-empty value.
    progressed: bool,
}

impl Timers {
    /// No connection yet, no failure yet, an empty last event id.
    pub fn new(idle_timeout: Duration, reset_after: Duration) -> Self {
        Timers {
            idle_timeout,
            reset_after,
            open: None,
            last_event_id: String::new(),
            failures: 0,
        }
    }

    /// A connection opened at `now`: the idle deadline starts, and the connection has made no
    /// progress yet.
    pub fn on_open(&mut self, now: Instant) {
        self.open = Some(Connection {
            opened_at: now,
            // `checked_add`, not `+`: a timeout of Duration::MAX means "never", not a panic.
            idle_deadline: now.checked_add(self.idle_timeout),
            progressed: false,
        });
    }

    /// Bytes arrived at `now`: any byte proves the connection alive. Note what this does NOT do:
    /// touch the failure count. Bytes are not proof that the stream moves on.
    pub fn on_bytes(&mut self, now: Instant) {
        if let Some(connection) = &mut self.open {
            connection.idle_deadline = now.checked_add(self.idle_timeout);
        }
    }

    /// A blank line set the last event id to `id`.
    pub fn on_last_event_id(&mut self, id: &str) {
        // No connection, no server that could have sent it: ignore it entirely.
        let Some(connection) = &mut self.open else {
            return;
        };
        if id != self.last_event_id {
            // Progress is a *new* id. The same one again is a replay (the `if` above), and an
            // empty one is a reset: neither proves that new events arrived.
            connection.progressed |= !id.is_empty();
            // Copy it into the buffer we already have (`clear` keeps the capacity); the copy is
            // as long as the id the parser accepted, which bounds it.
            self.last_event_id.clear();
            self.last_event_id.push_str(id);
        }
    }

    /// When the open connection is presumed dead.
    pub fn idle_deadline(&self) -> Option<Instant> {
        self.open
            .as_ref()
            .and_then(|connection| connection.idle_deadline)
    }

    /// A failure at `now`: the consecutive count, this one included.
    pub fn on_failure(&mut self, now: Instant) -> u32 {
        // The failure closes the connection (`take` leaves `None`), so a failure without an open
        // in between, a refused attempt, finds no connection to judge and simply counts.
        // A connection that worked ends the count: it made progress, or, for streams without
        // ids, it stayed up long enough. `saturating_duration_since` cannot panic, even if a
        // caller's clock went backwards.
        if let Some(connection) = self.open.take()
            && (connection.progressed
                || now.saturating_duration_since(connection.opened_at) >= self.reset_after)
        {
            self.failures = 0;
        }
        self.failures = self.failures.saturating_add(1);
        self.failures
    }
}
// ANCHOR_END: solution
