//! The tempting mistake: the value is read with `str::parse::<u64>()`, Rust's notion of "a
//! number", with overflow handled; but `parse` also accepts a leading `+`, so `retry: +15` sets
//! 15 ms where the spec ignores the field (ASCII digits only).
//! class: spec

use std::num::IntErrorKind;

/// Returns the reconnection time in milliseconds that a `retry` field with this value sets, or
/// `None` if the field is to be ignored.
pub fn reconnection_time(value: &str) -> Option<u64> {
    match value.parse::<u64>() {
        Ok(millis) => Some(millis),
        Err(error) if *error.kind() == IntErrorKind::PosOverflow => Some(u64::MAX),
        Err(_) => None,
    }
}
