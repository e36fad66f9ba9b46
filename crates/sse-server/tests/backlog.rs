//! The listen backlog: a burst of clients connecting at once (a node restarts and its
//! subscribers all reconnect) is queued by the kernel, not dropped.

use std::time::Duration;

use sse_server::conn::{DEFAULT_BACKLOG, bind};

/// With the standard library's backlog of 128, the SYNs past it are dropped while nothing is
/// accepted, and those clients wait (1 s, then 3 s, ...) to retry. The server here never
/// accepts: every connection must still complete, queued by the kernel.
#[tokio::test]
async fn a_burst_of_connects_past_128_is_queued_not_dropped() {
    const CLIENTS: usize = 300;
    assert!(CLIENTS < DEFAULT_BACKLOG as usize);
    let listener = bind("127.0.0.1:0".parse().unwrap(), DEFAULT_BACKLOG).unwrap();
    let addr = listener.local_addr().unwrap();
    let connects = (0..CLIENTS).map(|_| {
        tokio::time::timeout(Duration::from_secs(3), tokio::net::TcpStream::connect(addr))
    });
    let results = futures::future::join_all(connects).await;
    let completed = results.iter().filter(|r| matches!(r, Ok(Ok(_)))).count();
    assert_eq!(
        completed, CLIENTS,
        "connections completed without an accept (the rest were dropped by a full backlog)"
    );
    drop(listener);
}

#[tokio::test]
async fn bind_serves_ipv6_too_when_the_machine_has_it() {
    match bind("[::1]:0".parse().unwrap(), 16) {
        Ok(listener) => assert!(listener.local_addr().unwrap().is_ipv6()),
        // A machine without IPv6 on loopback: nothing to check.
        Err(error) => eprintln!("no IPv6 loopback here: {error}"),
    }
}
