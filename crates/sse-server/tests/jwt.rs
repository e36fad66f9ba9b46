//! Per-channel authorization with JWTs, on a real server on loopback with a real HTTP client:
//! HS256, RS256 and ES256 (keys made in the test), the three places a token may come from, the
//! hostile tokens (`alg: none`, wrong key, key confusion, expired, not yet valid, a pattern that
//! reaches too far, 64 KiB), the end of a stream at expiry, and `sse-client` facing a 401: a
//! token refresher, or a clean stop, never a retry loop (requests are counted at the server).

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use axum::extract::Request;
use axum::middleware::Next;
use futures::StreamExt;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};
use sse_client::{EventSource, SourceEvent};
use sse_format::Event;
use sse_server::jwt::{JwtAlgorithm, JwtConfig};
use sse_server::sse::{Shutdown, SseConfig};
use sse_server::{AppState, Config};
use test_kit::server::Running;

const SECRET: &[u8] = b"test secret, 32 bytes or longer!";

/// A server with its state (to publish directly) and a count of every request it answered.
struct Server {
    running: Running,
    state: AppState,
    requests: Arc<AtomicUsize>,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.running.base)
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    async fn publish(&self, channel: &str, data: &str) -> String {
        let id = self
            .state
            .hub
            .publish(channel, Event::new().data(data))
            .await
            .unwrap();
        id.to_string()
    }
}

/// The library's router (streams, publish, health, behind `require_auth`) served by axum on
/// `127.0.0.1:0`, with a layer that counts requests.
async fn start(config: Config) -> Server {
    start_with(config, |_| axum::Router::new()).await
}

/// [`start`] with routes of the test's own, merged as `sse_server::router_with` does.
async fn start_with(config: Config, extra: impl FnOnce(&AppState) -> axum::Router) -> Server {
    let config = config.with_sse(
        SseConfig::default()
            .with_retry(Duration::from_millis(100))
            .with_keep_alive(Duration::from_secs(1)),
    );
    let (trigger, shutdown) = Shutdown::new();
    let (app, state) = sse_server::router_with(&config, shutdown, extra);
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    let app = app.layer(axum::middleware::from_fn(
        move |request: Request, next: Next| {
            counter.fetch_add(1, Ordering::SeqCst);
            next.run(request)
        },
    ));
    let running = Running::start(move |listener, signal| {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            signal.await;
            trigger.fire();
        })
        .into_future()
    })
    .await;
    Server {
        running,
        state,
        requests,
    }
}

/// Bounds every wait: a test fails, it never hangs.
async fn within<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(15), future)
        .await
        .expect("timed out")
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn hs256(claims: &Value) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(SECRET).unwrap(),
    )
    .unwrap()
}

/// An HS256 token valid for ten minutes with these channels.
fn token(subscribe: &[&str], publish: &[&str]) -> String {
    hs256(&json!({
        "exp": now() + 600,
        "sse": { "subscribe": subscribe, "publish": publish },
    }))
}

fn hs256_config() -> Config {
    Config::default().with_jwt(
        JwtConfig::hs256(SECRET)
            .unwrap()
            .with_leeway(Duration::ZERO),
    )
}

async fn get(server: &Server, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(server.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    within(request.send()).await.unwrap()
}

async fn post(server: &Server, path: &str, token: &str, body: Value) -> reqwest::Response {
    within(
        reqwest::Client::new()
            .post(server.url(path))
            .bearer_auth(token)
            .json(&body)
            .send(),
    )
    .await
    .unwrap()
}

fn challenge(response: &reqwest::Response) -> String {
    response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned()
}

/// Reads a stream until `done` says the text so far is enough (or it ends); bounded in time.
async fn read_until(response: reqwest::Response, done: impl Fn(&str) -> bool) -> String {
    let mut body = response.bytes_stream();
    let mut text = String::new();
    within(async {
        while let Some(Ok(chunk)) = body.next().await {
            text.push_str(&String::from_utf8_lossy(&chunk));
            if done(&text) {
                break;
            }
        }
    })
    .await;
    text
}

/// Asserts a 401 with `error="invalid_token"` whose description contains `reason`.
async fn assert_invalid_token(response: reqwest::Response, reason: &str) {
    assert_eq!(response.status(), 401);
    let challenge = challenge(&response);
    assert!(
        challenge.starts_with("Bearer error=\"invalid_token\", error_description=\""),
        "{challenge}"
    );
    let body = response.text().await.unwrap();
    assert!(body.contains(reason), "{body:?} should say {reason:?}");
}

// ---- channels --------------------------------------------------------------------------------

#[tokio::test]
async fn subscribe_is_allowed_only_on_the_channels_the_token_names() {
    let server = start(hs256_config()).await;
    let reader = token(&["news", "user.42.*"], &[]);
    for allowed in ["news", "user.42.inbox", "user.42.inbox.urgent"] {
        let response = get(&server, &format!("/events/{allowed}"), Some(&reader)).await;
        assert_eq!(response.status(), 200, "{allowed}");
    }
    for refused in ["sports", "news2", "user.42", "user.420", "user.43.inbox"] {
        let response = get(&server, &format!("/events/{refused}"), Some(&reader)).await;
        assert_eq!(response.status(), 403, "{refused}");
        assert!(
            challenge(&response).starts_with("Bearer error=\"insufficient_scope\""),
            "{refused}"
        );
    }
    // And an allowed stream carries the channel's events.
    let response = get(&server, "/events/news", Some(&reader)).await;
    let id = server.publish("news", "hello").await;
    let text = read_until(response, |t| t.contains("data: hello")).await;
    assert!(
        text.contains(&format!("id: {id}\ndata: hello\n\n")),
        "{text}"
    );
    server.running.stop().await;
}

#[tokio::test]
async fn publish_is_allowed_only_on_the_channels_the_token_names() {
    let server = start(hs256_config()).await;
    let writer = token(&[], &["news", "room:*"]);
    for allowed in ["news", "room:lobby"] {
        let response = post(
            &server,
            &format!("/publish/{allowed}"),
            &writer,
            json!({"data": "x"}),
        )
        .await;
        assert_eq!(response.status(), 200, "{allowed}");
    }
    for refused in ["sports", "room", "roomy:lobby"] {
        let response = post(
            &server,
            &format!("/publish/{refused}"),
            &writer,
            json!({"data": "x"}),
        )
        .await;
        assert_eq!(response.status(), 403, "{refused}");
    }
    // Subscribing is a separate grant: the writer cannot read `news`, a reader cannot write it.
    assert_eq!(
        get(&server, "/events/news", Some(&writer)).await.status(),
        403
    );
    let reader = token(&["news"], &[]);
    let response = post(&server, "/publish/news", &reader, json!({"data": "x"})).await;
    assert_eq!(response.status(), 403);
    server.running.stop().await;
}

#[tokio::test]
async fn pattern_overreach_is_refused() {
    let server = start(hs256_config()).await;
    // `user.4*` would match `user.42x` if it were read as a prefix: the token is refused whole.
    let overreaching = token(&["user.4*"], &[]);
    let response = get(&server, "/events/user.42x", Some(&overreaching)).await;
    assert_invalid_token(response, "sse.subscribe[0]").await;
    for bad in ["*.news", "user.*.inbox", "user.**"] {
        let response = get(&server, "/events/user.42", Some(&token(&[bad], &[]))).await;
        assert_eq!(response.status(), 401, "{bad}");
    }
    // A well-formed prefix covers what it says and nothing that only shares its first letters.
    let prefix = token(&["user.42.*"], &[]);
    assert_eq!(
        get(&server, "/events/user.42x", Some(&prefix))
            .await
            .status(),
        403
    );
    assert_eq!(
        get(&server, "/events/user.42", Some(&prefix))
            .await
            .status(),
        403
    );
    assert_eq!(
        get(&server, "/events/user.42.a", Some(&prefix))
            .await
            .status(),
        200
    );
    server.running.stop().await;
}

#[tokio::test]
async fn a_channel_that_is_not_utf8_is_refused_not_waved_through() {
    let server = start(hs256_config()).await;
    let reader = token(&["news"], &[]);
    // `%FF` is no channel name: the check must not read it as "no channel" and let it pass.
    let response = get(&server, "/events/%FF", Some(&reader)).await;
    assert_eq!(response.status(), 400);
    let writer = token(&[], &["news"]);
    let response = post(&server, "/publish/%FF", &writer, json!({"data": "x"})).await;
    assert_eq!(response.status(), 400);
    server.running.stop().await;
}

#[tokio::test]
async fn a_route_without_a_channel_needs_a_valid_token_only() {
    let server = start_with(hs256_config(), |state| {
        axum::Router::new()
            .route("/hello", axum::routing::get(|| async { "hello\n" }))
            .route_layer(axum::middleware::from_fn_with_state(
                state.clone(),
                sse_server::require_auth,
            ))
    })
    .await;
    assert_eq!(get(&server, "/hello", None).await.status(), 401);
    let expired = hs256(&json!({ "exp": now() - 5 }));
    assert_eq!(get(&server, "/hello", Some(&expired)).await.status(), 401);
    // A token that grants no channel at all still opens a route that names none.
    let no_channels = token(&[], &[]);
    assert_eq!(
        get(&server, "/hello", Some(&no_channels)).await.status(),
        200
    );
    server.running.stop().await;
}

// ---- where the token comes from --------------------------------------------------------------

#[tokio::test]
async fn the_cookie_carries_the_token_for_event_source() {
    let server = start(hs256_config()).await;
    let reader = token(&["news"], &[]);
    let response = within(
        reqwest::Client::new()
            .get(server.url("/events/news"))
            .header("cookie", format!("theme=dark; sse_token={reader}"))
            .send(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    server.running.stop().await;
}

#[tokio::test]
async fn x_api_key_carries_the_token_for_anthropic_sdks() {
    let server = start(hs256_config()).await;
    let reader = token(&["news"], &[]);
    let ask = |key: String| {
        reqwest::Client::new()
            .get(server.url("/events/news"))
            .header("x-api-key", key)
            .send()
    };
    assert_eq!(within(ask(reader)).await.unwrap().status(), 200);
    let stranger = token(&["other"], &[]);
    assert_eq!(within(ask(stranger)).await.unwrap().status(), 403);
    assert_eq!(within(ask("garbage".into())).await.unwrap().status(), 401);
    server.running.stop().await;
}

#[tokio::test]
async fn the_query_parameter_is_read_only_when_enabled() {
    let reader = token(&["news"], &[]);
    let path = format!("/events/news?access_token={reader}");
    let off = start(hs256_config()).await;
    let response = get(&off, &path, None).await;
    assert_eq!(response.status(), 401);
    assert_eq!(challenge(&response), "Bearer", "no token was read");
    off.running.stop().await;

    let on =
        start(Config::default().with_jwt(JwtConfig::hs256(SECRET).unwrap().with_query_param(true)))
            .await;
    assert_eq!(get(&on, &path, None).await.status(), 200);
    on.running.stop().await;
}

#[tokio::test]
async fn no_token_gets_a_bare_bearer_challenge() {
    let server = start(hs256_config()).await;
    let response = get(&server, "/events/news", None).await;
    assert_eq!(response.status(), 401);
    // RFC 6750, 3.1: no error code when the request had no credentials.
    assert_eq!(challenge(&response), "Bearer");
    let body = response.text().await.unwrap();
    assert!(body.contains("Authorization: Bearer"), "{body}");
    server.running.stop().await;
}

#[tokio::test]
async fn the_shared_token_is_not_accepted_when_jwts_are_configured() {
    let server = start(hs256_config().with_auth_token("s3cret")).await;
    let response = get(&server, "/events/news", Some("s3cret")).await;
    assert_eq!(response.status(), 401);
    server.running.stop().await;
}

// ---- public keys -----------------------------------------------------------------------------

/// A key pair made for this test: the private key (PKCS#8 PEM) signs, the public key file is
/// what the server is given.
fn key_pair(
    algorithm: &'static rcgen::SignatureAlgorithm,
) -> (EncodingKey, std::path::PathBuf, String) {
    let pair = rcgen::KeyPair::generate_for(algorithm).unwrap();
    let private = pair.serialize_pem();
    let public = pair.public_key_pem();
    let path = std::env::temp_dir().join(format!(
        "sse-jwt-test-{}-{}.pem",
        std::process::id(),
        fastrand::u64(..)
    ));
    std::fs::write(&path, &public).unwrap();
    let signing = if algorithm == &rcgen::PKCS_ECDSA_P256_SHA256 {
        EncodingKey::from_ec_pem(private.as_bytes()).unwrap()
    } else {
        EncodingKey::from_rsa_pem(private.as_bytes()).unwrap()
    };
    (signing, path, public)
}

async fn public_key_round_trip(
    rcgen_algorithm: &'static rcgen::SignatureAlgorithm,
    algorithm: JwtAlgorithm,
    jwt_algorithm: Algorithm,
) {
    let (signing, path, public_pem) = key_pair(rcgen_algorithm);
    let jwt = JwtConfig::public_key_file(algorithm, &path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let server = start(Config::default().with_jwt(jwt)).await;
    let claims = json!({ "exp": now() + 600, "sse": { "subscribe": ["news"] } });
    let good = encode(&Header::new(jwt_algorithm), &claims, &signing).unwrap();
    assert_eq!(
        get(&server, "/events/news", Some(&good)).await.status(),
        200
    );
    assert_eq!(
        get(&server, "/events/other", Some(&good)).await.status(),
        403
    );

    // Another key of the same kind: the signature does not verify.
    let (stranger, other_path, _) = key_pair(rcgen_algorithm);
    std::fs::remove_file(&other_path).unwrap();
    let forged = encode(&Header::new(jwt_algorithm), &claims, &stranger).unwrap();
    assert_invalid_token(
        get(&server, "/events/news", Some(&forged)).await,
        "signature",
    )
    .await;

    // Key confusion: HS256 with the (public!) key as the secret must not pass as a signature.
    let confused = encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(public_pem.as_bytes()).unwrap(),
    )
    .unwrap();
    assert_invalid_token(
        get(&server, "/events/news", Some(&confused)).await,
        &format!("not signed with {algorithm}"),
    )
    .await;
    server.running.stop().await;
}

#[tokio::test]
async fn es256_tokens_verify_with_the_public_key_file() {
    public_key_round_trip(
        &rcgen::PKCS_ECDSA_P256_SHA256,
        JwtAlgorithm::Es256,
        Algorithm::ES256,
    )
    .await;
}

#[tokio::test]
async fn rs256_tokens_verify_with_the_public_key_file() {
    public_key_round_trip(
        &rcgen::PKCS_RSA_SHA256,
        JwtAlgorithm::Rs256,
        Algorithm::RS256,
    )
    .await;
}

// ---- hostile tokens --------------------------------------------------------------------------

#[tokio::test]
async fn alg_none_token_is_refused() {
    use base64::Engine;
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let server = start(hs256_config()).await;
    let claims = json!({ "exp": now() + 600, "sse": { "subscribe": ["*"] } });
    let header = json!({ "alg": "none", "typ": "JWT" });
    // Unsigned, and with the signature of a real token pasted on: neither passes.
    let real_signature = token(&["*"], &[]).rsplit('.').next().unwrap().to_owned();
    for signature in ["", real_signature.as_str()] {
        let forged = format!("{}.{}.{signature}", b64(&header), b64(&claims));
        let response = get(&server, "/events/news", Some(&forged)).await;
        assert_invalid_token(response, "not a well-formed JWT").await;
    }
    server.running.stop().await;
}

#[tokio::test]
async fn wrong_key_is_refused() {
    let server = start(hs256_config()).await;
    let forged = encode(
        &Header::new(Algorithm::HS256),
        &json!({ "exp": now() + 600, "sse": { "subscribe": ["*"] } }),
        &EncodingKey::from_secret(b"someone else's secret, 32 bytes+").unwrap(),
    )
    .unwrap();
    assert_invalid_token(
        get(&server, "/events/news", Some(&forged)).await,
        "signature",
    )
    .await;
    server.running.stop().await;
}

#[tokio::test]
async fn expired_token_is_refused() {
    let server = start(hs256_config()).await;
    let expired = hs256(&json!({ "exp": now() - 1, "sse": { "subscribe": ["*"] } }));
    assert_invalid_token(
        get(&server, "/events/news", Some(&expired)).await,
        "expired",
    )
    .await;
    server.running.stop().await;
}

#[tokio::test]
async fn not_yet_valid_token_is_refused() {
    let server = start(hs256_config()).await;
    let early = hs256(&json!({
        "exp": now() + 600,
        "nbf": now() + 300,
        "sse": { "subscribe": ["*"] },
    }));
    assert_invalid_token(
        get(&server, "/events/news", Some(&early)).await,
        "not valid yet",
    )
    .await;
    server.running.stop().await;
}

#[tokio::test]
async fn token_64_kib_is_refused_with_401() {
    let server =
        start(Config::default().with_jwt(JwtConfig::hs256(SECRET).unwrap().with_query_param(true)))
            .await;
    let huge = format!(
        "{}.{}.{}",
        "a".repeat(32 * 1024),
        "b".repeat(32 * 1024),
        "c"
    );
    // A URL cannot reach 64 KiB in the `http` crate (its limit is 65,534 bytes): 60,000 there.
    let long = format!("{}.{}.{}", "a".repeat(30_000), "b".repeat(29_998), "c");
    let client = reqwest::Client::new();
    let requests = [
        client.get(server.url("/events/news")).bearer_auth(&huge),
        client
            .get(server.url("/events/news"))
            .header("cookie", format!("sse_token={huge}")),
        client.get(server.url(&format!("/events/news?access_token={long}"))),
    ];
    for request in requests {
        // Never `unwrap` an error here: its message would print the whole URL.
        let response = within(request.send())
            .await
            .unwrap_or_else(|_| panic!("the request failed"));
        assert_invalid_token(response, "the limit is 8192").await;
    }
    server.running.stop().await;
}

#[tokio::test]
async fn errors_never_echo_the_token() {
    let server = start(hs256_config()).await;
    let expired = hs256(&json!({ "exp": now() - 5, "sse": { "subscribe": ["*"] } }));
    let no_channel = token(&[], &[]);
    let bad_pattern = token(&["user.4*"], &[]);
    for (token, path) in [
        (expired.as_str(), "/events/news"),
        (no_channel.as_str(), "/events/news"),
        (bad_pattern.as_str(), "/events/news"),
        ("not.a.jwt-but-secret", "/events/news"),
    ] {
        let response = get(&server, path, Some(token)).await;
        assert!(response.status() == 401 || response.status() == 403);
        let headers = format!("{:?}", response.headers());
        let body = response.text().await.unwrap();
        // No part of the token: not its signature, not its payload.
        for part in token.split('.').filter(|p| p.len() > 3) {
            assert!(!body.contains(part), "{body}");
            assert!(!headers.contains(part), "{headers}");
        }
    }
    server.running.stop().await;
}

// ---- expiry ----------------------------------------------------------------------------------

#[tokio::test]
async fn the_stream_ends_with_token_expired_and_the_same_token_then_gets_401() {
    let server = start(hs256_config()).await;
    // Whole seconds: this token expires 1 to 2 s from now.
    let exp = now() + 2;
    let short = hs256(&json!({ "exp": exp, "sse": { "subscribe": ["news"] } }));
    let response = get(&server, "/events/news", Some(&short)).await;
    assert_eq!(response.status(), 200);
    let id = server.publish("news", "before").await;
    // Read to the end: the server closes the stream after the notice.
    let text = read_until(response, |_| false).await;
    assert!(
        text.contains(&format!("id: {id}\ndata: before\n\n")),
        "{text}"
    );
    assert!(
        text.ends_with(&format!(
            "event: token-expired\ndata: {{\"exp\":{exp}}}\n\n"
        )),
        "{text}"
    );
    // Coming back with the same token: refused, and the client is told why.
    assert_invalid_token(get(&server, "/events/news", Some(&short)).await, "expired").await;
    server.running.stop().await;
}

#[tokio::test]
async fn publishing_a_token_expired_event_is_refused() {
    let server = start(hs256_config()).await;
    let writer = token(&[], &["news"]);
    let response = post(
        &server,
        "/publish/news",
        &writer,
        json!({ "event": "token-expired", "data": "{}" }),
    )
    .await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("reserved"));
    server.running.stop().await;
}

// ---- the client ------------------------------------------------------------------------------

/// Counts calls and hands out fresh tokens for `news`, valid for `valid_for` seconds.
fn refresher(
    calls: Arc<AtomicUsize>,
    valid_for: u64,
) -> impl Fn() -> std::future::Ready<Result<String, std::io::Error>> + Send + Sync + 'static {
    move || {
        calls.fetch_add(1, Ordering::SeqCst);
        std::future::ready(Ok(hs256(&json!({
            "exp": now() + valid_for,
            "sse": { "subscribe": ["news"] },
        }))))
    }
}

#[tokio::test]
async fn a_client_without_a_refresher_stops_on_401_after_one_request() {
    let server = start(hs256_config()).await;
    let expired = hs256(&json!({ "exp": now() - 5, "sse": { "subscribe": ["news"] } }));
    let mut source = EventSource::builder(server.url("/events/news"))
        .bearer_auth(&expired)
        .build()
        .unwrap();
    let error = within(source.next()).await.unwrap().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert!(error.to_string().contains("expired"), "{error}");
    assert!(
        within(source.next()).await.is_none(),
        "closed after the 401"
    );
    // Give a retry loop time to show itself: there is none.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(server.requests(), 1);
    server.running.stop().await;
}

#[tokio::test]
async fn a_client_without_a_refresher_stops_at_token_expired() {
    let server = start(hs256_config()).await;
    let short = hs256(&json!({ "exp": now() + 2, "sse": { "subscribe": ["news"] } }));
    let mut source = EventSource::builder(server.url("/events/news"))
        .bearer_auth(&short)
        .build()
        .unwrap();
    assert!(matches!(
        within(source.next()).await,
        Some(Ok(SourceEvent::Open))
    ));
    let mut saw_notice = false;
    let error = loop {
        match within(source.next()).await {
            Some(Ok(SourceEvent::Message(m))) => saw_notice |= m.event_type() == "token-expired",
            Some(Ok(other)) => panic!("{other:?}"),
            Some(Err(error)) => break error,
            None => panic!("ended without an error"),
        }
    };
    assert!(saw_notice);
    assert!(matches!(error, sse_client::Error::TokenExpired), "{error}");
    assert!(within(source.next()).await.is_none());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        server.requests(),
        1,
        "no reconnection with the expired token"
    );
    server.running.stop().await;
}

#[tokio::test]
async fn a_client_with_a_refresher_resumes_with_last_event_id() {
    let server = start(hs256_config()).await;
    let calls = Arc::new(AtomicUsize::new(0));
    // The first token lives 1 to 2 s; the refreshed ones ten minutes.
    let short = hs256(&json!({ "exp": now() + 2, "sse": { "subscribe": ["news"] } }));
    let mut source = EventSource::builder(server.url("/events/news"))
        .bearer_auth(&short)
        .token_refresher(refresher(calls.clone(), 600))
        .build()
        .unwrap();
    assert!(matches!(
        within(source.next()).await,
        Some(Ok(SourceEvent::Open))
    ));
    // Events before the expiry, and one published while the client is away.
    let first = server.publish("news", "1").await;
    let mut data = Vec::new();
    let mut retrying = None;
    loop {
        match within(source.next()).await.unwrap().unwrap() {
            SourceEvent::Message(m) if m.event_type() == "token-expired" => {}
            SourceEvent::Message(m) => data.push(m.data().to_owned()),
            SourceEvent::Retrying { cause, .. } => {
                retrying = Some(cause.to_string());
                server.publish("news", "2").await;
            }
            SourceEvent::Open => break,
            other => panic!("{other:?}"),
        }
    }
    assert!(retrying.unwrap().contains("token expired"));
    assert_eq!(calls.load(Ordering::SeqCst), 1, "one new token");
    assert_eq!(
        source.last_event_id(),
        first,
        "resumes after the last event"
    );
    // The event published during the gap comes by the replay.
    match within(source.next()).await.unwrap().unwrap() {
        SourceEvent::Message(m) => assert_eq!(m.data(), "2"),
        other => panic!("{other:?}"),
    }
    assert_eq!(data, ["1"]);
    assert_eq!(server.requests(), 2);
    server.running.stop().await;
}

#[tokio::test]
async fn a_refreshed_token_that_is_refused_too_stops_after_two_requests() {
    let server = start(hs256_config()).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let expired = hs256(&json!({ "exp": now() - 5, "sse": { "subscribe": ["news"] } }));
    // A refresher that hands out tokens without the channel: the new one gets a 403.
    let wrong_channel = {
        let calls = calls.clone();
        move || {
            calls.fetch_add(1, Ordering::SeqCst);
            std::future::ready(Ok::<_, std::io::Error>(token(&["other"], &[])))
        }
    };
    let mut source = EventSource::builder(server.url("/events/news"))
        .bearer_auth(&expired)
        .token_refresher(wrong_channel)
        .build()
        .unwrap();
    let error = within(source.next()).await.unwrap().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    assert!(within(source.next()).await.is_none());
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(server.requests(), 2);

    // A refresher whose tokens are expired too: 401, one refresh, 401, stop.
    let calls = Arc::new(AtomicUsize::new(0));
    let before = server.requests();
    let mut source = EventSource::builder(server.url("/events/news"))
        .bearer_auth(&expired)
        .token_refresher(refresher(calls.clone(), 0))
        .build()
        .unwrap();
    let error = within(source.next()).await.unwrap().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert!(within(source.next()).await.is_none());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(
        server.requests() - before,
        2,
        "one retry with the new token, no loop"
    );
    server.running.stop().await;
}

#[tokio::test]
async fn a_refresher_fetches_the_first_token() {
    let server = start(hs256_config()).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let mut source = EventSource::builder(server.url("/events/news"))
        .token_refresher(refresher(calls.clone(), 600))
        .build()
        .unwrap();
    assert!(matches!(
        within(source.next()).await,
        Some(Ok(SourceEvent::Open))
    ));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(server.requests(), 1, "no request without a token first");
    server.running.stop().await;
}

#[tokio::test]
async fn a_failing_refresher_ends_the_stream_with_its_error() {
    let server = start(hs256_config()).await;
    let mut source = EventSource::builder(server.url("/events/news"))
        .token_refresher(|| async { Err::<String, _>("the login service is down") })
        .build()
        .unwrap();
    let error = within(source.next()).await.unwrap().unwrap_err();
    assert!(
        matches!(error, sse_client::Error::TokenRefresh(_)),
        "{error}"
    );
    assert!(error.to_string().contains("the login service is down"));
    assert!(within(source.next()).await.is_none());
    assert_eq!(server.requests(), 0);
    server.running.stop().await;
}
