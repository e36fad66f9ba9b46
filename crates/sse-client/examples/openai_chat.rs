//! Streams a Chat Completions answer with a tool, printing the text as it arrives and the tool
//! call once assembled. Offline by default, against the course's mock endpoint
//! (`cargo run -p sse-cli -- serve`, then `cargo run -p ssekit-client --example openai_chat`);
//! against OpenAI: `OPENAI_BASE_URL=https://api.openai.com OPENAI_API_KEY=... cargo run ...`.

use sse_client::ai::{Accumulate, Update, openai_chat};
use sse_client::{EventSource, SourceEvent};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base = std::env::var("OPENAI_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:3000".into());
    let key = std::env::var("OPENAI_API_KEY").unwrap_or_else(|_| "sk-mock".into());
    let mut body = openai_chat::request_body("gpt-4o-mini", "What is the weather in Paris?", true);
    body["tools"] = serde_json::json!([{
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "The weather in a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}
        }
    }]);
    // A POST is not replayed on a cut (the answer would start over): no reconnect.
    let mut source = EventSource::builder(format!("{base}/v1/chat/completions"))
        .bearer_auth(&key)
        .post_json(&body)
        .reconnect(false)
        .build()?;
    let mut answer = openai_chat::ChatAccumulator::new();
    while let Some(item) = source.next().await {
        if let SourceEvent::Message(event) = item? {
            match answer.push(&event)? {
                Update::Text(text) => print!("{text}"),
                Update::Done => break,
                _ => {}
            }
        }
    }
    let output = answer.output();
    for call in &output.tool_calls {
        println!("\ntool call {}: {}({})", call.id, call.name, call.arguments);
    }
    println!("\n(finish reason: {:?})", output.finish_reason);
    Ok(())
}
