//! Debian's `prometheus` package in tests: `promtool check metrics` on a scrape, and a throwaway
//! `prometheus` server that scrapes a target every second ([`LocalPrometheus`]).
//!
//! As with [`crate::redis`]: when a program is missing, the test prints one line naming the
//! Debian package and skips, unless `CI` is set, where it fails (CI must run these tests).

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Whether `program --version` runs.
fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `true` when `program` is installed; otherwise prints one line and returns `false`, or panics
/// when `CI` is set.
fn installed_or_skip(program: &str) -> bool {
    if runs(program) {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install Debian's `prometheus` package (it has {program})"
    );
    eprintln!("skipping: no {program} (install Debian's `prometheus` package to run this test)");
    false
}

/// The value of one series in a Prometheus text rendering (`name{labels}` exactly as rendered,
/// then a space and the value), if present.
pub fn series_value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}

/// Waits, at most 10 s, until `series` in what `render` returns reads `expected`; panics with
/// the last value read otherwise.
pub async fn until_series(render: impl Fn() -> String, series: &str, expected: f64) {
    let waited = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while series_value(&render(), series) != Some(expected) {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(
        waited.is_ok(),
        "{series} stayed at {:?}, not {expected}",
        series_value(&render(), series)
    );
}

/// Runs `promtool check metrics` on `text`: `None` when promtool is missing (and `CI` unset),
/// else its verdict, with promtool's own words on failure.
pub fn promtool_check_metrics(text: &str) -> Option<Result<(), String>> {
    if !installed_or_skip("promtool") {
        return None;
    }
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool starts");
    // promtool reads all of stdin before it writes: no deadlock on a small scrape.
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("promtool reads the scrape");
    let output = child.wait_with_output().expect("promtool ends");
    Some(if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "promtool check metrics: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    })
}

/// A `prometheus` server on a free loopback port, its data in a temporary directory, scraping
/// one target every second; killed (and its directory removed) when dropped.
#[derive(Debug)]
pub struct LocalPrometheus {
    child: Child,
    dir: PathBuf,
    port: u16,
}

impl LocalPrometheus {
    /// Starts one scraping `http://<target>/metrics` (with `bearer` as its token, if any), or
    /// returns `None` after one line when `prometheus` is not installed (panics with `CI` set).
    /// Panics if it does not answer its readiness check within 30 s.
    pub async fn start_or_skip(target: SocketAddr, bearer: Option<&str>) -> Option<Self> {
        if !installed_or_skip("prometheus") {
            return None;
        }
        let port = crate::free_port();
        let dir =
            std::env::temp_dir().join(format!("sse-prometheus-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let auth = match bearer {
            Some(token) => {
                let file = dir.join("token");
                std::fs::write(&file, token).expect("the token file");
                format!(
                    "    authorization:\n      credentials_file: {}\n",
                    file.display()
                )
            }
            None => String::new(),
        };
        let config = format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n\
             scrape_configs:\n  - job_name: sse\n    scrape_interval: 1s\n{auth}    \
             static_configs:\n      - targets: ['{target}']\n"
        );
        let config_file = dir.join("prometheus.yml");
        std::fs::write(&config_file, config).expect("the configuration file");
        let child = Command::new("prometheus")
            .arg(format!("--config.file={}", config_file.display()))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("prometheus starts");
        let prometheus = LocalPrometheus { child, dir, port };
        let ready = tokio::time::timeout(Duration::from_secs(30), async {
            loop {
                if crate::http_get_status(prometheus.addr(), "/-/ready").await == Some(200) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await;
        assert!(ready.is_ok(), "prometheus was not ready within 30 s");
        Some(prometheus)
    }

    /// Where its HTTP API listens.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }
}

impl Drop for LocalPrometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
