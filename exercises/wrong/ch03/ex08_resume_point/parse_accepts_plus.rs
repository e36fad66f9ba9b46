//! The tempting mistake: `str::parse::<u64>` is trusted to say whether the text is an id. It
//! also accepts a leading `+`, so the header `+5`, or `lastEventId=%2B5`, resumes as if it were
//! the id 5: a form no server ever wrote.
//! class: encoding

pub use super::given::BadResume;

/// Where a client asks to resume.
pub fn resume_point(header: Option<&str>, query: &str) -> Result<Option<u64>, BadResume> {
    if let Some(text) = header.filter(|text| !text.is_empty()) {
        return text.parse().map(Some).map_err(|_| BadResume);
    }
    let mut found = None;
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if name == "lastEventId" && found.replace(value).is_some() {
            return Err(BadResume);
        }
    }
    match found {
        Some(value) if !value.is_empty() => value.parse().map(Some).map_err(|_| BadResume),
        _ => Ok(None),
    }
}
