//! Chapter 1: the wire format. Each module is one exercise; with `--features solutions` the
//! reference solution from `solutions/ch01/` is compiled in its place.

/// The types the exercises share (never swapped: stubs, solutions and tests all use these).
pub mod given;

#[cfg_attr(feature = "solutions", path = "../../../solutions/ch01/ex01_field.rs")]
pub mod ex01_field;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch01/ex02_naive_fix.rs"
)]
pub mod ex02_naive_fix;
#[cfg_attr(feature = "solutions", path = "../../../solutions/ch01/ex03_lines.rs")]
pub mod ex03_lines;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch01/ex04_dispatch.rs"
)]
pub mod ex04_dispatch;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch01/ex05_incremental.rs"
)]
pub mod ex05_incremental;
#[cfg_attr(feature = "solutions", path = "../../../solutions/ch01/ex06_encode.rs")]
pub mod ex06_encode;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch01/ex07_count_events.rs"
)]
pub mod ex07_count_events;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch01/ex08_retry_value.rs"
)]
pub mod ex08_retry_value;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch01/ex09_naive_break.rs"
)]
pub mod ex09_naive_break;
