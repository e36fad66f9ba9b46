//! Independent reader's wrong answer for ch03::ex08.
//! class: errors
//! Mistake: knowing `parse` would accept a `+`, the id is first checked to be all ASCII digits and
//! then parsed with `.unwrap()` ("only digits, so it cannot fail"); but a run of digits past
//! `u64::MAX` still fails to parse, so a client's 20-digit id panics the handler.

// ANCHOR: stub
pub use super::given::BadResume;

use url::form_urlencoded;

/// Where a client asks to resume: the id in its `Last-Event-ID` header, or else the one in the
/// `lastEventId` parameter of its URL (book: Chapter 3 › Broadcast, replay and resume › Resume).
///
/// `header` is the value of the request's `Last-Event-ID` header (`None` if it has none), and
/// `query` the raw query string of its URL, without the `?` (`""` if there is none).
///
/// The contract:
/// - The header wins. When it is not empty it decides, and the query is not read: a browser that
///   reconnects sends the header with the id of the last event it received, while its URL still
///   carries the older id the page started from.
/// - An empty header counts as no header, and an empty `lastEventId` as no parameter: with
///   neither, the client has no id, `Ok(None)`.
/// - The query is `application/x-www-form-urlencoded`, as a page's `URLSearchParams` writes it:
///   `&`-separated `name=value` pairs whose names and values are percent-decoded (`+` is a
///   space). Only a parameter whose decoded name is exactly `lastEventId` counts (not
///   `lasteventid`, not `lastEventIdx`); the others are ignored. Given twice, it is ambiguous:
///   [`BadResume`].
/// - An id is a plain number here (the hub's `<epoch>-<seq>` ids come later): ASCII decimal
///   digits only (no sign, no spaces) that fit a `u64`. Any other text, in the header or the
///   parameter, is [`BadResume`].
/// - It never panics, whatever the client sent.
pub fn resume_point(header: Option<&str>, query: &str) -> Result<Option<u64>, BadResume> {
    // The header wins whenever it is present and not empty, valid or not.
    if let Some(header) = header.filter(|h| !h.is_empty()) {
        return parse_id(header).map(Some);
    }

    // Otherwise the query, decoded the way `URLSearchParams` wrote it.
    let values: Vec<String> = form_urlencoded::parse(query.as_bytes())
        .filter(|(name, _)| name == "lastEventId")
        .map(|(_, value)| value.into_owned())
        .collect();

    match values.as_slice() {
        [] => Ok(None),
        [value] if value.is_empty() => Ok(None),
        [value] => parse_id(value).map(Some),
        // Given twice (or more): ambiguous.
        _ => Err(BadResume),
    }
}

/// A plain decimal id. `str::parse` would take a leading `+`, so the digits are checked first;
/// after that the text is nothing but digits and parsing it cannot fail.
fn parse_id(text: &str) -> Result<u64, BadResume> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(BadResume);
    }
    Ok(text.parse::<u64>().unwrap())
}
// ANCHOR_END: stub
