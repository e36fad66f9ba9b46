//! The course exercises. Fill in the `todo!()`s; check with `cargo test -p exercises` and
//! `cargo course progress`. `cargo test -p exercises --features solutions` runs the tests against
//! the reference solutions instead.
#![allow(missing_docs)]

// Two copies of the course that share a target dir (CARGO_TARGET_DIR) get the same artifact names
// (cargo hashes a workspace member's path relative to its workspace root), so a build in one copy
// could take the other's library as fresh and test the wrong files. `.cargo/config.toml` sets
// COURSE_ROOT to this copy's folder; reading it here makes rustc record it and cargo rebuild when it
// differs. (CARGO_MANIFEST_DIR would not do: cargo leaves the variables it sets out of that check.)
const _COURSE_ROOT: Option<&str> = option_env!("COURSE_ROOT");

// `course-shadow` is for `cargo course` alone (crates/course/src/shadow.rs): it compiles each
// chapter from `.course/shadow/`, which points at your files except one that does not compile.

#[cfg_attr(
    all(feature = "course-shadow", not(feature = "solutions")),
    path = "../../.course/shadow/ch01/mod.rs"
)]
pub mod ch01;
#[cfg_attr(
    all(feature = "course-shadow", not(feature = "solutions")),
    path = "../../.course/shadow/ch02/mod.rs"
)]
pub mod ch02;
#[cfg_attr(
    all(feature = "course-shadow", not(feature = "solutions")),
    path = "../../.course/shadow/ch03/mod.rs"
)]
pub mod ch03;
#[cfg_attr(
    all(feature = "course-shadow", not(feature = "solutions")),
    path = "../../.course/shadow/ch04/mod.rs"
)]
pub mod ch04;
#[cfg_attr(
    all(feature = "course-shadow", not(feature = "solutions")),
    path = "../../.course/shadow/ch05/mod.rs"
)]
pub mod ch05;
