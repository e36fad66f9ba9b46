//! Reads an event stream on stdin, in whatever pieces the pipe delivers, and prints one line per
//! event: `cargo run -p ssekit-format --example parse_stdin < stream.txt`, or after `curl -N URL |`.
//! A stream that breaks the format (an oversized line, say) ends with the error on stderr.

use std::io::Read;

use sse_format::{Frame, Parser};

fn main() -> std::io::Result<()> {
    let mut parser = Parser::new();
    let mut stdin = std::io::stdin().lock();
    let mut buf = [0u8; 8192];
    loop {
        let n = stdin.read(&mut buf)?;
        if n == 0 {
            break;
        }
        // The parser keeps partial lines (and split UTF-8) between calls: no re-buffering here.
        for frame in parser.feed(&buf[..n]) {
            match frame {
                Ok(Frame::Event(event)) => println!(
                    "{} id={:?} data={:?}",
                    event.event_type(),
                    event.last_event_id(),
                    event.data()
                ),
                Ok(Frame::Retry(time)) => println!("(retry: {time:?})"),
                Ok(other) => println!("({other:?})"),
                Err(error) => {
                    eprintln!("not a valid event stream: {error}");
                    std::process::exit(1);
                }
            }
        }
    }
    Ok(())
}
