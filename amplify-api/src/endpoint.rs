//! [`Endpoint`]: what the client knows about one named REST API, its [`AuthMode`], and how it
//! resolves (URL, signing region and service) once, when the client is built.

use std::fmt;
use std::sync::Arc;

use http::HeaderValue;

use crate::error::{ConfigKind, Error, Result};
use crate::providers::{HeaderProvider, Opaque, TokenProvider};
use crate::signing::signer::SigningTarget;
use crate::wire::client::parse_base_url;

pub use amplify_api_config::{AuthMode, infer_signing_scope};

/// A config's unknown `authorizationType` (from `"X".parse::<AuthMode>()`) is a config error.
impl From<amplify_api_config::UnknownAuthMode> for Error {
    fn from(e: amplify_api_config::UnknownAuthMode) -> Self {
        Error::config(ConfigKind::AuthMode, e.to_string())
    }
}

/// The description of one named REST endpoint, as the Amplify config gives it.
///
/// Construction never fails; the URL and region are checked when the client is built.
///
/// ```
/// use amplify_api::{AuthMode, Endpoint};
/// let items = Endpoint::new("items", "https://abc123.execute-api.eu-west-1.amazonaws.com/prod")
///     .auth_mode(AuthMode::AwsIam);
/// assert_eq!(items.name(), "items");
/// ```
#[derive(Clone)]
pub struct Endpoint {
    pub(crate) name: String,
    pub(crate) url: String,
    pub(crate) region: Option<String>,
    pub(crate) service: Option<String>,
    pub(crate) signing_host: Option<String>,
    pub(crate) signing_path_prefix: Option<String>,
    pub(crate) auth: AuthMode,
    pub(crate) api_key: Option<String>,
    pub(crate) token_provider: Option<Opaque<dyn TokenProvider>>,
    pub(crate) header_provider: Option<Opaque<dyn HeaderProvider>>,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("name", &self.name)
            .field("url", &self.url)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("signing_host", &self.signing_host)
            .field("signing_path_prefix", &self.signing_path_prefix)
            .field("auth", &self.auth)
            .field("api_key", &self.api_key.as_ref().map(|_| "** redacted **"))
            .field("token_provider", &self.token_provider)
            .field("header_provider", &self.header_provider)
            .finish()
    }
}

impl Endpoint {
    /// An endpoint named `name` (the Amplify API name) at `url` (the stage URL, e.g.
    /// `https://abc123.execute-api.us-east-1.amazonaws.com/dev`).
    pub fn new(name: impl Into<String>, url: impl Into<String>) -> Self {
        Endpoint {
            name: name.into(),
            url: url.into(),
            region: None,
            service: None,
            signing_host: None,
            signing_path_prefix: None,
            auth: AuthMode::default(),
            api_key: None,
            token_provider: None,
            header_provider: None,
        }
    }

    /// The region to sign for when the host does not name one (API Gateway and Lambda hosts do).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// The service to sign for when the host does not name one (default `execute-api`).
    pub fn service(mut self, service: impl Into<String>) -> Self {
        self.service = Some(service.into());
        self
    }

    /// Signs requests for `host` (a host name, and a port if it has one) instead of the URL's:
    /// for an API that is called through a proxy which forwards to another host. Behind
    /// CloudFront, API Gateway checks the signature against its own `execute-api` host, so a
    /// request sent to `https://api.example.com/items` must be signed for
    /// `abc123.execute-api.us-east-1.amazonaws.com` (and, with an origin path, for
    /// [`signing_path_prefix`](Self::signing_path_prefix) + `/items`). The request goes out to
    /// the URL unchanged; region and service then come from this host when it names them.
    ///
    /// The CloudFront distribution must forward `Authorization`, `X-Amz-Date` and
    /// `X-Amz-Security-Token` (an origin request policy with those headers, and not the viewer's
    /// `Host`), and the request's body and query unchanged. An API Gateway *custom domain name*
    /// (no CloudFront of your own) needs none of this: it checks signatures against the custom
    /// host and the full path, as sent.
    ///
    /// A bad host is an [`Error::Config`] when the client is built.
    ///
    /// ```
    /// use amplify_api::Endpoint;
    /// let items = Endpoint::new("items", "https://api.example.com")
    ///     .signing_host("abc123.execute-api.us-east-1.amazonaws.com")
    ///     .signing_path_prefix("/prod");
    /// ```
    pub fn signing_host(mut self, host: impl Into<String>) -> Self {
        self.signing_host = Some(host.into());
        self
    }

    /// The path a proxy puts before each request's path on its way to the signing host
    /// (CloudFront's origin path, like `/prod`), which the signature then covers; only with a
    /// [`signing_host`](Self::signing_host).
    pub fn signing_path_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.signing_path_prefix = Some(prefix.into());
        self
    }

    /// How requests are authorized (default [`AuthMode::AwsIam`]).
    pub fn auth_mode(mut self, auth: AuthMode) -> Self {
        self.auth = auth;
        self
    }

    /// The API key sent as `x-api-key` by [`AuthMode::ApiKey`] endpoints.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Where this endpoint's bearer tokens come from (token auth modes), replacing the client's
    /// token provider.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.token_provider = Some(Opaque(Arc::new(provider)));
        self
    }

    /// Headers added to every request to this endpoint (after the client's header provider's,
    /// before the request's own).
    pub fn header_provider(mut self, provider: impl HeaderProvider) -> Self {
        self.header_provider = Some(Opaque(Arc::new(provider)));
        self
    }

    /// The endpoint's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The endpoint's URL as given.
    pub fn url(&self) -> &str {
        &self.url
    }
}

/// Where requests to an endpoint go and how they are signed: an [`Endpoint`] checked and
/// resolved once, when the client is built.
#[derive(Clone, Debug)]
pub(crate) struct ResolvedEndpoint {
    pub(crate) name: String,
    /// Scheme, authority and path of the endpoint, without a trailing `/`.
    pub(crate) base: String,
    /// The same, parsed once: each request's URL is a copy with its path and query set.
    pub(crate) base_url: url::Url,
    pub(crate) region: String,
    pub(crate) service: String,
    /// The host (and path prefix) requests are signed for, when not the URL's.
    pub(crate) signing_target: Option<SigningTarget>,
    pub(crate) auth: AuthMode,
    /// Marked sensitive, so `Debug` does not show it.
    pub(crate) api_key: Option<HeaderValue>,
    pub(crate) token_provider: Option<Opaque<dyn TokenProvider>>,
    /// The client's header provider, then the endpoint's.
    pub(crate) header_providers: Vec<Opaque<dyn HeaderProvider>>,
}

impl ResolvedEndpoint {
    /// Checks `endpoint` and works out where and how its requests go. The client-wide providers
    /// apply where the endpoint has none of its own.
    pub(crate) fn resolve(
        endpoint: &Endpoint,
        allow_http: bool,
        client_token: Option<&Opaque<dyn TokenProvider>>,
        client_headers: Option<&Opaque<dyn HeaderProvider>>,
    ) -> Result<Self> {
        let what = format!("endpoint `{}`", endpoint.name);
        let url = parse_base_url(&what, &endpoint.url, allow_http)?;
        let signing_target = match (&endpoint.signing_host, &endpoint.signing_path_prefix) {
            (Some(host), prefix) => Some(
                SigningTarget::new(host, prefix.as_deref().unwrap_or_default())
                    .map_err(|e| Error::config(ConfigKind::EndpointUrl, format!("{what}: {e}")))?,
            ),
            (None, Some(_)) => {
                return Err(Error::config(
                    ConfigKind::EndpointUrl,
                    format!("{what} has a signing path prefix but no signing host"),
                ));
            }
            (None, None) => None,
        };
        let host = match &signing_target {
            Some(target) => target.host(),
            None => url.host_str().unwrap_or_default(),
        };
        let (service, region) = match infer_signing_scope(host) {
            Some((service, region)) => (service.to_owned(), region.to_owned()),
            None => {
                let service = endpoint
                    .service
                    .clone()
                    .unwrap_or_else(|| "execute-api".into());
                let region = endpoint.region.clone().filter(|r| !r.trim().is_empty());
                match region {
                    Some(region) => (service, region.trim().to_owned()),
                    None if endpoint.auth == AuthMode::AwsIam => {
                        return Err(Error::config(
                            ConfigKind::Scope,
                            format!(
                                "{what} signs with AWS_IAM but has no region and its host `{host}` \
                             names none; set `.region(..)`"
                            ),
                        ));
                    }
                    None => (service, String::new()),
                }
            }
        };
        let base = url.as_str().trim_end_matches('/').to_owned();
        let api_key = match &endpoint.api_key {
            Some(key) => {
                let mut value = HeaderValue::from_str(key.trim()).map_err(|_| {
                    Error::config(
                        ConfigKind::EndpointUrl,
                        format!("{what}: the API key is not a valid header value"),
                    )
                })?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        let token_provider = endpoint
            .token_provider
            .clone()
            .or_else(|| client_token.cloned());
        let header_providers = client_headers
            .into_iter()
            .chain(&endpoint.header_provider)
            .cloned()
            .collect();
        Ok(ResolvedEndpoint {
            name: endpoint.name.clone(),
            base,
            base_url: url,
            region,
            service,
            signing_target,
            auth: endpoint.auth,
            api_key,
            token_provider,
            header_providers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_trims_and_uses_config_region_for_custom_domains() {
        let e = Endpoint::new("a", " https://api.example.com/v1/ ").region("eu-central-1");
        let r = ResolvedEndpoint::resolve(&e, false, None, None).unwrap();
        assert_eq!(r.base, "https://api.example.com/v1");
        assert_eq!(
            (r.region.as_str(), r.service.as_str()),
            ("eu-central-1", "execute-api")
        );
    }

    #[test]
    fn host_region_wins_over_config() {
        let e = Endpoint::new("a", "https://x.execute-api.us-west-2.amazonaws.com/dev")
            .region("eu-central-1")
            .service("other");
        let r = ResolvedEndpoint::resolve(&e, false, None, None).unwrap();
        assert_eq!(
            (r.region.as_str(), r.service.as_str()),
            ("us-west-2", "execute-api")
        );
    }

    #[test]
    fn resolve_rejects_bad_urls() {
        for (url, needle) in [
            ("not a url", "not a valid URL"),
            ("http://api.example.com", "plain http"),
            ("ftp://api.example.com", "scheme `ftp`"),
            ("https://api.example.com/?a=1", "query"),
        ] {
            let e = Endpoint::new("a", url).region("us-east-1");
            let err = ResolvedEndpoint::resolve(&e, false, None, None)
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{url}: {err}");
        }
        let e = Endpoint::new("a", "http://localhost:8080").region("us-east-1");
        assert!(ResolvedEndpoint::resolve(&e, false, None, None).is_ok());
        let e = Endpoint::new("a", "http://api.example.com").region("us-east-1");
        assert!(ResolvedEndpoint::resolve(&e, true, None, None).is_ok());
    }

    #[test]
    fn unknown_auth_modes_are_config_errors() {
        // `amplify_api::AuthMode` is the config crate's; its parse error converts with `?`.
        let parse = |s: &str| -> Result<AuthMode> { Ok(s.parse::<AuthMode>()?) };
        let err = parse("IAM").unwrap_err();
        assert!(
            matches!(&err, Error::Config(m) if m.starts_with("unknown authorization type `IAM`")),
            "{err}"
        );
        assert_eq!(parse("LAMBDA").unwrap(), AuthMode::AwsLambda);
    }

    #[test]
    fn iam_needs_a_region() {
        let e = Endpoint::new("a", "https://api.example.com");
        let err = ResolvedEndpoint::resolve(&e, false, None, None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no region"), "{err}");
        let e = Endpoint::new("a", "https://api.example.com").auth_mode(AuthMode::None);
        assert!(ResolvedEndpoint::resolve(&e, false, None, None).is_ok());
    }
}
