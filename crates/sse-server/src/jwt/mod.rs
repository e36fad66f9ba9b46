//! Per-channel authorization with JSON Web Tokens: which channels a client may subscribe to and
//! publish on, until when.
//!
//! The shared token ([`Config::auth_token`](crate::Config::auth_token)) lets everyone who has it
//! read and write every channel. A JWT says more, and is signed by whoever issues it (a login
//! service), so this server only needs the key that verifies it:
//!
//! ```json
//! {
//!   "sub": "user-42",
//!   "exp": 1767790800,
//!   "sse": {
//!     "subscribe": ["news", "user.42.*"],
//!     "publish": ["user.42.outbox"]
//!   }
//! }
//! ```
//!
//! - **`sse`**: the channels, as [`ChannelPattern`]s: an exact name, a prefix ending in `.` or `:`
//!   followed by `*` (`user.42.*`: every channel under `user.42.`), or `*` alone (every channel).
//!   A pattern with a `*` anywhere else makes the token invalid. `subscribe` is checked by
//!   `GET /events/{channel}`, `publish` by `POST /publish/{channel}`; either list may be left out
//!   (it grants nothing), and an unknown key inside `sse` makes the token invalid (a typo such
//!   as `"subscibe"` fails loudly instead of granting nothing without a word).
//! - **`exp`** is required: a stream opened with the token ends when it expires, after a last
//!   event [`TOKEN_EXPIRED`] (see [`until_expiry`]). `nbf`, when present, is checked; `aud` and
//!   `iss` are checked when configured ([`JwtConfig::with_audience`], [`JwtConfig::with_issuer`]),
//!   and a token with an `aud` is refused when no audience is configured (RFC 7519, 4.1.3).
//!
//! Exactly one algorithm is accepted: HS256 with a shared secret ([`JwtConfig::hs256`]), or
//! RS256 or ES256 with a public key ([`JwtConfig::public_key_pem`]). The token's own `alg` header
//! only has to agree: `alg: none`, or HS256 signed with an RS256 server's public key as the
//! secret (the classic key confusion), are refused.
//!
//! **Where the token comes from**, in this order: `Authorization: Bearer <token>`; `x-api-key`
//! (how Anthropic's SDKs send their key, so the mock AI endpoints take a JWT too); the query
//! parameter `access_token` if [`JwtConfig::query_param`] is on (off by default: URLs end up in
//! access logs, proxies' logs and browser history); the cookie [`JwtConfig::cookie_name`]
//! (`sse_token`), which is what a browser's `EventSource` can send. A token longer than
//! [`JwtConfig::max_token_bytes`] (8 KiB) is refused before any decoding.
//!
//! **Answers** (RFC 6750): no token, `401` with `WWW-Authenticate: Bearer`; a bad, expired or
//! oversized token, `401` with `WWW-Authenticate: Bearer error="invalid_token"` and the reason;
//! a valid token without the channel, `403` with `error="insufficient_scope"`. No answer or error
//! message ever contains the token.
//!
//! ```
//! use sse_server::Config;
//! use sse_server::jwt::JwtConfig;
//!
//! let secret = b"a shared secret of at least 32 bytes!!";
//! let jwt = JwtConfig::hs256(secret)?.with_query_param(true);
//! let config = Config::default().with_jwt(jwt);
//! # Ok::<(), sse_server::jwt::KeyError>(())
//! ```

pub mod expiry;
pub mod pattern;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

pub use expiry::{TOKEN_EXPIRED, token_expired_event, until_expiry};
pub use pattern::{ChannelPattern, PatternError};

/// Longest token accepted by default: 8 KiB, far above a real token (a few hundred bytes) and
/// far below what would make decoding a cost an attacker can multiply.
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 8 * 1024;

/// The cookie read by default, the same as the shared token's.
pub const DEFAULT_COOKIE: &str = "sse_token";

/// The query parameter read when [`JwtConfig::query_param`] is on (RFC 6750, 2.3).
pub const QUERY_PARAM: &str = "access_token";

/// The most clock skew allowed for: five minutes. A larger [`JwtConfig::leeway`] is taken as
/// this (a leeway of hours would keep expired tokens alive).
pub const MAX_LEEWAY: Duration = Duration::from_secs(300);

/// The shortest HS256 secret accepted: 32 bytes, as long as the hash (RFC 7518, 3.2).
pub const MIN_HS256_SECRET_BYTES: usize = 32;

/// The one signature algorithm a [`JwtConfig`] accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwtAlgorithm {
    /// HMAC with SHA-256 and a shared secret.
    Hs256,
    /// RSA PKCS#1 v1.5 with SHA-256; the server holds the public key.
    Rs256,
    /// ECDSA on P-256 with SHA-256; the server holds the public key.
    Es256,
}

impl JwtAlgorithm {
    fn jsonwebtoken(self) -> Algorithm {
        match self {
            JwtAlgorithm::Hs256 => Algorithm::HS256,
            JwtAlgorithm::Rs256 => Algorithm::RS256,
            JwtAlgorithm::Es256 => Algorithm::ES256,
        }
    }
}

impl fmt::Display for JwtAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JwtAlgorithm::Hs256 => "HS256",
            JwtAlgorithm::Rs256 => "RS256",
            JwtAlgorithm::Es256 => "ES256",
        })
    }
}

impl FromStr for JwtAlgorithm {
    type Err = String;

    /// `HS256`, `RS256` or `ES256`, in any case.
    fn from_str(text: &str) -> Result<Self, String> {
        match text.to_ascii_uppercase().as_str() {
            "HS256" => Ok(JwtAlgorithm::Hs256),
            "RS256" => Ok(JwtAlgorithm::Rs256),
            "ES256" => Ok(JwtAlgorithm::Es256),
            _ => Err("expected HS256, RS256 or ES256".to_owned()),
        }
    }
}

/// Why a key could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// An HS256 secret shorter than [`MIN_HS256_SECRET_BYTES`].
    #[error(
        "the HS256 secret is {len} bytes; at least {MIN_HS256_SECRET_BYTES} are required (RFC 7518, 3.2)"
    )]
    ShortSecret {
        /// Its length.
        len: usize,
    },
    /// A public key was given for HS256, which takes a shared secret.
    #[error("HS256 takes a shared secret, not a public key (use RS256 or ES256)")]
    NotPublicKeyAlgorithm,
    /// The PEM is not a public key of the algorithm's kind.
    #[error("not an {algorithm} public key in PEM (-----BEGIN PUBLIC KEY-----): {reason}")]
    Pem {
        /// The algorithm it was read for.
        algorithm: JwtAlgorithm,
        /// What the parser said.
        reason: String,
    },
    /// The key file could not be read.
    #[error("reading {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}

/// How tokens are verified and where they are looked for: a constructor for the key
/// ([`JwtConfig::hs256`], [`JwtConfig::public_key_pem`] or their file variants), then the `with_*`
/// setters. See the [module documentation](self).
#[derive(Clone)]
#[non_exhaustive]
pub struct JwtConfig {
    key: DecodingKey,
    algorithm: JwtAlgorithm,
    /// Clock skew allowed for between the issuer and this server (60 s; at most [`MAX_LEEWAY`]):
    /// a token is accepted until `exp` plus this, and a stream ends then too.
    pub leeway: Duration,
    /// Accepted `aud` values; empty: a token with an `aud` claim is refused.
    pub audience: Vec<String>,
    /// Accepted `iss` values; empty: `iss` is not checked.
    pub issuer: Vec<String>,
    /// The cookie the token may come in ([`DEFAULT_COOKIE`]).
    pub cookie_name: String,
    /// Whether `?access_token=` is read (off by default: see the module documentation).
    pub query_param: bool,
    /// Longest token accepted, in bytes ([`DEFAULT_MAX_TOKEN_BYTES`]).
    pub max_token_bytes: usize,
}

/// Never prints the key.
impl fmt::Debug for JwtConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtConfig")
            .field("algorithm", &self.algorithm)
            .field("leeway", &self.leeway)
            .field("audience", &self.audience)
            .field("issuer", &self.issuer)
            .field("cookie_name", &self.cookie_name)
            .field("query_param", &self.query_param)
            .field("max_token_bytes", &self.max_token_bytes)
            .finish_non_exhaustive()
    }
}

impl JwtConfig {
    fn with_key(key: DecodingKey, algorithm: JwtAlgorithm) -> Self {
        // jsonwebtoken picks its crypto provider from its features, and panics on first use when
        // another crate in the build turned on a second one: install ours explicitly instead.
        if jsonwebtoken::crypto::CryptoProvider::try_get_default().is_none() {
            let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
        }
        JwtConfig {
            key,
            algorithm,
            leeway: Duration::from_secs(60),
            audience: Vec::new(),
            issuer: Vec::new(),
            cookie_name: DEFAULT_COOKIE.to_owned(),
            query_param: false,
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
        }
    }

    /// HS256 with this shared secret (at least [`MIN_HS256_SECRET_BYTES`] bytes).
    pub fn hs256(secret: &[u8]) -> Result<Self, KeyError> {
        if secret.len() < MIN_HS256_SECRET_BYTES {
            return Err(KeyError::ShortSecret { len: secret.len() });
        }
        let key = DecodingKey::from_secret(secret)
            .map_err(|_| KeyError::ShortSecret { len: secret.len() })?;
        Ok(Self::with_key(key, JwtAlgorithm::Hs256))
    }

    /// HS256 with the secret in this file; trailing whitespace (the newline an editor or `echo`
    /// adds) is not part of it.
    pub fn hs256_secret_file(path: &Path) -> Result<Self, KeyError> {
        let bytes = read(path)?;
        Self::hs256(bytes.trim_ascii_end())
    }

    /// RS256 or ES256 with this public key (PEM, `-----BEGIN PUBLIC KEY-----`; for RS256 also
    /// `-----BEGIN RSA PUBLIC KEY-----`).
    pub fn public_key_pem(algorithm: JwtAlgorithm, pem: &[u8]) -> Result<Self, KeyError> {
        let key = match algorithm {
            JwtAlgorithm::Rs256 => DecodingKey::from_rsa_pem(pem),
            JwtAlgorithm::Es256 => DecodingKey::from_ec_pem(pem),
            JwtAlgorithm::Hs256 => return Err(KeyError::NotPublicKeyAlgorithm),
        }
        .map_err(|e| KeyError::Pem {
            algorithm,
            reason: e.to_string(),
        })?;
        Ok(Self::with_key(key, algorithm))
    }

    /// [`JwtConfig::public_key_pem`] with the key in this file.
    pub fn public_key_file(algorithm: JwtAlgorithm, path: &Path) -> Result<Self, KeyError> {
        Self::public_key_pem(algorithm, &read(path)?)
    }

    /// The algorithm tokens must be signed with.
    pub fn algorithm(&self) -> JwtAlgorithm {
        self.algorithm
    }

    /// Sets [`JwtConfig::leeway`] (taken as at most [`MAX_LEEWAY`]).
    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Sets [`JwtConfig::audience`].
    pub fn with_audience<I, S>(mut self, audience: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.audience = audience.into_iter().map(Into::into).collect();
        self
    }

    /// Sets [`JwtConfig::issuer`].
    pub fn with_issuer<I, S>(mut self, issuer: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.issuer = issuer.into_iter().map(Into::into).collect();
        self
    }

    /// Sets [`JwtConfig::cookie_name`].
    pub fn with_cookie_name(mut self, name: impl Into<String>) -> Self {
        self.cookie_name = name.into();
        self
    }

    /// Sets [`JwtConfig::query_param`].
    pub fn with_query_param(mut self, on: bool) -> Self {
        self.query_param = on;
        self
    }

    /// Sets [`JwtConfig::max_token_bytes`].
    pub fn with_max_token_bytes(mut self, max: usize) -> Self {
        self.max_token_bytes = max;
        self
    }

    fn effective_leeway(&self) -> Duration {
        self.leeway.min(MAX_LEEWAY)
    }

    fn validation(&self) -> Validation {
        let mut validation = Validation::new(self.algorithm.jsonwebtoken());
        validation.leeway = self.effective_leeway().as_secs();
        validation.validate_nbf = true;
        validation.validate_exp = true;
        validation.set_required_spec_claims(&["exp"]);
        if !self.audience.is_empty() {
            validation.set_audience(&self.audience);
        }
        if !self.issuer.is_empty() {
            validation.set_issuer(&self.issuer);
        }
        validation
    }

    /// Verifies `token` (signature, algorithm, `exp`, `nbf`, `aud`, `iss`, size) and reads its
    /// channels.
    pub fn verify(&self, token: &str) -> Result<Grant, TokenError> {
        if token.len() > self.max_token_bytes {
            return Err(TokenError::TooLarge {
                len: token.len(),
                max: self.max_token_bytes,
            });
        }
        // Decoded to a `Value` first: a JSON error from jsonwebtoken is then always about the
        // token's shape, and the `sse` claim's errors are ours to word.
        let data = jsonwebtoken::decode::<serde_json::Value>(token, &self.key, &self.validation())
            .map_err(|e| TokenError::from_kind(e.kind(), self.algorithm))?;
        let claims =
            Claims::deserialize(&data.claims).map_err(|e| TokenError::Claims(format!("{e}")))?;
        // jsonwebtoken accepts a fractional `exp` (rounded); so does the deadline.
        let exp = claims
            .exp
            .as_u64()
            .or_else(|| {
                let seconds = claims.exp.as_f64()?;
                (seconds.is_finite() && seconds >= 0.0).then(|| seconds.round() as u64)
            })
            .ok_or_else(|| TokenError::Claims("`exp` is not a number of seconds".to_owned()))?;
        let sse = claims.sse.unwrap_or_default();
        let subscribe = parse_patterns(&sse.subscribe, "subscribe")?;
        let publish = parse_patterns(&sse.publish, "publish")?;
        let expires_at = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(exp));
        let valid_until = expires_at.and_then(|at| at.checked_add(self.effective_leeway()));
        // jsonwebtoken compares whole seconds, so a token is still accepted during the second
        // of its `exp`; a stream opened with it ends at `exp` itself. Refusing it from that
        // instant on keeps the two in step: a client that sees its stream end on expiry gets a
        // 401 if it comes back with the same token, never a stream that ends at once.
        if valid_until.is_some_and(|until| SystemTime::now() >= until) {
            return Err(TokenError::Expired);
        }
        Ok(Grant(Arc::new(GrantInner {
            subscribe,
            publish,
            expires_at,
            valid_until,
        })))
    }

    /// The token a request presents, from the places this configuration reads (see the module
    /// documentation); `None` if there is none. Not verified, and not bounded: [`verify`]
    /// checks the length first.
    ///
    /// [`verify`]: JwtConfig::verify
    pub fn find_token<'a>(
        &self,
        headers: &'a HeaderMap,
        query: Option<&'a str>,
    ) -> Option<&'a str> {
        let bearer = headers
            .get_all(header::AUTHORIZATION)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(bearer_token);
        // Anthropic's SDKs send their key as `x-api-key`: the mock endpoints' clients can then
        // carry a JWT as their key, as they carry the shared token.
        let from_api_key = || {
            headers
                .get("x-api-key")
                .and_then(|v| v.to_str().ok())
                .filter(|token| !token.is_empty())
        };
        let from_query = || {
            query
                .filter(|_| self.query_param)?
                .split('&')
                .find_map(|pair| pair.strip_prefix(QUERY_PARAM)?.strip_prefix('='))
                .filter(|token| !token.is_empty())
        };
        let from_cookie = || {
            headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .find_map(|pair| {
                    let (name, value) = pair.trim().split_once('=')?;
                    (name == self.cookie_name).then_some(value)
                })
                // RFC 6265 allows a value in double quotes.
                .map(|value| value.trim_matches('"'))
                .filter(|token| !token.is_empty())
        };
        bearer
            .or_else(from_api_key)
            .or_else(from_query)
            .or_else(from_cookie)
    }

    /// Checks a request: its token, then for a route with a `{channel}` segment the grant for
    /// that channel (`subscribe` for `GET` and `HEAD`, `publish` for any other method). On
    /// success the [`Grant`] is added to the request's extensions, for the handler.
    pub(crate) async fn authorize(&self, request: Request, next: Next) -> Response {
        let token = self.find_token(request.headers(), request.uri().query());
        let grant = match token.map(|token| self.verify(token)) {
            None => {
                return unauthorized(&TokenError::Missing {
                    cookie: self.cookie_name.clone(),
                    query: self.query_param,
                });
            }
            Some(Err(error)) => return unauthorized(&error),
            Some(Ok(grant)) => grant,
        };
        let (mut parts, body) = request.into_parts();
        let channel = match RawPathParams::from_request_parts(&mut parts, &()).await {
            Ok(params) => params
                .iter()
                .find(|(name, _)| *name == "channel")
                .map(|(_, value)| value.to_owned()),
            // A route without parameters: the token alone is enough.
            Err(RawPathParamsRejection::MissingPathParams(_)) => None,
            // A `{channel}` that is not UTF-8 (or anything else unreadable): never let it pass
            // as "no channel".
            Err(_) => {
                return (StatusCode::BAD_REQUEST, "the path is not valid UTF-8\n").into_response();
            }
        };
        if let Some(channel) = channel {
            let (action, allowed) = if matches!(parts.method, Method::GET | Method::HEAD) {
                ("subscribe to", grant.may_subscribe(&channel))
            } else {
                ("publish on", grant.may_publish(&channel))
            };
            if !allowed {
                return forbidden(action);
            }
        }
        parts.extensions.insert(grant);
        next.run(Request::from_parts(parts, body)).await
    }
}

fn read(path: &Path) -> Result<Vec<u8>, KeyError> {
    std::fs::read(path).map_err(|source| KeyError::Read {
        path: path.to_owned(),
        source,
    })
}

/// The credentials of `Bearer <token>`; the scheme is case-insensitive (RFC 9110, 11.1).
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The claims this server reads; other claims are ignored.
#[derive(Deserialize)]
struct Claims {
    /// Checked by jsonwebtoken already (present, not past); read again for the deadline.
    exp: serde_json::Number,
    #[serde(default)]
    sse: Option<SseClaim>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SseClaim {
    #[serde(default)]
    subscribe: Vec<String>,
    #[serde(default)]
    publish: Vec<String>,
}

fn parse_patterns(patterns: &[String], list: &str) -> Result<Vec<ChannelPattern>, TokenError> {
    patterns
        .iter()
        .enumerate()
        .map(|(index, text)| {
            // The position, not the text: the message stays short and free of token content.
            ChannelPattern::parse(text)
                .map_err(|e| TokenError::Claims(format!("sse.{list}[{index}]: {e}")))
        })
        .collect()
}

/// What a verified token allows. Cheap to clone (shared).
#[derive(Clone, Debug)]
pub struct Grant(Arc<GrantInner>);

#[derive(Debug)]
struct GrantInner {
    subscribe: Vec<ChannelPattern>,
    publish: Vec<ChannelPattern>,
    expires_at: Option<SystemTime>,
    valid_until: Option<SystemTime>,
}

impl Grant {
    /// Whether the token may subscribe to `channel`.
    pub fn may_subscribe(&self, channel: &str) -> bool {
        self.0.subscribe.iter().any(|p| p.matches(channel))
    }

    /// Whether the token may publish on `channel`.
    pub fn may_publish(&self, channel: &str) -> bool {
        self.0.publish.iter().any(|p| p.matches(channel))
    }

    /// The token's `exp` (`None` past what the clock can hold).
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.0.expires_at
    }

    /// `exp` plus the leeway: when the server stops accepting the token, and when a stream
    /// opened with it ends.
    pub fn valid_until(&self) -> Option<SystemTime> {
        self.0.valid_until
    }
}

/// Why a request's token was refused. The messages never contain the token.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The request carries no token.
    #[error(
        "a token is required: send `Authorization: Bearer <token>` or the cookie `{cookie}`{}",
        if *query { " or `?access_token=<token>`" } else { "" }
    )]
    Missing {
        /// The cookie read.
        cookie: String,
        /// Whether the query parameter is read.
        query: bool,
    },
    /// The token is longer than [`JwtConfig::max_token_bytes`].
    #[error("the token is {len} bytes; the limit is {max}")]
    TooLarge {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Not a JWT: not three base64url parts, a header that is not JSON, an unknown algorithm
    /// (`none` among them).
    #[error(
        "the token is not a well-formed JWT (three base64url parts, a JSON header naming a supported algorithm)"
    )]
    Malformed,
    /// Signed with another algorithm than the configured one.
    #[error("the token is not signed with {expected}, the one algorithm this server accepts")]
    Algorithm {
        /// The configured algorithm.
        expected: JwtAlgorithm,
    },
    /// The signature does not verify with the configured key.
    #[error("the token's signature does not verify with this server's key")]
    Signature,
    /// `exp` (plus the leeway) has passed.
    #[error("the token has expired: fetch a new one")]
    Expired,
    /// `nbf` (minus the leeway) has not come yet.
    #[error("the token is not valid yet (its nbf is in the future)")]
    NotYetValid,
    /// `aud` is not an accepted audience (or there is one and none is configured).
    #[error("the token's audience (aud) is not accepted here")]
    Audience,
    /// `iss` is not an accepted issuer.
    #[error("the token's issuer (iss) is not accepted here")]
    Issuer,
    /// A required claim is missing.
    #[error("the token has no `{0}` claim, which is required")]
    MissingClaim(String),
    /// A claim has the wrong type or value, the `sse` claim included.
    #[error("the token's claims are not valid: {0}")]
    Claims(String),
}

impl TokenError {
    fn from_kind(kind: &ErrorKind, expected: JwtAlgorithm) -> TokenError {
        match kind {
            ErrorKind::InvalidSignature
            | ErrorKind::InvalidEcdsaKey
            | ErrorKind::InvalidRsaKey(_)
            | ErrorKind::InvalidKeyFormat => TokenError::Signature,
            ErrorKind::InvalidAlgorithm
            | ErrorKind::MissingAlgorithm
            | ErrorKind::UnsupportedAlgorithm
            | ErrorKind::InvalidAlgorithmName => TokenError::Algorithm { expected },
            ErrorKind::ExpiredSignature => TokenError::Expired,
            ErrorKind::ImmatureSignature => TokenError::NotYetValid,
            ErrorKind::InvalidAudience => TokenError::Audience,
            ErrorKind::InvalidIssuer => TokenError::Issuer,
            ErrorKind::MissingRequiredClaim(claim) => TokenError::MissingClaim(claim.clone()),
            ErrorKind::InvalidClaimFormat(claim) => {
                TokenError::Claims(format!("`{claim}` has the wrong type"))
            }
            ErrorKind::InvalidSubject => TokenError::Claims("`sub` is not accepted".to_owned()),
            _ => TokenError::Malformed,
        }
    }
}

/// `401`, with the challenge RFC 6750 (3.1) asks for: no error code when no token was sent,
/// `invalid_token` and a description otherwise.
pub fn unauthorized(error: &TokenError) -> Response {
    let challenge = match error {
        TokenError::Missing { .. } => "Bearer".to_owned(),
        error => format!(
            "Bearer error=\"invalid_token\", error_description=\"{}\"",
            quotable(&error.to_string())
        ),
    };
    challenge_response(StatusCode::UNAUTHORIZED, &challenge, format!("{error}\n"))
}

/// `403`: a valid token that does not name the channel.
fn forbidden(action: &str) -> Response {
    let message = format!("the token does not allow to {action} this channel");
    let challenge = format!(
        "Bearer error=\"insufficient_scope\", error_description=\"{}\"",
        quotable(&message)
    );
    challenge_response(StatusCode::FORBIDDEN, &challenge, format!("{message}\n"))
}

fn challenge_response(status: StatusCode, challenge: &str, body: String) -> Response {
    crate::metrics::refused(crate::metrics::Refusal::Auth);
    let mut response = (status, body).into_response();
    // Built from our own messages, made quotable: always a valid header value.
    if let Ok(value) = HeaderValue::from_str(challenge) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// `error_description` allows printable ASCII except `"` and `\` (RFC 6750, 3).
fn quotable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' | '\\' => '\'',
            '`' => '\'',
            c if c.is_ascii_graphic() || c == ' ' => c,
            _ => '?',
        })
        .collect()
}

#[cfg(test)]
mod tests;
