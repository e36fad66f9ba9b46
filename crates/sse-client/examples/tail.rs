//! Follows an event stream like `tail -f`, reconnecting and resuming as a browser would:
//! `cargo run -p ssekit-client --example tail -- http://127.0.0.1:3000/events/news`
//! (start a server first with `cargo run -p sse-cli -- serve`). Ctrl-C to stop.

use sse_client::{EventSource, SourceEvent};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "http://127.0.0.1:3000/events/news".to_owned());
    let mut source = EventSource::builder(url).build()?;
    while let Some(item) = source.next().await {
        match item {
            Ok(SourceEvent::Open) => eprintln!("(connected)"),
            Ok(SourceEvent::Message(event)) => {
                println!(
                    "[{}] {}: {}",
                    event.last_event_id(),
                    event.event_type(),
                    event.data()
                );
            }
            // The client reconnects by itself, sending `Last-Event-ID`; say why and when.
            Ok(SourceEvent::Retrying { delay, cause, .. }) => {
                eprintln!("(disconnected: {cause}; again in {delay:?})");
            }
            Ok(other) => eprintln!("({other:?})"),
            // A fatal error: a wrong content type, 204, 401, or the retry limits reached.
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}
