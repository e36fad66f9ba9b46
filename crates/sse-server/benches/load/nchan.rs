//! nginx with the nchan module (Debian's `libnginx-mod-nchan`): what a user would deploy instead of
//! the hub, run on the same workload. The configuration is generated: 2 workers by default (one
//! per core, like the hub's runtime), `reuseport`, a backlog like the hub's, an `eventsource`
//! subscriber location at `/events/<channel>`, a publisher at `/pub/<channel>`, and the hub's
//! default replay (1,000 messages, 5 minutes); with a Redis URL, the channels live in Redis, so
//! several nginx instances share them as the hub's nodes do.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use test_kit::process::children;

/// Where Debian installs the module.
const MODULE: &str = "/usr/lib/nginx/modules/ngx_nchan_module.so";

/// `Err` names the Debian package that is missing.
pub fn available() -> Result<(), &'static str> {
    let nginx = Command::new("nginx")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !nginx.is_ok_and(|s| s.success()) {
        return Err("no nginx (Debian package nginx-light or nginx)");
    }
    if !Path::new(MODULE).exists() {
        return Err("no nchan module (Debian package libnginx-mod-nchan)");
    }
    Ok(())
}

/// One nginx (master and workers) in a directory of its own, stopped on drop.
pub struct Nginx {
    dir: PathBuf,
    master: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

fn config(dir: &Path, port: u16, workers: usize, redis: Option<&str>) -> String {
    let dir = dir.display();
    let (upstream, pass) = match redis {
        Some(url) => (
            format!("upstream nchan_redis {{ nchan_redis_server {url}; }}"),
            "nchan_redis_pass nchan_redis;",
        ),
        None => (String::new(), ""),
    };
    format!(
        r#"load_module {MODULE};
worker_processes {workers};
worker_rlimit_nofile 20000;
pid {dir}/nginx.pid;
daemon off;
events {{ worker_connections 19500; }}
http {{
    access_log off;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    {upstream}
    server {{
        listen 127.0.0.1:{port} reuseport backlog=4096;
        location ~ ^/events/([\w.:-]+)$ {{
            nchan_subscriber eventsource;
            nchan_channel_id $1;
            {pass}
        }}
        location ~ ^/pub/([\w.:-]+)$ {{
            nchan_publisher;
            nchan_channel_id $1;
            nchan_message_buffer_length 1000;
            nchan_message_timeout 5m;
            {pass}
        }}
    }}
}}
"#
    )
}

impl Nginx {
    /// Starts nginx with `workers` worker processes, in memory or on the Redis at `redis`; waits
    /// (at most 10 s) until it accepts connections.
    pub async fn start(workers: usize, redis: Option<&str>) -> Nginx {
        let port = test_kit::free_port();
        let dir =
            std::env::temp_dir().join(format!("sse-bench-nginx-{}-{port}", std::process::id()));
        std::fs::create_dir_all(dir.join("tmp")).expect("a directory for nginx");
        let conf = dir.join("nginx.conf");
        std::fs::write(&conf, config(&dir, port, workers, redis)).expect("nginx.conf");
        let master = Command::new("nginx")
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(&conf)
            .arg("-e")
            .arg(dir.join("error.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx starts");
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let nginx = Nginx { dir, master, addr };
        let deadline = Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(addr).await.is_err() {
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(nginx.dir.join("error.log")).unwrap_or_default();
                panic!("nginx did not start within 10 s:\n{log}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        nginx
    }

    /// The master and its workers: memory and CPU are summed over them.
    pub fn pids(&self) -> Vec<u32> {
        let master = self.master.id();
        std::iter::once(master).chain(children(master)).collect()
    }

    /// The publisher URL of `channel`.
    pub fn publish_url(&self, channel: &str) -> String {
        format!("http://{}/pub/{channel}", self.addr)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM to the master is nginx's fast shutdown: it stops its workers, then exits.
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.master.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.master.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.master.kill();
        let _ = self.master.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
