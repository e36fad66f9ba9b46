//! Following redirects ourselves: reqwest's own policy strips only `Authorization`, `Cookie` and
//! `Proxy-Authorization` when a redirect leaves the origin, so an API key in `x-api-key` (Anthropic)
//! or `api-key` (Azure OpenAI) would follow a redirect anywhere. The driver sends every request
//! with `redirect::Policy::none()` and asks [`next_hop`] where to go next.

use bytes::Bytes;
use http::{HeaderMap, HeaderName, Method, StatusCode, header};
use reqwest::Url;

/// How many redirects one connection attempt follows before the 3xx is reported as an error.
pub const MAX_REDIRECTS: usize = 10;

/// Headers that carry credentials in the APIs this crate talks to: never sent to another origin,
/// never printed. Callers add their own with [`Builder::secret_header`](crate::Builder::secret_header).
pub const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "x-api-key",
    "api-key",
    "x-goog-api-key",
];

/// The request to send after a redirect response, changed in place: method and body as
/// browsers do (303, and 301/302 after a `POST`, become a `GET` without a body), and every
/// secret header dropped when the target is another origin (scheme, host or port). `None` when
/// the response is not a redirect that can be followed (no or bad `Location`, not http(s)): the
/// 3xx is then the answer.
pub fn next_hop(
    from: &Url,
    status: StatusCode,
    response_headers: &HeaderMap,
    method: &mut Method,
    headers: &mut HeaderMap,
    body: &mut Option<Bytes>,
    secrets: &[HeaderName],
) -> Option<Url> {
    if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = response_headers.get(header::LOCATION)?.to_str().ok()?;
    let to = from.join(location).ok()?;
    if !matches!(to.scheme(), "http" | "https") {
        return None;
    }
    let becomes_get = status == StatusCode::SEE_OTHER && *method != Method::HEAD
        || matches!(status.as_u16(), 301 | 302) && *method == Method::POST;
    if becomes_get {
        *method = Method::GET;
        *body = None;
        headers.remove(header::CONTENT_TYPE);
        headers.remove(header::CONTENT_LENGTH);
    }
    if from.origin() != to.origin() {
        for name in secrets {
            headers.remove(name);
        }
    }
    Some(to)
}

/// The URL as it may be printed: any password replaced by `***`.
pub fn redact(url: &Url) -> String {
    if url.password().is_some() {
        let mut url = url.clone();
        // Cannot fail: a URL that has a password can have another one.
        let _ = url.set_password(Some("***"));
        url.to_string()
    } else {
        url.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn secrets() -> Vec<HeaderName> {
        SECRET_HEADERS
            .iter()
            .map(|n| HeaderName::from_static(n))
            .chain([HeaderName::from_static("x-custom-token")])
            .collect()
    }

    fn request() -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("authorization", "Bearer sk"),
            ("cookie", "a=b"),
            ("x-api-key", "sk-ant"),
            ("x-custom-token", "t"),
            ("anthropic-version", "2023-06-01"),
            ("content-type", "application/json"),
        ] {
            headers.insert(name, HeaderValue::from_static(value));
        }
        headers
    }

    fn hop(
        from: &str,
        status: u16,
        location: &str,
        method: Method,
    ) -> (Option<Url>, Method, HeaderMap, Option<Bytes>) {
        let mut response = HeaderMap::new();
        response.insert(header::LOCATION, HeaderValue::from_str(location).unwrap());
        let mut method = method;
        let mut headers = request();
        let mut body = Some(Bytes::from_static(b"{}"));
        let to = next_hop(
            &Url::parse(from).unwrap(),
            StatusCode::from_u16(status).unwrap(),
            &response,
            &mut method,
            &mut headers,
            &mut body,
            &secrets(),
        );
        (to, method, headers, body)
    }

    #[test]
    fn x_api_key_is_dropped_on_a_redirect_to_another_origin() {
        for location in [
            "http://evil.example/steal",
            "https://api.example/v1/messages",
            "http://api.example:8080/v1/messages",
        ] {
            let (to, _, headers, _) = hop(
                "http://api.example/v1/messages",
                307,
                location,
                Method::POST,
            );
            assert_eq!(to.unwrap().as_str(), location);
            for name in ["authorization", "cookie", "x-api-key", "x-custom-token"] {
                assert!(!headers.contains_key(name), "{name} followed to {location}");
            }
            assert_eq!(headers["anthropic-version"], "2023-06-01");
        }
    }

    #[test]
    fn same_origin_redirect_keeps_credentials_and_307_keeps_the_body() {
        let (to, method, headers, body) = hop("http://api.example/a", 307, "/b?x=1", Method::POST);
        assert_eq!(to.unwrap().as_str(), "http://api.example/b?x=1");
        assert_eq!(method, Method::POST);
        assert!(body.is_some());
        assert_eq!(headers["x-api-key"], "sk-ant");
    }

    #[test]
    fn see_other_and_post_302_become_get_without_a_body() {
        for status in [302, 303] {
            let (_, method, headers, body) = hop("http://a/", status, "/next", Method::POST);
            assert_eq!(method, Method::GET);
            assert!(body.is_none());
            assert!(!headers.contains_key("content-type"));
        }
    }

    #[test]
    fn unfollowable_redirects_are_answers() {
        assert!(
            hop("http://a/", 302, "ftp://a/file", Method::GET)
                .0
                .is_none()
        );
        assert!(hop("http://a/", 300, "/x", Method::GET).0.is_none());
        assert!(hop("http://a/", 304, "/x", Method::GET).0.is_none());
    }

    #[test]
    fn url_passwords_are_redacted() {
        let url = Url::parse("https://user:hunter2@api.example/v1").unwrap();
        assert_eq!(redact(&url), "https://user:***@api.example/v1");
        let plain = Url::parse("https://api.example/v1").unwrap();
        assert_eq!(redact(&plain), "https://api.example/v1");
    }
}
