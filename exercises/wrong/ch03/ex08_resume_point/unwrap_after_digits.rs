//! The tempting mistake: once every character is known to be a digit, `parse` "cannot fail",
//! so it is unwrapped. Twenty-one digits are digits too: an id too large for a `u64` panics the
//! handler instead of being an error.
//! class: errors

pub use super::given::BadResume;

/// Where a client asks to resume.
pub fn resume_point(header: Option<&str>, query: &str) -> Result<Option<u64>, BadResume> {
    if let Some(text) = header.filter(|text| !text.is_empty()) {
        return parse_id(text).map(Some);
    }
    let mut found = None;
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if name == "lastEventId" && found.replace(value).is_some() {
            return Err(BadResume);
        }
    }
    match found {
        Some(value) if !value.is_empty() => parse_id(&value).map(Some),
        _ => Ok(None),
    }
}

fn parse_id(text: &str) -> Result<u64, BadResume> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadResume);
    }
    Ok(text.parse().unwrap())
}
