//! Second-reader wrong answer for ch04::ex01.
//! class: resources
//! Mistake: instead of registering as a waiter before the check, the poll "fixes" the lost wake-up
//! by never waiting more than 20 ms at a time and re-checking the log in a loop: a missed publish
//! costs at most 20 ms, but every idle poll wakes 50 times a second until its timeout.

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
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let found = self.after(after);
            if !found.is_empty() {
                return found;
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return found;
            }
            // A publish can slip in between the check above and the wait below and wake nobody;
            // waiting in short slices bounds what such a miss can cost.
            let slice = (deadline - now).min(Duration::from_millis(20));
            let _ = tokio::time::timeout(slice, self.published.notified()).await;
        }
    }
}
// ANCHOR_END: stub
