//! `sse serve --tls-self-signed` as a program: HTTPS with HTTP/2, a certificate a client can trust
//! from the file it names; and clear errors for unreadable certificate files.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

/// Starts `sse serve --tls-self-signed` on a free port.
fn serve_self_signed() -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_sse"))
        .args(["serve", "--addr", "127.0.0.1:0", "--tls-self-signed"])
        .args(["--book-dir", "/nonexistent"])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_tls_self_signed_speaks_h2_with_a_certificate_clients_can_trust() {
    let mut server = serve_self_signed();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let (mut base, mut cert, mut fingerprint) = (None, None, None);
    tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(url) = line.strip_prefix("sse serve: listening on ") {
                base = Some(url.to_owned());
            } else if let Some(rest) = line.trim().strip_prefix("certificate") {
                cert = rest.split_whitespace().next().map(str::to_owned);
            } else if let Some(rest) = line.trim().strip_prefix("SHA-256") {
                fingerprint = Some(rest.trim().to_owned());
            }
            if line.trim().starts_with("try") {
                break;
            }
        }
    })
    .await
    .expect("sse serve printed its banner");
    let base = base.expect("the address");
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let fingerprint = fingerprint.expect("the fingerprint");
    assert_eq!(
        fingerprint.len(),
        95,
        "32 bytes as AA:BB:...: {fingerprint}"
    );
    let cert_path = cert.expect("the certificate path");
    let pem = std::fs::read(&cert_path).unwrap();

    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(&pem).unwrap()])
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let response = client.get(format!("{base}/health")).send().await.unwrap();
    assert_eq!(response.version(), reqwest::Version::HTTP_2);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("\"hub\":\"memory\"")
    );
    // Without the certificate, a client refuses the server.
    let untrusting = reqwest::Client::builder()
        .tls_certs_only([])
        .build()
        .unwrap();
    assert!(
        untrusting
            .get(format!("{base}/health"))
            .send()
            .await
            .is_err()
    );
    // `sse listen --ca-file` trusts the printed certificate and streams over HTTPS.
    let listen = tokio::time::timeout(
        Duration::from_secs(30),
        tokio::process::Command::new(env!("CARGO_BIN_EXE_sse"))
            .args(["listen", "--json", "--count", "2", "--ca-file", &cert_path])
            .arg(format!("{base}/events/counter"))
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("sse listen ended within 30 s")
    .unwrap();
    let stdout = String::from_utf8_lossy(&listen.stdout);
    let stderr = String::from_utf8_lossy(&listen.stderr);
    assert!(listen.status.success(), "sse listen failed: {stderr}");
    assert_eq!(
        stdout.lines().filter(|l| l.contains("\"data\"")).count(),
        2,
        "two events over HTTPS: {stdout} {stderr}"
    );
    assert!(stderr.contains("connected to https://"), "{stderr}");
    server.kill().await.unwrap();
}

#[tokio::test]
async fn sse_listen_without_the_certificate_refuses_the_server() {
    let mut server = serve_self_signed();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let base = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            if let Some(url) = line.strip_prefix("sse serve: listening on ") {
                return url.to_owned();
            }
        }
        panic!("no address printed")
    })
    .await
    .expect("sse serve printed its address");
    let listen = tokio::time::timeout(
        Duration::from_secs(30),
        tokio::process::Command::new(env!("CARGO_BIN_EXE_sse"))
            .args(["listen", "--count", "1", "--max-retries", "0"])
            .arg(format!("{base}/events/counter"))
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("sse listen ended within 30 s")
    .unwrap();
    assert!(
        !listen.status.success(),
        "an untrusted certificate must be refused: {}",
        String::from_utf8_lossy(&listen.stderr)
    );
    server.kill().await.unwrap();
}

#[tokio::test]
async fn unreadable_certificate_files_are_named_in_the_error() {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_sse"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args([
            "--tls-cert",
            "/nonexistent/cert.pem",
            "--tls-key",
            "/nonexistent/key.pem",
        ])
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("/nonexistent/cert.pem"), "{error}");
    // A key without a certificate is refused by the argument parser.
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_sse"))
        .args(["serve", "--tls-key", "key.pem"])
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
}
