//! The tempting mistake: check, then wait. The `Notified` future is created only after the check
//! found nothing, so a publish in between wakes nobody (`notify_waiters` stores nothing for later
//! waiters) and the poll sleeps until its timeout. It is the order the contract reads in.
//! class: concurrency

use std::time::Duration;

pub use super::given::EventLog;

impl EventLog {
    /// The long poll: the events after `after`, waiting up to `timeout` for the next publish.
    pub async fn wait_after(&self, after: u64, timeout: Duration) -> Vec<(u64, String)> {
        let ready = self.after(after);
        if !ready.is_empty() {
            return ready;
        }
        // Nothing yet: wait for the next publish.
        let _ = tokio::time::timeout(timeout, self.published.notified()).await;
        self.after(after)
    }
}
