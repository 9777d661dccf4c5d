//! The resolve stage: a request's wire URL from its endpoint's, and the headers it is sent
//! (and signed) with.

use std::fmt;
use std::time::Duration;

use http::header::{ACCEPT, CONTENT_LENGTH, HeaderValue};
use http::{HeaderMap, Method};

use crate::body::RequestBody;
use crate::endpoint::ResolvedEndpoint;
use crate::error::{Error, InvalidRequestKind, Result};
use crate::redact::RedactedHeaders;
use crate::retry::policy::RetryPolicy;
use crate::send::observe::AttemptHook;
use crate::send::request_auth::RequestAuth;
use crate::signing::policy::{check_header_size, checked_header};
use crate::url_path;

/// A request checked and ready to go out: the wire URL, headers and body. Signing happens per
/// attempt, in the send path.
pub(crate) struct PreparedRequest {
    pub(crate) method: Method,
    pub(crate) url: url::Url,
    pub(crate) url_without_query: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: RequestBody,
    pub(crate) timeout: Option<Duration>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    /// The route template the path was made from (`/items/{id}`), for typed routes.
    pub(crate) route: Option<&'static str>,
    /// How it is authorized (the call's, the route's or the endpoint's mode).
    pub(crate) auth: RequestAuth,
    /// The region this request is signed for, instead of the endpoint's.
    pub(crate) region: Option<String>,
    /// The service this request is signed for, instead of the endpoint's.
    pub(crate) service: Option<String>,
    /// Called with each attempt as it goes out.
    pub(crate) on_attempt: Option<AttemptHook>,
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url_without_query)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &self.body)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("auth", &self.auth.mode)
            .field("region", &self.region)
            .field("service", &self.service)
            .finish()
    }
}

/// The wire URL of a request to `path` (which may carry a query of its own) with `query` added,
/// and the same URL without its query (what errors and logs show).
pub(crate) fn request_url(
    endpoint: &ResolvedEndpoint,
    path: &str,
    extra_query: Vec<(String, String)>,
) -> Result<(url::Url, String)> {
    let (path, mut query) = url_path::split_path(path)?;
    // Control characters in query keys and values are fine: they go out percent-encoded.
    if query.is_empty() {
        query = extra_query;
    } else {
        query.extend(extra_query);
    }
    // The path and query resolved against the endpoint's parsed URL, as one path-absolute
    // reference: its scheme and host are taken as they are (not parsed again), and the URL is
    // written once.
    let base = &endpoint.base_url;
    let target = url_path::path_and_query(base.path().trim_end_matches('/'), &path, &query);
    let url = if target.starts_with("//") {
        // An endpoint whose path begins with `//` (`https://host//prod`): as a reference, that
        // would name a host (`prod`). The whole URL is parsed instead.
        url::Url::parse(&format!("{}{target}", &base[..url::Position::BeforePath]))
    } else {
        url::Url::options().base_url(Some(base)).parse(&target)
    }
    .map_err(|e| {
        Error::invalid(
            InvalidRequestKind::Path,
            format!("the path {path:?} does not make a valid URL: {e}"),
        )
    })?;
    let url_without_query = url[..url::Position::AfterPath].to_owned();
    Ok((url, url_without_query))
}

/// The headers a request is sent (and signed) with: the providers' (the client's, then the
/// endpoint's), then the request's own, each later source replacing earlier values of the
/// same name, checked for size. Each attempt adds `accept` and `content-length` to its copy
/// ([`attempt_headers`]).
pub(crate) async fn request_headers(
    endpoint: &ResolvedEndpoint,
    req: &mut PreparedRequest,
) -> Result<()> {
    if !endpoint.header_providers.is_empty() {
        let mut headers = HeaderMap::new();
        for provider in &endpoint.header_providers {
            let pairs = provider.headers(&endpoint.name).await.map_err(|e| {
                Error::invalid(
                    InvalidRequestKind::HeaderProvider,
                    format!(
                        "the header provider for endpoint `{}` failed: {e}",
                        endpoint.name
                    ),
                )
            })?;
            let mut layer = HeaderMap::new();
            for (name, value) in pairs {
                let (name, value) = checked_header(&name, &value)?;
                layer.append(name, value);
            }
            overlay(&mut headers, layer);
        }
        overlay(&mut headers, std::mem::take(&mut req.headers));
        req.headers = headers;
    }
    check_header_size(&req.headers)
}

/// The headers of one attempt of `req`: a copy of its own, then `accept` (unless given) and
/// `content-length`, which the HTTP stack would otherwise add after signing (only
/// `user-agent` goes out unsigned). The copy has room for what authorizing and signing add
/// (`x-amz-date`, `x-amz-security-token`, `authorization`, `x-api-key`), so that they go in
/// without growing the map; a request without headers of its own allocates none before it.
pub(crate) fn attempt_headers(req: &PreparedRequest) -> HeaderMap {
    let mut headers = HeaderMap::with_capacity(req.headers.len() + 6);
    for (name, value) in &req.headers {
        headers.append(name, value.clone());
    }
    headers
        .entry(ACCEPT)
        .or_insert(HeaderValue::from_static("*/*"));
    let has_payload = matches!(req.method, Method::POST | Method::PUT | Method::PATCH);
    if cfg!(target_arch = "wasm32") {
        // The browser sets `content-length` itself, and only when it likes (not for a PATCH
        // without a body): scripts may not set it, so it is neither sent nor signed.
        headers.remove(CONTENT_LENGTH);
    } else if has_payload || req.body.len() > 0 {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(req.body.len()));
    }
    headers
}

/// Puts `top`'s headers over `base`: a name in `top` replaces all of its values in `base`.
fn overlay(base: &mut HeaderMap, top: HeaderMap) {
    let mut last_name = None;
    for (name, value) in top {
        match name {
            Some(name) => {
                base.insert(name.clone(), value);
                last_name = Some(name);
            }
            None => {
                if let Some(name) = &last_name {
                    base.append(name.clone(), value);
                }
            }
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn prepared(method: Method, headers: HeaderMap, body: &'static [u8]) -> PreparedRequest {
        PreparedRequest {
            method,
            url: url::Url::parse("https://h/x?code=query-sentinel").unwrap(),
            url_without_query: "https://h/x".into(),
            headers,
            body: RequestBody::Bytes(Bytes::from_static(body)),
            timeout: None,
            attempt_timeout: None,
            retry: None,
            route: None,
            auth: RequestAuth {
                mode: crate::AuthMode::None,
                api_key: false,
                source: crate::send::request_auth::AuthSource::Endpoint,
            },
            region: None,
            service: None,
            on_attempt: None,
        }
    }

    #[test]
    fn an_attempts_headers_are_the_requests_then_accept_and_length_with_room_to_sign() {
        let order = |h: &HeaderMap| {
            h.iter()
                .map(|(n, v)| format!("{n}={}", v.to_str().unwrap()))
                .collect::<Vec<_>>()
        };
        let mut headers = HeaderMap::new();
        headers.append("x-tag", HeaderValue::from_static("b"));
        headers.append("x-tag", HeaderValue::from_static("a"));
        headers.insert("content-length", HeaderValue::from(99u64));
        let post = attempt_headers(&prepared(Method::POST, headers, b"hello"));
        assert_eq!(
            order(&post),
            ["x-tag=b", "x-tag=a", "content-length=5", "accept=*/*"]
        );
        // What signing adds goes in without growing the map.
        assert!(post.capacity() >= post.len() + 4, "{}", post.capacity());

        let mut headers = HeaderMap::new();
        headers.insert("accept", HeaderValue::from_static("application/json"));
        let get = attempt_headers(&prepared(Method::GET, headers, b""));
        assert_eq!(order(&get), ["accept=application/json"]);
        let put = attempt_headers(&prepared(Method::PUT, HeaderMap::new(), b""));
        assert_eq!(order(&put), ["accept=*/*", "content-length=0"]);
    }

    /// The wire URL of `path` on an endpoint at `base`, through the client's `build()`.
    async fn wire_url(base: &str, path: &str) -> String {
        let client = crate::Client::builder()
            .endpoint(crate::Endpoint::new("api", base).region("us-east-1"))
            .credentials_provider(aws_credential_types::Credentials::new(
                "AKID", "SECRET", None, None, "test",
            ))
            .read_env(false)
            .build()
            .unwrap();
        let api = client.endpoint("api").unwrap();
        let request = api.get(path).query("q", "a b").build().await.unwrap();
        request.uri().to_string()
    }

    #[tokio::test]
    async fn the_wire_url_keeps_the_endpoints_host_and_path() {
        assert_eq!(
            wire_url("https://h.example.com/dev", "/items/a b").await,
            "https://h.example.com/dev/items/a%20b?q=a%20b"
        );
        assert_eq!(
            wire_url("https://h.example.com", "items?x=1").await,
            "https://h.example.com/items?x=1&q=a%20b"
        );
        // A base path that begins with `//` stays a path: resolved as a reference, it would
        // have sent the request (and its signature) to the host `prod`.
        assert_eq!(
            wire_url("https://h.example.com//prod", "/items").await,
            "https://h.example.com//prod/items?q=a%20b"
        );
        assert_eq!(
            wire_url("https://h.example.com//", "/items").await,
            "https://h.example.com/items?q=a%20b"
        );
    }

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
        let prepared = prepared(Method::GET, headers, b"body");
        let debug = format!("{prepared:?}");
        assert!(!debug.contains("sentinel"), "{debug}");
        assert!(
            debug.contains("visible") && debug.contains("https://h/x"),
            "{debug}"
        );
    }
}
