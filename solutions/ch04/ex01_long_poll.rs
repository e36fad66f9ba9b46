//! Solution to ch04::ex01: a long poll that loses nothing.

// ANCHOR: solution
use std::time::Duration;

pub use super::given::EventLog;

impl EventLog {
    /// The long poll: the events after `after`, waiting up to `timeout` for the next publish.
    pub async fn wait_after(&self, after: u64, timeout: Duration) -> Vec<(u64, String)> {
        // Become a waiter first, check second: a publish between the two still wakes us, because
        // `notify_waiters` reaches every `Notified` that exists when it runs, even one that has
        // not been polled yet. (`enable` registers it explicitly, which `notify_one` would need.)
        let notified = self.published.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let ready = self.after(after);
        if !ready.is_empty() {
            return ready;
        }
        // One wait, woken by the notification or ended by the timeout: no re-checking in a loop.
        let _ = tokio::time::timeout(timeout, notified).await;
        self.after(after)
    }
}
// ANCHOR_END: solution
