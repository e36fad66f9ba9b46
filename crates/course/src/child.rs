//! Running a child process with a deadline, Ctrl-C and live stderr lines.
//!
//! Both pipes are read on their own threads (a child blocks once a pipe's buffer is full), and the
//! waits for those threads are bounded too, so nothing a test does can make the runner hang.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::interrupt::{self, Interrupted};

/// How long to wait for the output pipes once the child has exited or been killed.
const DRAIN: Duration = Duration::from_secs(5);

/// How a child ended.
#[derive(Debug)]
pub struct Finished {
    /// Its exit status; `None` if it was killed at the deadline.
    pub status: Option<ExitStatus>,
    /// Everything it wrote to stdout (lossily decoded).
    pub stdout: String,
    /// Everything it wrote to stderr (lossily decoded).
    pub stderr: String,
    /// How long it ran.
    pub elapsed: Duration,
}

impl Finished {
    /// Whether the deadline killed it.
    pub fn timed_out(&self) -> bool {
        self.status.is_none()
    }
}

/// Runs `command` to its end, or kills it after `timeout`. Each stderr line is passed to
/// `on_stderr_line` as it arrives. Ctrl-C kills the child and returns [`Interrupted`].
pub fn run(
    mut command: Command,
    timeout: Option<Duration>,
    mut on_stderr_line: impl FnMut(&str),
) -> Result<Finished> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command
        .spawn()
        .with_context(|| format!("starting {program}"))?;
    let start = Instant::now();

    // Both readers send what they read as it comes, so even output written just before a kill is
    // kept, and a grandchild holding a pipe open cannot make us wait past DRAIN.
    let (tx, rx) = mpsc::channel::<Piece>();
    if let Some(mut stdout) = child.stdout.take() {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(n @ 1..) = stdout.read(&mut buffer) {
                if tx.send(Piece::Out(buffer[..n].to_vec())).is_err() {
                    return;
                }
            }
            let _ = tx.send(Piece::Closed);
        });
    }
    if let Some(stderr) = child.stderr.take() {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stderr);
            let mut line = Vec::new();
            while reader.read_until(b'\n', &mut line).is_ok_and(|n| n > 0) {
                if tx
                    .send(Piece::Err(String::from_utf8_lossy(&line).into_owned()))
                    .is_err()
                {
                    return;
                }
                line.clear();
            }
            let _ = tx.send(Piece::Closed);
        });
    }
    drop(tx);

    let mut stdout = Vec::new();
    let mut stderr = String::new();
    let mut open = 2;
    let mut take =
        |piece: Piece, stdout: &mut Vec<u8>, stderr: &mut String, open: &mut i32| match piece {
            Piece::Out(bytes) => stdout.extend_from_slice(&bytes),
            Piece::Err(line) => {
                on_stderr_line(line.trim_end());
                stderr.push_str(&line);
            }
            Piece::Closed => *open -= 1,
        };
    let status = loop {
        if let Some(status) = child.try_wait().context("waiting for a child process")? {
            break Some(status);
        }
        if interrupt::requested() {
            kill(&mut child);
            return Err(Interrupted.into());
        }
        if timeout.is_some_and(|t| start.elapsed() >= t) {
            kill(&mut child);
            break None;
        }
        if let Ok(piece) = rx.recv_timeout(Duration::from_millis(20)) {
            take(piece, &mut stdout, &mut stderr, &mut open);
        }
    };
    let elapsed = start.elapsed();
    let drain_until = Instant::now() + DRAIN;
    while open > 0 {
        let left = drain_until.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(piece) => take(piece, &mut stdout, &mut stderr, &mut open),
            Err(_) => break,
        }
    }
    Ok(Finished {
        status,
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr,
        elapsed,
    })
}

enum Piece {
    Out(Vec<u8>),
    Err(String),
    Closed,
}

fn kill(child: &mut Child) {
    // Killing a process that already exited is an error we can ignore.
    let _ = child.kill();
    let _ = child.wait();
}

/// `3.2 s`, `1 min 04 s`.
pub fn human(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1} s")
    } else {
        let whole = duration.as_secs();
        format!("{} min {:02} s", whole / 60, whole % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations() {
        assert_eq!(human(Duration::from_millis(3240)), "3.2 s");
        assert_eq!(human(Duration::from_secs(64)), "1 min 04 s");
    }

    #[cfg(unix)]
    #[test]
    fn a_child_past_its_deadline_is_killed() {
        let mut command = Command::new("sh");
        command.args(["-c", "echo started; echo note >&2; exec sleep 30"]);
        let start = Instant::now();
        let mut lines = Vec::new();
        let finished = run(command, Some(Duration::from_millis(500)), |l| {
            lines.push(l.to_owned())
        })
        .expect("sh runs");
        assert!(finished.timed_out(), "the sleep must be cut short");
        assert!(start.elapsed() < Duration::from_secs(10), "killed promptly");
        assert_eq!(finished.stdout, "started\n");
        assert_eq!(lines, ["note"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_child_that_ends_keeps_its_status_and_output() {
        let mut command = Command::new("sh");
        command.args(["-c", "printf 'a\\nb'; exit 3"]);
        let finished = run(command, Some(Duration::from_secs(20)), |_| {}).expect("sh runs");
        assert_eq!(finished.status.and_then(|s| s.code()), Some(3));
        assert_eq!(finished.stdout, "a\nb");
    }
}
