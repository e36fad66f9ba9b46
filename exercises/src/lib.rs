//! The course exercises. Fill in the `todo!()`s; check with `cargo test -p exercises` and
//! `cargo course progress`. `cargo test -p exercises --features solutions` runs the tests against
//! the reference solutions instead.
#![allow(missing_docs)]

pub mod ch01;
pub mod ch02;
pub mod ch03;
pub mod ch04;
pub mod ch05;
