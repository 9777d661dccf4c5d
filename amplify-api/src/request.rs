//! [`RequestBuilder`]: path, query, headers, body and timeout of one request, then `send()`.

use std::fmt::{self, Write as _};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, Method};
use serde::Serialize;

use crate::body::RequestBody;
use crate::endpoint::AuthMode;
use crate::error::{Error, InvalidRequestKind, Result};
use crate::header_text::HeaderText;
use crate::multipart::Form;
use crate::redact::RedactedHeaders;
use crate::response::{Response, StreamingResponse};
use crate::retry::policy::RetryPolicy;
use crate::send;
use crate::send::observe::{AttemptHook, SentRequest};
use crate::send::request_auth::{RequestAuth, RouteAuth};
use crate::send::resolve::{self, PreparedRequest};
use crate::send::state::Shared;
use crate::send::transmit::BodyMode;
use crate::signing::policy::checked_header;
use crate::signing::signer::{SigningDetails, checked_region, checked_service};
use crate::url_path::encode_component;

/// A request being built. Nothing is sent until [`send`](Self::send); mistakes made while
/// building (a bad header name, say) are reported by `send` as [`Error::InvalidRequest`].
///
/// ```no_run
/// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
/// let resp = api
///     .post("/items")
///     .query("dry-run", "true")
///     .header("x-trace", "abc")
///     .json(&serde_json::json!({"name": "pen"}))
///     .timeout(std::time::Duration::from_secs(5))
///     .send()
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a request does nothing until it is sent"]
pub struct RequestBuilder {
    shared: Arc<Shared>,
    /// The endpoint's position in `shared`.
    index: usize,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<RequestBody>,
    timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    /// The route template of a typed route (`/items/{id}`): the span's name and `url.template`.
    route: Option<&'static str>,
    /// The typed route's auth, from its table.
    route_auth: Option<RouteAuth>,
    /// The caller's auth mode for this request ([`auth`](Self::auth)).
    auth: Option<AuthMode>,
    region: Option<String>,
    service: Option<String>,
    on_attempt: Option<AttemptHook>,
    error: Option<Error>,
}

/// Query keys only, for `Debug`: a query string may hold secrets, like a failed request's.
struct QueryKeys<'a>(&'a [(String, String)]);

impl fmt::Debug for QueryKeys<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(k, _)| format!("{k}=…")))
            .finish()
    }
}

impl fmt::Debug for RequestBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The path as given may carry a query of its own: only the part before `?` is shown.
        let path = self.path.split('?').next().unwrap_or_default();
        f.debug_struct("RequestBuilder")
            .field("endpoint", &self.shared.endpoint(self.index).name)
            .field("method", &self.method)
            .field("path", &path)
            .field("query", &QueryKeys(&self.query))
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &self.body)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("auth", &self.auth)
            .field("route_auth", &self.route_auth)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("error", &self.error)
            .finish()
    }
}

impl RequestBuilder {
    pub(crate) fn new(shared: Arc<Shared>, index: usize, method: Method, path: String) -> Self {
        RequestBuilder {
            shared,
            index,
            method,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            timeout: None,
            attempt_timeout: None,
            retry: None,
            route: None,
            route_auth: None,
            auth: None,
            region: None,
            service: None,
            on_attempt: None,
            error: None,
        }
    }

    /// This request, made from the route template `template` (for spans).
    pub(crate) fn with_route(mut self, template: &'static str) -> Self {
        self.route = Some(template);
        self
    }

    /// What a typed route's table says of its auth: `mode` (`None`: the table does not say, the
    /// endpoint's mode applies) and whether it needs the API key besides. What `#[api_client]`
    /// generates for a route with auth; not public API.
    #[doc(hidden)]
    pub fn __route_auth(mut self, mode: Option<AuthMode>, api_key_required: bool) -> Self {
        self.route_auth = Some(RouteAuth {
            mode,
            api_key: api_key_required,
        });
        self
    }

    /// Authorizes this request with `mode` instead of its typed route's mode or its endpoint's:
    /// `AWS_IAM` signs it with the client's credentials, `API_KEY` sends the endpoint's key as
    /// `x-api-key`, the token modes send the token provider's `Authorization`, `NONE` sends no
    /// credentials. It replaces everything the route asks for, its API key included (add
    /// `.auth(AuthMode::ApiKey)`'s key by hand with a header if you need both). Every surface
    /// (`send`, `send_streaming`, `build`) authorizes the same way.
    ///
    /// A mode whose provider the client was not given (a token mode without a token provider,
    /// `API_KEY` without a key, `AWS_IAM` without credentials) fails before anything is sent,
    /// with [`Error::InvalidRequest`] of kind [`InvalidRequestKind::Auth`].
    ///
    /// ```no_run
    /// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
    /// use amplify_api::AuthMode;
    /// // A public route of an AWS_IAM endpoint: sent without a signature.
    /// api.get("/health").auth(AuthMode::None).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn auth(mut self, mode: AuthMode) -> Self {
        self.auth = Some(mode);
        self
    }

    fn fail(mut self, error: Error) -> Self {
        self.error.get_or_insert(error);
        self
    }

    /// Adds a query parameter. Repeated keys are kept, in order, each pair its own
    /// (`?tag=a&tag=b`, as API Gateway's `multiValueQueryStringParameters` reads them); keys and
    /// values are percent-encoded (RFC 3986), control characters included. The signature
    /// covers them sorted, as SigV4 asks, while the wire keeps your order.
    ///
    /// ```no_run
    /// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
    /// api.get("/items").query("tag", "red").query("tag", "blue").send().await?;
    /// // GET /items?tag=red&tag=blue
    /// # Ok(()) }
    /// ```
    ///
    /// The value is anything `Display`: `.query("limit", 10)`, `.query("draft", true)`.
    pub fn query(mut self, key: impl Into<String>, value: impl fmt::Display) -> Self {
        self.query.push((key.into(), value.to_string()));
        self
    }

    /// Adds several query parameters.
    pub fn queries<K: Into<String>, V: fmt::Display>(
        mut self,
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.query
            .extend(pairs.into_iter().map(|(k, v)| (k.into(), v.to_string())));
        self
    }

    /// Adds the query parameters `params` serializes to, in its order, as `reqwest`'s
    /// `.query(&params)` does: a struct or map of scalars (a `None` field is left out), or a
    /// sequence of pairs (`&[("tag", "a"), ("tag", "b")]`). Anything else (a nested struct) is
    /// reported by `send` as [`Error::InvalidRequest`].
    ///
    /// ```no_run
    /// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
    /// #[derive(serde::Serialize)]
    /// struct Page { limit: u32, after: Option<String> }
    /// let page = Page { limit: 10, after: None };
    /// api.get("/items").query_pairs(&page).send().await?;
    /// // GET /items?limit=10
    /// # Ok(()) }
    /// ```
    pub fn query_pairs<T: Serialize + ?Sized>(mut self, params: &T) -> Self {
        // `serde_urlencoded` (reqwest's and axum's) serializes; its `+` for a space is decoded
        // back, and the pairs are encoded like every other query parameter.
        match serde_urlencoded::to_string(params) {
            Ok(encoded) => {
                self.query.extend(
                    url::form_urlencoded::parse(encoded.as_bytes())
                        .map(|(k, v)| (k.into_owned(), v.into_owned())),
                );
                self
            }
            Err(e) => self.fail(Error::invalid(
                InvalidRequestKind::Path,
                format!("cannot serialize the query parameters: {e}"),
            )),
        }
    }

    /// Adds a header (names are case-insensitive; a repeated name adds a value).
    ///
    /// The value must be visible ASCII, spaces or tabs (what can be signed). An `Authorization`
    /// header means "do not sign this request": it is sent as given. Headers the client sets
    /// (`host`, `x-amz-date`, `content-length`...) and hop-by-hop headers (`connection`, `te`,
    /// `upgrade`, `keep-alive`, `proxy-connection`) are refused: see [`InvalidRequestKind`](crate::InvalidRequestKind).
    ///
    /// Name and value are text or the typed `http` ones:
    /// `.header(http::header::ACCEPT, "application/json")`,
    /// `.header("x-trace", HeaderValue::from_static("abc"))` (see [`HeaderText`]).
    pub fn header(mut self, name: impl HeaderText, value: impl HeaderText) -> Self {
        let (Some(name_text), Some(value_text)) = (name.header_text(), value.header_text()) else {
            return self.fail(Error::invalid(
                InvalidRequestKind::InvalidHeader,
                format!(
                    "header `{}` has a value that is not visible ASCII (percent-encode or base64 \
                     other text)",
                    name.header_text().unwrap_or_default()
                ),
            ));
        };
        match checked_header(name_text, value_text) {
            Ok((n, mut v)) => {
                v.set_sensitive(v.is_sensitive() || value.is_sensitive());
                self.headers.append(n, v);
                self
            }
            Err(e) => self.fail(e),
        }
    }

    /// Adds every header of `headers` (in its order; a name it repeats adds each value), with
    /// the checks of [`header`](Self::header). Values marked sensitive stay so.
    ///
    /// ```no_run
    /// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("x-trace", http::HeaderValue::from_static("abc"));
    /// headers.append("x-tag", http::HeaderValue::from_static("a"));
    /// headers.append("x-tag", http::HeaderValue::from_static("b"));
    /// api.get("/items").headers(headers).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn headers(mut self, headers: HeaderMap) -> Self {
        let mut name = None;
        for (next, value) in headers {
            // `HeaderMap`'s iterator gives a repeated name once, then `None` for its other values.
            if next.is_some() {
                name = next;
            }
            let Some(name) = &name else { continue };
            let Ok(text) = value.to_str() else {
                return self.fail(Error::invalid(
                    InvalidRequestKind::InvalidHeader,
                    format!(
                        "header `{name}` has a value that is not visible ASCII (percent-encode or \
                     base64 other text)"
                    ),
                ));
            };
            match checked_header(name.as_str(), text) {
                Ok((n, mut v)) => {
                    if value.is_sensitive() {
                        v.set_sensitive(true);
                    }
                    self.headers.append(n, v);
                }
                Err(e) => return self.fail(e),
            }
        }
        self
    }

    /// Adds a header whose value is a secret (an API key of your own, a signed token): as
    /// [`header`](Self::header), and marked sensitive, so `Debug` of the request never shows it
    /// and error bodies that quote it have it redacted.
    pub fn sensitive_header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        match checked_header(name.as_ref(), value.as_ref()) {
            Ok((n, mut v)) => {
                v.set_sensitive(true);
                self.headers.append(n, v);
                self
            }
            Err(e) => self.fail(e),
        }
    }

    /// Sets the body to `value` as JSON, with `content-type: application/json` unless a
    /// content type was set.
    pub fn json<T: Serialize + ?Sized>(self, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(bytes) => self.body_with_type(bytes.into(), "application/json"),
            Err(e) => self.fail(Error::invalid(
                InvalidRequestKind::Body,
                format!("cannot serialize the JSON body: {e}"),
            )),
        }
    }

    /// Sets the body to `pairs` as `application/x-www-form-urlencoded` (with that content type
    /// unless one was set), each key and value percent-encoded by RFC 3986 (a space is `%20`,
    /// `+` is `%2B`), as the query is: the bytes signed are the bytes sent.
    ///
    /// ```no_run
    /// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
    /// api.post("/login").form(&[("user", "ana"), ("note", "a b&c")]).send().await?;
    /// // body: user=ana&note=a%20b%26c
    /// # Ok(()) }
    /// ```
    pub fn form<K: AsRef<str>, V: AsRef<str>>(self, pairs: &[(K, V)]) -> Self {
        let mut body = String::new();
        for (i, (key, value)) in pairs.iter().enumerate() {
            if i > 0 {
                body.push('&');
            }
            // Writing into a `String` cannot fail.
            let _ = write!(
                body,
                "{}={}",
                encode_component(key.as_ref()),
                encode_component(value.as_ref())
            );
        }
        self.body_with_type(Bytes::from(body), "application/x-www-form-urlencoded")
    }

    /// Sets the body to `form` as `multipart/form-data`, with the content type that names its
    /// boundary (replacing any set). The form is encoded now, boundary and all, so the
    /// signature covers exactly the bytes sent.
    ///
    /// ```no_run
    /// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
    /// use amplify_api::multipart::{Form, Part};
    /// let form = Form::new()
    ///     .text("title", "Report")
    ///     .part("file", Part::file("report.pdf").await?.content_type("application/pdf"));
    /// api.post("/uploads").multipart(form).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn multipart(mut self, form: Form) -> Self {
        match form.encode() {
            Ok((body, content_type)) => match HeaderValue::try_from(content_type) {
                Ok(value) => {
                    self.headers.insert(CONTENT_TYPE, value);
                    self.body = Some(RequestBody::Bytes(body));
                    self
                }
                Err(_) => self.fail(Error::invalid(
                    InvalidRequestKind::Body,
                    "the form's boundary is not a header value",
                )),
            },
            Err(e) => self.fail(e),
        }
    }

    /// Sets the body to raw bytes (no content type is added).
    pub fn body(mut self, bytes: impl Into<Bytes>) -> Self {
        self.body = Some(RequestBody::Bytes(bytes.into()));
        self
    }

    /// Sets the body to the file at `path`, streamed from disk, never held whole in memory (for
    /// uploads of any size; no content type is added). `send` reads the file once to hash it
    /// for the signature, then streams it; a retry opens it again. A file that changes after
    /// it was hashed (another length or modification time, or fewer bytes than hashed) fails
    /// the request with [`Error::Body`] rather than going out with a signature that does not
    /// match. Not on `wasm32` (a browser has no paths).
    ///
    /// ```no_run
    /// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
    /// api.put("/uploads/backup.tar")
    ///     .header("content-type", "application/x-tar")
    ///     .body_file("/var/backups/backup.tar")
    ///     .send()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    #[cfg(not(target_arch = "wasm32"))]
    pub fn body_file(mut self, path: impl AsRef<std::path::Path>) -> Self {
        self.body = Some(RequestBody::Path(path.as_ref().to_owned()));
        self
    }

    /// Sets the body to what `reader` gives: `len` bytes whose SHA-256 is `sha256` (the hash the
    /// signature covers, so it must be known before sending: a hash kept with an object, or
    /// computed on the way in). Streamed, never held whole, and checked while sent: a reader
    /// that gives other bytes, fewer or more is [`Error::Body`] before the body is complete, so
    /// nothing goes out with a signature that does not match. A stream is sent once: a request
    /// with one is never retried (use [`body_file`](Self::body_file) for that). Not on `wasm32`.
    ///
    /// ```no_run
    /// # async fn run(api: amplify_api::EndpointClient, sha256: [u8; 32]) -> Result<(), amplify_api::Error> {
    /// let data = std::io::Cursor::new(vec![0u8; 1 << 20]);
    /// api.put("/blobs/zeros").body_stream(data, 1 << 20, sha256).send().await?;
    /// # Ok(()) }
    /// ```
    #[cfg(not(target_arch = "wasm32"))]
    pub fn body_stream(
        mut self,
        reader: impl tokio::io::AsyncRead + Send + 'static,
        len: u64,
        sha256: [u8; 32],
    ) -> Self {
        let stream = crate::body::StreamBody::new(reader, len, sha256);
        self.body = Some(RequestBody::Stream(std::sync::Arc::new(stream)));
        self
    }

    /// Sets the body to text, with `content-type: text/plain; charset=utf-8` unless a content
    /// type was set.
    pub fn text(self, text: impl Into<String>) -> Self {
        self.body_with_type(Bytes::from(text.into()), "text/plain; charset=utf-8")
    }

    fn body_with_type(mut self, body: Bytes, content_type: &'static str) -> Self {
        self.headers
            .entry(CONTENT_TYPE)
            .or_insert(HeaderValue::from_static(content_type));
        self.body = Some(RequestBody::Bytes(body));
        self
    }

    /// Signs this request for `region` instead of the endpoint's: for an endpoint that fronts
    /// APIs in several regions. A name that is not a region is reported by `send`.
    ///
    /// ```no_run
    /// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
    /// api.get("/eu/items").region("eu-west-1").send().await?;
    /// # Ok(()) }
    /// ```
    pub fn region(mut self, region: impl AsRef<str>) -> Self {
        match checked_region(region.as_ref()) {
            Ok(region) => {
                self.region = Some(region);
                self
            }
            Err(e) => self.fail(Error::invalid(InvalidRequestKind::Scope, e)),
        }
    }

    /// Signs this request for `service` (`lambda`, `execute-api`, ...) instead of the
    /// endpoint's: for an endpoint that fronts several services (a proxy to a Lambda function
    /// URL and an API Gateway API, say).
    ///
    /// ```no_run
    /// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
    /// api.post("/fn/resize").service("lambda").body(vec![1, 2, 3]).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn service(mut self, service: impl AsRef<str>) -> Self {
        match checked_service(service.as_ref()) {
            Ok(service) => {
                self.service = Some(service);
                self
            }
            Err(e) => self.fail(Error::invalid(InvalidRequestKind::Scope, e)),
        }
    }

    /// A total timeout for this request (all attempts), replacing the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A timeout for each attempt of this request, replacing the client's
    /// [`attempt_timeout`](crate::ClientBuilder::attempt_timeout): an attempt that takes longer
    /// is abandoned and, if the request may be retried, tried again within the total
    /// [`timeout`](Self::timeout).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The retry policy for this request, replacing the client's (e.g. to retry a POST that is
    /// safe to repeat, or to turn retries off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Calls `hook` with each attempt of [`send`](Self::send) or
    /// [`send_streaming`](Self::send_streaming) as it goes out, after it was authorized and
    /// signed: the headers, the canonical request and the string to sign of that very attempt,
    /// secrets redacted ([`SentRequest`]). For tools that show what was sent (`amplify-api call
    /// -v`); a retry or a re-send after a clock correction calls it again. Keep it quick: the
    /// attempt waits for it.
    ///
    /// ```no_run
    /// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
    /// api.get("/items")
    ///     .on_attempt(|sent| {
    ///         eprintln!("attempt {}: {}", sent.attempt(), sent.signed_headers().unwrap_or("-"));
    ///     })
    ///     .send()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn on_attempt(mut self, hook: impl Fn(&SentRequest<'_>) + Send + Sync + 'static) -> Self {
        self.on_attempt = Some(Arc::new(hook));
        self
    }

    /// Checks everything and builds the wire URL.
    fn prepare(self) -> Result<(Arc<Shared>, usize, PreparedRequest)> {
        if let Some(error) = self.error {
            return Err(error);
        }
        if matches!(self.method, Method::GET | Method::HEAD) && self.body.is_some() {
            return Err(Error::invalid(
                InvalidRequestKind::BodyOnGet,
                format!("{} requests cannot carry a body", self.method),
            ));
        }
        let endpoint = self.shared.endpoint(self.index);
        let auth = RequestAuth::resolve(
            endpoint,
            self.auth,
            self.route_auth.map(|r| (self.route.unwrap_or("?"), r)),
        );
        auth.check(
            &self.shared.signing,
            endpoint,
            &self.method,
            &self.path,
            &self.headers,
        )?;
        let (url, url_without_query) = resolve::request_url(endpoint, &self.path, self.query)?;
        let prepared = PreparedRequest {
            method: self.method,
            url,
            url_without_query,
            headers: self.headers,
            body: self.body.unwrap_or_default(),
            timeout: self.timeout,
            attempt_timeout: self.attempt_timeout,
            retry: self.retry,
            route: self.route,
            auth,
            region: self.region,
            service: self.service,
            on_attempt: self.on_attempt,
        };
        Ok((self.shared, self.index, prepared))
    }

    /// Sends the request (signed as the endpoint's auth mode says) and reads the whole response.
    ///
    /// A status over 299 is [`Error::Status`], which keeps the response. Dropping the returned
    /// future cancels the request.
    pub async fn send(self) -> Result<Response> {
        let (shared, index, prepared) = self.prepare()?;
        let answer = send::execute(&shared, index, prepared, BodyMode::Whole).await?;
        Ok(answer.into_response())
    }

    /// Sends the request as [`send`](Self::send) does (the same stages, retries and timeouts)
    /// but stops at the response head: the body is yours to read as it arrives, with no size
    /// limit ([`StreamingResponse`]). Retries happen only before the body is handed over; the
    /// request's [`timeout`](Self::timeout) bounds getting the head, and the client's
    /// [`read_timeout`](crate::ClientBuilder::read_timeout) each wait for a chunk.
    ///
    /// A status over 299 is [`Error::Status`] as with `send`, with the body's first
    /// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes) read for the AWS error
    /// details (a longer body is cut there, [`ServiceError::body_truncated`](crate::ServiceError::body_truncated)).
    ///
    /// ```no_run
    /// # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
    /// use futures_util::StreamExt;
    /// let resp = api.get("/reports/big").send_streaming().await?;
    /// let mut body = std::pin::pin!(resp.bytes_stream());
    /// while let Some(chunk) = body.next().await {
    ///     let chunk = chunk?; // at most what one read gave, never the whole body
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn send_streaming(self) -> Result<StreamingResponse> {
        let (shared, index, prepared) = self.prepare()?;
        let answer = send::execute(&shared, index, prepared, BodyMode::Stream).await?;
        Ok(answer.into_streaming(shared.max_response_bytes))
    }

    /// The signed request, without sending it: for an HTTP stack of your own. Headers, auth
    /// mode and signature are exactly what [`send`](Self::send)'s first attempt would send
    /// (signed at the clock's time now, so send it within the signature's five minutes);
    /// `user-agent` and the transport's framing are left to your stack. No retries, timeouts or
    /// response handling: those are yours.
    ///
    /// ```no_run
    /// # async fn run(items: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
    /// let request: http::Request<bytes::Bytes> = items.get("/items").build().await?;
    /// assert!(request.headers().contains_key("authorization"));
    /// # Ok(()) }
    /// ```
    pub async fn build(self) -> Result<http::Request<Bytes>> {
        Ok(self.build_with_details().await?.0)
    }

    /// [`build`](Self::build), with what the signer computed for the request
    /// ([`SigningDetails`]: the canonical request, the string to sign, the signed headers, when
    /// the credentials expire); `None` when the endpoint's auth mode does not sign.
    pub async fn build_with_details(
        self,
    ) -> Result<(http::Request<Bytes>, Option<SigningDetails>)> {
        let (shared, index, prepared) = self.prepare()?;
        send::build(&shared, index, prepared).await
    }
}
