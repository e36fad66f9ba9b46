//! Out of file descriptors: the accept loop keeps running (backing off, see `conn.rs`), and serves
//! the waiting client once descriptors are free again. Its own test binary, since it lowers the
//! process's open-file limit.

use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_file_descriptors_the_server_keeps_running_and_recovers() {
    let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
    rlimit::setrlimit(rlimit::Resource::NOFILE, 256.min(soft), hard).unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut config = sse_server::Config::default();
    config.conn.max_connections = Some(10_000); // past the descriptors: the cap is not what stops it
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(sse_server::serve(listener, config, async {
        let _ = stopped.await;
    }));

    // A client in another process, started first (spawning needs descriptors) and told to connect
    // once this process has none left: the kernel completes its handshake, but the server's accept
    // fails with EMFILE until descriptors are freed.
    let script = format!(
        "import socket,sys\n\
         sys.stdin.readline()\n\
         s=socket.create_connection(('127.0.0.1',{}),timeout=20)\n\
         s.sendall(b'GET /health HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n')\n\
         data=b''\n\
         while True:\n    chunk=s.recv(4096)\n    if not chunk: break\n    data+=chunk\n\
         sys.stdout.write(data.decode())\n",
        addr.port()
    );
    let mut client = tokio::process::Command::new("python3")
        .args(["-c", &script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("python3 runs the client");
    let mut go = client.stdin.take().unwrap();

    // Use up every descriptor of this process.
    let mut hoard = Vec::new();
    while let Ok(file) = std::fs::File::open("/dev/null") {
        hoard.push(file);
        assert!(hoard.len() < 100_000, "the limit took effect");
    }
    tokio::io::AsyncWriteExt::write_all(&mut go, b"go\n")
        .await
        .unwrap();
    // Starved for a while: the server keeps running.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(!server.is_finished(), "the server survived EMFILE");
    let freed = Instant::now();
    drop(hoard);
    let output = tokio::time::timeout(Duration::from_secs(10), client.wait_with_output())
        .await
        .expect("the waiting client was served")
        .unwrap();
    let answer = String::from_utf8_lossy(&output.stdout);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("\"}"), "{answer}");
    // Served within the longest backoff (1 s) and some slack, not at the next 10 ms spin.
    assert!(
        freed.elapsed() < Duration::from_secs(3),
        "{:?}",
        freed.elapsed()
    );

    let _ = stop.send(());
    tokio::time::timeout(Duration::from_secs(15), server)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}
