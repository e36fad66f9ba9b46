//! Helpers shared by the integration tests.

// Each test binary that includes this module uses a different part of it.
#![allow(dead_code)]

pub mod devtools;
