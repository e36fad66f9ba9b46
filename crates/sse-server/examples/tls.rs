//! HTTPS with HTTP/2 (negotiated by ALPN) on a certificate made at start-up. The certificate is
//! written to `sse-example-ca.pem` for clients to trust:
//! `cargo run -p ssekit-server --example tls`, then
//! `curl -N --cacert sse-example-ca.pem https://localhost:3443/events/news`.
//! In production, load your own with `sse_server::tls::from_pem_files(cert, key)`.

use sse_server::conn::ConnConfig;
use sse_server::{Config, serve, shutdown_signal, tls};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let certificate = tls::self_signed(&["localhost", "127.0.0.1"])?;
    std::fs::write("sse-example-ca.pem", &certificate.cert_pem)?;
    eprintln!("certificate SHA-256 {}", certificate.fingerprint);
    let config = Config::default().with_conn(ConnConfig::default().with_tls(certificate.config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3443").await?;
    eprintln!("listening on https://localhost:3443");
    serve(listener, config, shutdown_signal()).await?;
    Ok(())
}
