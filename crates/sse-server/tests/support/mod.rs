//! Helpers shared by the integration tests.

// Each test binary that includes this module uses a different part of it.
#![allow(dead_code)]

pub mod devtools;

/// Publishes 1, 2, 3, ... on the channel `counter` every `every` until the server shuts down:
/// the library publishes nothing by itself (the demo channels are sse-demo's).
pub async fn publish_counter(state: sse_server::AppState, every: std::time::Duration) {
    let mut shutdown = state.shutdown.clone();
    let mut tick = tokio::time::interval(every);
    for n in 1u64.. {
        tokio::select! {
            () = shutdown.wait() => return,
            _ = tick.tick() => {
                let event = sse_format::Event::new().data(n.to_string());
                let _ = state.hub.publish("counter", event).await;
            }
        }
    }
}

/// `sse_server::serve_with`'s `extra` for a server that publishes [`publish_counter`] every
/// `every` and adds no routes.
pub fn with_counter(
    every: std::time::Duration,
) -> impl FnOnce(&sse_server::AppState) -> axum::Router {
    move |state| {
        tokio::spawn(publish_counter(state.clone(), every));
        axum::Router::new()
    }
}
