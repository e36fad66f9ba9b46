//! Chapter 2: consuming streams. With `--features solutions` the reference solutions from
//! `solutions/ch02/` are compiled in place of these stubs.
//! With `--features wrong` (and not `solutions`), each exercise's tempting mistake from
//! `exercises/wrong/ch02/` is compiled instead, to prove the tests catch it.

#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch02/ex01_collect.rs"
)]
#[cfg_attr(
    all(feature = "wrong", not(feature = "solutions")),
    path = "../../wrong/ch02/ex01_collect.rs"
)]
pub mod ex01_collect;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch02/ex02_openai_deltas.rs"
)]
#[cfg_attr(
    all(feature = "wrong", not(feature = "solutions")),
    path = "../../wrong/ch02/ex02_openai_deltas.rs"
)]
pub mod ex02_openai_deltas;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch02/ex03_anthropic_tool.rs"
)]
#[cfg_attr(
    all(feature = "wrong", not(feature = "solutions")),
    path = "../../wrong/ch02/ex03_anthropic_tool.rs"
)]
pub mod ex03_anthropic_tool;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch02/ex04_backoff.rs"
)]
#[cfg_attr(
    all(feature = "wrong", not(feature = "solutions")),
    path = "../../wrong/ch02/ex04_backoff.rs"
)]
pub mod ex04_backoff;
#[cfg_attr(
    feature = "solutions",
    path = "../../../solutions/ch02/ex05_retry_decision.rs"
)]
#[cfg_attr(
    all(feature = "wrong", not(feature = "solutions")),
    path = "../../wrong/ch02/ex05_retry_decision.rs"
)]
pub mod ex05_retry_decision;
#[cfg_attr(feature = "solutions", path = "../../../solutions/ch02/ex06_resume.rs")]
#[cfg_attr(
    all(feature = "wrong", not(feature = "solutions")),
    path = "../../wrong/ch02/ex06_resume.rs"
)]
pub mod ex06_resume;
#[cfg_attr(feature = "solutions", path = "../../../solutions/ch02/ex07_timers.rs")]
#[cfg_attr(
    all(feature = "wrong", not(feature = "solutions")),
    path = "../../wrong/ch02/ex07_timers.rs"
)]
pub mod ex07_timers;
