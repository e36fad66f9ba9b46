//! Replay bounds: how much history a channel keeps for clients that come back.
//!
//! Three bounds, all enforced: a count (a burst cannot push out everything), an age (a client
//! gone for an hour is better served by a fresh start than by an hour of stale events) and bytes
//! (ten large events cost as much as ten thousand small ones).

use std::time::Duration;

/// The limits on what a channel keeps for replay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplayBounds {
    /// Events kept per channel.
    pub count: usize,
    /// How long an event stays replayable.
    pub age: Duration,
    /// Bytes kept per channel (the encoded event plus its data).
    pub bytes: usize,
}

impl Default for ReplayBounds {
    fn default() -> Self {
        ReplayBounds {
            count: 1000,
            age: Duration::from_secs(300),
            bytes: 1 << 20,
        }
    }
}

// ANCHOR: keep_from
/// Of `entries` (oldest first), the index of the first one to keep so that the kept tail fits
/// the bounds: the newest events win. `size` and `age` describe an entry.
pub fn keep_from<T>(
    entries: &[T],
    bounds: &ReplayBounds,
    size: impl Fn(&T) -> usize,
    age: impl Fn(&T) -> Duration,
) -> usize {
    let mut bytes = 0usize;
    let mut start = entries.len();
    for (index, entry) in entries.iter().enumerate().rev() {
        let kept = entries.len() - index - 1;
        let total = bytes.saturating_add(size(entry));
        if kept >= bounds.count || total > bounds.bytes || age(entry) > bounds.age {
            break;
        }
        bytes = total;
        start = index;
    }
    start
}
// ANCHOR_END: keep_from

#[cfg(test)]
mod tests {
    use super::*;

    /// (size, age in seconds)
    fn cut(entries: &[(usize, u64)], bounds: ReplayBounds) -> usize {
        keep_from(entries, &bounds, |e| e.0, |e| Duration::from_secs(e.1))
    }

    #[test]
    fn each_bound_cuts_the_oldest() {
        let entries = [(10, 50), (10, 40), (10, 30), (10, 20), (10, 10)];
        let loose = ReplayBounds {
            count: 100,
            age: Duration::from_secs(100),
            bytes: 1000,
        };
        assert_eq!(cut(&entries, loose), 0, "all fit");
        assert_eq!(cut(&entries, ReplayBounds { count: 2, ..loose }), 3);
        assert_eq!(
            cut(
                &entries,
                ReplayBounds {
                    age: Duration::from_secs(35),
                    ..loose
                }
            ),
            2
        );
        assert_eq!(cut(&entries, ReplayBounds { bytes: 39, ..loose }), 2);
        assert_eq!(cut(&entries, ReplayBounds { bytes: 40, ..loose }), 1);
        assert_eq!(cut(&[], loose), 0);
    }

    #[test]
    fn one_event_larger_than_the_byte_bound_is_not_kept() {
        let loose = ReplayBounds {
            count: 100,
            age: Duration::from_secs(100),
            bytes: 100,
        };
        assert_eq!(cut(&[(10, 0), (101, 0)], loose), 2);
        assert_eq!(cut(&[(usize::MAX, 0), (10, 0)], loose), 1, "no overflow");
    }
}
