//! Code chapter 4's exercises are given: ch04::ex01's event log (everything but the long poll
//! itself), ch04::ex06's WebSocket frame, and ch04::ex07's GUID, SHA-1 and error. The stub, the
//! solution and every wrong variant use this one copy.

// ANCHOR: event_log
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Notify;

/// A hook the tests run inside `EventLog::after`.
type CheckHook = Box<dyn FnOnce(&EventLog) + Send>;

/// An append-only log of events with ids 1, 2, 3, ... (ch04::ex01 adds `wait_after`).
#[derive(Default)]
pub struct EventLog {
    events: Mutex<Vec<(u64, String)>>,
    /// Notified by every `publish`, with `Notify::notify_waiters`: it wakes the waiters that are
    /// registered at that moment, and stores nothing for later ones.
    pub(super) published: Notify,
    /// See `on_next_empty_check`.
    hook: Mutex<Option<CheckHook>>,
    /// See `checks`.
    checks: AtomicUsize,
}

impl EventLog {
    /// Appends an event and wakes every waiting poll.
    pub fn publish(&self, data: &str) -> u64 {
        let mut events = self.events.lock().unwrap();
        let id = events.len() as u64 + 1;
        events.push((id, data.to_owned()));
        self.published.notify_waiters();
        id
    }

    /// The events after `after`, at once. This is the only way to look at the log.
    pub fn after(&self, after: u64) -> Vec<(u64, String)> {
        self.checks.fetch_add(1, Ordering::Relaxed);
        let found: Vec<(u64, String)> = self
            .events
            .lock()
            .unwrap()
            .iter()
            .filter(|(id, _)| *id > after)
            .cloned()
            .collect();
        if found.is_empty() {
            let hook = self.hook.lock().unwrap().take();
            if let Some(hook) = hook {
                hook(self);
            }
        }
        found
    }

    /// For the tests: runs `hook` once, inside the next call of `after` that finds no events,
    /// just before that call returns. A test uses it to publish at the worst moment: right after
    /// your check, before your wait.
    pub fn on_next_empty_check(&self, hook: impl FnOnce(&EventLog) + Send + 'static) {
        *self.hook.lock().unwrap() = Some(Box::new(hook));
    }

    /// For the tests: how many times `after` has looked at the log so far.
    pub fn checks(&self) -> usize {
        self.checks.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: event_log

// ANCHOR: frame
/// A WebSocket frame as ch04::ex06 sees it: what the framing layer hands over once it has read a
/// whole frame, unmasked it and checked its header (so a control frame's payload is at most 125
/// bytes, and a Close body is either empty or a status code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A data frame of UTF-8 text (opcode 0x1).
    Text(String),
    /// A data frame of bytes (opcode 0x2).
    Binary(Vec<u8>),
    /// A Ping (opcode 0x9) and its application data.
    Ping(Vec<u8>),
    /// A Pong (opcode 0xA) and its application data.
    Pong(Vec<u8>),
    /// A Close (opcode 0x8): `Some(code)` when its body carries a status code, `None` when it has
    /// no body. (A body may add a reason text after the code; this model leaves it out.)
    Close(Option<u16>),
}
// ANCHOR_END: frame

// ANCHOR: handshake
/// The GUID that RFC 6455 (section 1.3) appends to every `Sec-WebSocket-Key`.
pub const WEBSOCKET_GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// The SHA-1 digest of `data` (20 bytes).
pub fn sha1(data: &[u8]) -> [u8; 20] {
    use ::sha1::Digest as _;
    ::sha1::Sha1::digest(data).into()
}

/// ch04::ex07's error: the `Sec-WebSocket-Key` is not base64 of 16 bytes (the server answers such
/// a handshake with `400 Bad Request`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the Sec-WebSocket-Key is not base64 of 16 bytes")]
pub struct BadKey;
// ANCHOR_END: handshake
