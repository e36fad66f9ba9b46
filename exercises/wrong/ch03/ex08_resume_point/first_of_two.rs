//! The tempting mistake: the first `lastEventId` is taken and the rest of the query ignored.
//! With two of them the client's meaning is unknown (and two parts of a server reading
//! different ones is how parameter pollution starts): the contract calls it an error.
//! class: spec

pub use super::given::BadResume;

/// Where a client asks to resume.
pub fn resume_point(header: Option<&str>, query: &str) -> Result<Option<u64>, BadResume> {
    if let Some(text) = header.filter(|text| !text.is_empty()) {
        return parse_id(text).map(Some);
    }
    let found = url::form_urlencoded::parse(query.as_bytes())
        .find(|(name, _)| name == "lastEventId")
        .map(|(_, value)| value);
    match found {
        Some(value) if !value.is_empty() => parse_id(&value).map(Some),
        _ => Ok(None),
    }
}

fn parse_id(text: &str) -> Result<u64, BadResume> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadResume);
    }
    text.parse().map_err(|_| BadResume)
}
