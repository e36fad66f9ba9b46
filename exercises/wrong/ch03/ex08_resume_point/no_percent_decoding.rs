//! The tempting mistake: the query is split on `&` and `=` by hand and the pieces compared as
//! they are. Nothing is percent-decoded, so `lastEventId=%34%32`, which a page's
//! `URLSearchParams` may well write for `42`, is refused as text that is not an id, and
//! `lastEvent%49d` is not recognised as the parameter's name.
//! class: encoding

pub use super::given::BadResume;

/// Where a client asks to resume.
pub fn resume_point(header: Option<&str>, query: &str) -> Result<Option<u64>, BadResume> {
    if let Some(text) = header.filter(|text| !text.is_empty()) {
        return parse_id(text).map(Some);
    }
    let mut found = None;
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if name == "lastEventId" && found.replace(value).is_some() {
            return Err(BadResume);
        }
    }
    match found {
        Some(value) if !value.is_empty() => parse_id(value).map(Some),
        _ => Ok(None),
    }
}

fn parse_id(text: &str) -> Result<u64, BadResume> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadResume);
    }
    text.parse().map_err(|_| BadResume)
}
