//! [`Error`] and the parts it carries.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};

/// Everything that can go wrong when building a client or sending a request.
///
/// Match on the variant to act on a failure; each carries what is needed to report it. No variant
/// ever holds a secret key or session token.
///
/// ```
/// # fn handle(err: amplify_api::Error) {
/// match err {
///     amplify_api::Error::Status(e) if e.status().as_u16() == 404 => println!("not found"),
///     amplify_api::Error::Timeout(e) => println!("gave up after {:?}", e.after()),
///     other => println!("{other}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a status over 299. The whole response (status, headers, body)
    /// is kept.
    #[error(transparent)]
    Status(Box<ServiceError>),
    /// AWS credentials could not be obtained (Cognito Identity or another provider failed).
    #[error(transparent)]
    Credentials(Box<CredentialsError>),
    /// The request could not be sent or its answer not received (connection refused, reset, TLS...).
    #[error(transparent)]
    Transport(Box<TransportError>),
    /// The request did not complete in time.
    #[error(transparent)]
    Timeout(Box<TimeoutError>),
    /// The request is malformed (bad path, header name or value...) and was not sent. Its
    /// [`kind`](InvalidRequestError::kind) says what, for a caller to branch on.
    #[error("invalid request: {0}")]
    InvalidRequest(InvalidRequestError),
    /// A response body could not be decoded as asked (JSON into a type, text from UTF-8).
    #[error(transparent)]
    Decode(Box<DecodeError>),
    /// The response body was larger than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)).
    #[error("the response body is larger than the limit of {limit} bytes")]
    ResponseTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// No endpoint has this name.
    #[error(transparent)]
    UnknownEndpoint(Box<UnknownEndpointError>),
    /// The request body could not be sent as signed: its file could not be read, or was not
    /// the file that was hashed for the signature when it was sent (it changed). Not retried.
    #[error(transparent)]
    Body(Box<BodyError>),
    /// The client's configuration is unusable: reported by `build()` (bad endpoint URL, no
    /// credentials for an IAM endpoint, ...), or by a request to an endpoint that lacks what its
    /// auth mode needs (an API key, a token provider), so a client can be built for a config
    /// whose other endpoints work.
    ///
    /// Its [`kind`](ConfigError::kind) says what, for a caller to branch on.
    #[error("invalid client configuration: {0}")]
    Config(ConfigError),
}

/// Result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Status(e) => Some(e.status()),
            _ => None,
        }
    }

    /// The AWS error name (`ThrottlingException`, `InvalidSignatureException`, ...) of a service
    /// or Cognito error, when one was given.
    pub fn aws_error_name(&self) -> Option<&str> {
        match self {
            Error::Status(e) => e.name(),
            Error::Credentials(e) => e.name(),
            _ => None,
        }
    }

    /// What was wrong with the request, for an [`Error::InvalidRequest`].
    ///
    /// ```
    /// # fn handle(err: amplify_api::Error) {
    /// use amplify_api::InvalidRequestKind;
    /// if err.invalid_request_kind() == Some(InvalidRequestKind::HopByHopHeader) {
    ///     println!("drop the `connection` header");
    /// }
    /// # }
    /// ```
    pub fn invalid_request_kind(&self) -> Option<InvalidRequestKind> {
        match self {
            Error::InvalidRequest(e) => Some(e.kind()),
            _ => None,
        }
    }

    /// What was wrong with the configuration, for an [`Error::Config`].
    pub fn config_kind(&self) -> Option<ConfigKind> {
        match self {
            Error::Config(e) => Some(e.kind()),
            _ => None,
        }
    }

    /// An [`Error::InvalidRequest`] of `kind`.
    pub(crate) fn invalid(kind: InvalidRequestKind, message: impl Into<String>) -> Self {
        Error::InvalidRequest(InvalidRequestError {
            kind,
            message: message.into(),
        })
    }

    /// An [`Error::Config`] of `kind`.
    pub(crate) fn config(kind: ConfigKind, message: impl Into<String>) -> Self {
        Error::Config(ConfigError {
            kind,
            message: message.into(),
        })
    }
}

/// What made a request invalid ([`Error::invalid_request_kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InvalidRequestKind {
    /// The path: a control character, `#`, a full URL, a `.`/`..` segment, a query that is not
    /// UTF-8, a URI that cannot be signed as it is sent.
    Path,
    /// A header the client sets itself (`host`, `x-amz-date`, `content-length`...).
    ReservedHeader,
    /// A hop-by-hop header (`connection`, `te`, `upgrade`, `keep-alive`, `proxy-connection`):
    /// proxies and HTTP/2 drop them, so a signature covering them would not verify.
    HopByHopHeader,
    /// A header name or value that cannot be sent or signed (not visible ASCII...).
    InvalidHeader,
    /// Headers larger than [`MAX_HEADER_BYTES`](crate::MAX_HEADER_BYTES).
    HeaderTooLarge,
    /// A body on a GET or HEAD request.
    BodyOnGet,
    /// A body that cannot be encoded or read (JSON, form, multipart, a file body in
    /// `build()`, a stream body the signer cannot hash).
    Body,
    /// A region or service name to sign for that is not one.
    Scope,
    /// A request to a host the signer is not for ([`SigV4::for_host`](crate::SigV4::for_host),
    /// [`SigV4::from_endpoint`](crate::SigV4::from_endpoint)): signing it would hand our
    /// credentials' signature and session token to another origin.
    HostNotAllowed,
    /// A header provider failed.
    HeaderProvider,
    /// The signature could not be made (a clock before 1970, a token that is not a header
    /// value...).
    Signing,
    /// The auth mode the request's typed route (its route table) or its
    /// [`auth(..)`](crate::RequestBuilder::auth) asks for needs what the client was not given: a
    /// token provider, an API key, AWS credentials. Refused before anything is sent.
    Auth,
}

/// An [`Error::InvalidRequest`]: what was wrong ([`kind`](Self::kind)) and a message saying so
/// (never a query value or secret). Reads as its message (`Deref<Target = str>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidRequestError {
    kind: InvalidRequestKind,
    message: String,
}

impl InvalidRequestError {
    /// What was wrong.
    pub fn kind(&self) -> InvalidRequestKind {
        self.kind
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for InvalidRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::ops::Deref for InvalidRequestError {
    type Target = str;
    fn deref(&self) -> &str {
        &self.message
    }
}

/// What made a configuration unusable ([`Error::config_kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConfigKind {
    /// The config file could not be read or parsed, or lacks endpoints a client needs.
    ConfigFile,
    /// An endpoint URL (or signing host, path prefix) that is not usable.
    EndpointUrl,
    /// A region or service name that is not one.
    Scope,
    /// An IAM endpoint or signer without credentials, or an identity pool that cannot be used.
    Credentials,
    /// An endpoint that lacks what its auth mode needs (an API key, a token provider), or a
    /// signer made from an endpoint that does not sign.
    AuthMode,
    /// The HTTP client could not be built.
    HttpClient,
    /// The identity id store could not be used.
    IdentityStore,
}

/// An [`Error::Config`]: what was wrong ([`kind`](Self::kind)) and a message saying so. Reads
/// as its message (`Deref<Target = str>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    kind: ConfigKind,
    message: String,
}

impl ConfigError {
    /// What was wrong.
    pub fn kind(&self) -> ConfigKind {
        self.kind
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::ops::Deref for ConfigError {
    type Target = str;
    fn deref(&self) -> &str {
        &self.message
    }
}

/// An AWS-style error parsed from a response: name, message and request id.
///
/// The name comes from `x-amzn-ErrorType`, else the body's `code`, else `__type`, cut at the first
/// `:` or `,` and after any `#`; the message from `message` or `Message`; the request id from
/// `x-amzn-RequestId`, `x-amz-request-id` or `x-amz-apigw-id`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AwsErrorInfo {
    /// AWS error name, e.g. `InvalidSignatureException`.
    pub name: Option<String>,
    /// Human-readable message.
    pub message: Option<String>,
    /// The request id AWS gave the call.
    pub request_id: Option<String>,
}

impl AwsErrorInfo {
    /// Parses the error details from a response's headers and body. Never fails: what cannot be
    /// read stays `None`.
    pub fn parse(headers: &http::HeaderMap, body: &[u8]) -> Self {
        let json = top_level_strings(body);
        let field = |keys: &[&str]| -> Option<String> {
            keys.iter().find_map(|k| {
                json.iter()
                    .find(|(name, _)| name == k)
                    .map(|(_, value)| value.clone())
            })
        };
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let name = header("x-amzn-errortype")
            .or_else(|| field(&["code", "__type"]))
            .map(|raw| sanitize_error_name(&raw))
            .filter(|n| !n.is_empty());
        AwsErrorInfo {
            name,
            message: field(&["message", "Message"]),
            request_id: request_id(headers).map(str::to_owned),
        }
    }
}

/// The string members of a JSON object body, in order: all of them, or those before the point
/// where a body cut at the size limit (or otherwise malformed) stops parsing.
fn top_level_strings(body: &[u8]) -> Vec<(String, String)> {
    let (members, _) = crate::json_members::object_members(body);
    members
        .into_iter()
        .filter_map(|(name, value)| match value {
            crate::json_members::Member::Text(text) => Some((name, text)),
            _ => None,
        })
        .collect()
}

/// The request id AWS gave a response: `x-amzn-RequestId`, `x-amzn-Request-Id`,
/// `x-amz-request-id` or `x-amz-apigw-id`, the first present.
pub(crate) fn request_id(headers: &http::HeaderMap) -> Option<&str> {
    [
        "x-amzn-requestid",
        "x-amzn-request-id",
        "x-amz-request-id",
        "x-amz-apigw-id",
    ]
    .iter()
    .find_map(|name| {
        headers
            .get(*name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    })
}

/// `"aws.protocoltests#FooError:http://..."` -> `"FooError"`.
fn sanitize_error_name(raw: &str) -> String {
    let cut = raw.split([':', ',']).next().unwrap_or(raw);
    let after_hash = cut.rsplit('#').next().unwrap_or(cut);
    after_hash.trim().to_owned()
}

/// A response whose status was over 299: its parts (status, headers, body, the request's method
/// and URL without query) and the AWS error details parsed from them.
#[derive(Debug)]
pub struct ServiceError {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// Whether `body` is only the start of a body longer than the client's limit.
    pub(crate) truncated: bool,
    pub(crate) method: Method,
    pub(crate) url_without_query: String,
    pub(crate) info: AwsErrorInfo,
    pub(crate) attempts: u32,
    /// Whether this response's `Date` moved the client's clock.
    pub(crate) clock_corrected: bool,
}

impl ServiceError {
    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }
    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
    /// The response body (secret header values of the request redacted): the whole body, or
    /// its first [`max_response_bytes`](crate::ClientBuilder::max_response_bytes) when it was
    /// longer ([`body_truncated`](Self::body_truncated)).
    pub fn body(&self) -> &Bytes {
        &self.body
    }
    /// Whether [`body`](Self::body) is only the start of a longer body (the rest was not read;
    /// the error details come from that start).
    pub fn body_truncated(&self) -> bool {
        self.truncated
    }
    /// The request method.
    pub fn method(&self) -> &Method {
        &self.method
    }
    /// The URL requested, without its query string.
    pub fn url_without_query(&self) -> &str {
        &self.url_without_query
    }
    /// The AWS error name, e.g. `InvalidSignatureException`.
    pub fn name(&self) -> Option<&str> {
        self.info.name.as_deref()
    }
    /// The AWS error message.
    pub fn message(&self) -> Option<&str> {
        self.info.message.as_deref()
    }
    /// The request id AWS assigned.
    pub fn request_id(&self) -> Option<&str> {
        self.info.request_id.as_deref()
    }
    /// All parsed AWS error details.
    pub fn info(&self) -> &AwsErrorInfo {
        &self.info
    }
    /// How many attempts were made before giving up (1 without retries).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} answered {}",
            self.method, self.url_without_query, self.status
        )?;
        if let Some(name) = self.name() {
            write!(f, " {name}")?;
        }
        if let Some(message) = self.message() {
            write!(f, ": {message}")?;
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request id {id})")?;
        }
        if self.attempts > 1 {
            write!(f, " after {} attempts", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

/// Credentials could not be obtained.
#[derive(Debug)]
pub struct CredentialsError {
    pub(crate) name: Option<String>,
    pub(crate) message: String,
    pub(crate) source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl CredentialsError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        CredentialsError {
            name: None,
            message: message.into(),
            source: None,
        }
    }
    /// The Cognito error name (`NotAuthorizedException`, `ResourceNotFoundException`, ...), when
    /// Cognito gave one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    /// What went wrong, and where it helps, what to configure.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The role (`CustomRoleArn`) the identity pool refused, when that is why: the user's ID
    /// token does not carry it (`cognito:roles`).
    pub fn refused_role(&self) -> Option<&str> {
        self.source
            .as_deref()
            .and_then(|s| s.downcast_ref::<RoleRefusedError>())
            .map(|e| e.role.as_str())
    }

    /// The error for Cognito refusing `role` with `name` and `message`.
    pub(crate) fn role_refused(role: &str, name: &str, message: &str) -> Self {
        let refused = RoleRefusedError {
            role: role.to_owned(),
        };
        CredentialsError {
            name: Some(name.to_owned()),
            message: format!("{refused}: {message}"),
            source: Some(Box::new(refused)),
        }
    }
}

/// The identity pool refused the IAM role asked for (`CustomRoleArn`): the signed-in user's
/// ID token does not carry it. The source of such a [`CredentialsError`]; see
/// [`CredentialsError::refused_role`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleRefusedError {
    role: String,
}

impl RoleRefusedError {
    /// The role refused.
    pub fn role(&self) -> &str {
        &self.role
    }
}

impl fmt::Display for RoleRefusedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the identity pool refused the role `{}`: it is not among the roles the user's ID \
             token carries (cognito:roles)",
            self.role
        )
    }
}

impl std::error::Error for RoleRefusedError {}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not get AWS credentials: ")?;
        if let Some(name) = &self.name {
            write!(f, "{name}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A request could not be sent or its answer not read.
#[derive(Debug)]
pub struct TransportError {
    pub(crate) target: String,
    pub(crate) attempts: u32,
    pub(crate) source: Box<dyn std::error::Error + Send + Sync>,
}

impl TransportError {
    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: {}", self.target, error_chain(&*self.source))?;
        if self.attempts > 1 {
            write!(f, " (after {} attempts)", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// The request did not complete within its timeout.
#[derive(Debug)]
pub struct TimeoutError {
    pub(crate) target: String,
    pub(crate) after: Duration,
    pub(crate) attempts: u32,
    /// Whether it elapsed while connecting (so the request never left).
    pub(crate) connecting: bool,
}

impl TimeoutError {
    /// The timeout that elapsed.
    pub fn after(&self) -> Duration {
        self.after
    }
    /// How many attempts were made.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} timed out after {:?}", self.target, self.after)?;
        if self.attempts > 1 {
            write!(f, " (attempt {})", self.attempts)?;
        }
        Ok(())
    }
}

impl std::error::Error for TimeoutError {}

/// A response body could not be decoded as asked.
#[derive(Debug)]
pub struct DecodeError {
    pub(crate) what: &'static str,
    pub(crate) snippet: String,
    pub(crate) source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// How many characters of a body a [`DecodeError`] keeps.
const SNIPPET_CHARS: usize = 200;

impl DecodeError {
    pub(crate) fn new(
        what: &'static str,
        body: &[u8],
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        let text = String::from_utf8_lossy(body);
        let mut snippet: String = text.chars().take(SNIPPET_CHARS).collect();
        if text.chars().nth(SNIPPET_CHARS).is_some() {
            snippet.push('…');
        }
        DecodeError {
            what,
            snippet,
            source,
        }
    }
    /// The start of the body that failed to decode (at most 200 characters, lossy UTF-8).
    pub fn snippet(&self) -> &str {
        &self.snippet
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not decode the response body as {}", self.what)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        write!(f, "; body starts with {:?}", self.snippet)
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// No endpoint has the asked name.
#[derive(Debug)]
pub struct UnknownEndpointError {
    pub(crate) name: String,
    pub(crate) known: Vec<String>,
}

impl UnknownEndpointError {
    /// The name that was asked for.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The names the client knows.
    pub fn known(&self) -> &[String] {
        &self.known
    }
}

impl fmt::Display for UnknownEndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no endpoint named `{}`; ", self.name)?;
        if self.known.is_empty() {
            f.write_str("the client has no endpoints")
        } else {
            write!(f, "known endpoints: {}", self.known.join(", "))
        }
    }
}

impl std::error::Error for UnknownEndpointError {}

/// `outer: inner: innermost` — reqwest's own `Display` hides the cause ("error sending request").
pub(crate) fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut current = err.source();
    while let Some(cause) = current {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        current = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_name_is_cut_like_amplify() {
        assert_eq!(
            sanitize_error_name("aws.protocoltests#FooError:http://x"),
            "FooError"
        );
        assert_eq!(
            sanitize_error_name("ThrottlingException,other"),
            "ThrottlingException"
        );
        assert_eq!(
            sanitize_error_name("ResourceNotFoundException:"),
            "ResourceNotFoundException"
        );
    }

    #[test]
    fn parse_prefers_header_then_code_then_type() {
        let mut headers = http::HeaderMap::new();
        let body = br#"{"code":"FromCode","__type":"a#FromType","Message":"boom"}"#;
        let info = AwsErrorInfo::parse(&headers, body);
        assert_eq!(info.name.as_deref(), Some("FromCode"));
        assert_eq!(info.message.as_deref(), Some("boom"));
        let info = AwsErrorInfo::parse(&headers, br#"{"__type":"a#FromType"}"#);
        assert_eq!(info.name.as_deref(), Some("FromType"));
        headers.insert("x-amzn-errortype", "FromHeader:http://x".parse().unwrap());
        headers.insert("x-amz-apigw-id", "abc=".parse().unwrap());
        let info = AwsErrorInfo::parse(&headers, body);
        assert_eq!(info.name.as_deref(), Some("FromHeader"));
        assert_eq!(info.request_id.as_deref(), Some("abc="));
    }

    #[test]
    fn parse_tolerates_garbage() {
        let info = AwsErrorInfo::parse(&http::HeaderMap::new(), b"\xff\x00 not json");
        assert_eq!(info, AwsErrorInfo::default());
    }

    #[test]
    fn decode_snippet_is_bounded() {
        let body = "x".repeat(10_000);
        let e = DecodeError::new("JSON", body.as_bytes(), None);
        assert_eq!(e.snippet().chars().count(), SNIPPET_CHARS + 1);
    }
}

/// Why a streamed request body failed: its file could not be read, or it changed between being
/// hashed for the signature and being sent; or a stream was not what it was declared to be (its
/// length or SHA-256), or was asked for again (a stream is sent once).
#[derive(Clone, Debug)]
pub struct BodyError {
    /// The file, for a file body.
    path: Option<std::path::PathBuf>,
    message: String,
    /// Whether the body was not what was signed (rather than unreadable).
    changed: bool,
    source: Option<std::sync::Arc<std::io::Error>>,
}

// Made by the file and stream bodies, which wasm32 does not have.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
impl BodyError {
    /// `path` (or the stream, for `None`) could not be read.
    pub(crate) fn io(path: Option<&std::path::Path>, e: std::io::Error) -> BodyError {
        BodyError {
            path: path.map(ToOwned::to_owned),
            message: format!("cannot be read: {e}"),
            changed: false,
            source: Some(std::sync::Arc::new(e)),
        }
    }

    /// `path` (or the stream, for `None`) is not what was signed: `how`.
    pub(crate) fn changed(path: Option<&std::path::Path>, how: &str) -> BodyError {
        BodyError {
            path: path.map(ToOwned::to_owned),
            message: how.to_owned(),
            changed: true,
            source: None,
        }
    }

    /// A stream asked for again.
    pub(crate) fn spent() -> BodyError {
        BodyError {
            path: None,
            message: "was already sent (a stream is sent once; use a file to retry)".to_owned(),
            changed: false,
            source: None,
        }
    }

    /// The file the body was read from (`None` for a stream).
    pub fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }

    /// Whether a file body changed after it was hashed and signed (its length, modification
    /// time or bytes). False for a stream body: see
    /// [`stream_mismatch`](Self::stream_mismatch).
    pub fn file_changed(&self) -> bool {
        self.changed && self.path.is_some()
    }

    /// Whether a stream body's bytes did not match its declared length or SHA-256.
    pub fn stream_mismatch(&self) -> bool {
        self.changed && self.path.is_none()
    }
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(
                f,
                "the request body file `{}` {}",
                path.display(),
                self.message
            ),
            None => write!(f, "the request body stream {}", self.message),
        }
    }
}

impl std::error::Error for BodyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
