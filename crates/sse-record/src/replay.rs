//! Serving a recording as an HTTP endpoint: the same status, headers, chunk boundaries and pacing,
//! resumable with `Last-Event-ID`, with faults on request.
//!
//! Which recorded connection answers a request:
//! - with a `Last-Event-ID` the recording holds, the stream resumes right after the blank line
//!   that set that id (the last place it was set), inside its chunk if need be; when that
//!   connection has no complete event left, the next recorded connection follows;
//! - otherwise the k-th request gets the k-th recorded connection (the last one from then on), so
//!   a recorded 429 followed by a 200 replays as a 429 followed by a 200.
//!
//! Any path and method is answered: an app under test points its base URL at the replay.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, StreamExt};
use sse_format::{Frame, Parser};

use crate::format::{Recording, What};

/// How a recording is replayed. `ReplayConfig::default()`: recorded pacing, no faults.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ReplayConfig {
    /// Pacing: 1.0 replays at the recorded speed, 2.0 twice as fast, 0.0 without any delay.
    pub speed: f64,
    /// Cut each connection (a transport error) after this many body bytes.
    pub cut_after_bytes: Option<u64>,
    /// Cut each connection right after this many events.
    pub cut_after_events: Option<u64>,
    /// Answer the first requests with an error status instead.
    pub fault_status: Option<FaultStatus>,
}

impl Default for ReplayConfig {
    fn default() -> Self {
        ReplayConfig {
            speed: 1.0,
            cut_after_bytes: None,
            cut_after_events: None,
            fault_status: None,
        }
    }
}

impl ReplayConfig {
    /// Sets the pacing (see [`ReplayConfig::speed`]); negative or not finite means no delay.
    pub fn with_speed(mut self, speed: f64) -> Self {
        self.speed = if speed.is_finite() && speed > 0.0 {
            speed
        } else {
            0.0
        };
        self
    }

    /// Cuts each connection after `bytes` body bytes.
    pub fn with_cut_after_bytes(mut self, bytes: u64) -> Self {
        self.cut_after_bytes = Some(bytes);
        self
    }

    /// Cuts each connection right after `events` events.
    pub fn with_cut_after_events(mut self, events: u64) -> Self {
        self.cut_after_events = Some(events);
        self
    }

    /// Answers the first `times` requests with `status` (and `Retry-After` if given).
    pub fn with_fault_status(mut self, fault: FaultStatus) -> Self {
        self.fault_status = Some(fault);
        self
    }
}

/// An error status for the first requests, such as a 429 with `Retry-After`.
#[derive(Clone, Debug)]
pub struct FaultStatus {
    /// The status to answer with.
    pub status: StatusCode,
    /// The `Retry-After` to send, in whole seconds.
    pub retry_after: Option<Duration>,
    /// How many requests get it before the recording is served.
    pub times: u64,
}

/// One recorded connection, ready to serve.
#[derive(Debug, Default)]
struct Connection {
    status: Option<StatusCode>,
    headers: HeaderMap,
    /// When the response head arrived, in recorded milliseconds.
    head_ms: f64,
    chunks: Vec<(f64, Bytes)>,
    /// Whether the recorded connection ended with a transport error.
    cut: bool,
}

/// Where a `Last-Event-ID` resumes: a connection, a chunk and an offset in it.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Resume {
    connection: usize,
    chunk: usize,
    offset: usize,
}

struct State {
    connections: Vec<Connection>,
    config: ReplayConfig,
    requests: AtomicU64,
}

/// A replay serving on loopback, for tests: [`serve`] starts it, dropping it stops it.
#[derive(Debug)]
pub struct Replay {
    /// The base URL, such as `http://127.0.0.1:41234`; any path under it is answered.
    pub url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Replay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves `recording` on `127.0.0.1` at a free port until the returned [`Replay`] is dropped.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use sse_record::{Recording, ReplayConfig};
///
/// let recording = Recording::from_file("tests/data/chat.jsonl").expect("a recording");
/// let replay = sse_record::serve(recording, ReplayConfig::default().with_speed(0.0)).await?;
/// // Point the client under test at it:
/// let url = format!("{}/v1/chat/completions", replay.url);
/// # let _ = url; Ok(()) }
/// ```
pub async fn serve(recording: Recording, config: ReplayConfig) -> std::io::Result<Replay> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let app = router(&recording, config);
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(Replay { url, task })
}

/// The replay as an axum router (any path, any method), to mount or serve as one likes.
pub fn router(recording: &Recording, config: ReplayConfig) -> Router {
    let state = Arc::new(State {
        connections: connections(recording),
        config,
        requests: AtomicU64::new(0),
    });
    Router::new().fallback(move |headers: HeaderMap| {
        let state = state.clone();
        async move { answer(&state, &headers) }
    })
}

/// Groups the recording's lines by connection, in the order connections first appear.
fn connections(recording: &Recording) -> Vec<Connection> {
    let mut order: Vec<u32> = Vec::new();
    let mut out: Vec<Connection> = Vec::new();
    for line in &recording.lines {
        let index = match order.iter().position(|&c| c == line.conn) {
            Some(index) => index,
            None => {
                order.push(line.conn);
                out.push(Connection::default());
                out.len() - 1
            }
        };
        let connection = &mut out[index];
        match &line.what {
            What::Request(_) => {}
            What::Response(response) => {
                connection.status = StatusCode::from_u16(response.status).ok();
                connection.head_ms = line.ms;
                for (name, value) in &response.headers {
                    let (Ok(name), Ok(value)) = (
                        HeaderName::try_from(name.as_str()),
                        HeaderValue::try_from(value.as_str()),
                    ) else {
                        continue;
                    };
                    // The replay frames its own body.
                    if !crate::format::is_hop_by_hop(&name) {
                        connection.headers.append(name, value);
                    }
                }
            }
            What::Chunk(_) | What::ChunkBase64(_) => {
                if let Some(bytes) = line.what.chunk_bytes() {
                    connection.chunks.push((line.ms, Bytes::from(bytes)));
                }
            }
            What::End(reason) => connection.cut = reason == "cut",
        }
    }
    // A connection that never got a response (refused) cannot be replayed as one.
    out.retain(|c| c.status.is_some());
    out
}

/// Splits a chunk after each CR and LF, so that a parser fed piece by piece stops at every line
/// end: the point after the blank line that dispatched an event is then a piece boundary.
fn pieces(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(bytes.len(), |i| start + i + 1);
        let piece = (start, &bytes[start..end]);
        start = end;
        Some(piece)
    })
}

/// The last place in the recording where a blank line set the last event id to `id`.
fn find_resume(connections: &[Connection], id: &str) -> Option<Resume> {
    let mut found = None;
    for (c, connection) in connections.iter().enumerate() {
        let mut parser = Parser::new();
        for (k, (_, chunk)) in connection.chunks.iter().enumerate() {
            for (start, piece) in pieces(chunk) {
                // The id is set at the blank line that ends its block; later events without an
                // `id:` field keep it, so only the change marks the place.
                let before_matches = parser.last_event_id() == id;
                parser.feed(piece).for_each(drop);
                if parser.last_event_id() == id && !before_matches {
                    found = Some(Resume {
                        connection: c,
                        chunk: k,
                        offset: start + piece.len(),
                    });
                }
            }
        }
    }
    found
}

/// Whether any complete event (or `retry:`) remains in `chunks` from `resume` on.
fn has_event_after(chunks: &[(f64, Bytes)], resume: Resume) -> bool {
    let mut parser = Parser::new();
    chunks
        .iter()
        .enumerate()
        .skip(resume.chunk)
        .any(|(k, (_, chunk))| {
            let from = if k == resume.chunk { resume.offset } else { 0 };
            parser
                .feed(&chunk[from.min(chunk.len())..])
                .any(|f| f.is_ok())
        })
}

fn answer(state: &State, headers: &HeaderMap) -> Response {
    let number = state.requests.fetch_add(1, Ordering::Relaxed);
    if let Some(fault) = &state.config.fault_status
        && number < fault.times
    {
        let mut response = (fault.status, "fault injected by sse replay\n").into_response();
        if let Some(after) = fault.retry_after {
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from(after.as_secs()));
        }
        return response;
    }
    if state.connections.is_empty() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "the recording holds no response to replay\n",
        )
            .into_response();
    }
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .filter(|id| !id.is_empty());
    let resume = last_event_id.and_then(|id| find_resume(&state.connections, id));
    let start = match resume {
        Some(resume)
            if !has_event_after(&state.connections[resume.connection].chunks, resume)
                && resume.connection + 1 < state.connections.len() =>
        {
            Resume {
                connection: resume.connection + 1,
                chunk: 0,
                offset: 0,
            }
        }
        Some(resume) => resume,
        None => {
            // The k-th request without a known id gets the k-th connection, net of faults.
            let served = number.saturating_sub(
                state
                    .config
                    .fault_status
                    .as_ref()
                    .map_or(0, |fault| fault.times),
            );
            let index = usize::try_from(served)
                .unwrap_or(usize::MAX)
                .min(state.connections.len() - 1);
            Resume {
                connection: index,
                chunk: 0,
                offset: 0,
            }
        }
    };
    respond(&state.connections[start.connection], start, &state.config)
}

/// The response for one recorded connection from `start` on.
fn respond(connection: &Connection, start: Resume, config: &ReplayConfig) -> Response {
    let mut chunks: Vec<(Duration, Bytes)> = Vec::new();
    let mut previous = connection.head_ms;
    for (k, (ms, chunk)) in connection.chunks.iter().enumerate().skip(start.chunk) {
        let chunk = if k == start.chunk {
            chunk.slice(start.offset.min(chunk.len())..)
        } else {
            chunk.clone()
        };
        let delay = pause(*ms - previous, config.speed);
        previous = previous.max(*ms);
        if !chunk.is_empty() {
            chunks.push((delay, chunk));
        }
    }
    let (chunks, cut) = apply_cuts(chunks, connection.cut, config);
    let body = stream::iter(chunks)
        .then(|(delay, chunk)| async move {
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            Ok::<_, std::io::Error>(chunk)
        })
        .chain(stream::iter(cut.then_some(())).then(|()| async {
            // hyper drops what it has not written yet when the body fails: give the bytes before
            // the cut a moment to leave, so the client sees them and then the cut.
            tokio::time::sleep(Duration::from_millis(20)).await;
            Err(std::io::Error::new(
                std::io::ErrorKind::ConnectionReset,
                "cut, as recorded or asked",
            ))
        }));
    let mut response = Response::new(Body::from_stream(body));
    *response.status_mut() = connection.status.unwrap_or(StatusCode::OK);
    *response.headers_mut() = connection.headers.clone();
    response
}

/// The longest pause a replay makes between two chunks, whatever the recording says.
pub const MAX_PAUSE: Duration = Duration::from_secs(3600);

/// The pause before a chunk recorded `gap_ms` after the one before, at `speed`: never negative
/// (a recording edited by hand may go back in time), never more than [`MAX_PAUSE`], zero at
/// speed 0.
fn pause(gap_ms: f64, speed: f64) -> Duration {
    if speed <= 0.0 || gap_ms.is_nan() || gap_ms <= 0.0 {
        return Duration::ZERO;
    }
    Duration::try_from_secs_f64(gap_ms / 1000.0 / speed)
        .unwrap_or(MAX_PAUSE)
        .min(MAX_PAUSE)
}

/// Applies `cut_after_bytes` and `cut_after_events`: the chunks to send, and whether the
/// connection ends with a cut.
fn apply_cuts(
    chunks: Vec<(Duration, Bytes)>,
    recorded_cut: bool,
    config: &ReplayConfig,
) -> (Vec<(Duration, Bytes)>, bool) {
    let mut out = Vec::new();
    let mut sent: u64 = 0;
    let mut events: u64 = 0;
    let mut parser = Parser::new();
    for (delay, chunk) in chunks {
        let mut end = chunk.len();
        let mut cut_here = false;
        if let Some(limit) = config.cut_after_bytes {
            let room = limit.saturating_sub(sent);
            if (chunk.len() as u64) >= room {
                end = usize::try_from(room).unwrap_or(usize::MAX).min(end);
                cut_here = true;
            }
        }
        if let Some(limit) = config.cut_after_events {
            for (start, piece) in pieces(&chunk[..end]) {
                events += parser
                    .feed(piece)
                    .filter(|f| matches!(f, Ok(Frame::Event(_))))
                    .count() as u64;
                if events >= limit {
                    end = start + piece.len();
                    cut_here = true;
                    break;
                }
            }
        }
        sent = sent.saturating_add(end as u64);
        if end > 0 {
            out.push((delay, chunk.slice(..end)));
        }
        if cut_here {
            return (out, true);
        }
    }
    (out, recorded_cut)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Line;

    fn recording(chunks: &[&[u8]]) -> Recording {
        let mut lines = vec![Line {
            ms: 0.0,
            conn: 1,
            what: What::Response(crate::format::Response {
                status: 200,
                headers: vec![("content-type".into(), "text/event-stream".into())],
            }),
        }];
        for (i, chunk) in chunks.iter().enumerate() {
            lines.push(Line::chunk(i as f64, 1, chunk));
        }
        Recording { lines }
    }

    #[test]
    fn hostile_timings_pause_within_bounds() {
        assert_eq!(pause(1e300, 1.0), MAX_PAUSE);
        assert_eq!(pause(f64::MAX, f64::MIN_POSITIVE), MAX_PAUSE);
        assert_eq!(pause(-5.0, 1.0), Duration::ZERO);
        assert_eq!(pause(f64::NAN, 1.0), Duration::ZERO);
        assert_eq!(pause(250.0, 0.0), Duration::ZERO);
        assert_eq!(pause(250.0, 2.0), Duration::from_millis(125));
    }

    #[test]
    fn a_hostile_last_event_id_resumes_nowhere_and_panics_nowhere() {
        let connections = connections(&recording(&[b"id: 1\ndata: a\n\n"]));
        for id in ["", "\u{0}", "18446744073709551616", &"9".repeat(10_000)] {
            assert_eq!(find_resume(&connections, id), None, "{id:?}");
        }
    }

    #[test]
    fn pieces_end_at_every_line_end() {
        let got: Vec<&[u8]> = pieces(b"a\r\nb\rc\nd").map(|(_, p)| p).collect();
        assert_eq!(got, [&b"a\r"[..], b"\n", b"b\r", b"c\n", b"d"]);
    }

    #[test]
    fn resume_lands_right_after_the_blank_line_of_the_id() {
        let connections = connections(&recording(&[
            b"id: 1\ndata: a\n\nid: 2\nda",
            b"ta: b\n\nid: 3\ndata: c\n\n",
        ]));
        assert_eq!(
            find_resume(&connections, "1"),
            Some(Resume {
                connection: 0,
                chunk: 0,
                offset: 15
            })
        );
        assert_eq!(
            find_resume(&connections, "2"),
            Some(Resume {
                connection: 0,
                chunk: 1,
                offset: 7
            })
        );
        assert_eq!(find_resume(&connections, "9"), None);
    }

    #[test]
    fn cuts_fall_after_the_asked_events_or_bytes() {
        let chunks = vec![
            (
                Duration::ZERO,
                Bytes::from_static(b"data: a\n\ndata: b\n\n"),
            ),
            (Duration::ZERO, Bytes::from_static(b"data: c\n\n")),
        ];
        let events = ReplayConfig::default().with_cut_after_events(1);
        let (out, cut) = apply_cuts(chunks.clone(), false, &events);
        assert!(cut);
        assert_eq!(out.len(), 1);
        assert_eq!(&out[0].1[..], b"data: a\n\n");
        let bytes = ReplayConfig::default().with_cut_after_bytes(20);
        let (out, cut) = apply_cuts(chunks.clone(), false, &bytes);
        assert!(cut);
        assert_eq!(out.iter().map(|(_, c)| c.len()).sum::<usize>(), 20);
        let (out, cut) = apply_cuts(chunks, false, &ReplayConfig::default());
        assert!(!cut);
        assert_eq!(out.len(), 2);
    }
}
