//! The tempting mistake: the id is read digit by digit with checked arithmetic (no overflow, no
//! sign), starting from 0, and any header counts as present. An empty header then reads as the
//! id 0, "replay everything", and hides the URL's id; and `lastEventId=` reads as 0 too.
//! class: boundaries

pub use super::given::BadResume;

/// Where a client asks to resume.
pub fn resume_point(header: Option<&str>, query: &str) -> Result<Option<u64>, BadResume> {
    if let Some(text) = header {
        return parse_id(text).map(Some);
    }
    let mut found = None;
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if name == "lastEventId" && found.replace(value).is_some() {
            return Err(BadResume);
        }
    }
    found.map(|value| parse_id(&value)).transpose()
}

fn parse_id(text: &str) -> Result<u64, BadResume> {
    text.bytes().try_fold(0u64, |id, b| {
        if !b.is_ascii_digit() {
            return Err(BadResume);
        }
        id.checked_mul(10)
            .and_then(|id| id.checked_add(u64::from(b - b'0')))
            .ok_or(BadResume)
    })
}
