//! Exercise ch05::ex03: resume a node's reader without duplicates. Book: Chapter 5 › Exercises ›
//! "ch05::ex03". Stuck? `cargo course hint ch05::ex03`.
//! Test: `cargo test -p exercises --test ch05 ch05_ex03`.

// ANCHOR: stub
pub use super::given::{BadId, Entry};

/// Which entries of `batch` a node's reader forwards to its subscribers after a reconnect.
///
/// The reader forwarded every entry up to `last_forwarded` (`None`: none yet) before Redis went
/// away. Back on line, it re-reads the channel and gets `batch`, in ascending id order, which
/// may overlap what it already forwarded: it may start before `last_forwarded`, contain that
/// entry, or not (trimmed). Return the entries strictly after `last_forwarded`, in order, so
/// that subscribers get each event exactly once. Compare ids as Redis orders them: by the
/// number `ms`, then by the number `seq`, over the whole `u64` range of each.
///
/// An id is `<ms>-<seq>`: two parts, each one or more ASCII digits that fit in a `u64`. A
/// malformed id, in `last_forwarded` or anywhere in the batch (forwarded or not), is
/// `Err(BadId(id))`: the reader stops rather than guess.
pub fn to_forward(last_forwarded: Option<&str>, batch: &[Entry]) -> Result<Vec<Entry>, BadId> {
    // TODO: the entries of `batch` to forward, in order, or the error.
    todo!(
        "forward after {last_forwarded:?} from {} entries",
        batch.len()
    )
}
// ANCHOR_END: stub
