//! Independent reader's wrong answer for ch03::ex08.
//! class: boundaries
//! Mistake: the id is read with `str::parse::<u64>()`, which already rejects spaces, `-`, text and
//! numbers past `u64::MAX`, so it looks strict enough; but it accepts a leading `+` ("+5" is 5),
//! which the contract ("ASCII decimal digits only, no sign") says is `BadResume`.

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
    let mut found: Option<String> = None;
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if name != "lastEventId" {
            continue;
        }
        if found.is_some() {
            // Given twice: which one did the client mean?
            return Err(BadResume);
        }
        found = Some(value.into_owned());
    }

    match found {
        None => Ok(None),
        Some(value) if value.is_empty() => Ok(None),
        Some(value) => parse_id(&value).map(Some),
    }
}

/// A plain decimal id: `parse` rejects spaces, minus signs, letters and overflow for us.
fn parse_id(text: &str) -> Result<u64, BadResume> {
    text.parse::<u64>().map_err(|_| BadResume)
}
// ANCHOR_END: stub
