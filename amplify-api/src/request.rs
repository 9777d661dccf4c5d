//! [`RequestBuilder`]: path, query, headers, body and timeout of one request, then `send()`.

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
#[derive(Debug)]
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
#[derive(Debug)]
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
    /// percent-encoded (RFC 3986).
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
        query.extend(self.query);
        if let Some((k, _)) = query.iter().find(|(k, v)| has_control(k) || has_control(v)) {
            return Err(Error::invalid(format!(
                "query parameter {k:?} contains a control character"
            )));
        }
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

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// Parses a caller's header, rejecting what cannot be sent or signed.
///
/// Spaces and tabs around the value are dropped: HTTP does not count them as part of it (a
/// server never sees them), so signing them would sign a value that is not the one received.
pub(crate) fn checked_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue)> {
    let value = value.trim_matches([' ', '\t']);
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
    let header_value = HeaderValue::from_str(value)
        .map_err(|_| Error::invalid(format!("header `{header_name}` has an invalid value")))?;
    Ok((header_name, header_value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_checks() {
        assert!(checked_header("X-Trace", "abc 1\t2").is_ok());
        let (_, trimmed) = checked_header("x-pad", " \t a  b\t ").unwrap();
        assert_eq!(
            trimmed, "a  b",
            "surrounding whitespace is not part of a value"
        );
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
