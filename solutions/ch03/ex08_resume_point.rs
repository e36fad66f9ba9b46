//! Solution to ch03::ex08: header or query, where to resume.

// ANCHOR: solution
pub use super::given::BadResume;

/// The name of the query parameter a page fills for its first connection (exactly this: query
/// parameter names are case-sensitive).
const PARAMETER: &str = "lastEventId";

/// Where a client asks to resume: its `Last-Event-ID` header if it sent a non-empty one, else
/// the `lastEventId` parameter of the query string.
pub fn resume_point(header: Option<&str>, query: &str) -> Result<Option<u64>, BadResume> {
    // The header first: on a reconnect it holds the newest id, while the URL still holds the
    // id the page started from. An empty header carries no position (a browser never sends
    // one), so it counts as no header.
    if let Some(text) = header.filter(|text| !text.is_empty()) {
        return parse_id(text).map(Some);
    }
    // Decode the query as a browser encodes it: split into pairs, then percent-decode each
    // name and value (`+` is a space). Comparing decoded names, whole, is what makes
    // `xlastEventId` or `lastEventIdx` another parameter.
    let mut found = None;
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if name == PARAMETER && found.replace(value).is_some() {
            // Two of them: which one the client meant is anyone's guess.
            return Err(BadResume);
        }
    }
    match found {
        Some(value) if !value.is_empty() => parse_id(&value).map(Some),
        // Absent, or `lastEventId=` with nothing after it: no id.
        _ => Ok(None),
    }
}

/// An id as the server writes it: ASCII digits only, within a `u64`. The digit check comes
/// first because `u64::from_str` alone also takes `+5`; a number too large is an error from
/// `parse`, not a panic.
fn parse_id(text: &str) -> Result<u64, BadResume> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadResume);
    }
    text.parse().map_err(|_| BadResume)
}
// ANCHOR_END: solution
