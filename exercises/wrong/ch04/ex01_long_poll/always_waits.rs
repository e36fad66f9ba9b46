//! The tempting mistake: a long poll that always waits for the NEXT publish, even when the log
//! already holds events after the cursor ("a long poll waits, that is the point"). A client that
//! fell behind, or one that asks again right after a burst, sleeps through events that are
//! already there until another publish or the timeout.
//! class: spec

use std::time::Duration;

pub use super::given::EventLog;

impl EventLog {
    /// The long poll: the events after `after`, waiting up to `timeout` for the next publish.
    pub async fn wait_after(&self, after: u64, timeout: Duration) -> Vec<(u64, String)> {
        // Registered before anything else, so no publish can slip past.
        let notified = self.published.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let _ = tokio::time::timeout(timeout, notified).await;
        self.after(after)
    }
}
