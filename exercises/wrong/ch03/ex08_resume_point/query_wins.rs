//! The tempting mistake: the URL is read first ("the page put the id there on purpose") and the
//! header only when the URL has none. A browser that reconnects sends the header with the id of
//! the last event it received while its URL still carries the id the page started from: the
//! client is sent again every event since the start.
//! class: spec

pub use super::given::BadResume;

/// Where a client asks to resume.
pub fn resume_point(header: Option<&str>, query: &str) -> Result<Option<u64>, BadResume> {
    let mut found = None;
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if name == "lastEventId" && found.replace(value).is_some() {
            return Err(BadResume);
        }
    }
    if let Some(value) = found.filter(|value| !value.is_empty()) {
        return parse_id(&value).map(Some);
    }
    match header {
        Some(text) if !text.is_empty() => parse_id(text).map(Some),
        _ => Ok(None),
    }
}

fn parse_id(text: &str) -> Result<u64, BadResume> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadResume);
    }
    text.parse().map_err(|_| BadResume)
}
