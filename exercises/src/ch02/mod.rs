//! Chapter 2: consuming streams. With `--features solutions` the reference solutions from
//! `solutions/ch02/` are compiled in place of these stubs.

/// The types and constants the exercises hand you (not swapped by `--features solutions`).
pub mod given;

#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch02/ex01_collect.rs"
)]
pub mod ex01_collect;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch02/ex02_openai_deltas.rs"
)]
pub mod ex02_openai_deltas;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch02/ex03_anthropic_tool.rs"
)]
pub mod ex03_anthropic_tool;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch02/ex04_backoff.rs"
)]
pub mod ex04_backoff;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch02/ex05_retry_decision.rs"
)]
pub mod ex05_retry_decision;
#[cfg_attr(feature = "solutions", path = "../../../solutions/ch02/ex06_resume.rs")]
pub mod ex06_resume;
#[cfg_attr(feature = "solutions", path = "../../../solutions/ch02/ex07_timers.rs")]
pub mod ex07_timers;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch02/ex08_recording.rs"
)]
pub mod ex08_recording;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch02/ex09_last_event_id.rs"
)]
pub mod ex09_last_event_id;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch02/ex10_should_retry.rs"
)]
pub mod ex10_should_retry;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch02/ex11_decodable_prefix.rs"
)]
pub mod ex11_decodable_prefix;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch02/ex12_anthropic_route.rs"
)]
pub mod ex12_anthropic_route;
