//! The Prometheus exporter (`metrics-exporter-prometheus`, the exporter of axum's own
//! `prometheus-metrics` example) and a `GET /metrics` route in the Prometheus text format.
//!
//! `/metrics` tells an outsider how many clients a node serves and how its Redis behaves: keep it
//! from the public, either on an address of its own (`sse serve --metrics-addr 127.0.0.1:9100`,
//! reachable from the scraper only) or behind a token ([`Exporter::router`] with `Some(token)`,
//! checked in constant time; `sse serve --metrics-token`), or both.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use sse_server::metrics::prometheus::Exporter;
//!
//! // First, so that the hub (built by `serve`) takes its handles from this recorder.
//! let exporter = Exporter::install()?;
//! let metrics = tokio::net::TcpListener::bind("127.0.0.1:9100").await?;
//! tokio::spawn(async move { axum::serve(metrics, exporter.router(None)).await });
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//! sse_server::serve(listener, sse_server::Config::default(), sse_server::shutdown_signal()).await?;
//! # Ok(()) }
//! ```

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use super::{FANOUT_DELAY, REDIS_ROUND_TRIP, REPLAY_EVENTS};

/// Buckets of the delay histograms, in seconds: 0.5 ms to 10 s.
pub const SECONDS_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Buckets of `sse_replay_events`: how many events a resume replayed.
pub const REPLAY_BUCKETS: &[f64] = &[
    0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0,
];

/// How often buffered histogram samples are folded in when nobody scrapes, so that they cannot
/// pile up (a scrape folds them in too).
pub const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Why the exporter could not be installed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InstallError {
    /// A `metrics` recorder is installed already (there is one per process).
    #[error("a metrics recorder is already installed in this process")]
    AlreadyInstalled,
    /// The exporter refused its configuration.
    #[error("the Prometheus exporter refused its configuration: {0}")]
    Build(#[source] metrics_exporter_prometheus::BuildError),
}

/// The installed exporter: renders the text format, serves `/metrics`.
#[derive(Clone, Debug)]
pub struct Exporter {
    handle: PrometheusHandle,
}

impl Exporter {
    /// Installs the exporter as the process's `metrics` recorder, with histogram buckets for the
    /// hub's histograms and the help text of every series ([`super::describe`]). Within a tokio
    /// runtime it also starts the upkeep task ([`UPKEEP_EVERY`]); outside one, call
    /// [`Exporter::render`] now and then.
    ///
    /// Install it before building the hub (see [`super`]).
    pub fn install() -> Result<Exporter, InstallError> {
        let handle = Self::builder()
            .map_err(InstallError::Build)?
            .install_recorder()
            .map_err(|error| match error {
                metrics_exporter_prometheus::BuildError::FailedToSetGlobalRecorder(_) => {
                    InstallError::AlreadyInstalled
                }
                error => InstallError::Build(error),
            })?;
        super::describe();
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let upkeep = handle.clone();
            runtime.spawn(async move {
                let mut every = tokio::time::interval(UPKEEP_EVERY);
                every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    every.tick().await;
                    upkeep.run_upkeep();
                }
            });
        }
        Ok(Exporter { handle })
    }

    fn builder() -> Result<PrometheusBuilder, metrics_exporter_prometheus::BuildError> {
        PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(FANOUT_DELAY.to_owned()), SECONDS_BUCKETS)?
            .set_buckets_for_metric(Matcher::Full(REDIS_ROUND_TRIP.to_owned()), SECONDS_BUCKETS)?
            .set_buckets_for_metric(Matcher::Full(REPLAY_EVENTS.to_owned()), REPLAY_BUCKETS)
    }

    /// Every series now, in the Prometheus text format.
    pub fn render(&self) -> String {
        self.handle.render()
    }

    /// `GET /metrics`. With `token`, a request must present it (`Authorization: Bearer`, in
    /// constant time, as [`crate::access::presents_token`]), or gets `401`.
    pub fn router(&self, token: Option<&str>) -> Router {
        let state = Scrape {
            exporter: self.clone(),
            token: token.map(Arc::from),
        };
        Router::new()
            .route("/metrics", get(scrape))
            .with_state(state)
    }
}

#[derive(Clone)]
struct Scrape {
    exporter: Exporter,
    token: Option<Arc<str>>,
}

async fn scrape(State(scrape): State<Scrape>, headers: HeaderMap) -> Response {
    if let Some(token) = scrape.token.as_deref()
        && !crate::access::presents_token(&headers, token)
    {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "the metrics token is required\n",
        )
            .into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        scrape.exporter.render(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_buckets_are_accepted() {
        assert!(Exporter::builder().is_ok());
    }
}
