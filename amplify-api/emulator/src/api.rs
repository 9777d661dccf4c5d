//! The emulated API: API Gateway's authorization (IAM checked by the independent SigV4
//! verifier, API key, bearer token, or none), its error answers, faults on demand, and an
//! [`Echo`] of every accepted request.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::echo::{Echo, multipart_parts};
use super::faults::{Fault, FaultQueue, api_gateway_error};
use super::keys::KeyStore;
use super::routing::{Answer, Call, ErrorAnswer, Routed, Routing, ServedRoutes};
use super::server::{Received, Reply, json_response, too_long};
use super::sigv4_verify::{
    self, Authorization, MAX_SKEW, WireRequest, format_amz_date, parse_amz_date,
};
use super::user_pool::Issuer;
use amplify_api_config::routes::Method;

/// What a route asks of a request, as API Gateway's authorization types do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// `AWS_IAM`: a valid SigV4 signature by a known access key (the default).
    #[default]
    Iam,
    /// An API key: `x-api-key` must be this value.
    ApiKey(String),
    /// A token authorizer (Cognito user pools, OIDC, Lambda): `Authorization` must be this
    /// value.
    Bearer(String),
    /// A Cognito user pools authorizer: `Authorization` must be an unexpired ID or access token
    /// issued by the emulated user pool (the echo's [`Echo::user`] names its user).
    UserPool,
    /// No authorization: every request is accepted as it is.
    None,
}

/// Controls the emulated API: authorization, faults, clock; and counts what it served.
///
/// Get it from [`Emulator::api`](super::Emulator::api).
#[derive(Clone, Debug)]
pub struct ApiControl {
    state: Arc<ApiState>,
}

#[derive(Debug)]
pub(crate) struct ApiState {
    keys: Arc<KeyStore>,
    user_pool: Arc<Issuer>,
    served: AtomicU64,
    faults: FaultQueue<Fault>,
    /// `f64` bits of the share of requests that fail transiently.
    fail_ratio: AtomicU64,
    skew_secs: AtomicI64,
    /// Microseconds every request waits before it is served.
    latency_us: AtomicU64,
    auth: Mutex<AuthRules>,
    /// The host and path prefix requests are verified for, as the origin behind a proxy.
    origin: Mutex<Option<Origin>>,
    /// Whether bodies over API Gateway's payload limit are accepted.
    long_bodies: AtomicBool,
    /// The route tables served and the typed answers.
    routing: Mutex<Routing>,
}

/// Where a proxy in front of the API (CloudFront) forwards requests: the origin's host, which
/// replaces the `Host` received, and its origin path, put before the path received.
#[derive(Clone, Debug)]
struct Origin {
    host: String,
    path_prefix: String,
}

/// The global requirement and the per-route ones (longest matching path prefix wins).
#[derive(Debug, Default)]
struct AuthRules {
    global: Auth,
    routes: Vec<Route>,
}

/// What paths starting with `prefix` ask for, and what a refusal there adds to its message.
#[derive(Debug)]
struct Route {
    prefix: String,
    auth: Auth,
    hint: Option<String>,
}

impl ApiControl {
    pub(crate) fn new(keys: Arc<KeyStore>, user_pool: Arc<Issuer>) -> ApiControl {
        ApiControl {
            state: Arc::new(ApiState {
                keys,
                user_pool,
                served: AtomicU64::new(0),
                faults: FaultQueue::default(),
                fail_ratio: AtomicU64::new(0f64.to_bits()),
                skew_secs: AtomicI64::new(0),
                latency_us: AtomicU64::new(0),
                auth: Mutex::new(AuthRules::default()),
                origin: Mutex::new(None),
                long_bodies: AtomicBool::new(false),
                routing: Mutex::new(Routing::default()),
            }),
        }
    }

    pub(crate) fn state(&self) -> Arc<ApiState> {
        self.state.clone()
    }

    /// Answers the next `count` requests with `fault` (after any faults already queued),
    /// before any authorization.
    pub fn respond_next(&self, count: usize, fault: Fault) {
        self.state.faults.push(count, fault);
    }

    /// Fails this share of requests (0.0 to 1.0), at random, with a transient failure: 500, 502,
    /// 503, 504, 429 or a dropped connection.
    pub fn fail_ratio(&self, ratio: f64) {
        let ratio = if ratio.is_nan() {
            0.0
        } else {
            ratio.clamp(0.0, 1.0)
        };
        self.state
            .fail_ratio
            .store(ratio.to_bits(), Ordering::Relaxed);
    }

    /// Makes every request wait `latency` before it is served (a slow backend; faults queued
    /// with [`respond_next`](Self::respond_next) come on top).
    pub fn set_latency(&self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.state.latency_us.store(micros, Ordering::Relaxed);
    }

    /// Runs the API's clock `secs` ahead (negative: behind) of the real one: the `Date` of its
    /// answers, and the time signatures are checked against.
    pub fn set_date_skew(&self, secs: i64) {
        self.state.skew_secs.store(secs, Ordering::Relaxed);
    }

    /// How many requests arrived (accepted, refused or faulted alike).
    pub fn requests_served(&self) -> u64 {
        self.state.served.load(Ordering::Relaxed)
    }

    /// Sets what every route without its own rule asks for.
    pub fn require(&self, auth: Auth) {
        crate::util::lock(&self.state.auth).global = auth;
    }

    /// Sets what paths starting with `path_prefix` (as received, e.g. `/admin`) ask for; the
    /// longest matching prefix wins over the global rule.
    pub fn require_for(&self, path_prefix: impl Into<String>, auth: Auth) {
        self.require_for_with_hint(path_prefix.into(), auth, None);
    }

    /// [`require_for`](Self::require_for), with `hint` added to the message of every refusal
    /// on those paths (what was expected there, and how to configure the client for it).
    pub(crate) fn require_for_with_hint(&self, prefix: String, auth: Auth, hint: Option<String>) {
        let mut rules = crate::util::lock(&self.state.auth);
        rules.routes.retain(|r| r.prefix != prefix);
        rules.routes.push(Route { prefix, auth, hint });
    }

    /// Serves as API Gateway behind a proxy that forwards to `host` with the origin path
    /// `path_prefix` (`""` for none), as CloudFront does: each request is verified, routed and
    /// echoed as if it arrived with `Host: host` and the path `path_prefix` + its own. A request
    /// signed for the host it was sent to is then refused, as behind CloudFront.
    ///
    /// ```no_run
    /// # async fn run(emu: amplify_api_emulator::Emulator) {
    /// emu.api().serve_behind_proxy("abc123.execute-api.us-east-1.amazonaws.com", "/prod");
    /// # }
    /// ```
    pub fn serve_behind_proxy(&self, host: &str, path_prefix: &str) {
        *crate::util::lock(&self.state.origin) = Some(Origin {
            host: host.to_owned(),
            path_prefix: path_prefix.trim_end_matches('/').to_owned(),
        });
    }

    /// Accepts request bodies over API Gateway's 10 MB payload limit (refused with 413 by
    /// default, as API Gateway does): for uploads to what a function URL or a proxy fronts. Such
    /// a body is hashed as it arrives (the signature is checked against that hash), never held
    /// whole; its echo has its length and hash ([`Echo::body_len`], [`Echo::body_sha256`]) but
    /// no text.
    ///
    /// ```no_run
    /// # async fn run(emu: amplify_api_emulator::Emulator) {
    /// emu.api().accept_long_bodies(true);
    /// # }
    /// ```
    pub fn accept_long_bodies(&self, accept: bool) {
        self.state.long_bodies.store(accept, Ordering::Relaxed);
    }

    /// Serves the routes of an API as API Gateway does ([`ServedRoutes`]: a table from the
    /// config crate's readers, the same the `#[api_client]` macro reads): a path the table
    /// lacks, or a method its route lacks, is 403 `MissingAuthenticationTokenException`
    /// `{"message":"Missing Authentication Token"}`; each operation checks its own auth mode and
    /// API key. Paths below no served table are 403 too, once a table is served; an emulator
    /// without tables echoes every path. A table served at the same prefix is replaced.
    ///
    /// ```no_run
    /// # async fn run(emu: amplify_api_emulator::Emulator) -> Result<(), Box<dyn std::error::Error>> {
    /// use amplify_api_emulator::ServedRoutes;
    /// use amplify_api_emulator::routes::read_openapi;
    /// let table = read_openapi(&std::fs::read_to_string("openapi/shop.json")?)
    ///     .map_err(|e| format!("{e:?}"))?;
    /// emu.api().serve_routes(ServedRoutes::new(table).api_key("test-key"));
    /// # Ok(()) }
    /// ```
    pub fn serve_routes(&self, routes: ServedRoutes) {
        crate::util::lock(&self.state.routing).serve(routes);
    }

    /// Answers `method` `template` (`/items/{id}`, as the route table writes it; below the
    /// prefix of a served table, if any) with `f`, once the request passed its route's auth:
    /// the JSON body is read as `Req` (an empty body as `null`, for `()`), and `f`'s `Ok` is
    /// answered 200 with it as JSON; its `Err` ([`ErrorAnswer`]) with that status and body. A
    /// body that is not a `Req` is API Gateway's 400 `{"message": "Invalid request body"}`.
    /// Generic over serde types, so the types generated from an export's models plug in. For
    /// the path parameters, query and headers, see [`answer_call`](Self::answer_call).
    /// Requests no answer matches are echoed.
    ///
    /// # Errors
    /// A template that is not one (`InvalidInput`, with the reason).
    ///
    /// ```no_run
    /// # async fn run(emu: amplify_api_emulator::Emulator) -> std::io::Result<()> {
    /// use amplify_api_emulator::{ErrorAnswer, routes::Method};
    /// #[derive(serde::Deserialize)]
    /// struct Input { a: f64, b: f64 }
    /// #[derive(serde::Serialize)]
    /// struct Output { sum: f64 }
    /// emu.api().answer(Method::Post, "/calc", |input: Input| {
    ///     Ok::<_, ErrorAnswer>(Output { sum: input.a + input.b })
    /// })?;
    /// # Ok(()) }
    /// ```
    pub fn answer<Req, Resp, F>(&self, method: Method, template: &str, f: F) -> std::io::Result<()>
    where
        Req: serde::de::DeserializeOwned,
        Resp: serde::Serialize,
        F: Fn(Req) -> Result<Resp, ErrorAnswer> + Send + Sync + 'static,
    {
        self.answer_call(method, template, move |call: Call<Req>| f(call.body))
    }

    /// [`answer`](Self::answer), with the whole request: its typed body and its path
    /// parameters, query and headers ([`Call`]).
    ///
    /// # Errors
    /// A template that is not one (`InvalidInput`, with the reason).
    ///
    /// ```no_run
    /// # async fn run(emu: amplify_api_emulator::Emulator) -> std::io::Result<()> {
    /// use amplify_api_emulator::{Call, ErrorAnswer, routes::Method};
    /// emu.api().answer_call(Method::Get, "/items/{id}", |call: Call<()>| {
    ///     match call.param("id") {
    ///         Some("42") => Ok(serde_json::json!({"id": 42, "limit": call.query("limit")})),
    ///         _ => Err(ErrorAnswer::new(404, &serde_json::json!({"message": "no such item"}))),
    ///     }
    /// })?;
    /// # Ok(()) }
    /// ```
    pub fn answer_call<Req, Resp, F>(
        &self,
        method: Method,
        template: &str,
        f: F,
    ) -> std::io::Result<()>
    where
        Req: serde::de::DeserializeOwned,
        Resp: serde::Serialize,
        F: Fn(Call<Req>) -> Result<Resp, ErrorAnswer> + Send + Sync + 'static,
    {
        let answer = Answer::new(method, template, f)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        crate::util::lock(&self.state.routing).answer(answer);
        Ok(())
    }

    /// Every route asks for a SigV4 signature (the default).
    pub fn require_iam(&self) {
        self.require(Auth::Iam);
    }

    /// Every route asks for `x-api-key: <key>`.
    pub fn require_api_key(&self, key: &str) {
        self.require(Auth::ApiKey(key.to_owned()));
    }

    /// Every route asks for `Authorization: <token>`.
    pub fn require_bearer(&self, token: &str) {
        self.require(Auth::Bearer(token.to_owned()));
    }

    /// Every route accepts every request.
    pub fn require_no_auth(&self) {
        self.require(Auth::None);
    }
}

/// A refusal: status, `x-amzn-ErrorType` and message, as API Gateway answers.
#[derive(Debug)]
struct Rejection {
    status: u16,
    /// `x-amzn-ErrorType` (REST APIs send one; an HTTP API's 404 does not).
    error_type: Option<&'static str>,
    message: String,
}

impl Rejection {
    fn forbidden(error_type: &'static str, message: impl Into<String>) -> Rejection {
        Rejection {
            status: 403,
            error_type: Some(error_type),
            message: message.into(),
        }
    }
}

const INVALID_TOKEN: &str = "The security token included in the request is invalid.";

impl ApiState {
    /// The API's clock: real time moved by the skew.
    fn now(&self) -> SystemTime {
        let skew_ms = self.skew_secs.load(Ordering::Relaxed).saturating_mul(1000);
        crate::util::shift(SystemTime::now(), skew_ms)
    }

    fn random_failure(&self) -> Option<Fault> {
        let ratio = f64::from_bits(self.fail_ratio.load(Ordering::Relaxed));
        if ratio <= 0.0 || rand::random::<f64>() >= ratio {
            return None;
        }
        const TRANSIENT: [Fault; 6] = [
            Fault::Status(500),
            Fault::Status(502),
            Fault::Status(503),
            Fault::Status(504),
            Fault::Status(429),
            Fault::DropConnection,
        ];
        Some(TRANSIENT[rand::random_range(0..TRANSIENT.len())])
    }

    /// The rule for `path`, and the hint its refusals carry.
    fn rule_for(&self, path: &str) -> (Auth, Option<String>) {
        let rules = crate::util::lock(&self.auth);
        rules
            .routes
            .iter()
            .filter(|r| path.starts_with(r.prefix.as_str()))
            .max_by_key(|r| r.prefix.len())
            .map_or_else(
                || (rules.global.clone(), None),
                |r| (r.auth.clone(), r.hint.clone()),
            )
    }

    /// Applies the request's rule (its served route's, else the path's); the signature's
    /// details when it was checked.
    fn authorize(
        &self,
        request: &WireRequest,
        payload_hash: &str,
        now: SystemTime,
    ) -> Result<Option<Authorization>, Rejection> {
        let routed = crate::util::lock(&self.routing).route(&request.method, &request.path);
        let (auth, api_key, hint) = match routed {
            // API Gateway reads the `Authorization` of a request no method serves as a
            // signature: one it cannot read is refused as such (a `Bearer` token on a wrong path
            // says "missing equal-sign"), any other gets "Missing Authentication Token".
            // An HTTP API answers a route it lacks with 404, whatever the request carries.
            Routed::Missing { http_api: true } => {
                return Err(Rejection {
                    status: 404,
                    error_type: None,
                    message: "Not Found".to_owned(),
                });
            }
            Routed::Missing { http_api: false } => {
                if let Some(Err(e)) = request
                    .header("authorization")
                    .map(sigv4_verify::parse_authorization)
                {
                    return Err(Rejection::forbidden(
                        "IncompleteSignatureException",
                        e.to_string(),
                    ));
                }
                return Err(Rejection::forbidden(
                    "MissingAuthenticationTokenException",
                    "Missing Authentication Token",
                ));
            }
            Routed::Unrouted => {
                let (auth, hint) = self.rule_for(&request.path);
                (auth, None, hint)
            }
            Routed::Found {
                auth,
                api_key,
                hint,
            } => {
                let (global, path_hint) = self.rule_for(&request.path);
                match auth {
                    Some(auth) => (auth, api_key, hint),
                    None => (global, api_key, hint.or(path_hint)),
                }
            }
        };
        let with_hint = |mut rejection: Rejection| {
            if let Some(hint) = &hint {
                rejection.message = format!("{} ({hint})", rejection.message);
            }
            rejection
        };
        let authorization = self
            .apply(auth, request, payload_hash, now)
            .map_err(with_hint)?;
        // API Gateway checks the key after the authorizer.
        if let Some(key) = api_key {
            self.apply(Auth::ApiKey(key), request, payload_hash, now)
                .map_err(with_hint)?;
        }
        Ok(authorization)
    }

    /// Checks `request` against `auth`.
    fn apply(
        &self,
        auth: Auth,
        request: &WireRequest,
        payload_hash: &str,
        now: SystemTime,
    ) -> Result<Option<Authorization>, Rejection> {
        match auth {
            Auth::None => Ok(None),
            Auth::ApiKey(key) => match request.header("x-api-key") {
                Some(given) if given == key => Ok(None),
                _ => Err(Rejection::forbidden("ForbiddenException", "Forbidden")),
            },
            Auth::Bearer(token) => match request.header("authorization") {
                Some(given) if given == token => Ok(None),
                _ => Err(Rejection {
                    status: 401,
                    error_type: Some("UnauthorizedException"),
                    message: "Unauthorized".into(),
                }),
            },
            Auth::UserPool => match request
                .header("authorization")
                .map(|token| self.user_pool.verify(token, &["id", "access"]))
            {
                Some(Ok(_)) => Ok(None),
                _ => Err(Rejection {
                    status: 401,
                    error_type: Some("UnauthorizedException"),
                    message: "Unauthorized".into(),
                }),
            },
            Auth::Iam => self.check_signature(request, payload_hash, now).map(Some),
        }
    }

    /// API Gateway's `AWS_IAM` checks, in its order, with its messages.
    fn check_signature(
        &self,
        request: &WireRequest,
        payload_hash: &str,
        now: SystemTime,
    ) -> Result<Authorization, Rejection> {
        let incomplete =
            |message: String| Rejection::forbidden("IncompleteSignatureException", message);
        let Some(header) = request.header("authorization") else {
            return Err(Rejection::forbidden(
                "MissingAuthenticationTokenException",
                "Missing Authentication Token",
            ));
        };
        let auth =
            sigv4_verify::parse_authorization(header).map_err(|e| incomplete(e.to_string()))?;
        // The canonical request lists the signed headers sorted and lower-case; a list in any
        // other order cannot be the one that was signed.
        if !auth.signed_headers.is_sorted()
            || auth
                .signed_headers
                .iter()
                .any(|h| h.bytes().any(|b| b.is_ascii_uppercase()))
        {
            return Err(Rejection::forbidden(
                "InvalidSignatureException",
                format!(
                    "SignedHeaders must be sorted and lower-case: '{}'.",
                    auth.signed_headers.join(";")
                ),
            ));
        }
        if !auth.signed_headers.iter().any(|h| h == "host") {
            return Err(incomplete(
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.".into(),
            ));
        }
        let amz_date = match (request.header("x-amz-date"), request.header("date")) {
            (Some(d), _) => d.to_owned(),
            (None, Some(d)) => match httpdate::parse_http_date(d) {
                Ok(t) => format_amz_date(t),
                Err(_) => d.to_owned(),
            },
            (None, None) => {
                return Err(incomplete(
                    "Authorization header requires existence of either a 'X-Amz-Date' or a \
                     'Date' header."
                        .into(),
                ));
            }
        };
        let Some(signed_at) = parse_amz_date(&amz_date) else {
            return Err(incomplete(format!(
                "Date must be in ISO-8601 'basic format'. Got '{amz_date}'. See \
                 http://en.wikipedia.org/wiki/ISO_8601"
            )));
        };
        if !amz_date.starts_with(&auth.date) || auth.date.len() != 8 {
            return Err(Rejection::forbidden(
                "InvalidSignatureException",
                format!(
                    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of \
                     date from HTTP: '{}' != '{}', from '{amz_date}'.",
                    auth.date,
                    amz_date.get(..8).unwrap_or(&amz_date)
                ),
            ));
        }
        check_time(signed_at, &amz_date, now)?;
        let Some(key) = self.keys.get(&auth.access_key_id) else {
            return Err(Rejection::forbidden(
                "UnrecognizedClientException",
                INVALID_TOKEN,
            ));
        };
        if request.header("x-amz-security-token") != key.token.as_deref() {
            return Err(Rejection::forbidden(
                "UnrecognizedClientException",
                INVALID_TOKEN,
            ));
        }
        if key.expires.is_some_and(|expires| expires <= now) {
            return Err(Rejection::forbidden(
                "ExpiredTokenException",
                "The security token included in the request is expired",
            ));
        }
        let verified = sigv4_verify::verify_signature_with_payload_hash(
            request,
            &auth,
            &amz_date,
            &key.secret,
            true,
            payload_hash,
        );
        verified.map_err(|m| {
            Rejection::forbidden(
                "InvalidSignatureException",
                format!(
                    "The request signature we calculated does not match the signature you \
                     provided. Check your AWS Secret Access Key and signing method. Consult the \
                     service documentation for details.\n\nThe Canonical String for this request \
                     should have been\n'{}'\n\nThe String-to-Sign should have been\n'{}'\n",
                    m.canonical_request, m.string_to_sign
                ),
            )
        })?;
        Ok(auth)
    }
}

/// Refuses a signing time more than 5 minutes from `now`, with API Gateway's messages.
fn check_time(signed_at: SystemTime, amz_date: &str, now: SystemTime) -> Result<(), Rejection> {
    let earliest = now.checked_sub(MAX_SKEW).unwrap_or(SystemTime::UNIX_EPOCH);
    let latest = now.checked_add(MAX_SKEW).unwrap_or(now);
    let now_text = format_amz_date(now);
    if signed_at < earliest {
        return Err(Rejection::forbidden(
            "InvalidSignatureException",
            format!(
                "Signature expired: {amz_date} is now earlier than {} ({now_text} - 5 min.)",
                format_amz_date(earliest)
            ),
        ));
    }
    if signed_at > latest {
        return Err(Rejection::forbidden(
            "InvalidSignatureException",
            format!(
                "Signature not yet current: {amz_date} is still later than {} ({now_text} + 5 min.)",
                format_amz_date(latest)
            ),
        ));
    }
    Ok(())
}

/// The headers every answer of the API carries: its `Date` (skewed as asked) and request ids.
fn common_headers(now: SystemTime) -> Vec<(&'static str, String)> {
    let id = crate::util::random_uuid();
    vec![
        ("date", httpdate::fmt_http_date(now)),
        ("x-amzn-requestid", id.clone()),
        (
            "x-amz-apigw-id",
            id.replace('-', "").chars().take(16).collect(),
        ),
    ]
}

fn error_reply(now: SystemTime, status: u16, error_type: Option<&str>, message: &str) -> Reply {
    let mut headers = common_headers(now);
    if let Some(error_type) = error_type {
        headers.push(("x-amzn-errortype", error_type.to_owned()));
    }
    let body = serde_json::json!({ "message": message }).to_string();
    Reply::Send(json_response(
        status,
        body.into_bytes(),
        "application/json",
        &headers,
    ))
}

/// The request as the verifier reads it (with the body's start only, when it was longer).
fn wire_request(received: Received) -> WireRequest {
    let Received { parts, body, .. } = received;
    WireRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
    }
}

/// Serves one request: a fault if one is due, else authorization, then the echo.
pub(crate) async fn handle(state: Arc<ApiState>, received: Received) -> Reply {
    state.served.fetch_add(1, Ordering::Relaxed);
    let latency = state.latency_us.load(Ordering::Relaxed);
    if latency > 0 {
        tokio::time::sleep(Duration::from_micros(latency)).await;
    }
    match state.faults.take().or_else(|| state.random_failure()) {
        Some(Fault::Hang) => return std::future::pending().await,
        Some(Fault::DropConnection) => return Reply::Drop,
        Some(Fault::Status(status)) => {
            let (error_type, message) = api_gateway_error(status);
            return error_reply(state.now(), status, error_type, message);
        }
        Some(Fault::Delay(delay)) => tokio::time::sleep(delay).await,
        None => {}
    }
    let is_head = received.parts.method == http::Method::HEAD;
    let (body_len, truncated) = (received.body_len, received.truncated);
    if truncated && !state.long_bodies.load(Ordering::Relaxed) {
        return too_long();
    }
    let payload_hash = hex::encode(received.body_sha256);
    let mut request = wire_request(received);
    if truncated {
        // Only its length and hash are echoed.
        request.body = Vec::new();
    }
    let origin = crate::util::lock(&state.origin).clone();
    if let Some(origin) = origin {
        request.path = format!("{}{}", origin.path_prefix, request.path);
        request
            .headers
            .retain(|(name, _)| !name.eq_ignore_ascii_case("host"));
        request.headers.push(("host".to_owned(), origin.host));
    }
    let now = state.now();
    match state.authorize(&request, &payload_hash, now) {
        Err(r) => error_reply(now, r.status, r.error_type, &r.message),
        Ok(authorization) => {
            let mut echo = Echo::new(&request, authorization.as_ref());
            if let Some(auth) = &authorization {
                echo.role_arn = state
                    .keys
                    .get(&auth.access_key_id)
                    .and_then(|key| key.role)
                    .unwrap_or_default();
            }
            if let Some(Ok(claims)) = request
                .header("authorization")
                .map(|token| state.user_pool.verify(token, &["id", "access"]))
            {
                echo.user = claims
                    .text("cognito:username")
                    .or_else(|| claims.text("username"))
                    .unwrap_or_default();
            }
            let answered = crate::util::lock(&state.routing).answer_for(&request);
            if let Some((status, body)) = answered {
                let body = if is_head { Vec::new() } else { body };
                return Reply::Send(json_response(
                    status,
                    body,
                    "application/json",
                    &common_headers(now),
                ));
            }
            echo.body_len = usize::try_from(body_len).unwrap_or(usize::MAX);
            echo.body_sha256 = payload_hash;
            match multipart_parts(&request).await {
                Ok(parts) => echo.parts = parts,
                Err(e) => {
                    let message = format!("the multipart body cannot be read: {e}");
                    return error_reply(now, 400, Some("BadRequestException"), &message);
                }
            }
            let body = if is_head {
                Vec::new()
            } else {
                serde_json::to_vec(&echo).unwrap_or_default()
            };
            Reply::Send(json_response(
                200,
                body,
                "application/json",
                &common_headers(now),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_window_messages_are_api_gateways() {
        let now = parse_amz_date("20260101T001000Z").unwrap();
        let early = parse_amz_date("20260101T000000Z").unwrap();
        let err = check_time(early, "20260101T000000Z", now).unwrap_err();
        assert_eq!(
            err.message,
            "Signature expired: 20260101T000000Z is now earlier than 20260101T000500Z \
             (20260101T001000Z - 5 min.)"
        );
        let late = parse_amz_date("20260101T002000Z").unwrap();
        let err = check_time(late, "20260101T002000Z", now).unwrap_err();
        assert_eq!(
            err.message,
            "Signature not yet current: 20260101T002000Z is still later than 20260101T001500Z \
             (20260101T001000Z + 5 min.)"
        );
        assert!(check_time(parse_amz_date("20260101T000500Z").unwrap(), "", now).is_ok());
    }

    #[test]
    fn the_longest_route_prefix_wins() {
        let issuer =
            super::super::user_pool::UserPoolControl::new("us-east-1_T".into(), "c".into())
                .state()
                .issuer
                .clone();
        let api = ApiControl::new(Arc::default(), issuer);
        api.require_for("/admin", Auth::ApiKey("k".into()));
        api.require_for("/admin/open", Auth::None);
        api.require_bearer("t");
        assert_eq!(api.state.rule_for("/admin/x").0, Auth::ApiKey("k".into()));
        assert_eq!(api.state.rule_for("/admin/open/x").0, Auth::None);
        assert_eq!(api.state.rule_for("/other").0, Auth::Bearer("t".into()));
    }
}
