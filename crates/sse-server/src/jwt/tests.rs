use jsonwebtoken::{EncodingKey, Header, encode};
use serde_json::{Value, json};

use super::*;

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

fn config() -> JwtConfig {
    JwtConfig::hs256(SECRET)
        .unwrap()
        .with_leeway(Duration::ZERO)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn sign(claims: &Value) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(SECRET).unwrap(),
    )
    .unwrap()
}

fn token(sse: Value) -> String {
    sign(&json!({ "exp": now() + 600, "sse": sse }))
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, value.parse().unwrap());
    }
    map
}

#[test]
fn a_grant_reads_subscribe_and_publish() {
    let grant = config()
        .verify(&token(
            json!({ "subscribe": ["news", "user.42.*"], "publish": ["news"] }),
        ))
        .unwrap();
    assert!(grant.may_subscribe("news"));
    assert!(grant.may_subscribe("user.42.inbox"));
    assert!(!grant.may_subscribe("user.43.inbox"));
    assert!(grant.may_publish("news"));
    assert!(!grant.may_publish("user.42.inbox"));
    assert!(grant.valid_until() > Some(SystemTime::now()));
}

#[test]
fn a_token_without_the_sse_claim_grants_nothing() {
    let grant = config()
        .verify(&sign(&json!({ "exp": now() + 60 })))
        .unwrap();
    assert!(!grant.may_subscribe("news"));
    assert!(!grant.may_publish("news"));
}

#[test]
fn exp_is_required() {
    assert_eq!(
        config()
            .verify(&sign(&json!({ "sse": { "subscribe": ["*"] } })))
            .unwrap_err(),
        TokenError::MissingClaim("exp".into())
    );
}

#[test]
fn expired_and_not_yet_valid_tokens_are_refused() {
    let expired = sign(&json!({ "exp": now() - 10, "sse": { "subscribe": ["*"] } }));
    assert_eq!(config().verify(&expired).unwrap_err(), TokenError::Expired);
    // Within the leeway it still passes, and its stream then ends at `exp` + the leeway.
    let grant = config()
        .with_leeway(Duration::from_secs(60))
        .verify(&expired)
        .unwrap();
    assert!(grant.valid_until() > Some(SystemTime::now()));
    let early = sign(&json!({ "exp": now() + 600, "nbf": now() + 300 }));
    assert_eq!(
        config().verify(&early).unwrap_err(),
        TokenError::NotYetValid
    );
}

#[test]
fn a_huge_leeway_is_capped() {
    let expired = sign(&json!({ "exp": now() - 3600 }));
    let lenient = config().with_leeway(Duration::from_secs(u64::MAX));
    assert_eq!(lenient.verify(&expired).unwrap_err(), TokenError::Expired);
}

#[test]
fn wrong_secret_is_a_bad_signature() {
    let other = encode(
        &Header::new(Algorithm::HS256),
        &json!({ "exp": now() + 60 }),
        &EncodingKey::from_secret(b"another secret, also 32 bytes long!").unwrap(),
    )
    .unwrap();
    assert_eq!(config().verify(&other).unwrap_err(), TokenError::Signature);
}

#[test]
fn alg_none_is_malformed() {
    use base64::Engine;
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let claims = json!({ "exp": now() + 60, "sse": { "subscribe": ["*"] } });
    for alg in ["none", "None", "NONE"] {
        let unsigned = format!(
            "{}.{}.",
            b64(&json!({ "alg": alg, "typ": "JWT" })),
            b64(&claims)
        );
        assert_eq!(
            config().verify(&unsigned).unwrap_err(),
            TokenError::Malformed
        );
    }
}

#[test]
fn another_algorithm_is_refused() {
    let hs384 = encode(
        &Header::new(Algorithm::HS384),
        &json!({ "exp": now() + 60 }),
        &EncodingKey::from_secret(SECRET).unwrap(),
    )
    .unwrap();
    assert_eq!(
        config().verify(&hs384).unwrap_err(),
        TokenError::Algorithm {
            expected: JwtAlgorithm::Hs256
        }
    );
}

#[test]
fn garbage_is_malformed_never_a_panic() {
    for garbage in [
        "",
        ".",
        "..",
        "a.b.c",
        "a.b",
        "ey.ey.ey",
        "\u{1F600}.x.y",
        "a.b.c.d",
    ] {
        assert!(config().verify(garbage).is_err(), "{garbage:?}");
    }
}

#[test]
fn token_64_kib_is_refused_before_decoding() {
    let huge = "a".repeat(64 * 1024);
    assert_eq!(
        config().verify(&huge).unwrap_err(),
        TokenError::TooLarge {
            len: 64 * 1024,
            max: DEFAULT_MAX_TOKEN_BYTES
        }
    );
}

#[test]
fn an_invalid_pattern_invalidates_the_token() {
    let error = config()
        .verify(&token(json!({ "subscribe": ["news", "user.4*"] })))
        .unwrap_err();
    assert!(
        matches!(&error, TokenError::Claims(m) if m.starts_with("sse.subscribe[1]:")),
        "{error}"
    );
    // A typo in the claim's keys is loud too.
    assert!(matches!(
        config().verify(&token(json!({ "subscibe": ["news"] }))),
        Err(TokenError::Claims(_))
    ));
    assert!(matches!(
        config().verify(&token(json!({ "subscribe": "news" }))),
        Err(TokenError::Claims(_))
    ));
}

#[test]
fn audience_and_issuer() {
    let with_aud = sign(&json!({ "exp": now() + 60, "aud": "sse", "iss": "login" }));
    // A token meant for someone (`aud`) is refused by a server that names no audience.
    assert_eq!(
        config().verify(&with_aud).unwrap_err(),
        TokenError::Audience
    );
    let strict = config().with_audience(["sse"]).with_issuer(["login"]);
    assert!(strict.verify(&with_aud).is_ok());
    assert_eq!(
        config()
            .with_audience(["other"])
            .verify(&with_aud)
            .unwrap_err(),
        TokenError::Audience
    );
    assert_eq!(
        config()
            .with_audience(["sse"])
            .with_issuer(["elsewhere"])
            .verify(&with_aud)
            .unwrap_err(),
        TokenError::Issuer
    );
}

#[test]
fn short_secrets_and_wrong_keys_are_refused() {
    assert!(matches!(
        JwtConfig::hs256(b"short"),
        Err(KeyError::ShortSecret { len: 5 })
    ));
    assert!(matches!(
        JwtConfig::public_key_pem(JwtAlgorithm::Es256, b"not a pem"),
        Err(KeyError::Pem { .. })
    ));
    assert!(matches!(
        JwtConfig::public_key_pem(JwtAlgorithm::Hs256, b""),
        Err(KeyError::NotPublicKeyAlgorithm)
    ));
}

#[test]
fn the_secret_file_ignores_a_trailing_newline() {
    let path = std::env::temp_dir().join(format!("sse-jwt-secret-{}", std::process::id()));
    std::fs::write(&path, [SECRET, b"\n"].concat()).unwrap();
    let from_file = JwtConfig::hs256_secret_file(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(from_file.verify(&token(json!({}))).is_ok());
}

#[test]
fn debug_never_prints_the_key() {
    let printed = format!("{:?}", config());
    assert!(!printed.contains("0123456789abcdef"), "{printed}");
}

#[test]
fn the_bearer_header_wins_then_the_query_then_the_cookie() {
    let query_on = config().with_query_param(true);
    let all = headers(&[
        ("authorization", "Bearer from-header"),
        ("cookie", "a=1; sse_token=from-cookie"),
    ]);
    assert_eq!(
        query_on.find_token(&all, Some("access_token=from-query")),
        Some("from-header")
    );
    let no_header = headers(&[("cookie", "a=1; sse_token=from-cookie")]);
    assert_eq!(
        query_on.find_token(&no_header, Some("lastEventId=1&access_token=from-query")),
        Some("from-query")
    );
    assert_eq!(
        query_on.find_token(&no_header, Some("x_access_token=no")),
        Some("from-cookie")
    );
    assert_eq!(query_on.find_token(&HeaderMap::new(), None), None);
}

#[test]
fn the_query_parameter_is_read_only_when_enabled() {
    assert_eq!(
        config().find_token(&HeaderMap::new(), Some("access_token=t")),
        None
    );
}

#[test]
fn the_cookie_name_is_configurable_and_quotes_are_dropped() {
    let custom = config().with_cookie_name("jwt");
    let h = headers(&[("cookie", "sse_token=old; jwt=\"new\"")]);
    assert_eq!(custom.find_token(&h, None), Some("new"));
    assert_eq!(config().find_token(&h, None), Some("old"));
}

#[test]
fn another_authorization_scheme_is_not_a_bearer_token() {
    let h = headers(&[("authorization", "Basic dXNlcjpwYXNz")]);
    assert_eq!(config().find_token(&h, None), None);
}

#[test]
fn challenges_are_valid_header_values() {
    for error in [
        TokenError::Expired,
        TokenError::TooLarge { len: 1, max: 0 },
        TokenError::Claims("\"quoted\" \\ \u{7}".into()),
    ] {
        let response = unauthorized(&error);
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let challenge = response.headers()[header::WWW_AUTHENTICATE]
            .to_str()
            .unwrap();
        assert!(challenge.starts_with("Bearer error=\"invalid_token\", error_description=\""));
        assert_eq!(challenge.matches('"').count(), 4, "{challenge}");
    }
    let missing = unauthorized(&TokenError::Missing {
        cookie: "sse_token".into(),
        query: false,
    });
    assert_eq!(missing.headers()[header::WWW_AUTHENTICATE], "Bearer");
}
