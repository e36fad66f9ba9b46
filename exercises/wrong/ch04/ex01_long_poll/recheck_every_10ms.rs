//! The tempting mistake: polling inside the long poll. The notification looks racy, so the poll
//! ignores it and re-checks the log every 10 ms until an event is there or the timeout has passed.
//! It never misses an event and answers within 10 ms, but every idle poll wakes 100 times a
//! second: a server holding 10,000 polls does a million checks a second while nothing happens.
//! class: resources

use std::time::Duration;

pub use super::given::EventLog;

impl EventLog {
    /// The long poll: the events after `after`, waiting up to `timeout` for the next publish.
    pub async fn wait_after(&self, after: u64, timeout: Duration) -> Vec<(u64, String)> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let found = self.after(after);
            if !found.is_empty() || tokio::time::Instant::now() >= deadline {
                return found;
            }
            // Check again soon: no wake-up to lose.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}
