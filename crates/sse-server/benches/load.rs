//! Load benchmark: one broadcast workload, run on one node with the in-memory hub, then on two
//! nodes sharing a Redis hub, with the subscribers split evenly across the nodes.
//!
//! ```text
//! cargo bench -p ssekit-server --bench load                     # 10,000 subscribers, 20 broadcasts, both setups
//! cargo bench -p ssekit-server --bench load -- --clients 2000 --broadcasts 10
//! cargo bench -p ssekit-server --bench load -- --only memory    # or --only redis
//! cargo bench -p ssekit-server --bench load -- --burst 10        # 10 events back to back per broadcast
//! cargo bench -p ssekit-server --bench load -- --only floor     # or memory, redis, nchan, nchan-redis
//! cargo bench -p ssekit-server --bench load -- --nodes 6 --clients 100000 --interval-ms 2000
//! ```
//!
//! `--nodes 6` runs six floor processes, six hub nodes on one Redis, one nginx with six workers,
//! and six nginx (one worker each) on one Redis; the one-node hub is skipped (one process holds at
//! most about 19,800 sockets here: the open-file limit is 20,000 and cannot be raised).
//!
//! The first column, "bare writes", is the floor no SSE server can go under on this machine: a
//! process that answers each subscriber's request with a fixed response head and then, for each
//! broadcast, makes one `write` of the same event bytes to each socket, in a loop, on one thread
//! per core (no HTTP library, no queue, no task per connection; a burst goes out in one write). On loopback the kernel charges the
//! sending process for the receiving socket's TCP work too, so its CPU time per delivery is the
//! kernel's price of one small write to one TCP connection; the servers' figures above it are what
//! the hub, the queues, tokio and hyper add.
//!
//! Each server node runs in a child process (this same binary, in server mode) so that its
//! memory and CPU time can be read on their own from /proc; the Redis setup starts its own
//! `redis-server` on a free loopback port, with persistence off, and reads its CPU time the same
//! way. The load generators are processes of this binary too, one thread each, 15,000
//! subscribers per process by default (`--loadgens N` to choose), each from a source address of
//! its own (127.x.y.n: one address has about 28,000 ephemeral ports). For every delivery they
//! record the delay from the moment the event was published to the moment the subscriber parsed
//! it (one machine, one clock), and they count each subscriber's events, so a run shows whether
//! every subscriber got every event exactly once. Without `redis-server` on the PATH the Redis column is skipped, with one line saying so.
//!
//! Beside the hub, the same workload runs on nginx with the nchan module (see `load/nchan.rs`): in
//! memory, and as two nginx instances sharing a Redis, like the hub's two nodes. Without nginx or
//! the module (Debian packages `nginx-light` and `libnginx-mod-nchan`) those columns are skipped,
//! with one line saying so. Memory is the proportional set size summed over a setup's processes
//! (nginx forks its workers from one master: a sum of RSS would count their shared pages twice).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::StreamExt;
use test_kit::process::{cpu_ms, cpu_split_ms, pss_kib};
use test_kit::redis::LocalRedis;
use test_kit::reexec;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

#[path = "load/nchan.rs"]
mod nchan;

/// The mode argument of the bare-writes floor's process.
const FLOOR_MODE: &str = "--floor-mode";

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn number(name: &str, default: usize) -> usize {
    arg(name).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn now_micros() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros()
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank] as f64 / 1000.0
}

/// Server mode: one node, in memory or (with `--redis URL`) on a shared Redis hub.
async fn run_server() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    // As `sse serve` binds (and nginx is configured): a backlog of 4096, not tokio's 128.
    let listener = sse_server::conn::bind(
        "127.0.0.1:0".parse().unwrap(),
        sse_server::conn::DEFAULT_BACKLOG,
    )
    .unwrap();
    // Every subscriber comes from 127.0.0.1: no per-client limit.
    let mut config = sse_server::Config::default()
        .with_max_streams_per_client(0)
        .with_node_name(arg("--node-name").unwrap_or_else(|| "bench".to_owned()));
    if let Some(secs) = arg("--keep-alive-secs").and_then(|s| s.parse().ok()) {
        let sse = config.sse.with_keep_alive(Duration::from_secs(secs));
        config = config.with_sse(sse);
    }
    if let Some(url) = arg("--redis") {
        let redis = sse_server::hub::redis::RedisConfig::new(url);
        config = config.with_hub(
            sse_server::hub::Hub::redis(sse_server::hub::HubConfig::default(), redis)
                .expect("a Redis hub"),
        );
    }
    println!("{}", listener.local_addr().unwrap());
    // Ends when the benchmark closes our stdin.
    let stop = async {
        let mut sink = Vec::new();
        let _ = tokio::io::stdin().read_to_end(&mut sink).await;
    };
    sse_server::serve(listener, config, stop).await.unwrap();
}

/// Floor mode: no HTTP library, no hub. Accepts subscribers, answers each with a fixed SSE
/// response head, and on each line of stdin (a broadcast) writes the event, encoded once, to every
/// socket: one `write` per subscriber, which is all a broadcast has to do. The sockets are split
/// over one writer thread per core, as the server's runtime has one worker thread per core.
fn run_floor() {
    use std::io::{BufRead, Write};
    type Sockets = Arc<Mutex<Vec<std::net::TcpStream>>>;
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    println!("{}", listener.local_addr().unwrap());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let shards: Vec<Sockets> = (0..threads).map(|_| Sockets::default()).collect();
    let accepted = shards.clone();
    std::thread::spawn(move || {
        for (n, socket) in listener.incoming().flatten().enumerate() {
            let _ = socket.set_nodelay(true);
            let mut socket = socket;
            // The request is left unread in the socket's buffer: this floor does not parse HTTP.
            let head = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\
                         transfer-encoding: chunked\r\n\r\n";
            if socket.write_all(head).is_ok() {
                accepted[n % accepted.len()].lock().unwrap().push(socket);
            }
        }
    });
    let writers: Vec<std::sync::mpsc::Sender<Arc<Vec<u8>>>> = shards
        .into_iter()
        .map(|shard| {
            let (sender, receiver) = std::sync::mpsc::channel::<Arc<Vec<u8>>>();
            std::thread::spawn(move || {
                for chunk in receiver {
                    // Drop the sockets that cannot take it, as the hub drops a full queue.
                    shard
                        .lock()
                        .unwrap()
                        .retain_mut(|socket| socket.write_all(&chunk).is_ok());
                }
            });
            sender
        })
        .collect();
    let mut id = 0u64;
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        // A burst is written as it would ideally be: all its events in one write per socket.
        let mut chunk = String::new();
        for _ in 0..line.trim().parse::<usize>().unwrap_or(1) {
            id += 1;
            let event = format!("id: {id}\ndata: {}\n\n", now_micros());
            chunk.push_str(&format!("{:x}\r\n{event}\r\n", event.len()));
        }
        let chunk = Arc::new(chunk.into_bytes());
        for writer in &writers {
            let _ = writer.send(chunk.clone());
        }
    }
}

/// What serves a node: this executable again (see [`test_kit::reexec`]), or nginx with nchan.
enum Server {
    Process(Box<reexec::Child>),
    Nginx(nchan::Nginx),
}

/// A server node in processes of its own.
struct Node {
    server: Server,
    /// The bare-writes floor: broadcasts are lines on its stdin, not HTTP publishes.
    floor: bool,
    addr: SocketAddr,
}

impl Node {
    async fn start(redis: Option<&str>, name: &str) -> Node {
        let mut args = vec!["--node-name", name];
        if let Some(url) = redis {
            args.extend(["--redis", url]);
        }
        // `--keep-alive-secs N` for the hub nodes (default the server's 15 s): the floor sends
        // no keep-alive, and a long run's comments are writes the deliveries are charged for.
        let keep_alive = arg("--keep-alive-secs");
        if let Some(secs) = &keep_alive {
            args.extend(["--keep-alive-secs", secs.as_str()]);
        }
        Node::spawn(reexec::SERVER_MODE, &args).await
    }

    /// The bare-writes floor (see the module docs).
    async fn start_floor() -> Node {
        let mut node = Node::spawn(FLOOR_MODE, &[]).await;
        node.floor = true;
        node
    }

    /// nginx with nchan, `workers` worker processes, in memory or on Redis.
    async fn start_nchan(workers: usize, redis: Option<&str>) -> Node {
        let nginx = nchan::Nginx::start(workers, redis).await;
        Node {
            addr: nginx.addr,
            server: Server::Nginx(nginx),
            floor: false,
        }
    }

    async fn spawn(mode: &str, args: &[&str]) -> Node {
        let child = reexec::Child::spawn(mode, args).await;
        let addr = child.first_line().parse().unwrap();
        Node {
            server: Server::Process(Box::new(child)),
            floor: false,
            addr,
        }
    }

    /// Its processes: one, or nginx's master and workers.
    fn pids(&self) -> Vec<u32> {
        match &self.server {
            Server::Process(child) => vec![child.pid()],
            Server::Nginx(nginx) => nginx.pids(),
        }
    }

    fn publish_url(&self) -> String {
        match &self.server {
            Server::Process(_) => format!("http://{}/publish/bench", self.addr),
            Server::Nginx(nginx) => nginx.publish_url("bench"),
        }
    }

    /// The body of a publish of `data`: the hub takes JSON, nchan the data itself.
    fn publish_body(&self, data: &str) -> (String, &'static str) {
        match &self.server {
            Server::Process(_) => (format!("{{\"data\":\"{data}\"}}"), "application/json"),
            Server::Nginx(_) => (data.to_owned(), "text/plain"),
        }
    }

    async fn stop(self) {
        match self.server {
            Server::Process(child) => (*child).stop().await,
            Server::Nginx(nginx) => drop(nginx),
        }
    }
}

/// Sums a figure over the processes of `nodes`.
fn over(nodes: &[Node], figure: impl Fn(u32) -> f64) -> f64 {
    nodes.iter().flat_map(Node::pids).map(figure).sum()
}

/// A `redis-server` on a free loopback port, persistence off, killed on drop; `None` (and one line
/// saying so) without `redis-server`.
async fn start_redis() -> Option<LocalRedis> {
    if !test_kit::redis::installed() {
        println!("skipped the Redis setup: no redis-server (Debian package redis-server)");
        return None;
    }
    Some(LocalRedis::start().await)
}

/// The mode argument of a load generator's process.
const LOADGEN_MODE: &str = "--loadgen-mode";

/// Subscribers per load generator process by default: one process holds at most about 19,800
/// sockets here (20,000 open files, the hard limit).
const PER_LOADGEN: usize = 15_000;

/// What a load generator's subscribers received.
#[derive(Default)]
struct Received {
    /// Publish-to-parse delay of every delivery, in microseconds.
    latencies: Vec<u64>,
    /// Events received, per subscriber.
    counts: Vec<u32>,
    /// Deliveries that were not newer than the one before on the same subscriber: a duplicate
    /// or a reordering.
    repeated: usize,
}

/// Load generator mode: `--count` subscribers over the `--targets` (round robin from
/// `--first`), from the source address `--source` if given, on one thread. Prints `started`,
/// then `connected <n> <ms> <first error>`; then answers `count` (deliveries so far) and
/// `report` (`report <subscribers with exactly --expected events> <repeated> <latencies...>`)
/// on stdin, until stdin closes.
async fn run_loadgen() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let targets: Vec<SocketAddr> = arg("--targets")
        .expect("--targets")
        .split(',')
        .map(|a| a.parse().expect("a target address"))
        .collect();
    let count = number("--count", 0);
    let first = number("--first", 0);
    let expected = number("--expected", 0);
    let source: Option<std::net::IpAddr> = arg("--source").map(|a| a.parse().expect("an IP"));
    println!("started");
    let received = Arc::new(Mutex::new(Received {
        latencies: Vec::with_capacity(count * expected),
        counts: vec![0; count],
        repeated: 0,
    }));
    let started = Instant::now();
    let results: Vec<_> = futures::stream::iter(0..count)
        .map(|n| {
            subscribe(
                targets[(first + n) % targets.len()],
                source,
                n,
                received.clone(),
            )
        })
        .buffer_unordered(256)
        .collect()
        .await;
    let errors: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    let first_error = errors
        .first()
        .map_or(String::new(), |e| e.to_string().replace('\n', " "));
    println!(
        "connected {} {} {first_error}",
        count - errors.len(),
        started.elapsed().as_millis()
    );
    let mut commands = BufReader::new(tokio::io::stdin()).lines();
    while let Ok(Some(command)) = commands.next_line().await {
        let received = received.lock().unwrap();
        match command.as_str() {
            "count" => println!("{}", received.latencies.len()),
            "report" => {
                let exact = received
                    .counts
                    .iter()
                    .filter(|&&c| c as usize == expected)
                    .count();
                let mut line = format!("report {exact} {}", received.repeated);
                for latency in &received.latencies {
                    line.push(' ');
                    line.push_str(&latency.to_string());
                }
                println!("{line}");
            }
            _ => {}
        }
    }
}

/// Connects one subscriber; returns once the stream is open. Its task then records the latency
/// of every event it parses.
async fn subscribe(
    addr: SocketAddr,
    source: Option<std::net::IpAddr>,
    index: usize,
    received: Arc<Mutex<Received>>,
) -> std::io::Result<()> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    if let Some(source) = source {
        // Many source addresses: one address has about 28,000 ephemeral ports.
        socket.bind(SocketAddr::new(source, 0))?;
    }
    let mut stream = socket.connect(addr).await?;
    stream
        .write_all(
            b"GET /events/bench HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n",
        )
        .await?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line).await?;
        if line == "\r\n" {
            break; // end of the response head
        }
        if line.is_empty() || (line.starts_with("HTTP/") && !line.contains(" 200 ")) {
            return Err(std::io::Error::other(format!("refused: {line}")));
        }
    }
    tokio::spawn(async move {
        let mut parser = sse_format::Parser::new();
        let mut buf = vec![0u8; 4096];
        let mut last = 0u128;
        // The body is chunked; chunk-size lines are not SSE and are simply ignored as unknown
        // fields by the parser (they never contain a colon or look like a blank line with data).
        while let Ok(n) = reader.read(&mut buf).await {
            if n == 0 {
                break;
            }
            for frame in parser.feed(&buf[..n]) {
                if let Ok(sse_format::Frame::Event(event)) = frame
                    && let Ok(sent) = event.data().parse::<u128>()
                {
                    // One thread: the lock is never contended.
                    let delay = now_micros().saturating_sub(sent) as u64;
                    let mut received = received.lock().unwrap();
                    received.latencies.push(delay);
                    received.counts[index] += 1;
                    if sent <= last {
                        received.repeated += 1;
                    }
                    last = sent;
                }
            }
        }
    });
    Ok(())
}

/// The load generators of one run: processes of this executable, each with its share of the
/// subscribers and a source address of its own (127.x.y.n, x and y drawn for the run).
struct Loadgens {
    children: Vec<reexec::Child>,
    connected: usize,
    first_error: Option<String>,
    connect_time: Duration,
}

impl Loadgens {
    async fn start(addrs: &[SocketAddr], clients: usize, expected: usize) -> Loadgens {
        let processes = number("--loadgens", clients.div_ceil(PER_LOADGEN)).clamp(1, 200);
        let targets: Vec<String> = addrs.iter().map(SocketAddr::to_string).collect();
        let targets = targets.join(",");
        // Source addresses new to this run: the ports of an earlier run's connections wait in
        // TIME_WAIT for a minute, and `bind` would have to search past them.
        let net = (fastrand::u8(1..=254), fastrand::u8(..));
        let started = Instant::now();
        let mut children = Vec::new();
        let mut first = 0;
        for i in 0..processes {
            let count = clients / processes + usize::from(i < clients % processes);
            let args = [
                "--targets".to_owned(),
                targets.clone(),
                "--count".to_owned(),
                count.to_string(),
                "--first".to_owned(),
                first.to_string(),
                "--expected".to_owned(),
                expected.to_string(),
                "--source".to_owned(),
                format!("127.{}.{}.{}", net.0, net.1, i + 1),
            ];
            first += count;
            children.push(reexec::Child::spawn(LOADGEN_MODE, &args).await);
        }
        let mut connected = 0;
        let mut first_error = None;
        for child in &mut children {
            let line = tokio::time::timeout(Duration::from_secs(300), child.next_line())
                .await
                .expect("a load generator connects within 5 minutes")
                .expect("a load generator reports");
            let mut words = line.splitn(4, ' ').skip(1);
            connected += words
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0);
            let _ms = words.next();
            if let Some(error) = words.next().filter(|e| !e.is_empty()) {
                first_error.get_or_insert_with(|| error.to_owned());
            }
        }
        Loadgens {
            children,
            connected,
            first_error,
            connect_time: started.elapsed(),
        }
    }

    /// Sends `command` to every load generator and reads one line from each.
    async fn ask(&mut self, command: &str) -> Vec<String> {
        let mut lines = Vec::new();
        for child in &mut self.children {
            let stdin = child.stdin().expect("a load generator's stdin");
            stdin
                .write_all(format!("{command}\n").as_bytes())
                .await
                .unwrap();
            stdin.flush().await.unwrap();
        }
        for child in &mut self.children {
            let line = tokio::time::timeout(Duration::from_secs(60), child.next_line())
                .await
                .expect("a load generator answers")
                .expect("a line");
            lines.push(line);
        }
        lines
    }

    async fn deliveries(&mut self) -> usize {
        self.ask("count")
            .await
            .iter()
            .filter_map(|l| l.parse::<usize>().ok())
            .sum()
    }

    /// Subscribers that got exactly their events, repeated deliveries, and every latency.
    async fn report(&mut self) -> (usize, usize, Vec<u64>) {
        let mut exact = 0;
        let mut repeated = 0;
        let mut latencies = Vec::new();
        for line in self.ask("report").await {
            let mut words = line.split(' ').skip(1);
            exact += words
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0);
            repeated += words
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0);
            latencies.extend(words.filter_map(|w| w.parse::<u64>().ok()));
        }
        (exact, repeated, latencies)
    }

    fn cpu_ms(&self) -> f64 {
        self.children.iter().map(|c| cpu_ms(c.pid())).sum()
    }

    async fn stop(self) {
        for child in self.children {
            child.stop().await;
        }
    }
}

/// What one setup measured.
struct Figures {
    setup: &'static str,
    clients: usize,
    connected: usize,
    connect_time: Duration,
    broadcasts: usize,
    burst: usize,
    interval: Duration,
    /// From the first publish to the last delivery (or the deadline).
    phase: Duration,
    deliveries: usize,
    /// Subscribers that received exactly every event.
    exact: usize,
    /// Deliveries not newer than the subscriber's previous one (duplicates, reorderings).
    repeated: usize,
    node_base_rss_kib: u64,
    node_idle_rss_kib: u64,
    node_cpu_ms: f64,
    /// The part of `node_cpu_ms` spent in user space (the rest is the kernel's).
    node_user_ms: f64,
    redis_cpu_ms: Option<f64>,
    redis_rss_kib: Option<u64>,
    loadgen_cpu_ms: f64,
    sorted_latencies: Vec<u64>,
}

/// The workload: `clients` subscribers, `broadcasts` rounds `interval` apart of `burst` events
/// published back to back.
#[derive(Clone, Copy)]
struct Workload {
    clients: usize,
    broadcasts: usize,
    burst: usize,
    interval: Duration,
}

/// Runs the workload against `nodes` (subscribers split evenly, events published on the first).
async fn run_workload(
    setup: &'static str,
    nodes: &mut [Node],
    redis_pid: Option<u32>,
    workload: Workload,
) -> Figures {
    let Workload {
        clients,
        broadcasts,
        burst,
        interval,
    } = workload;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let node_base_rss_kib = over(nodes, |p| pss_kib(p) as f64) as u64;

    let addrs: Vec<SocketAddr> = nodes.iter().map(|n| n.addr).collect();
    let mut loadgens = Loadgens::start(&addrs, clients, broadcasts * burst).await;
    let connected = loadgens.connected;
    if let Some(first) = &loadgens.first_error {
        println!(
            "{setup}: {} subscribers failed, first: {first}",
            clients - connected
        );
    }
    // Let allocations settle, then read the nodes' memory with every subscriber idle.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let node_idle_rss_kib = over(nodes, |p| pss_kib(p) as f64) as u64;

    let node_cpu = |nodes: &[Node]| over(nodes, cpu_ms);
    let node_user = |nodes: &[Node]| over(nodes, |p| cpu_split_ms(p).0);
    let node_cpu_before = node_cpu(nodes);
    let node_user_before = node_user(nodes);

    let redis_cpu_before = redis_pid.map(cpu_ms);
    let loadgen_cpu_before = loadgens.cpu_ms();
    let phase = Instant::now();
    let client = reqwest::Client::new();
    let publish_url = nodes[0].publish_url();
    for _ in 0..broadcasts {
        if nodes[0].floor {
            // Every floor process writes to its own subscribers.
            for node in nodes.iter_mut() {
                let Server::Process(floor) = &mut node.server else {
                    unreachable!("the floor is a process of this executable")
                };
                let stdin = floor.stdin().expect("the floor's stdin");
                stdin
                    .write_all(format!("{burst}\n").as_bytes())
                    .await
                    .unwrap();
                stdin.flush().await.unwrap();
            }
            tokio::time::sleep(interval).await;
            continue;
        }
        for _ in 0..burst {
            let (body, content_type) = nodes[0].publish_body(&now_micros().to_string());
            let response = client
                .post(&publish_url)
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = response.status();
            assert!(status.is_success(), "publish: {status}");
        }
        tokio::time::sleep(interval).await;
    }
    // Wait (bounded) for the last deliveries.
    let expected = connected * broadcasts * burst;
    let deadline = Instant::now() + Duration::from_secs(60);
    while loadgens.deliveries().await < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let phase = phase.elapsed();
    let node_cpu_ms = node_cpu(nodes) - node_cpu_before;
    let node_user_ms = node_user(nodes) - node_user_before;

    let redis_cpu_ms = redis_pid.zip(redis_cpu_before).map(|(p, b)| cpu_ms(p) - b);
    let loadgen_cpu_ms = loadgens.cpu_ms() - loadgen_cpu_before;
    let (exact, repeated, mut sorted_latencies) = loadgens.report().await;
    let connect_time = loadgens.connect_time;
    loadgens.stop().await;
    sorted_latencies.sort_unstable();
    Figures {
        setup,
        clients,
        connected,
        connect_time,
        broadcasts,
        burst,
        interval,
        phase,
        deliveries: sorted_latencies.len(),
        exact,
        repeated,
        node_base_rss_kib,
        node_idle_rss_kib,
        node_cpu_ms,
        node_user_ms,
        redis_cpu_ms,
        redis_rss_kib: redis_pid.map(pss_kib),
        loadgen_cpu_ms,
        sorted_latencies,
    }
}

fn print_table(all: &[Figures]) {
    let row = |name: &str, cell: &dyn Fn(&Figures) -> String| {
        let cells: Vec<String> = all.iter().map(cell).collect();
        println!("| {name} | {} |", cells.join(" | "));
    };
    let per_delivery = |ms: f64, f: &Figures| ms * 1000.0 / f.deliveries.max(1) as f64;
    println!();
    let header: Vec<&str> = all.iter().map(|f| f.setup).collect();
    println!("| figure | {} |", header.join(" | "));
    println!("|---|{}", "---|".repeat(all.len()));
    row("subscribers connected", &|f| {
        format!(
            "{} of {} in {:.1} s",
            f.connected,
            f.clients,
            f.connect_time.as_secs_f64()
        )
    });
    row("deliveries", &|f| {
        let apart = f.interval.as_millis();
        let what = if f.burst == 1 {
            format!("{} broadcasts, {apart} ms apart", f.broadcasts)
        } else {
            format!(
                "{} bursts of {} events, {apart} ms apart",
                f.broadcasts, f.burst
            )
        };
        format!(
            "{} of {} ({what})",
            f.deliveries,
            f.connected * f.broadcasts * f.burst
        )
    });
    row("subscribers with every event exactly once", &|f| {
        format!(
            "{} of {}{}",
            f.exact,
            f.connected,
            if f.repeated > 0 {
                format!(" ({} repeated)", f.repeated)
            } else {
                String::new()
            }
        )
    });
    row("delivery latency p50", &|f| {
        format!("{:.1} ms", percentile(&f.sorted_latencies, 50.0))
    });
    row("delivery latency p99", &|f| {
        format!("{:.1} ms", percentile(&f.sorted_latencies, 99.0))
    });
    row("delivery latency max", &|f| {
        format!("{:.1} ms", percentile(&f.sorted_latencies, 100.0))
    });
    row("server CPU per delivery (all nodes)", &|f| {
        format!(
            "{:.1} µs (user {:.1} + kernel {:.1})",
            per_delivery(f.node_cpu_ms, f),
            per_delivery(f.node_user_ms, f),
            per_delivery(f.node_cpu_ms - f.node_user_ms, f)
        )
    });
    // Redis's CPU time moves in 10 ms ticks and includes its own timers and the nodes'
    // re-issued blocking reads: report it against the length of the broadcast phase.
    row(
        "Redis CPU during the broadcasts",
        &|f| match f.redis_cpu_ms {
            Some(ms) => format!(
                "{ms:.0} ms in {:.1} s ({:.1}% of a core)",
                f.phase.as_secs_f64(),
                ms / 10.0 / f.phase.as_secs_f64().max(0.001)
            ),
            None => "none".to_owned(),
        },
    );
    row(
        "load generator CPU per delivery (all its processes)",
        &|f| format!("{:.1} µs", per_delivery(f.loadgen_cpu_ms, f)),
    );
    row("server memory per idle connection (PSS)", &|f| {
        format!(
            "{:.1} KiB",
            f.node_idle_rss_kib.saturating_sub(f.node_base_rss_kib) as f64
                / f.connected.max(1) as f64
        )
    });
    row(
        "server PSS idle → with subscribers (all processes)",
        &|f| {
            format!(
                "{:.1} → {:.1} MiB",
                f.node_base_rss_kib as f64 / 1024.0,
                f.node_idle_rss_kib as f64 / 1024.0
            )
        },
    );
    row("Redis PSS", &|f| match f.redis_rss_kib {
        Some(kib) => format!("{:.1} MiB", kib as f64 / 1024.0),
        None => "none".to_owned(),
    });
}

/// A setup's name, made at run time.
fn name(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// Node names `a`, `b`, ...
fn node_name(i: usize) -> String {
    char::from(b'a' + (i % 26) as u8).to_string()
}

async fn run_bench() {
    let workload = Workload {
        clients: number("--clients", 10_000),
        broadcasts: number("--broadcasts", 20),
        burst: number("--burst", 1).max(1),
        interval: Duration::from_millis(number("--interval-ms", 250) as u64),
    };
    // `--nodes N`: N floor processes, N hub nodes on Redis, one nginx with N workers, and N
    // nginx (one worker each) on Redis; the one-node hub in memory is skipped. Without it: one
    // floor, one hub node, two hub nodes on Redis, nginx with 2 workers, two such on Redis.
    let many = arg("--nodes")
        .and_then(|n| n.parse::<usize>().ok())
        .map(|n| n.clamp(1, 26));
    let only = arg("--only");
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let mut all = Vec::new();

    if only.as_deref().is_none_or(|o| o == "floor") {
        let count = many.unwrap_or(1);
        let mut nodes = Vec::new();
        for _ in 0..count {
            nodes.push(Node::start_floor().await);
        }
        let setup = match count {
            1 => "bare writes (floor)",
            n => name(format!("bare writes (floor), {n} processes")),
        };
        all.push(run_workload(setup, &mut nodes, None, workload).await);
        for node in nodes {
            node.stop().await;
        }
    }
    if only.as_deref().is_none_or(|o| o == "memory") && many.is_none_or(|n| n == 1) {
        let node = Node::start(None, "a").await;
        let mut nodes = [node];
        all.push(run_workload("one node, in memory", &mut nodes, None, workload).await);
        for node in nodes {
            node.stop().await;
        }
    }
    let nchan = nchan::available();
    if let Err(missing) = nchan
        && only.as_deref().is_none_or(|o| o.starts_with("nchan"))
    {
        println!("skipped the nchan setups: {missing}");
    }
    if nchan.is_ok() && only.as_deref().is_none_or(|o| o == "nchan") {
        let workers = many.unwrap_or(2);
        let mut nodes = [Node::start_nchan(workers, None).await];
        let setup = match many {
            None => "nginx + nchan, in memory",
            Some(n) => name(format!("nginx + nchan, {n} workers, in memory")),
        };
        all.push(run_workload(setup, &mut nodes, None, workload).await);
        for node in nodes {
            node.stop().await;
        }
    }
    if only.as_deref().is_none_or(|o| o == "redis")
        && let Some(redis) = start_redis().await
    {
        let url = redis.url();
        let count = many.unwrap_or(2);
        let mut nodes = Vec::new();
        for i in 0..count {
            nodes.push(Node::start(Some(&url), &node_name(i)).await);
        }
        let setup = match many {
            None => "two nodes + Redis",
            Some(n) => name(format!("{n} nodes + Redis")),
        };
        let figures = run_workload(setup, &mut nodes, redis.pid(), workload).await;
        all.push(figures);
        for node in nodes {
            node.stop().await;
        }
        drop(redis);
    }
    if nchan.is_ok()
        && only.as_deref().is_none_or(|o| o == "nchan-redis")
        && let Some(redis) = start_redis().await
    {
        let url = redis.url();
        let (count, workers) = match many {
            None => (2, 2),
            Some(n) => (n, 1),
        };
        let mut nodes = Vec::new();
        for _ in 0..count {
            nodes.push(Node::start_nchan(workers, Some(&url)).await);
        }
        let setup = match many {
            None => "two nginx + nchan + Redis",
            Some(n) => name(format!("{n} nginx + nchan (1 worker each) + Redis")),
        };
        let figures = run_workload(setup, &mut nodes, redis.pid(), workload).await;
        all.push(figures);
        for node in nodes {
            node.stop().await;
        }
        drop(redis);
    }
    println!(
        "SSE load benchmark: {} subscribers, {} broadcasts of {} event(s) {} ms apart; server \
         nodes and load generators in their own processes, loopback",
        workload.clients,
        workload.broadcasts,
        workload.burst,
        workload.interval.as_millis()
    );
    print_table(&all);
}

fn main() {
    if reexec::is_mode(FLOOR_MODE) {
        run_floor();
        return;
    }
    if reexec::is_mode(LOADGEN_MODE) {
        // A load generator on one thread (several run side by side for large counts).
        reexec::block_on_one_thread(run_loadgen());
        return;
    }
    if reexec::is_mode(reexec::SERVER_MODE) {
        // The server as `sse serve` runs it: a worker thread per core.
        reexec::block_on_all_cores(run_server());
        return;
    }
    // `cargo bench -- --list` probes the harness: there is nothing to list.
    if !std::env::args().any(|a| a == "--list") {
        // The driver on one thread; the load generators are processes of their own.
        reexec::block_on_one_thread(run_bench());
    }
}
