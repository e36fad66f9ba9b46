//! An application's own routes beside the library's, behind the same token: a task publishes the
//! time to the `clock` channel every second, and `GET /whoami` is an ordinary JSON route.
//! `cargo run -p ssekit-server --example custom_routes`, then
//! `curl -N -H 'Authorization: Bearer s3cret' http://127.0.0.1:3000/events/clock`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use sse_format::Event;
use sse_server::{Config, require_auth, serve_with, shutdown_signal};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    let config = Config::default().with_auth_token("s3cret");
    serve_with(listener, config, shutdown_signal(), |state| {
        let hub = state.hub.clone();
        let mut shutdown = state.shutdown.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tokio::select! {
                    _ = tick.tick() => {}
                    // Ends with the server, so that shutdown does not wait for it.
                    () = shutdown.wait() => break,
                }
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default();
                let event = Event::new().event("tick").data(now.as_secs().to_string());
                if let Err(error) = hub.publish("clock", event).await {
                    eprintln!("publish failed: {error}");
                }
            }
        });
        Router::new()
            .route(
                "/whoami",
                get(|| async { axum::Json(serde_json::json!({"app": "clock"})) }),
            )
            .route_layer(from_fn_with_state(state.clone(), require_auth))
    })
    .await
}
