//! Second-reader wrong answer for ch04::ex01.
//! class: concurrency
//! Mistake: the poll checks the log and only then creates its `notified()` future and waits, so a
//! publish that lands between the check and the wait (when nobody is registered yet) wakes nobody
//! and the poll sleeps through it until the timeout.

// ANCHOR: stub
use std::time::Duration;

pub use super::given::EventLog;

impl EventLog {
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
        let found = self.after(after);
        if !found.is_empty() {
            return found;
        }
        // Nothing yet: wait for the next publish, but not longer than `timeout`.
        let _ = tokio::time::timeout(timeout, self.published.notified()).await;
        self.after(after)
    }
}
// ANCHOR_END: stub
