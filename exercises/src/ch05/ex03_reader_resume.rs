//! Exercise ch05::ex03: resume a node's reader without duplicates. Book: Chapter 5 › Exercises ›
//! "ch05::ex03". Stuck? `cargo course hint ch05::ex03`.
//! Test: `cargo test -p exercises --test ch05 ch05_ex03`.

// ANCHOR: stub
/// One stream entry as the Redis client hands it over: the id is text, `<ms>-<seq>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub data: String,
}

/// An id that is not `<ms>-<seq>` with two `u64` parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadId(pub String);

/// Which entries of `batch` a node's reader forwards to its subscribers after a reconnect.
///
/// The reader forwarded every entry up to `last_forwarded` (`None`: none yet) before Redis went
/// away. Back on line, it re-reads the channel and gets `batch`, in ascending id order, which
/// may overlap what it already forwarded: it may start before `last_forwarded`, contain that
/// entry, or not (trimmed). Return the entries strictly after `last_forwarded`, in order, so
/// that subscribers get each event exactly once. Compare ids as Redis orders them: by the
/// number `ms`, then by the number `seq`. A malformed id (in `last_forwarded` or in the batch)
/// is `Err(BadId(id))`.
pub fn to_forward(last_forwarded: Option<&str>, batch: &[Entry]) -> Result<Vec<Entry>, BadId> {
    // TODO: turn each id into something that compares the way Redis orders ids.
    // TODO: keep the entries after `last_forwarded`, and only those.
    todo!(
        "forward after {last_forwarded:?} from {} entries",
        batch.len()
    )
}
// ANCHOR_END: stub
