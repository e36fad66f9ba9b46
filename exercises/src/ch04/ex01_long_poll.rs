//! Exercise ch04::ex01: a long poll that loses nothing. Book: Chapter 4 › Exercises › "ch04::ex01".
//! Stuck? `cargo course hint ch04::ex01`. Test: `cargo test -p exercises --test ch04 ch04_ex01`.

// ANCHOR: stub
use std::time::Duration;

/// The event log (given, in `exercises/src/ch04/given.rs`): `publish`, `after`, and the
/// `published` notification.
pub use super::given::EventLog;

impl EventLog {
    /// The long poll (book: Chapter 4 › What the numbers mean, "Long polling
    /// costs a request per answer").
    ///
    /// The contract:
    /// - If the log has events after `after`, return them at once.
    /// - Otherwise wait until the next `publish`, up to `timeout`, then return the events after
    ///   `after`, oldest first (an empty answer, after the timeout, means "nothing new, ask
    ///   again").
    /// - Look at the log with `self.after(after)`; learn of a publish from `self.published`. A
    ///   poll that waits looks at the log a handful of times, not over and over while nothing
    ///   happens: the tests count.
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
