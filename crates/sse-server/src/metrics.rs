//! What the server counts, through the [`metrics`](https://docs.rs/metrics) facade, and (with
//! the `prometheus` feature) the Prometheus exporter and its `/metrics` route.
//!
//! The names, types, labels and meanings of every series (the server's and the hub's) are in
//! one table, in [`sse_hub::metrics`], re-exported here. The server records:
//! `sse_streams_open{transport="sse"}` while an SSE response is open ([`crate::routes::respond`]),
//! `sse_connections_refused_total{cause}` where it refuses (the connection cap in [`crate::conn`],
//! the per-client limit in [`crate::routes::open`], the token in [`crate::require_auth`] and
//! [`crate::jwt`], the `Host` in [`crate::access`]), and `sse_resumes_total{outcome}` and
//! `sse_replay_events` for each stream opened with a `Last-Event-ID`.
//!
//! The library installs no recorder: an application picks its exporter, and installs it before
//! it builds the hub (the hub takes its handles when it starts).

pub use sse_hub::metrics::*;

#[cfg(feature = "prometheus")]
#[cfg_attr(docsrs, doc(cfg(feature = "prometheus")))]
pub mod prometheus;
