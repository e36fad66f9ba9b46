//! The tempting mistake: waiting without a bound. The poll registers, checks, then waits for the
//! next publish with no timeout ("the event will come"). On a quiet channel the request never
//! ends: the client's own timeout or a proxy cuts it, and the server holds it meanwhile.
//! class: resources

use std::time::Duration;

pub use super::given::EventLog;

impl EventLog {
    /// The long poll: the events after `after`, waiting up to `timeout` for the next publish.
    pub async fn wait_after(&self, after: u64, timeout: Duration) -> Vec<(u64, String)> {
        let notified = self.published.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let ready = self.after(after);
        if !ready.is_empty() {
            return ready;
        }
        notified.await;
        self.after(after)
    }
}
