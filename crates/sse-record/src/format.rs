//! The recording format: JSON Lines, one line per thing that happened on the wire.
//!
//! ```text
//! {"sse_recording":1}
//! {"ms":0.0,"conn":1,"request":{"method":"GET","url":"http://127.0.0.1:3000/events","headers":[["accept","text/event-stream"]]}}
//! {"ms":3.1,"conn":1,"response":{"status":200,"headers":[["content-type","text/event-stream"]]}}
//! {"ms":3.4,"conn":1,"chunk":"id: 1\ndata: hello\n\n"}
//! {"ms":9.0,"conn":1,"chunk_base64":"ZGF0YTogw6k="}
//! {"ms":2000.2,"conn":1,"end":"cut"}
//! ```
//!
//! Why this shape: a line per chunk keeps the chunk boundaries (where a real server's writes, a
//! proxy's buffering or a split UTF-8 character fell), `ms` keeps the pacing, and text that diffs
//! well in a repository. A chunk that is valid UTF-8 on its own is stored as text; one that is not
//! (a character cut in two by the network) as `chunk_base64`, so nothing is lost or replaced.
//! `conn` numbers the connections of one recording (a client that reconnected records each
//! request with its `Last-Event-ID`). Header values that carry secrets are stored as
//! `[redacted]` ([`redact_header`]).

use std::io::{BufRead, Write};

use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The first line of every recording, and the version it names.
pub const VERSION: u32 = 1;

/// What a redacted header value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// The longest line [`Recording::read`] accepts (16 MiB): a chunk is at most this big.
pub const MAX_LINE: usize = 16 << 20;

/// One recorded stream: every line after the version line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recording {
    /// The lines in the order they happened.
    pub lines: Vec<Line>,
}

/// One thing that happened, when (milliseconds since the recording started) and on which
/// connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// Milliseconds since the recording started.
    pub ms: f64,
    /// The connection it happened on, from 1.
    pub conn: u32,
    /// What happened.
    #[serde(flatten)]
    pub what: What,
}

/// What happened on a connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum What {
    /// The client sent a request.
    Request(Request),
    /// The response head arrived.
    Response(Response),
    /// A chunk of the body arrived, valid UTF-8 on its own.
    Chunk(String),
    /// A chunk of the body arrived that is not valid UTF-8 on its own, base64-encoded.
    ChunkBase64(String),
    /// The connection ended: `eof` (the server ended the body), `cut` (a transport error), or
    /// `stopped` (the recorder stopped reading).
    End(String),
}

/// A recorded request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The full URL.
    pub url: String,
    /// Header names and values, secrets redacted.
    pub headers: Vec<(String, String)>,
    /// The request body, if any (a JSON body as text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// A recorded response head.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names and values, secrets redacted.
    pub headers: Vec<(String, String)>,
}

/// Why a recording could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// Reading the file failed.
    #[error("reading the recording: {0}")]
    Io(#[from] std::io::Error),
    /// The first line is not `{"sse_recording":1}`.
    #[error("not an SSE recording: the first line must be {{\"sse_recording\":{VERSION}}}")]
    NotARecording,
    /// A line is not valid.
    #[error("line {line}: {message}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}

#[derive(Serialize, Deserialize)]
struct Header {
    sse_recording: u32,
}

impl Line {
    /// A chunk line for `bytes`: text when the bytes are UTF-8 on their own, base64 otherwise.
    pub fn chunk(ms: f64, conn: u32, bytes: &[u8]) -> Line {
        Line {
            ms,
            conn,
            what: What::from_chunk(bytes),
        }
    }

    /// A line stamped with the milliseconds since `start`, to the microsecond.
    pub fn since(start: std::time::Instant, conn: u32, what: What) -> Line {
        let ms = (start.elapsed().as_secs_f64() * 1_000_000.0).round() / 1000.0;
        Line { ms, conn, what }
    }
}

impl What {
    /// A chunk line's payload for `bytes`: text when they are UTF-8 on their own, base64 otherwise.
    pub fn from_chunk(bytes: &[u8]) -> What {
        match std::str::from_utf8(bytes) {
            Ok(text) => What::Chunk(text.to_owned()),
            Err(_) => What::ChunkBase64(base64::engine::general_purpose::STANDARD.encode(bytes)),
        }
    }

    /// The bytes of a chunk line (`None` for other lines and for invalid base64).
    pub fn chunk_bytes(&self) -> Option<Vec<u8>> {
        match self {
            What::Chunk(text) => Some(text.as_bytes().to_vec()),
            What::ChunkBase64(encoded) => base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .ok(),
            _ => None,
        }
    }
}

impl Recording {
    /// Reads a recording, line by line, each line at most [`MAX_LINE`] bytes.
    pub fn read(reader: impl BufRead) -> Result<Recording, ReadError> {
        let mut lines = Vec::new();
        let mut first = true;
        for (index, line) in reader.split(b'\n').enumerate() {
            let line = line?;
            let number = index + 1;
            if line.len() > MAX_LINE {
                return Err(ReadError::Line {
                    line: number,
                    message: format!("longer than {MAX_LINE} bytes"),
                });
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if first {
                first = false;
                match serde_json::from_slice::<Header>(&line) {
                    Ok(Header { sse_recording }) if sse_recording == VERSION => continue,
                    _ => return Err(ReadError::NotARecording),
                }
            }
            let parsed: Line = serde_json::from_slice(&line).map_err(|e| ReadError::Line {
                line: number,
                message: e.to_string(),
            })?;
            if let What::ChunkBase64(_) = &parsed.what
                && parsed.what.chunk_bytes().is_none()
            {
                return Err(ReadError::Line {
                    line: number,
                    message: "chunk_base64 is not valid base64".to_owned(),
                });
            }
            if !parsed.ms.is_finite() || parsed.ms < 0.0 {
                return Err(ReadError::Line {
                    line: number,
                    message: "ms must be a finite number of milliseconds, 0 or more".to_owned(),
                });
            }
            lines.push(parsed);
        }
        if first {
            return Err(ReadError::NotARecording);
        }
        Ok(Recording { lines })
    }

    /// Reads the recording in the file at `path`.
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Recording, ReadError> {
        let file = std::fs::File::open(path)?;
        Recording::read(std::io::BufReader::new(file))
    }

    /// Writes the version line and every line.
    pub fn write(&self, mut out: impl Write) -> std::io::Result<()> {
        write_header(&mut out)?;
        for line in &self.lines {
            write_line(&mut out, line)?;
        }
        Ok(())
    }
}

/// Writes the version line that opens a recording.
pub fn write_header(mut out: impl Write) -> std::io::Result<()> {
    serde_json::to_writer(
        &mut out,
        &Header {
            sse_recording: VERSION,
        },
    )?;
    out.write_all(b"\n")
}

/// Writes one line of a recording (for a recorder that writes as it goes).
pub fn write_line(mut out: impl Write, line: &Line) -> std::io::Result<()> {
    serde_json::to_writer(&mut out, line)?;
    out.write_all(b"\n")
}

/// Whether a header's value is a secret that a recording must not keep: the client's own
/// [`SECRET_HEADERS`](sse_client::redirect::SECRET_HEADERS), `set-cookie`, and anything named like
/// a key, token or secret of any provider (`openai-api-key`, `x-auth-token`, ...).
pub fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    sse_client::redirect::SECRET_HEADERS.contains(&name.as_str())
        || name == "set-cookie"
        || ["key", "token", "secret", "password", "session"]
            .iter()
            .any(|word| name.contains(word))
}

/// Headers that belong to one hop of a connection (RFC 9110 section 7.6.1) or to its framing:
/// a proxy or a replay sets its own, never passes them on.
pub(crate) fn is_hop_by_hop(name: &http::HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "proxy-connection"
            | "transfer-encoding"
            | "te"
            | "trailer"
            | "upgrade"
            | "host"
            | "content-length"
    )
}

/// The value to record for a header: [`REDACTED`] for a secret, the value otherwise (as text, with
/// bytes that are not UTF-8 replaced).
pub fn redact_header(name: &str, value: &[u8]) -> String {
    if is_secret_header(name) {
        REDACTED.to_owned()
    } else {
        String::from_utf8_lossy(value).into_owned()
    }
}

/// Header names and values as a recording keeps them: secrets redacted ([`redact_header`]).
pub fn recorded_headers(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                redact_header(name.as_str(), value.as_bytes()),
            )
        })
        .collect()
}

/// The URL to record: the password and the query parameters that carry secrets (`key`, `token`,
/// `api_key`, ...) redacted.
pub fn redact_url(url: &url::Url) -> String {
    let mut url = url.clone();
    if url.password().is_some() {
        let _ = url.set_password(Some(REDACTED));
    }
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if is_secret_header(&name) {
                    REDACTED.to_owned()
                } else {
                    value.into_owned()
                };
                (name.into_owned(), value)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recording_round_trips_through_its_text() {
        let recording = Recording {
            lines: vec![
                Line {
                    ms: 0.0,
                    conn: 1,
                    what: What::Request(Request {
                        method: "POST".into(),
                        url: "http://127.0.0.1:1/v1/chat/completions".into(),
                        headers: vec![("authorization".into(), REDACTED.into())],
                        body: Some("{\"stream\":true}".into()),
                    }),
                },
                Line {
                    ms: 1.5,
                    conn: 1,
                    what: What::Response(Response {
                        status: 200,
                        headers: vec![("content-type".into(), "text/event-stream".into())],
                    }),
                },
                Line::chunk(2.0, 1, "data: h\u{e9}\n\n".as_bytes()),
                Line::chunk(2.5, 1, &"data: \u{e9}".as_bytes()[..7]),
                Line {
                    ms: 3.0,
                    conn: 1,
                    what: What::End("cut".into()),
                },
            ],
        };
        let mut text = Vec::new();
        recording.write(&mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(text.starts_with("{\"sse_recording\":1}\n"), "{text}");
        assert!(text.contains("\"chunk\":\"data: h\u{e9}\\n\\n\""), "{text}");
        assert!(text.contains("\"chunk_base64\":"), "{text}");
        assert_eq!(Recording::read(text.as_bytes()).unwrap(), recording);
        assert_eq!(
            recording.lines[3].what.chunk_bytes().unwrap(),
            &"data: \u{e9}".as_bytes()[..7],
            "half a character survives"
        );
    }

    #[test]
    fn bad_recordings_get_a_clear_error() {
        let not = Recording::read(&b"{\"data\":1}\n"[..]).unwrap_err();
        assert!(matches!(not, ReadError::NotARecording), "{not}");
        assert!(matches!(
            Recording::read(&b""[..]).unwrap_err(),
            ReadError::NotARecording
        ));
        let bad = Recording::read(&b"{\"sse_recording\":1}\n{\"ms\":1}\n"[..]).unwrap_err();
        assert!(bad.to_string().starts_with("line 2:"), "{bad}");
        let negative = Recording::read(
            &b"{\"sse_recording\":1}\n{\"ms\":-1,\"conn\":1,\"end\":\"eof\"}\n"[..],
        )
        .unwrap_err();
        assert!(negative.to_string().contains("finite"), "{negative}");
        let base64 = Recording::read(
            &b"{\"sse_recording\":1}\n{\"ms\":1,\"conn\":1,\"chunk_base64\":\"***\"}\n"[..],
        )
        .unwrap_err();
        assert!(base64.to_string().contains("base64"), "{base64}");
    }

    #[test]
    fn secrets_are_redacted_from_headers_and_urls() {
        for name in [
            "Authorization",
            "cookie",
            "Set-Cookie",
            "x-api-key",
            "api-key",
            "X-Auth-Token",
        ] {
            assert_eq!(redact_header(name, b"sk-live-123"), REDACTED, "{name}");
        }
        assert_eq!(
            redact_header("content-type", b"text/event-stream"),
            "text/event-stream"
        );
        let url = url::Url::parse("https://user:pw@example.org/v1?key=sk-1&model=x").unwrap();
        let redacted = redact_url(&url);
        assert!(
            !redacted.contains("sk-1") && !redacted.contains(":pw@"),
            "{redacted}"
        );
        assert!(redacted.contains("model=x"), "{redacted}");
    }
}
