//! The course exercises. Fill in the `todo!()`s; check with `cargo test -p exercises` and
//! `cargo course progress`. `cargo test -p exercises --features solutions` runs the tests against
//! the reference solutions instead.
#![allow(missing_docs)]

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
