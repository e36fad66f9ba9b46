//! `sse chat PROMPT`: stream an AI answer to stdout, token by token.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use sse_client::ai::{Accumulate, AiError, Update, anthropic, openai_chat, openai_responses};
use sse_client::{EventSource, SourceEvent};

/// Which streaming API to speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Provider {
    /// OpenAI Chat Completions (`/v1/chat/completions`, data-only chunks and `[DONE]`).
    Openai,
    /// OpenAI Responses (`/v1/responses`, typed events).
    OpenaiResponses,
    /// Anthropic Messages (`/v1/messages`, typed events).
    Anthropic,
}

/// Options of `sse chat`.
#[derive(Debug, clap::Args)]
pub struct ChatArgs {
    /// What to ask.
    prompt: String,
    /// The API to speak.
    #[arg(long, value_enum, default_value = "openai")]
    provider: Provider,
    /// The server (default: the provider's own API; point it at `sse serve` to work offline).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// The model.
    #[arg(long, value_name = "MODEL")]
    model: Option<String>,
}

/// Runs `sse chat`: the answer on stdout and nothing else; errors on stderr, exit 1.
pub async fn run(args: &ChatArgs) -> Result<ExitCode> {
    let (default_base, path, default_model, key_var) = match args.provider {
        Provider::Openai => (
            "https://api.openai.com",
            "/v1/chat/completions",
            "gpt-4o-mini",
            "OPENAI_API_KEY",
        ),
        Provider::OpenaiResponses => (
            "https://api.openai.com",
            "/v1/responses",
            "gpt-4o-mini",
            "OPENAI_API_KEY",
        ),
        Provider::Anthropic => (
            "https://api.anthropic.com",
            "/v1/messages",
            "claude-sonnet-4-5",
            "ANTHROPIC_API_KEY",
        ),
    };
    let base = args
        .base_url
        .as_deref()
        .unwrap_or(default_base)
        .trim_end_matches('/');
    let model = args.model.as_deref().unwrap_or(default_model);
    let body = match args.provider {
        Provider::Openai => openai_chat::request_body(model, &args.prompt, true),
        Provider::OpenaiResponses => openai_responses::request_body(model, &args.prompt),
        Provider::Anthropic => anthropic::request_body(model, &args.prompt, 1024),
    };
    let mut builder = EventSource::builder(format!("{base}{path}")).post_json(&body);
    let key = std::env::var(key_var).ok().filter(|k| !k.is_empty());
    builder = match (args.provider, &key) {
        (Provider::Anthropic, Some(key)) => builder.header("x-api-key", key.as_str()),
        (_, Some(key)) => builder.bearer_auth(key),
        (_, None) => builder,
    };
    if args.provider == Provider::Anthropic {
        builder = builder.header("anthropic-version", "2023-06-01");
    }
    let source = builder.build()?;
    let outcome = match args.provider {
        Provider::Openai => stream_answer(source, openai_chat::ChatAccumulator::new()).await,
        Provider::OpenaiResponses => {
            stream_answer(source, openai_responses::ResponseAccumulator::new()).await
        }
        Provider::Anthropic => stream_answer(source, anthropic::MessageAccumulator::new()).await,
    }?;
    match outcome {
        None => Ok(ExitCode::SUCCESS),
        Some(message) => {
            eprintln!("sse chat: {message}");
            if key.is_none() && message.contains("401") {
                eprintln!(
                    "sse chat: hint: set {key_var}, or use --base-url with a local server (sse serve)"
                );
            }
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Prints text deltas as they arrive. Returns the error message if the answer did not complete.
async fn stream_answer<A: Accumulate>(
    mut source: EventSource,
    mut answer: A,
) -> Result<Option<String>> {
    let mut out = io::stdout().lock();
    let mut printed = false;
    let result = loop {
        match source.next().await {
            None => {
                break if answer.is_done() {
                    None
                } else {
                    Some(AiError::Incomplete.to_string())
                };
            }
            Some(Ok(SourceEvent::Message(event))) => match answer.push(&event) {
                Ok(Update::Text(text)) => {
                    out.write_all(text.as_bytes())
                        .context("writing to stdout")?;
                    out.flush().context("writing to stdout")?;
                    printed = true;
                }
                Ok(Update::Done) => break None,
                Ok(_) => {}
                Err(error) => break Some(error.to_string()),
            },
            Some(Ok(_)) => {}
            Some(Err(error)) => break Some(error.to_string()),
        }
    };
    if printed {
        writeln!(out).context("writing to stdout")?;
    }
    Ok(result)
}
