//! Chapter 4: choosing a transport. With `--features solutions` the reference solutions from
//! `solutions/ch04/` are compiled in place of these stubs.

/// Code the exercises are given (ch04::ex01's event log, ch04::ex06's frame, ch04::ex07's SHA-1):
/// shared by the stubs, the solutions and the wrong variants, never swapped.
pub mod given;

#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch04/ex01_long_poll.rs"
)]
pub mod ex01_long_poll;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch04/ex02_polling_client.rs"
)]
pub mod ex02_polling_client;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch04/ex03_overhead.rs"
)]
pub mod ex03_overhead;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch04/ex04_ws_forward.rs"
)]
pub mod ex04_ws_forward;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch04/ex05_polling_requests.rs"
)]
pub mod ex05_polling_requests;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch04/ex06_control_frame.rs"
)]
pub mod ex06_control_frame;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch04/ex07_accept_key.rs"
)]
pub mod ex07_accept_key;
