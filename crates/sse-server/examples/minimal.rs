//! The smallest useful server: `GET /events/{channel}` streams, `POST /publish/{channel}`
//! publishes, `GET /health` answers; Ctrl-C ends every stream cleanly.
//! `cargo run -p ssekit-server --example minimal`, then in two terminals:
//! `curl -N http://127.0.0.1:3000/events/news` and
//! `curl -H 'Content-Type: application/json' -d '{"data": "hello"}' \
//!   http://127.0.0.1:3000/publish/news`.

use sse_server::{Config, serve, shutdown_signal};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    eprintln!("listening on http://{}", listener.local_addr()?);
    serve(listener, Config::default(), shutdown_signal()).await
}
