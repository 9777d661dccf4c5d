//! The HTTP client this crate builds (redirects off), and the URL and region checks of the
//! endpoints and services it talks to.

use std::time::Duration;

use crate::error::{ConfigKind, Error, Result};

/// The `user-agent` of requests (not signed).
const USER_AGENT: &str = concat!("amplify-api-rust/", env!("CARGO_PKG_VERSION"));

/// Default connect timeout of the HTTP client this crate builds (native targets: the browser's
/// `fetch` has none).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The HTTP client this crate builds when none is given: rustls, no redirects (a 3xx comes back
/// as a response: following it would carry our signature and tokens to whatever host it names),
/// a connect timeout, and a read timeout if one is given.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn default_http_client(
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
) -> Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT));
    if let Some(read_timeout) = read_timeout {
        builder = builder.read_timeout(read_timeout);
    }
    build_http_client(builder)
}

/// The HTTP client this crate builds in the browser: reqwest's fetch backend has no connect or
/// read timeouts and no redirect policy (the browser's `fetch` decides; see `build_http_client`).
#[cfg(target_arch = "wasm32")]
pub(crate) fn default_http_client() -> Result<reqwest::Client> {
    build_http_client(reqwest::Client::builder().user_agent(USER_AGENT))
}

/// Builds an HTTP client with redirects off, whatever `builder` said: a followed redirect would
/// carry `x-amz-security-token`, `x-api-key` and the rest of our headers (reqwest strips only
/// `authorization`) and a 307's body to whatever origin the `location` names.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn build_http_client(builder: reqwest::ClientBuilder) -> Result<reqwest::Client> {
    builder
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| {
            Error::config(
                ConfigKind::HttpClient,
                format!("cannot build the HTTP client: {e}"),
            )
        })
}

/// Builds an HTTP client on reqwest's fetch backend. It cannot turn redirects off: the
/// browser's `fetch` follows them (a cross-origin one only if that origin answers CORS).
#[cfg(target_arch = "wasm32")]
pub(crate) fn build_http_client(builder: reqwest::ClientBuilder) -> Result<reqwest::Client> {
    builder.build().map_err(|e| {
        Error::config(
            ConfigKind::HttpClient,
            format!("cannot build the HTTP client: {e}"),
        )
    })
}

/// Region names and loopback hosts, as the config reader checks them: one definition.
pub(crate) use amplify_api_config::{is_loopback, is_region};

/// Parses an absolute `http(s)` URL for an endpoint or service, refusing plain HTTP to hosts that
/// are not loopback unless `allow_http`.
pub(crate) fn parse_base_url(what: &str, raw: &str, allow_http: bool) -> Result<url::Url> {
    let trimmed = raw.trim();
    let url = url::Url::parse(trimmed).map_err(|e| {
        Error::config(
            ConfigKind::EndpointUrl,
            format!("{what}: `{trimmed}` is not a valid URL: {e}"),
        )
    })?;
    let host = url.host().ok_or_else(|| {
        Error::config(
            ConfigKind::EndpointUrl,
            format!("{what}: `{trimmed}` has no host"),
        )
    })?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http || is_loopback(&host) => {}
        "http" => {
            return Err(Error::config(
                ConfigKind::EndpointUrl,
                format!(
                    "{what}: `{trimmed}` uses plain http to a host that is not loopback; use https, \
                 or call `.allow_http(true)` on the builder if this is really wanted"
                ),
            ));
        }
        other => {
            return Err(Error::config(
                ConfigKind::EndpointUrl,
                format!("{what}: `{trimmed}` has scheme `{other}`; expected https"),
            ));
        }
    }
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(Error::config(
            ConfigKind::EndpointUrl,
            format!("{what}: `{trimmed}` must not have a query, fragment or user info"),
        ));
    }
    Ok(url)
}

/// The DNS suffix of AWS service endpoints in `region` (`amazonaws.com`, or `amazonaws.com.cn`
/// in the China regions).
pub(crate) fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    }
}
