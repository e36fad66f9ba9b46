//! Chapter 5: scaling out on Redis Streams. With `--features solutions` the reference solutions
//! from `solutions/ch05/` are compiled in place of these stubs.

/// The types the exercises hand you (ids, stream state, decisions, errors): the same for the
/// stubs and the solutions, never swapped.
pub mod given;

#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch05/ex01_xrange_start.rs"
)]
pub mod ex01_xrange_start;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch05/ex02_replay_or_gap.rs"
)]
pub mod ex02_replay_or_gap;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch05/ex03_reader_resume.rs"
)]
pub mod ex03_reader_resume;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch05/ex04_stream_id.rs"
)]
pub mod ex04_stream_id;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch05/ex05_newer_id.rs"
)]
pub mod ex05_newer_id;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch05/ex06_channel_name.rs"
)]
pub mod ex06_channel_name;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch05/ex07_token_bucket.rs"
)]
pub mod ex07_token_bucket;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch05/ex08_channel_grant.rs"
)]
pub mod ex08_channel_grant;
