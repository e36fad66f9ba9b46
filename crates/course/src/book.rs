//! Checks the book's `{{#include}}` directives: mdBook silently includes nothing for an anchor that
//! does not exist, so a renamed anchor would leave an empty code block in the lesson.

use std::path::{Path, PathBuf};

/// One problem found in the book.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    /// The Markdown file.
    pub page: PathBuf,
    /// 1-based line of the directive.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Checks every `{{#include ...}}` and `{{#rustdoc_include ...}}` under `book_src`.
pub fn check_includes(book_src: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut pages = Vec::new();
    collect_markdown(book_src, &mut pages);
    pages.sort();
    for page in pages {
        let Ok(text) = std::fs::read_to_string(&page) else {
            continue;
        };
        for (index, line) in text.lines().enumerate() {
            for directive in directives(line) {
                if let Err(message) = check_directive(&page, directive) {
                    problems.push(Problem {
                        page: page.clone(),
                        line: index + 1,
                        message,
                    });
                }
            }
        }
    }
    problems
}

/// The pages under `book_src` that include a hint file (`exercises/hints/...`): the book links to
/// `cargo course hint` instead, so a reader never meets the fuller hint by scrolling.
pub fn pages_including_hints(book_src: &Path) -> Vec<PathBuf> {
    let mut pages = Vec::new();
    collect_markdown(book_src, &mut pages);
    pages.sort();
    pages.retain(|page| {
        std::fs::read_to_string(page).is_ok_and(|text| {
            text.lines().any(|line| {
                directives(line)
                    .iter()
                    .any(|argument| argument.contains("exercises/hints/"))
            })
        })
    });
    pages
}

fn collect_markdown(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_markdown(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// The arguments of the include directives on one line: `path:anchor` in `{{#include path:anchor}}`.
fn directives(line: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find("{{#") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else { break };
        let body = after[..end].trim();
        for keyword in ["include ", "rustdoc_include "] {
            if let Some(argument) = body.strip_prefix(keyword) {
                found.push(argument.trim());
            }
        }
        rest = &after[end + 2..];
    }
    found
}

fn check_directive(page: &Path, argument: &str) -> Result<(), String> {
    let (file, selector) = match argument.split_once(':') {
        Some((file, selector)) => (file, Some(selector)),
        None => (argument, None),
    };
    let target = page.parent().unwrap_or(Path::new(".")).join(file);
    let text = std::fs::read_to_string(&target)
        .map_err(|e| format!("include of {file:?}: cannot read {}: {e}", target.display()))?;
    let Some(anchor) = selector else {
        return if text.trim().is_empty() {
            Err(format!("include of {file:?}: the file is empty"))
        } else {
            Ok(())
        };
    };
    if anchor
        .split(':')
        .all(|p| p.is_empty() || p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!(
            "include of {file}:{anchor} uses line numbers; use a named anchor (// ANCHOR: name)"
        ));
    }
    let region = anchor_region(&text, anchor)
        .ok_or_else(|| format!("include of {file}: anchor {anchor:?} not found (ANCHOR: {anchor} ... ANCHOR_END: {anchor})"))?;
    if region.iter().all(|line| line.trim().is_empty()) {
        return Err(format!(
            "include of {file}: anchor {anchor:?} encloses nothing"
        ));
    }
    Ok(())
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, other anchor markers left out.
fn anchor_region<'t>(text: &'t str, name: &str) -> Option<Vec<&'t str>> {
    let mut lines = text.lines();
    lines
        .by_ref()
        .find(|line| marker(line, "ANCHOR:") == Some(name))?;
    let mut region = Vec::new();
    for line in lines {
        if marker(line, "ANCHOR_END:") == Some(name) {
            return Some(region);
        }
        if marker(line, "ANCHOR:").is_none() && marker(line, "ANCHOR_END:").is_none() {
            region.push(line);
        }
    }
    None
}

/// The anchor name after `keyword` on a line, if the line is such a marker.
fn marker<'l>(line: &'l str, keyword: &str) -> Option<&'l str> {
    let at = line.find(keyword)?;
    let name = line[at + keyword.len()..].trim_start();
    let end = name
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(name.len());
    (end > 0).then(|| &name[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_directives() {
        assert_eq!(
            directives("a {{#include ../x.rs:name}} b {{#title T}}"),
            ["../x.rs:name"]
        );
        assert_eq!(directives("{{ #include x }}"), Vec::<&str>::new());
    }

    #[test]
    fn anchors() {
        let text = "a\n// ANCHOR: one\nx\n// ANCHOR: inner\ny\n// ANCHOR_END: inner\n// ANCHOR_END: one\n// ANCHOR: empty\n// ANCHOR_END: empty\n";
        assert_eq!(anchor_region(text, "one"), Some(vec!["x", "y"]));
        assert_eq!(anchor_region(text, "empty"), Some(vec![]));
        assert_eq!(anchor_region(text, "on"), None);
        assert_eq!(anchor_region(text, "missing"), None);
    }

    #[test]
    fn reports_missing_and_empty_anchors() {
        let dir = std::env::temp_dir().join(format!("course-book-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("code.rs"), "// ANCHOR: ok\nfn f() {}\n// ANCHOR_END: ok\n// ANCHOR: hollow\n\n// ANCHOR_END: hollow\n").unwrap();
        std::fs::write(
            dir.join("page.md"),
            "{{#include code.rs:ok}}\n{{#include code.rs:gone}}\n{{#include code.rs:hollow}}\n{{#include code.rs:1:2}}\n{{#include nope.rs}}\n",
        )
        .unwrap();
        let problems = check_includes(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 4, 5], "{problems:#?}");
        assert!(problems[0].message.contains("not found"));
        assert!(problems[1].message.contains("encloses nothing"));
        assert!(problems[2].message.contains("named anchor"));
    }
}
