//! [`RequestBuilder`]: path, query, headers, body and timeout of one request, then `send()`.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use http::{HeaderMap, Method};
use serde::Serialize;

use crate::endpoint::EndpointClient;
use crate::error::{Error, Result};
use crate::response::Response;
use crate::retry::RetryPolicy;
use crate::url_path;

/// The most bytes of header names and values a caller may add to one request, its header
/// providers' included (API Gateway's limit for the request line and headers together is 10 KiB).
pub const MAX_HEADER_BYTES: usize = 10 * 1024;

/// Headers the client sets itself; a caller setting them would break the signature or framing.
const RESERVED_HEADERS: [&str; 5] = [
    "host",
    "x-amz-date",
    "x-amz-security-token",
    "content-length",
    "transfer-encoding",
];

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
    endpoint: EndpointClient,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Bytes>,
    timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    error: Option<Error>,
}

/// A request checked and ready to go out: the wire URL, headers and body. Signing happens per
/// attempt, in the client.
pub(crate) struct PreparedRequest {
    pub(crate) method: Method,
    pub(crate) url: url::Url,
    pub(crate) url_without_query: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) timeout: Option<Duration>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
}

/// Headers whose values are secrets, whether or not they are marked sensitive.
const SECRET_HEADERS: [&str; 3] = ["authorization", "x-api-key", "x-amz-security-token"];

/// Whether `name` is a header whose value is a secret (`authorization`, `x-api-key`,
/// `x-amz-security-token`).
pub(crate) fn is_secret_header(name: &HeaderName) -> bool {
    SECRET_HEADERS.contains(&name.as_str())
}

/// `headers` for `Debug`: the values of secret and sensitive headers hidden.
struct RedactedHeaders<'a>(&'a HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || is_secret_header(name) {
                map.entry(name, &"** redacted **");
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
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
            .field("endpoint", &self.endpoint.name())
            .field("method", &self.method)
            .field("path", &path)
            .field("query", &QueryKeys(&self.query))
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body_len", &self.body.as_ref().map(Bytes::len))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("error", &self.error)
            .finish()
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url_without_query)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body_len", &self.body.len())
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

impl RequestBuilder {
    pub(crate) fn new(endpoint: EndpointClient, method: Method, path: String) -> Self {
        RequestBuilder {
            endpoint,
            method,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            timeout: None,
            attempt_timeout: None,
            retry: None,
            error: None,
        }
    }

    fn fail(mut self, error: Error) -> Self {
        self.error.get_or_insert(error);
        self
    }

    /// Adds a query parameter. Repeated keys are kept, in order; keys and values are
    /// percent-encoded (RFC 3986), control characters included.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Adds several query parameters.
    pub fn queries<K: Into<String>, V: Into<String>>(
        mut self,
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.query
            .extend(pairs.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }

    /// Adds a header (names are case-insensitive; a repeated name adds a value).
    ///
    /// The value must be visible ASCII, spaces or tabs (what can be signed). An `Authorization`
    /// header means "do not sign this request": it is sent as given.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let (name, value) = (name.as_ref(), value.as_ref());
        match checked_header(name, value) {
            Ok((n, v)) => {
                self.headers.append(n, v);
                self
            }
            Err(e) => self.fail(e),
        }
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
            Err(e) => self.fail(Error::invalid(format!(
                "cannot serialize the JSON body: {e}"
            ))),
        }
    }

    /// Sets the body to raw bytes (no content type is added).
    pub fn body(mut self, bytes: impl Into<Bytes>) -> Self {
        self.body = Some(bytes.into());
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
        self.body = Some(body);
        self
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

    /// Checks everything and builds the wire URL.
    fn prepare(self) -> Result<(EndpointClient, PreparedRequest)> {
        if let Some(error) = self.error {
            return Err(error);
        }
        if matches!(self.method, Method::GET | Method::HEAD) && self.body.is_some() {
            return Err(Error::invalid(format!(
                "{} requests cannot carry a body",
                self.method
            )));
        }
        let (path, mut query) = url_path::split_path(&self.path)?;
        // Control characters in query keys and values are fine: they go out percent-encoded.
        query.extend(self.query);
        // A copy of the endpoint's parsed URL with the path and query set: no host to parse again.
        let mut url = self.endpoint.resolved().base_url.clone();
        let joined = url_path::join_path(url.path().trim_end_matches('/'), &path);
        url.set_path(&joined);
        let url_without_query = url.as_str().to_owned();
        url.set_query(url_path::encode_query(&query).as_deref());
        Ok((
            self.endpoint,
            PreparedRequest {
                method: self.method,
                url,
                url_without_query,
                headers: self.headers,
                body: self.body.unwrap_or_default(),
                timeout: self.timeout,
                attempt_timeout: self.attempt_timeout,
                retry: self.retry,
            },
        ))
    }

    /// Sends the request (signed as the endpoint's auth mode says) and reads the whole response.
    ///
    /// A status over 299 is [`Error::Status`], which keeps the response. Dropping the returned
    /// future cancels the request.
    pub async fn send(self) -> Result<Response> {
        let (endpoint, prepared) = self.prepare()?;
        endpoint.client.execute(endpoint.index, prepared).await
    }
}

/// Rejects headers whose names and values add up to more than [`MAX_HEADER_BYTES`].
pub(crate) fn check_header_size(headers: &HeaderMap) -> Result<()> {
    let total: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if total > MAX_HEADER_BYTES {
        return Err(Error::invalid(format!(
            "headers add up to {total} bytes, more than the limit of {MAX_HEADER_BYTES}"
        )));
    }
    Ok(())
}

/// Parses a caller's header, rejecting what cannot be sent or signed.
///
/// The value is sent folded: spaces and tabs around it dropped, each run of them inside made one
/// space. HTTP reads them all alike, but SigV4 implementations do not (botocore folds tabs,
/// `aws-sigv4` does not), so a value with a tab or a run of spaces could be signed one way and
/// checked another; folded, every reading of it agrees.
pub(crate) fn checked_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue)> {
    let value = fold_whitespace(value);
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid(format!("{name:?} is not a valid header name")))?;
    if RESERVED_HEADERS.contains(&header_name.as_str()) {
        return Err(Error::invalid(format!(
            "header `{header_name}` is set by the client and cannot be given"
        )));
    }
    if let Some(c) = value
        .chars()
        .find(|&c| !(c == '\t' || (' '..='~').contains(&c)))
    {
        return Err(Error::invalid(format!(
            "header `{header_name}` has the character {c:?}; header values must be visible \
             ASCII (percent-encode or base64 other text)"
        )));
    }
    let header_value = HeaderValue::from_str(&value)
        .map_err(|_| Error::invalid(format!("header `{header_name}` has an invalid value")))?;
    Ok((header_name, header_value))
}

/// `value` trimmed of spaces and tabs, each inner run of them made one space.
fn fold_whitespace(value: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = value.trim_matches([' ', '\t']);
    if !trimmed.contains('\t') && !trimmed.contains("  ") {
        return std::borrow::Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    for (i, word) in trimmed
        .split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_a_prepared_request_hides_secrets() {
        let mut headers = HeaderMap::new();
        for name in ["authorization", "x-api-key", "x-amz-security-token"] {
            headers.insert(name, HeaderValue::from_static("plain-sentinel"));
        }
        let mut mine = HeaderValue::from_static("mine-sentinel");
        mine.set_sensitive(true);
        headers.insert("x-mine", mine);
        headers.insert("x-plain", HeaderValue::from_static("visible"));
        let prepared = PreparedRequest {
            method: Method::GET,
            url: url::Url::parse("https://h/x?code=query-sentinel").unwrap(),
            url_without_query: "https://h/x".into(),
            headers,
            body: Bytes::from_static(b"body"),
            timeout: None,
            attempt_timeout: None,
            retry: None,
        };
        let debug = format!("{prepared:?}");
        assert!(!debug.contains("sentinel"), "{debug}");
        assert!(
            debug.contains("visible") && debug.contains("https://h/x"),
            "{debug}"
        );
    }

    #[test]
    fn header_checks() {
        assert!(checked_header("X-Trace", "abc 1\t2").is_ok());
        for (given, sent) in [
            (" \t a  b\t ", "a b"),
            ("tab\tinside", "tab inside"),
            ("a \t  b", "a b"),
            (" lead", "lead"),
            ("trail\t", "trail"),
            ("plain value", "plain value"),
            ("\t \t", ""),
        ] {
            let (_, value) = checked_header("x-pad", given).unwrap();
            assert_eq!(value, sent, "{given:?} is sent folded");
        }
        for (name, value) in [
            ("bad name", "v"),
            ("x-a\r\n", "v"),
            ("", "v"),
            ("x-a", "line\r\nx-injected: 1"),
            ("x-a", "nul\0"),
            ("x-a", "é"),
            ("Host", "evil"),
            ("content-length", "1"),
            ("X-Amz-Security-Token", "t"),
        ] {
            let err = checked_header(name, value).unwrap_err();
            assert!(matches!(err, Error::InvalidRequest(_)), "{name:?}: {err}");
        }
    }
}
