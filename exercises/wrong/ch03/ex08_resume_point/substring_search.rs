//! The tempting mistake: the query is searched for the text `lastEventId=` and the value read up
//! to the next `&`. The search also matches inside another parameter's name (`xlastEventId=5`)
//! or value (`a=lastEventId=5`): a parameter name must match whole.
//! class: spec

pub use super::given::BadResume;

/// Where a client asks to resume.
pub fn resume_point(header: Option<&str>, query: &str) -> Result<Option<u64>, BadResume> {
    if let Some(text) = header.filter(|text| !text.is_empty()) {
        return parse_id(text).map(Some);
    }
    const KEY: &str = "lastEventId=";
    let Some(start) = query.find(KEY) else {
        return Ok(None);
    };
    let rest = &query[start + KEY.len()..];
    if rest.contains(KEY) {
        return Err(BadResume);
    }
    let raw = rest.split('&').next().unwrap_or("");
    let value: String = url::form_urlencoded::parse(format!("v={raw}").as_bytes())
        .map(|(_, value)| value.into_owned())
        .next()
        .unwrap_or_default();
    if value.is_empty() {
        return Ok(None);
    }
    parse_id(&value).map(Some)
}

fn parse_id(text: &str) -> Result<u64, BadResume> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadResume);
    }
    text.parse().map_err(|_| BadResume)
}
