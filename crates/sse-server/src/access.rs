//! Who is asking, and may they: the client's address behind a trusted proxy, the `Host`
//! allow-list against DNS rebinding, and the token check.
//!
//! **Client address.** Per-client limits count by the peer's IP. Behind a reverse proxy every user
//! has the proxy's address, so [`AccessConfig::trusted_proxies`] lists the proxies whose
//! `Forwarded` (RFC 7239) or, failing that, `X-Forwarded-For` header is believed. Off by default:
//! a header from anyone else is ignored, since any client can write one. The chain is read from
//! the right, skipping trusted proxies; the first other address is the client. An entry that is
//! not an address (`unknown`, an obfuscated name) stops the walk at the last proxy, so a client
//! cannot pick its own key by sending garbage.
//!
//! **Host allow-list.** A page on `evil.example` can make the browser resolve its own name to
//! `127.0.0.1` and then read a token-less server on localhost ("DNS rebinding"); the request then
//! carries `Host: evil.example`. [`AllowedHosts::Auto`] answers only to `localhost`, `127.0.0.1`
//! and `[::1]` (any port) when the connection arrived on a loopback address, and to any name
//! otherwise; a list names the hosts explicitly. Refused requests get `421 Misdirected Request`.
//!
//! ```
//! use sse_server::access::{AccessConfig, AllowedHosts, client_ip};
//! use axum::http::HeaderMap;
//!
//! let config = AccessConfig::default()
//!     .with_trusted_proxies(vec!["10.0.0.0/8".parse().unwrap()])
//!     .with_allowed_hosts(AllowedHosts::Auto);
//! let mut headers = HeaderMap::new();
//! headers.insert("x-forwarded-for", "203.0.113.7, 10.0.0.2".parse().unwrap());
//! let proxy = "10.0.0.1:40000".parse().unwrap();
//! assert_eq!(client_ip(proxy, &headers, &config.trusted_proxies), "203.0.113.7".parse::<std::net::IpAddr>().unwrap());
//! // The same header from a client that is not a trusted proxy is ignored.
//! let stranger = "198.51.100.1:40000".parse().unwrap();
//! assert_eq!(client_ip(stranger, &headers, &config.trusted_proxies), "198.51.100.1".parse::<std::net::IpAddr>().unwrap());
//! ```

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
pub use ipnet::IpNet;
use subtle::ConstantTimeEq;

use crate::AppState;
use crate::conn::LocalAddr;

/// Client addressing and `Host` policy: [`AccessConfig::default`], then the `with_*` setters.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct AccessConfig {
    /// Proxies (addresses or CIDR ranges) whose `Forwarded` / `X-Forwarded-For` is believed.
    /// Empty (the default): the peer address is the client.
    pub trusted_proxies: Vec<IpNet>,
    /// Which `Host` values are served.
    pub allowed_hosts: AllowedHosts,
}

impl AccessConfig {
    /// Sets [`AccessConfig::trusted_proxies`].
    pub fn with_trusted_proxies(mut self, proxies: Vec<IpNet>) -> Self {
        self.trusted_proxies = proxies;
        self
    }

    /// Sets [`AccessConfig::allowed_hosts`].
    pub fn with_allowed_hosts(mut self, hosts: AllowedHosts) -> Self {
        self.allowed_hosts = hosts;
        self
    }
}

/// Which `Host` values the server answers to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AllowedHosts {
    /// Any host: the library's default, since it cannot know whether a reverse proxy in front
    /// forwards the public name. `sse serve` uses [`AllowedHosts::Auto`].
    #[default]
    Any,
    /// The loopback names (`localhost`, `127.0.0.1`, `[::1]`, any port) on connections that
    /// arrived on a loopback address; any host on other connections.
    Auto,
    /// These hosts only: a name (any port) or `name:port`; `[::1]` with brackets.
    List(Vec<String>),
}

/// The loopback names [`AllowedHosts::Auto`] accepts.
pub const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// Most forwarded hops read; a longer chain stops at the last proxy read.
const MAX_HOPS: usize = 32;

/// The client's address: `peer`'s, or, when `peer` is a trusted proxy, the first untrusted address
/// of the forwarded chain read from the right.
pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = peer.ip();
    if !is_trusted(&client) {
        return client;
    }
    let forwarded: Vec<&str> = headers
        .get_all(header::FORWARDED)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let hops: Vec<Option<IpAddr>> = if !forwarded.is_empty() {
        forwarded
            .iter()
            .flat_map(|line| line.split(','))
            .map(forwarded_for)
            .collect()
    } else {
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|line| line.split(','))
            .map(|hop| parse_node(hop.trim()))
            .collect()
    };
    for hop in hops.into_iter().rev().take(MAX_HOPS) {
        let Some(ip) = hop else {
            return client; // not an address: believe nothing further left
        };
        client = ip;
        if !is_trusted(&ip) {
            return ip;
        }
    }
    client
}

/// The `for=` node of one `Forwarded` element (`for=192.0.2.1;proto=https`).
fn forwarded_for(element: &str) -> Option<IpAddr> {
    element
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| key.trim().eq_ignore_ascii_case("for"))
        .and_then(|(_, value)| parse_node(value.trim().trim_matches('"')))
}

/// An address with an optional port: `192.0.2.1`, `192.0.2.1:80`, `[2001:db8::1]:80`,
/// `2001:db8::1`.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    node.parse::<IpAddr>()
        .ok()
        .or_else(|| node.parse::<SocketAddr>().ok().map(|a| a.ip()))
}

/// The host part of a `Host` value, lower-cased (`[::1]` keeps its brackets), and its port.
fn split_host(value: &str) -> (String, Option<&str>) {
    let value = value.trim();
    let (host, port) = if value.starts_with('[') {
        match value.split_once(']') {
            Some((host, rest)) => (format!("{host}]"), rest.strip_prefix(':')),
            None => (value.to_owned(), None),
        }
    } else {
        match value.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), Some(port)),
            None => (value.to_owned(), None),
        }
    };
    (host.to_ascii_lowercase(), port)
}

/// Whether `host` (a `Host` value) is in `allowed` (names with or without a port).
pub fn host_allowed(host: &str, allowed: &[impl AsRef<str>]) -> bool {
    let (name, port) = split_host(host);
    allowed.iter().any(|entry| {
        let (entry_name, entry_port) = split_host(entry.as_ref());
        entry_name == name && (entry_port.is_none() || entry_port == port)
    })
}

/// Middleware: `421` unless the request's host is allowed (see the module documentation).
pub async fn check_host(State(state): State<AppState>, request: Request, next: Next) -> Response {
    check(&state.access.allowed_hosts, request, next).await
}

/// [`check_host`] for a router without the server's state, such as a separate metrics
/// listener: `axum::middleware::from_fn_with_state(Arc::new(hosts), check_allowed_host)`. A
/// page on another site that rebinds its name to this machine must not read it either.
pub async fn check_allowed_host(
    State(allowed): State<std::sync::Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    check(&allowed, request, next).await
}

async fn check(allowed_hosts: &AllowedHosts, request: Request, next: Next) -> Response {
    let loopback_connection = request
        .extensions()
        .get::<LocalAddr>()
        .map(|local| local.0.ip())
        .or_else(|| {
            // Served by something other than our accept loop: the peer tells as much, since a
            // rebinding attack comes from a browser on this machine.
            request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|peer| peer.0.ip())
        })
        .is_some_and(|ip| ip.is_loopback());
    let allowed: Vec<&str> = match allowed_hosts {
        AllowedHosts::Any => return next.run(request).await,
        AllowedHosts::Auto if !loopback_connection => return next.run(request).await,
        AllowedHosts::Auto => LOOPBACK_HOSTS.to_vec(),
        AllowedHosts::List(list) => list.iter().map(String::as_str).collect(),
    };
    // HTTP/2 carries the host in `:authority`, HTTP/1.1 in `Host`.
    let host = request
        .uri()
        .authority()
        .map(|a| a.as_str().to_owned())
        .or_else(|| {
            request
                .headers()
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });
    match host {
        Some(host) if host_allowed(&host, &allowed) => next.run(request).await,
        host => {
            let shown: String = host
                .as_deref()
                .unwrap_or("(none)")
                .chars()
                .take(100)
                .collect();
            let message = format!(
                "this server answers only to the hosts {} (the request named {shown:?}); a web page \
                 on another site may be trying DNS rebinding. To serve this name, allow it \
                 (`sse serve --allow-host NAME`).\n",
                allowed.join(", ")
            );
            crate::metrics::refused(crate::metrics::Refusal::Host);
            (StatusCode::MISDIRECTED_REQUEST, message).into_response()
        }
    }
}

/// Whether the request presents `token`: `Authorization: Bearer <token>` (scheme in any case),
/// `x-api-key: <token>` (what the Anthropic SDKs send), or the cookie `sse_token=<token>`.
///
/// Each candidate is compared in constant time, on SHA-256 digests so that not even the length
/// of the token leaks through timing.
pub fn presents_token(headers: &HeaderMap, token: &str) -> bool {
    let expected = digest(token);
    let matches = |candidate: &str| -> bool { digest(candidate).ct_eq(&expected).into() };
    let bearer = headers
        .get_all(header::AUTHORIZATION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(bearer_token);
    let api_key = headers
        .get_all("x-api-key")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::trim);
    let cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().strip_prefix("sse_token="));
    // Every candidate is checked (no early exit), so timing does not tell which one matched.
    bearer
        .chain(api_key)
        .chain(cookies)
        .take(16)
        .fold(false, |found, candidate| found | matches(candidate))
}

/// The credentials of `Bearer <token>`; the scheme is case-insensitive (RFC 9110, 11.1).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

fn digest(text: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(
        aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, text.as_bytes()).as_ref(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn bearer_scheme_is_case_insensitive() {
        for value in [
            "Bearer s3cret",
            "bearer s3cret",
            "BEARER  s3cret",
            " Bearer s3cret ",
        ] {
            assert!(
                presents_token(&headers(&[("authorization", value)]), "s3cret"),
                "{value:?}"
            );
        }
        for value in [
            "Bearer s3cre",
            "Basic s3cret",
            "Bearers3cret",
            "Bearer ",
            "s3cret",
        ] {
            assert!(
                !presents_token(&headers(&[("authorization", value)]), "s3cret"),
                "{value:?}"
            );
        }
    }

    #[test]
    fn token_by_api_key_or_cookie() {
        assert!(presents_token(
            &headers(&[("x-api-key", "s3cret")]),
            "s3cret"
        ));
        assert!(presents_token(
            &headers(&[("cookie", "a=1; sse_token=s3cret")]),
            "s3cret"
        ));
        assert!(!presents_token(
            &headers(&[("cookie", "sse_token=s3cre; other=s3cret")]),
            "s3cret"
        ));
        assert!(!presents_token(&HeaderMap::new(), "s3cret"));
    }

    #[test]
    fn forwarded_headers_are_ignored_from_untrusted_peers() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4"), ("forwarded", "for=1.2.3.4")]);
        let peer: SocketAddr = "198.51.100.9:1000".parse().unwrap();
        assert_eq!(client_ip(peer, &h, &[]), peer.ip());
        assert_eq!(
            client_ip(peer, &h, &["10.0.0.0/8".parse().unwrap()]),
            peer.ip()
        );
    }

    #[test]
    fn forwarded_chain_is_read_from_the_right_skipping_trusted_proxies() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let proxy: SocketAddr = "10.0.0.1:1000".parse().unwrap();
        let cases = [
            (("x-forwarded-for", "203.0.113.7"), "203.0.113.7"),
            // The client cannot choose its key by prepending: the rightmost untrusted wins.
            (
                ("x-forwarded-for", "6.6.6.6, 203.0.113.7, 10.1.1.1"),
                "203.0.113.7",
            ),
            (
                ("forwarded", "for=192.0.2.60;proto=http;by=10.0.0.1"),
                "192.0.2.60",
            ),
            (
                ("forwarded", "for=\"[2001:db8:cafe::17]:4711\""),
                "2001:db8:cafe::17",
            ),
            (("forwarded", "for=192.0.2.43, for=10.2.2.2"), "192.0.2.43"),
            // Not an address: stop at the last proxy.
            (("forwarded", "for=unknown"), "10.0.0.1"),
            (("x-forwarded-for", "203.0.113.7, garbage"), "10.0.0.1"),
        ];
        for ((name, value), want) in cases {
            let got = client_ip(proxy, &headers(&[(name, value)]), &trusted);
            assert_eq!(got, want.parse::<IpAddr>().unwrap(), "{name}: {value}");
        }
        // Forwarded wins over X-Forwarded-For when both are present.
        let both = headers(&[
            ("forwarded", "for=192.0.2.1"),
            ("x-forwarded-for", "192.0.2.2"),
        ]);
        assert_eq!(
            client_ip(proxy, &both, &trusted),
            "192.0.2.1".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn host_matching() {
        let allowed = LOOPBACK_HOSTS;
        for host in [
            "localhost",
            "localhost:3000",
            "LOCALHOST:1",
            "127.0.0.1:80",
            "[::1]:3000",
            "[::1]",
        ] {
            assert!(host_allowed(host, &allowed), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:3000",
            "localhost.evil.example",
            "127.0.0.2",
            "[::2]:80",
            "",
        ] {
            assert!(!host_allowed(host, &allowed), "{host}");
        }
        assert!(host_allowed("app.example:443", &["app.example:443"]));
        assert!(!host_allowed("app.example:80", &["app.example:443"]));
    }
}
