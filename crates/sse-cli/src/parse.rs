//! `sse parse`: stdin in, events out.

use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use sse_format::{Frame, Limits, ParseError, Parser};

/// Options of `sse parse`.
#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// Print one JSON object per line: {"event","data","id"} per event, {"retry": N} per retry.
    #[arg(long)]
    json: bool,
    /// Feed the parser at most N bytes at a time (the result must not change).
    #[arg(long, value_name = "N", default_value_t = 64 * 1024,
          value_parser = clap::value_parser!(u64).range(1..=1 << 30))]
    chunk_size: u64,
    /// Read stdin as frames: a 4-byte big-endian length, then that many bytes, repeated; each
    /// frame is one feed (how shared/conformance/check.py --chunked drives a parser).
    #[arg(long, env = "SSE_FRAMED", value_parser = clap::builder::FalseyValueParser::new())]
    framed: bool,
    /// Longest accepted line in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT_MAX_LINE_LEN)]
    max_line: usize,
    /// Largest accepted event data in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT_MAX_EVENT_SIZE)]
    max_event: usize,
}

/// Runs `sse parse`. Exits 1 if the stream broke a limit (after printing everything else).
pub fn run(args: &ParseArgs) -> Result<ExitCode> {
    let limits = Limits::default()
        .max_line_len(args.max_line)
        .max_event_size(args.max_event);
    let mut parser = Parser::with_limits(limits);
    let mut out = BufWriter::new(io::stdout().lock());
    let mut stdin = io::stdin().lock();
    let mut errors = 0usize;
    let mut print = |frames: &mut dyn Iterator<Item = Result<Frame, ParseError>>,
                     out: &mut BufWriter<io::StdoutLock<'_>>|
     -> Result<()> {
        for frame in frames {
            match frame {
                Ok(frame) => crate::output::write_frame(out, &frame, args.json)?,
                Err(error) => {
                    errors += 1;
                    eprintln!("sse parse: {error}");
                }
            }
        }
        // Flush per chunk so that `curl -N ... | sse parse` shows events as they arrive.
        out.flush().context("writing to stdout")
    };

    if args.framed {
        while let Some(frame) = read_frame(&mut stdin)? {
            print(&mut parser.feed(&frame), &mut out)?;
        }
    } else {
        let mut buf = vec![0; usize::try_from(args.chunk_size).unwrap_or(usize::MAX)];
        loop {
            let n = match stdin.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e).context("reading stdin"),
            };
            print(&mut parser.feed(&buf[..n]), &mut out)?;
        }
    }
    if parser.finish() {
        eprintln!("sse parse: the stream ended in the middle of an event; it was discarded");
    }
    Ok(if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn read_frame(input: &mut impl Read) -> Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match input.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e).context("reading a frame length"),
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > 1 << 30 {
        bail!("frame of {len} bytes is larger than the 1 GiB this reader accepts");
    }
    let mut frame = vec![0; len];
    input
        .read_exact(&mut frame)
        .context("stdin ended inside a frame")?;
    Ok(Some(frame))
}
