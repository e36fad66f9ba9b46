//! Server memory per idle SSE connection: plain HTTP/1.1 against TLS with HTTP/1.1, TLS with
//! HTTP/2 (one stream per connection), and TLS with HTTP/2 carrying eight streams per connection
//! (a browser with eight `EventSource`s on one origin).
//!
//! ```text
//! cargo bench -p ssekit-server --bench tls_memory                    # 2,000 streams per transport
//! cargo bench -p ssekit-server --bench tls_memory -- --streams 500
//! ```
//!
//! Each transport gets a fresh server process (this same binary, in server mode), so that its
//! resident memory, read from /proc before and with every stream open and idle, is its own.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use test_kit::process::rss_kib;
use test_kit::reexec;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn run_server(tls: bool) {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut config = sse_server::Config::default().with_max_streams_per_client(0);
    let mut cert_path = String::from("-");
    if tls {
        let local = sse_server::tls::self_signed(&["127.0.0.1"]).unwrap();
        let path = std::env::temp_dir().join(format!("sse-tls-memory-{}.pem", std::process::id()));
        std::fs::write(&path, &local.cert_pem).unwrap();
        cert_path = path.display().to_string();
        config.conn.tls = Some(local.config);
    }
    println!("{} {cert_path}", listener.local_addr().unwrap());
    let stop = async {
        let mut sink = Vec::new();
        let _ = tokio::io::stdin().read_to_end(&mut sink).await;
    };
    sse_server::serve(listener, config, stop).await.unwrap();
}

#[derive(Clone, Copy, Debug)]
enum Transport {
    Plain,
    TlsHttp1,
    TlsHttp2,
    TlsHttp2Shared,
}

impl Transport {
    fn label(self) -> &'static str {
        match self {
            Transport::Plain => "HTTP/1.1, plain TCP",
            Transport::TlsHttp1 => "HTTP/1.1 over TLS",
            Transport::TlsHttp2 => "HTTP/2 over TLS, 1 stream per connection",
            Transport::TlsHttp2Shared => "HTTP/2 over TLS, 8 streams per connection",
        }
    }
}

fn client_config(cert_pem: &str, alpn: &[u8]) -> Arc<rustls::ClientConfig> {
    use rustls_pki_types::pem::PemObject as _;
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls_pki_types::CertificateDer::from_pem_slice(cert_pem.as_bytes()).unwrap())
        .unwrap();
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![alpn.to_vec()];
    Arc::new(config)
}

/// Keeps whatever holds a stream open.
type Held = Box<dyn std::any::Any + Send>;

/// An HTTP/1.1 stream on `io`; returns once its first bytes arrived.
async fn http1_stream<I>(mut io: I) -> I
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    io.write_all(b"GET /events/bench HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut head = [0u8; 12];
    io.read_exact(&mut head).await.unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    io
}

async fn open(transport: Transport, addr: SocketAddr, cert_pem: &str, streams: usize) -> Vec<Held> {
    let mut held: Vec<Held> = Vec::new();
    match transport {
        Transport::Plain => {
            for _ in 0..streams {
                let tcp = TcpStream::connect(addr).await.unwrap();
                held.push(Box::new(http1_stream(tcp).await));
            }
        }
        Transport::TlsHttp1 => {
            let connector = tokio_rustls::TlsConnector::from(client_config(cert_pem, b"http/1.1"));
            for _ in 0..streams {
                let tcp = TcpStream::connect(addr).await.unwrap();
                let tls = connector
                    .connect("127.0.0.1".try_into().unwrap(), tcp)
                    .await
                    .unwrap();
                held.push(Box::new(http1_stream(tls).await));
            }
        }
        Transport::TlsHttp2 | Transport::TlsHttp2Shared => {
            let per_connection = if matches!(transport, Transport::TlsHttp2) {
                1
            } else {
                8
            };
            let connector = tokio_rustls::TlsConnector::from(client_config(cert_pem, b"h2"));
            for _ in 0..streams.div_ceil(per_connection) {
                let tcp = TcpStream::connect(addr).await.unwrap();
                let tls = connector
                    .connect("127.0.0.1".try_into().unwrap(), tcp)
                    .await
                    .unwrap();
                let (send, connection) = hyper::client::conn::http2::handshake(
                    hyper_util::rt::TokioExecutor::new(),
                    hyper_util::rt::TokioIo::new(tls),
                )
                .await
                .unwrap();
                tokio::spawn(connection);
                for _ in 0..per_connection {
                    let mut send = send.clone();
                    let request = hyper::Request::get(format!("https://{addr}/events/bench"))
                        .body(http_body_util::Empty::<bytes::Bytes>::new())
                        .unwrap();
                    let response = send.send_request(request).await.unwrap();
                    assert_eq!(response.status(), 200);
                    held.push(Box::new(response));
                }
                held.push(Box::new(send));
            }
        }
    }
    held
}

async fn measure(transport: Transport, streams: usize) -> (u64, u64) {
    let mode = if matches!(transport, Transport::Plain) {
        "plain"
    } else {
        "tls"
    };
    let server = reexec::Child::spawn(reexec::SERVER_MODE, [mode]).await;
    let pid = server.pid();
    let line = server.first_line().to_owned();
    let (addr, cert_path) = line.split_once(' ').unwrap();
    let addr: SocketAddr = addr.parse().unwrap();
    let cert_pem = std::fs::read_to_string(cert_path).unwrap_or_default();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let base = rss_kib(pid);
    let held = open(transport, addr, &cert_pem, streams).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let with = rss_kib(pid);
    drop(held);
    server.stop().await;
    let _ = std::fs::remove_file(cert_path);
    (base, with)
}

async fn run_bench() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let args: Vec<String> = std::env::args().collect();
    let streams = args
        .iter()
        .position(|a| a == "--streams")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000usize);
    println!("Server memory per idle SSE stream ({streams} streams, server in its own process)");
    println!();
    println!("| transport | server RSS before / with the streams | per stream |");
    println!("|---|---|---|");
    for transport in [
        Transport::Plain,
        Transport::TlsHttp1,
        Transport::TlsHttp2,
        Transport::TlsHttp2Shared,
    ] {
        let (base, with) = measure(transport, streams).await;
        println!(
            "| {} | {:.1} / {:.1} MiB | {:.1} KiB |",
            transport.label(),
            base as f64 / 1024.0,
            with as f64 / 1024.0,
            with.saturating_sub(base) as f64 / streams as f64
        );
    }
}

fn main() {
    if let Some(args) = reexec::mode_args(reexec::SERVER_MODE) {
        let tls = args.first().is_some_and(|m| m == "tls");
        reexec::block_on_all_cores(run_server(tls));
        return;
    }
    reexec::block_on_one_thread(run_bench());
}
