//! A limit on concurrent streams per client address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Counts open streams per client IP.
#[derive(Debug, Default)]
pub struct StreamLimit {
    max: usize,
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One open stream; dropping it (when the stream ends) frees the slot.
#[derive(Debug)]
pub struct StreamSlot {
    limit: Arc<StreamLimit>,
    ip: IpAddr,
}

impl StreamLimit {
    /// At most `max` concurrent streams per IP (0: unlimited).
    pub fn new(max: usize) -> Arc<Self> {
        Arc::new(StreamLimit {
            max,
            open: Mutex::default(),
        })
    }

    /// Takes a slot for `ip`, or `None` if it already has `max` open streams.
    pub fn acquire(self: &Arc<Self>, ip: IpAddr) -> Option<StreamSlot> {
        let mut open = self.open.lock().expect("limit lock");
        let count = open.entry(ip).or_default();
        if self.max != 0 && *count >= self.max {
            return None;
        }
        *count += 1;
        Some(StreamSlot {
            limit: self.clone(),
            ip,
        })
    }

    /// Open streams of `ip`.
    pub fn open(&self, ip: IpAddr) -> usize {
        self.open
            .lock()
            .expect("limit lock")
            .get(&ip)
            .copied()
            .unwrap_or(0)
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.limit.open.lock().expect("limit lock");
        if let Some(count) = open.get_mut(&self.ip) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_counted_and_freed() {
        let limit = StreamLimit::new(2);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let a = limit.acquire(ip).unwrap();
        let _b = limit.acquire(ip).unwrap();
        assert!(limit.acquire(ip).is_none());
        assert!(
            limit.acquire("127.0.0.2".parse().unwrap()).is_some(),
            "per address"
        );
        drop(a);
        assert_eq!(limit.open(ip), 1);
        assert!(limit.acquire(ip).is_some());
    }
}
