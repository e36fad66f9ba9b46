//! Serves a recording (made with `sse record URL -o FILE`) on loopback, cutting the connection
//! after every 3 events, and follows it with a client that resumes by `Last-Event-ID`: how a test
//! checks that a client survives cuts against a real stream, offline.
//! `cargo run -p ssekit-record --example replay_recording -- stream.jsonl`

use sse_client::{EventSource, SourceEvent};
use sse_record::{Recording, ReplayConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: replay_recording FILE.jsonl")?;
    let recording = Recording::from_file(&path)?;
    let config = ReplayConfig::default()
        .with_speed(0.0)
        .with_cut_after_events(3);
    let replay = sse_record::serve(recording, config).await?;
    let mut source = EventSource::builder(format!("{}/", replay.url)).build()?;
    // A replay ends where its recording ends, and an EventSource would reconnect forever: stop
    // when a connection brought nothing new.
    let mut resumed_from = None;
    while let Some(item) = source.next().await {
        match item? {
            SourceEvent::Message(event) => println!("[{}] {}", event.last_event_id(), event.data()),
            SourceEvent::Retrying { cause, .. } => {
                let at = source.last_event_id().to_owned();
                if resumed_from.as_ref() == Some(&at) {
                    eprintln!("(the recording is over)");
                    break;
                }
                eprintln!("(cut: {cause}; resuming after {at:?})");
                resumed_from = Some(at);
            }
            _ => {}
        }
    }
    Ok(())
}
