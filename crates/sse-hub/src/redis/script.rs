//! The idempotent publish: one Lua script, so that "is this key stored?" and the append are one
//! atomic step in Redis, whichever node runs it and however late a queued try runs.

use redis::Value;

use super::{Redis, wire};
use crate::HubError;
use crate::channel::ChannelName;
use crate::idempotency::{IdempotencyKey, Receipt};
use crate::storage::NewEvent;

/// The idempotent publish, atomic in Redis. `KEYS`: the stream, the idempotency key. `ARGV`: the
/// MAXLEN, the stream's TTL, the key's TTL (seconds), then the entry's fields and values.
/// Answers `{id, 1}` for a key already stored, `{id, 0}` after adding the entry.
pub const PUBLISH_ONCE: &str = r"
local seen = redis.call('GET', KEYS[2])
if seen then
  return {seen, 1}
end
local xadd = {'XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*'}
for i = 4, #ARGV do
  xadd[#xadd + 1] = ARGV[i]
end
local id = redis.call(unpack(xadd))
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], id, 'EX', ARGV[3])
return {id, 0}
";

impl Redis {
    // ANCHOR: publish_once
    /// The publish with an idempotency key: [`PUBLISH_ONCE`].
    pub(super) async fn publish_once(
        &self,
        key: &str,
        channel: &ChannelName,
        event: &NewEvent,
        idempotency: &IdempotencyKey,
        count: usize,
        ttl: u64,
    ) -> Result<Receipt, HubError> {
        let seen = format!("{}idem/{channel}/{idempotency}", self.redis.prefix);
        let remember = self.config.idempotency_ttl.as_secs().max(1);
        // The script is sent whole (`EVAL`), not by hash (`EVALSHA`): a Redis that has not cached
        // it (restarted, `SCRIPT FLUSH`) would answer a publish queued during a pause with
        // NOSCRIPT, and the publisher's retry would no longer meet the first try. A few hundred
        // bytes more per keyed publish buy that the queued try always runs.
        let mut eval = redis::cmd("EVAL");
        eval.arg(PUBLISH_ONCE).arg(2).arg(key).arg(&seen);
        eval.arg(count).arg(ttl).arg(remember);
        if let Some(kind) = &event.event {
            eval.arg("event").arg(kind);
        }
        eval.arg("data").arg(&event.data);
        let reply: Value = self
            .call(async |c| eval.query_async(c).await)
            .await
            .map_err(|e| self.unavailable(&e))?;
        wire::parse_receipt(&reply).ok_or_else(|| HubError::Unavailable {
            reason: "Redis answered the publish script with something other than an id".to_owned(),
            retry_after: self.redis.retry_after,
        })
    }
    // ANCHOR_END: publish_once
}
