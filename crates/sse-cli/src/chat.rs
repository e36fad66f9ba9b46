//! `sse chat PROMPT`: stream an AI answer to stdout, token by token (or, with `--json`, print the
//! assembled answer once at the end).

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::{Value, json};
use sse_client::ai::{
    Accumulate, AiError, ApiError, ToolCall, Update, anthropic, openai_chat, openai_responses,
};
use sse_client::{EventSource, SourceEvent};

use crate::output::{escape_controls, parse_limits};

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
    /// The server, with or without a trailing `/v1` (default: `OPENAI_BASE_URL`, which includes
    /// `/v1` as in the OpenAI SDKs, or `ANTHROPIC_BASE_URL`, which does not, as in the Anthropic
    /// SDKs; else the provider's own API). Point it at `sse serve` to work offline.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// The model.
    #[arg(long, value_name = "MODEL")]
    model: Option<String>,
    /// Print the assembled answer once at the end as one JSON object (text, tool calls with
    /// parsed arguments, usage, finish reason, error) instead of streaming the text.
    #[arg(long)]
    json: bool,
    /// Refuse events (and lines) larger than this many bytes (default 128 MiB).
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    max_event_size: Option<u64>,
    /// Also trust the certificates in this PEM file (a private CA, or the one `sse serve
    /// --tls-self-signed` prints).
    #[arg(long, value_name = "PEM")]
    ca_file: Option<std::path::PathBuf>,
}

/// Where the SDKs' base URLs end: the OpenAI one includes the version, the Anthropic one not.
fn default_base(provider: Provider) -> &'static str {
    match provider {
        Provider::Openai | Provider::OpenaiResponses => "https://api.openai.com/v1",
        Provider::Anthropic => "https://api.anthropic.com",
    }
}

// ANCHOR: endpoint
/// The URL to `POST` to. `--base-url` may end in `/v1` or not (both are common in docs and
/// tools); `OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL` are read as the official SDKs read them: the
/// OpenAI one is the base *including* its version path (Ollama's `http://localhost:11434/v1`,
/// Gemini's `.../v1beta/openai`), the Anthropic one is the host without `/v1`.
pub fn endpoint(provider: Provider, flag: Option<&str>, env: Option<&str>) -> String {
    let path = match provider {
        Provider::Openai => "/chat/completions",
        Provider::OpenaiResponses => "/responses",
        Provider::Anthropic => "/messages",
    };
    let versioned = match (flag, env) {
        (Some(flag), _) => {
            let flag = flag.trim_end_matches('/');
            if flag.ends_with("/v1") {
                flag.to_owned()
            } else {
                format!("{flag}/v1")
            }
        }
        (None, Some(env)) => match provider {
            Provider::Openai | Provider::OpenaiResponses => env.trim_end_matches('/').to_owned(),
            Provider::Anthropic => format!("{}/v1", env.trim_end_matches('/')),
        },
        (None, None) => match provider {
            Provider::Anthropic => format!("{}/v1", default_base(provider)),
            _ => default_base(provider).to_owned(),
        },
    };
    format!("{versioned}{path}")
}
// ANCHOR_END: endpoint

/// Runs `sse chat`: the answer on stdout and nothing else; errors on stderr, exit 1.
pub async fn run(args: &ChatArgs) -> Result<ExitCode> {
    let (default_model, key_var, base_var) = match args.provider {
        Provider::Openai | Provider::OpenaiResponses => {
            ("gpt-4o-mini", "OPENAI_API_KEY", "OPENAI_BASE_URL")
        }
        Provider::Anthropic => (
            "claude-sonnet-4-5",
            "ANTHROPIC_API_KEY",
            "ANTHROPIC_BASE_URL",
        ),
    };
    let env_base = std::env::var(base_var).ok().filter(|v| !v.is_empty());
    let url = endpoint(args.provider, args.base_url.as_deref(), env_base.as_deref());
    let model = args.model.as_deref().unwrap_or(default_model);
    let body = match args.provider {
        Provider::Openai => openai_chat::request_body(model, &args.prompt, true),
        Provider::OpenaiResponses => openai_responses::request_body(model, &args.prompt),
        Provider::Anthropic => anthropic::request_body(model, &args.prompt, 1024),
    };
    let mut builder = EventSource::builder(url).post_json(&body);
    if let Some(bytes) = args.max_event_size {
        builder = builder.limits(parse_limits(bytes));
    }
    let key = std::env::var(key_var).ok().filter(|k| !k.is_empty());
    builder = match (args.provider, &key) {
        (Provider::Anthropic, Some(key)) => builder.header("x-api-key", key.as_str()),
        (_, Some(key)) => builder.bearer_auth(key),
        (_, None) => builder,
    };
    if args.provider == Provider::Anthropic {
        builder = builder.header("anthropic-version", "2023-06-01");
    }
    if let Some(path) = &args.ca_file {
        builder = crate::output::trust_ca_file(builder, path)?;
    }
    let source = builder.build()?;
    let (failure, answer) = match args.provider {
        Provider::Openai => {
            stream_answer(source, openai_chat::ChatAccumulator::new(), args.json).await
        }
        Provider::OpenaiResponses => {
            stream_answer(
                source,
                openai_responses::ResponseAccumulator::new(),
                args.json,
            )
            .await
        }
        Provider::Anthropic => {
            stream_answer(source, anthropic::MessageAccumulator::new(), args.json).await
        }
    }?;
    let mut out = io::stdout().lock();
    if args.json {
        let mut object = answer;
        object["error"] = failure.as_deref().map_or(Value::Null, Value::from);
        writeln!(out, "{object}").context("writing to stdout")?;
    } else {
        print_tool_calls(&mut out, &answer).context("writing to stdout")?;
        if let Some(reason) = answer["finish_reason"].as_str()
            && !matches!(
                reason,
                "stop" | "end_turn" | "completed" | "tool_calls" | "tool_use"
            )
        {
            eprintln!(
                "sse chat: the answer ended early: {}",
                escape_controls(reason)
            );
        }
    }
    match failure {
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

/// Tool calls are part of the answer: one line each after the text.
fn print_tool_calls(out: &mut impl Write, answer: &Value) -> io::Result<()> {
    for call in answer["tool_calls"].as_array().into_iter().flatten() {
        let arguments = match &call["arguments"] {
            Value::Null => call["arguments_text"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            parsed => parsed.to_string(),
        };
        writeln!(
            out,
            "[tool call {} {}({})]",
            escape_controls(call["id"].as_str().unwrap_or_default()),
            escape_controls(call["name"].as_str().unwrap_or_default()),
            escape_controls(&arguments)
        )?;
    }
    Ok(())
}

/// The three APIs' answers in one JSON shape: what `--json` prints.
trait Summary {
    fn summary(&self) -> Value;
}

fn tool_call(id: &str, name: &str, arguments: &str, parsed: Option<Value>) -> Value {
    // Models can write invalid JSON: then `arguments` is null and the text is still there.
    let parsed = parsed.or_else(|| serde_json::from_str::<Value>(arguments).ok());
    json!({
        "id": id,
        "name": name,
        "arguments": parsed,
        "arguments_text": arguments,
    })
}

fn summary(
    text: &str,
    tool_calls: Vec<Value>,
    finish_reason: &Option<String>,
    usage: &Option<Value>,
    error: &Option<ApiError>,
) -> Value {
    json!({
        "text": text,
        "tool_calls": tool_calls,
        "finish_reason": finish_reason,
        "usage": usage,
        "error": error.as_ref().map(ToString::to_string),
    })
}

fn openai_calls(calls: &[ToolCall]) -> Vec<Value> {
    calls
        .iter()
        .map(|c| tool_call(&c.id, &c.name, &c.arguments, None))
        .collect()
}

impl Summary for openai_chat::ChatCompletion {
    fn summary(&self) -> Value {
        let calls = openai_calls(&self.tool_calls);
        summary(
            &self.text,
            calls,
            &self.finish_reason,
            &self.usage,
            &self.error,
        )
    }
}

impl Summary for openai_responses::Response {
    fn summary(&self) -> Value {
        let calls = openai_calls(&self.tool_calls);
        summary(&self.text, calls, &self.status, &self.usage, &self.error)
    }
}

impl Summary for anthropic::Message {
    fn summary(&self) -> Value {
        let calls = self
            .tool_calls
            .iter()
            .map(|t| {
                let parsed = (!t.input.is_null()).then(|| t.input.clone());
                let text = if t.input_json.is_empty() && parsed.is_some() {
                    "{}"
                } else {
                    &t.input_json
                };
                tool_call(&t.id, &t.name, text, parsed)
            })
            .collect();
        summary(
            &self.text,
            calls,
            &self.stop_reason,
            &self.usage,
            &self.error,
        )
    }
}

/// Reads the stream into `answer`, printing text deltas as they arrive unless `quiet`. Returns
/// the error message if the answer did not complete, and the answer as JSON.
async fn stream_answer<A>(
    mut source: EventSource,
    mut answer: A,
    quiet: bool,
) -> Result<(Option<String>, Value)>
where
    A: Accumulate,
    A::Output: Summary,
{
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
                Ok(Update::Text(text)) if !quiet => {
                    // A hostile server must not drive the terminal: escape ESC and friends.
                    let text = crate::output::escape_controls_keep_lines(&text);
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
    Ok((result, answer.output().summary()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_with_or_without_v1() {
        let cases = [
            (
                Provider::Openai,
                Some("http://127.0.0.1:3000"),
                None,
                "http://127.0.0.1:3000/v1/chat/completions",
            ),
            (
                Provider::Openai,
                Some("http://127.0.0.1:3000/v1"),
                None,
                "http://127.0.0.1:3000/v1/chat/completions",
            ),
            (
                Provider::Openai,
                Some("http://127.0.0.1:3000/v1/"),
                None,
                "http://127.0.0.1:3000/v1/chat/completions",
            ),
            (
                Provider::OpenaiResponses,
                Some("http://h/v1"),
                None,
                "http://h/v1/responses",
            ),
            (
                Provider::Anthropic,
                Some("http://h"),
                None,
                "http://h/v1/messages",
            ),
            (
                Provider::Anthropic,
                Some("http://h/v1"),
                None,
                "http://h/v1/messages",
            ),
            // The flag wins over the environment.
            (
                Provider::Openai,
                Some("http://flag"),
                Some("http://env/v1"),
                "http://flag/v1/chat/completions",
            ),
        ];
        for (provider, flag, env, want) in cases {
            assert_eq!(
                endpoint(provider, flag, env),
                want,
                "{provider:?} {flag:?} {env:?}"
            );
        }
    }

    #[test]
    fn environment_base_urls_are_read_as_the_sdks_read_them() {
        let cases = [
            (
                Provider::Openai,
                "http://localhost:11434/v1",
                "http://localhost:11434/v1/chat/completions",
            ),
            (
                Provider::Openai,
                "https://generativelanguage.googleapis.com/v1beta/openai/",
                "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions",
            ),
            (
                Provider::OpenaiResponses,
                "https://openrouter.ai/api/v1",
                "https://openrouter.ai/api/v1/responses",
            ),
            (
                Provider::Anthropic,
                "http://127.0.0.1:3000",
                "http://127.0.0.1:3000/v1/messages",
            ),
            (
                Provider::Anthropic,
                "http://127.0.0.1:3000/",
                "http://127.0.0.1:3000/v1/messages",
            ),
        ];
        for (provider, env, want) in cases {
            assert_eq!(
                endpoint(provider, None, Some(env)),
                want,
                "{provider:?} {env}"
            );
        }
        assert_eq!(
            endpoint(Provider::Openai, None, None),
            "https://api.openai.com/v1/chat/completions"
        );
        assert_eq!(
            endpoint(Provider::Anthropic, None, None),
            "https://api.anthropic.com/v1/messages"
        );
    }
}
