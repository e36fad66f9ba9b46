//! What the mock answers, whichever the API: the deterministic text, token by token, and the tool
//! call's arguments.

use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

const ANSWER_END: &str =
    "Server-sent events let a server push updates to a client over one long HTTP response.";

/// `text` cut to at most `max` bytes, at a character boundary.
pub(super) fn truncate(text: &str, max: usize) -> &str {
    let mut cut = text.len().min(max);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// The deterministic answer, token by token (each a word with its leading space), produced on
/// demand from the prompt: `You asked: "<prompt>". Server-sent events let ...`, the prompt's
/// whitespace collapsed and cut after `max_words` words.
#[derive(Clone, Debug)]
pub(super) struct Tokens {
    prompt: Arc<str>,
    /// Byte offset of the rest of the prompt, or of the rest of [`ANSWER_END`].
    at: usize,
    words_left: usize,
    stage: Stage,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    You,
    Asked,
    Prompt { first: bool },
    Ellipsis,
    End,
    Done,
}

/// The next whitespace-separated word of `text` from `*at`, moving `*at` past it.
fn next_word<'a>(text: &'a str, at: &mut usize) -> Option<&'a str> {
    let rest = &text[*at..];
    let start = rest.find(|c: char| !c.is_whitespace())?;
    let len = rest[start..]
        .find(char::is_whitespace)
        .unwrap_or(rest.len() - start);
    *at += start + len;
    Some(&rest[start..start + len])
}

impl Tokens {
    pub(super) fn new(prompt: Arc<str>, max_words: usize) -> Self {
        Tokens {
            prompt,
            at: 0,
            words_left: max_words.max(1),
            stage: Stage::You,
        }
    }
}

impl Iterator for Tokens {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        match self.stage {
            Stage::You => {
                self.stage = Stage::Asked;
                Some("You".into())
            }
            Stage::Asked => {
                self.stage = Stage::Prompt { first: true };
                Some(" asked:".into())
            }
            Stage::Prompt { first } => {
                let open = if first { "\"" } else { "" };
                let Some(word) = next_word(&self.prompt, &mut self.at) else {
                    self.stage = Stage::End;
                    self.at = 0;
                    return Some(" \"\".".into());
                };
                self.words_left -= 1;
                let more = self.prompt[self.at..].chars().any(|c| !c.is_whitespace());
                let token = if !more {
                    self.stage = Stage::End;
                    format!(" {open}{word}\".")
                } else if self.words_left == 0 {
                    self.stage = Stage::Ellipsis;
                    format!(" {open}{word}")
                } else {
                    self.stage = Stage::Prompt { first: false };
                    format!(" {open}{word}")
                };
                if self.stage == Stage::End {
                    self.at = 0;
                }
                Some(token)
            }
            Stage::Ellipsis => {
                self.stage = Stage::End;
                self.at = 0;
                Some(" …\".".into())
            }
            Stage::End => match next_word(ANSWER_END, &mut self.at) {
                Some(word) => Some(format!(" {word}")),
                None => {
                    self.stage = Stage::Done;
                    None
                }
            },
            Stage::Done => None,
        }
    }
}

/// The arguments of the mock's tool call: `{"query": <the prompt's first 4 KiB>}`.
#[derive(Serialize)]
struct ToolArguments<'a> {
    query: &'a str,
}

/// Tool arguments as JSON text.
pub(super) fn tool_arguments(prompt: &str) -> String {
    let arguments = ToolArguments {
        query: truncate(prompt, 4096),
    };
    serde_json::to_string(&arguments).unwrap_or_default() // a struct of one string always encodes
}

/// Tool arguments as a JSON value (Anthropic's `input`).
pub(super) fn tool_input(prompt: &str) -> Value {
    let arguments = ToolArguments {
        query: truncate(prompt, 4096),
    };
    serde_json::to_value(arguments).unwrap_or_default() // a struct of one string always encodes
}

/// Tool arguments split into fragments of about 8 bytes, the way models stream them.
pub(super) fn tool_fragments(prompt: &str) -> impl Iterator<Item = String> + Send + 'static {
    let arguments = tool_arguments(prompt);
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = &arguments[at..];
        if rest.is_empty() {
            return None;
        }
        let mut cut = rest.len().min(8);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        at += cut;
        Some(rest[..cut].to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock_ai::mock_answer;

    #[test]
    fn tool_fragments_join_to_valid_json() {
        let fragments: Vec<String> = tool_fragments("weather in Zürich?").collect();
        assert!(fragments.len() > 2);
        let joined: Value = serde_json::from_str(&fragments.concat()).unwrap();
        assert_eq!(joined["query"], "weather in Zürich?");
    }

    #[test]
    fn answer_restates_the_prompt() {
        assert!(mock_answer("What   is\nSSE?").starts_with("You asked: \"What is SSE?\"."));
        assert!(mock_answer("").starts_with("You asked: \"\". Server-sent"));
        assert!(mock_answer("  one  ").starts_with("You asked: \"one\". Server-sent"));
        assert!(mock_answer("a b").ends_with("over one long HTTP response."));
    }

    #[test]
    fn tokens_are_words_with_their_leading_space() {
        let tokens: Vec<String> = Tokens::new(Arc::from("hi there"), 10).collect();
        assert_eq!(
            tokens[..5],
            ["You", " asked:", " \"hi", " there\".", " Server-sent"]
        );
        assert_eq!(tokens.len(), 4 + ANSWER_END.split(' ').count());
    }

    #[test]
    fn long_prompts_are_cut_after_the_word_limit() {
        let prompt = "word ".repeat(20_000);
        let tokens: Vec<String> = Tokens::new(Arc::from(prompt.as_str()), 200).collect();
        // You, asked:, 200 words, the ellipsis, and the fixed end.
        assert_eq!(tokens.len(), 2 + 200 + 1 + ANSWER_END.split(' ').count());
        assert_eq!(tokens[202], " …\".");
        // Exactly at the limit: no ellipsis.
        let exact: String = Tokens::new(Arc::from("a b c"), 3).collect();
        assert!(exact.starts_with("You asked: \"a b c\". Server"), "{exact}");
    }

    #[test]
    fn truncation_respects_char_boundaries() {
        assert_eq!(truncate("Zürich", 2), "Z");
        assert_eq!(truncate("Zürich", 3), "Zü");
        assert_eq!(truncate("abc", 10), "abc");
    }
}
