//! Chapter 3: producing streams. With `--features solutions` the reference solutions from
//! `solutions/ch03/` are compiled in place of these stubs.

/// The constants, types and helpers the exercises hand you (never swapped: stubs, solutions and
/// tests share them).
pub mod given;

#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch03/ex01_countdown.rs"
)]
pub mod ex01_countdown;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch03/ex02_keep_alive.rs"
)]
pub mod ex02_keep_alive;
#[cfg_attr(feature = "solutions", path = "../../../solutions/ch03/ex03_replay.rs")]
pub mod ex03_replay;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch03/ex04_openai_chunks.rs"
)]
pub mod ex04_openai_chunks;
#[cfg_attr(feature = "solutions", path = "../../../solutions/ch03/ex05_auth.rs")]
pub mod ex05_auth;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch03/ex06_headers.rs"
)]
pub mod ex06_headers;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch03/ex07_resume_status.rs"
)]
pub mod ex07_resume_status;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch03/ex08_resume_point.rs"
)]
pub mod ex08_resume_point;
