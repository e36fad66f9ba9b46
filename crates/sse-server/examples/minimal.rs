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
    // A listen backlog of 4096, not tokio's 128: a burst of reconnects is queued, not dropped.
    let addr = addr
        .parse()
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    let listener = sse_server::conn::bind(addr, sse_server::conn::DEFAULT_BACKLOG)?;
    eprintln!("listening on http://{}", listener.local_addr()?);
    serve(listener, Config::default(), shutdown_signal()).await
}
