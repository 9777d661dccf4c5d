//! [`SigV4`]: the client's sign stage on its own, for requests another HTTP stack sends: the
//! `tower` layer, the `reqwest-middleware` middleware, or code of your own. It signs with the
//! same signer, credentials cache and clock as the client's send path (shared with the client
//! when made from one of its endpoints): there is no second implementation.

use std::fmt;
use std::sync::Arc;

use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use bytes::Bytes;
use http::HeaderMap;

use crate::credentials::{CognitoIdentityProvider, CredentialsCache, CredentialsSource};
use crate::endpoint::AuthMode;
use crate::endpoint_client::EndpointClient;
use crate::error::{ConfigKind, Error, InvalidRequestKind, Result};
use crate::signing::policy::{self, AllowedHost, fold_header_values};
use crate::signing::shared::{Scope, Signing};
use crate::signing::signer::{Keep, Payload, SigningTarget, checked_region, checked_service};

/// Signs `http` requests with AWS Signature Version 4: credentials cached and refreshed as the
/// client does, the clock corrected from the answers' `Date`, and a region that must be given
/// (there is no default region).
///
/// Cheap to clone (the state is shared).
///
/// # Which hosts it signs for
/// A signer made [`from_endpoint`](Self::from_endpoint) signs only requests to that endpoint's
/// host and port, and one given [`for_host`](Self::for_host) only requests to that host: any
/// other request is an [`Error::InvalidRequest`] of kind
/// [`HostNotAllowed`](crate::InvalidRequestKind::HostNotAllowed), so an HTTP stack that follows a
/// redirect to another origin (tower-http's `FollowRedirect` around the layer) cannot get our
/// signature and session token made for it. A signer from [`new`](Self::new) or
/// [`cognito`](Self::cognito) without `for_host` signs for any host it is handed: give it
/// `for_host` unless it really serves several hosts.
///
/// Headers are as `send()` signs them (the crate's one signing policy): a request that carries
/// its own `Authorization` is passed on unsigned; hop-by-hop headers (`connection`, `te`,
/// `upgrade`, `keep-alive`, `proxy-connection`) are refused; `user-agent` goes unsigned; the
/// URI is sent with its host as signed (lower case, without a default port).
///
/// ```
/// use amplify_api::SigV4;
/// use amplify_api::credentials::Credentials;
/// let creds = Credentials::new("AKIDEXAMPLE", "secret", None, None, "example");
/// let sigv4 = SigV4::new(creds, "eu-west-1", "execute-api")?;
/// assert_eq!(sigv4.region(), "eu-west-1");
/// assert!(SigV4::new(Credentials::new("a", "b", None, None, "x"), "", "execute-api").is_err());
/// # Ok::<(), amplify_api::Error>(())
/// ```
#[derive(Clone)]
pub struct SigV4 {
    signing: Arc<Signing>,
    region: String,
    service: String,
    /// The host (and path prefix) signed for instead of the request's.
    target: Option<SigningTarget>,
    /// The only origin requests may go to, when scoped.
    allowed: Option<AllowedHost>,
}

impl fmt::Debug for SigV4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigV4")
            .field("region", &self.region)
            .field("service", &self.service)
            .field("target", &self.target)
            .field(
                "allowed_host",
                &self.allowed.as_ref().map(ToString::to_string),
            )
            .finish_non_exhaustive()
    }
}

impl SigV4 {
    /// Signs for `region` and `service` (`execute-api`, `lambda`, ...) with credentials from
    /// `provider`; [`Error::Config`] if `region` is not a region name.
    pub fn new(
        provider: impl ProvideCredentials + 'static,
        region: impl Into<String>,
        service: impl Into<String>,
    ) -> Result<Self> {
        let source = CredentialsSource::Provider(SharedCredentialsProvider::new(provider));
        Self::with_source(source, region.into(), service.into())
    }

    /// Signs for `region` and `service` with credentials from a Cognito identity pool (guest,
    /// or the signed-in user's, as the provider's logins say).
    pub fn cognito(
        provider: CognitoIdentityProvider,
        region: impl Into<String>,
        service: impl Into<String>,
    ) -> Result<Self> {
        let source = CredentialsSource::Cognito(Arc::new(provider));
        Self::with_source(source, region.into(), service.into())
    }

    /// Signs as the client signs requests to `endpoint`: its region and service, and the
    /// client's own credentials cache, clock and signer (so a layer and the client share
    /// credentials and clock corrections). [`Error::Config`] if the endpoint is not `AWS_IAM`.
    ///
    /// Signs only requests to the endpoint's host and port (see [`for_host`](Self::for_host)).
    pub fn from_endpoint(endpoint: &EndpointClient) -> Result<Self> {
        let resolved = endpoint.resolved();
        if resolved.auth != AuthMode::AwsIam || endpoint.signing().credentials.is_none() {
            return Err(Error::config(
                ConfigKind::AuthMode,
                format!(
                    "endpoint `{}` uses {}, not AWS_IAM: its requests are not signed",
                    resolved.name, resolved.auth
                ),
            ));
        }
        Ok(SigV4 {
            signing: endpoint.signing().clone(),
            region: resolved.region.clone(),
            service: resolved.service.clone(),
            target: resolved.signing_target.clone(),
            allowed: AllowedHost::of_url(&resolved.base_url),
        })
    }

    fn with_source(source: CredentialsSource, region: String, service: String) -> Result<Self> {
        Ok(SigV4 {
            signing: Arc::new(Signing {
                credentials: Some(CredentialsCache::new(source)),
                ..Signing::default()
            }),
            region: checked_region(&region).map_err(|e| Error::config(ConfigKind::Scope, e))?,
            service: checked_service(&service).map_err(|e| Error::config(ConfigKind::Scope, e))?,
            target: None,
            allowed: None,
        })
    }

    /// Signs only requests to `host` (`api.example.com`, on its scheme's default port, or
    /// `host:port`);
    /// any other is refused unsigned ([`InvalidRequestKind::HostNotAllowed`]). For a signer
    /// under an HTTP stack that may follow redirects, so none of our headers is made for
    /// another origin. [`Error::Config`] if `host` is not a host name.
    ///
    /// ```
    /// use amplify_api::SigV4;
    /// use amplify_api::credentials::Credentials;
    /// let creds = Credentials::new("AKIDEXAMPLE", "secret", None, None, "example");
    /// let sigv4 = SigV4::new(creds, "us-east-1", "execute-api")?.for_host("api.example.com")?;
    /// # let _ = sigv4;
    /// # Ok::<(), amplify_api::Error>(())
    /// ```
    pub fn for_host(mut self, host: &str) -> Result<Self> {
        self.allowed = Some(AllowedHost::parse(host)?);
        Ok(self)
    }

    /// Signs for `host` (a host name and optional port) instead of the request URI's host: for
    /// requests sent through a proxy (CloudFront, a custom domain in front of it) to the API
    /// Gateway host behind it. The request goes out unchanged. See
    /// [`Endpoint::signing_host`](crate::Endpoint::signing_host).
    ///
    /// ```
    /// use amplify_api::SigV4;
    /// use amplify_api::credentials::Credentials;
    /// let creds = Credentials::new("AKIDEXAMPLE", "secret", None, None, "example");
    /// let sigv4 = SigV4::new(creds, "us-east-1", "execute-api")?
    ///     .signing_host("abc123.execute-api.us-east-1.amazonaws.com")?
    ///     .signing_path_prefix("/prod")?;
    /// # Ok::<(), amplify_api::Error>(())
    /// ```
    pub fn signing_host(mut self, host: &str) -> Result<Self> {
        let prefix = self.target.as_ref().map(SigningTarget::path_prefix);
        self.target = Some(
            SigningTarget::new(host, prefix.unwrap_or_default())
                .map_err(|e| Error::config(ConfigKind::EndpointUrl, e))?,
        );
        Ok(self)
    }

    /// Puts `prefix` (CloudFront's origin path, like `/prod`) before each request's path in
    /// the signature; only with a [`signing_host`](Self::signing_host), given before it.
    pub fn signing_path_prefix(mut self, prefix: &str) -> Result<Self> {
        let Some(target) = &self.target else {
            return Err(Error::config(
                ConfigKind::EndpointUrl,
                "a signing path prefix needs a signing host: call `signing_host` first",
            ));
        };
        self.target = Some(
            SigningTarget::new(&target.host_and_port(), prefix)
                .map_err(|e| Error::config(ConfigKind::EndpointUrl, e))?,
        );
        Ok(self)
    }

    /// The region signatures are for.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The service signatures are for.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// `request` signed: `x-amz-date`, `authorization` and, for temporary credentials,
    /// `x-amz-security-token` added (marked sensitive). The URI must be absolute
    /// (`https://host/path`); it is returned with its host as signed (lower case, no default
    /// port). Header values that are not visible ASCII, hop-by-hop headers and a host this
    /// signer is not for are an [`Error::InvalidRequest`], never a panic. A request with its own
    /// `Authorization` comes back unsigned.
    pub async fn sign(&self, request: http::Request<Bytes>) -> Result<http::Request<Bytes>> {
        let (mut parts, body) = request.into_parts();
        let url = absolute_url(&parts.uri)?;
        if self
            .sign_parts(parts.method.as_str(), &url, &mut parts.headers, &body)
            .await?
        {
            // The HTTP stack writes `host` from the URI as given: give it the one signed.
            parts.uri = wire_uri(&parts.uri, &url)?;
        }
        Ok(http::Request::from_parts(parts, body))
    }

    /// Signs a request given by its parts, under the crate's signing policy; whether it signed
    /// (not for a request with its own `Authorization`).
    pub(crate) async fn sign_parts(
        &self,
        method: &str,
        url: &url::Url,
        headers: &mut HeaderMap,
        body: &[u8],
    ) -> Result<bool> {
        if let Some(allowed) = &self.allowed {
            allowed.check(url)?;
        }
        if policy::caller_authorized(headers) {
            policy::mark_sensitive(headers);
            return Ok(false);
        }
        // Refused before any credentials are fetched for it.
        policy::check_signable(headers)?;
        fold_header_values(headers);
        let cache = self.signing.credentials.as_ref().ok_or_else(|| {
            Error::config(ConfigKind::Credentials, "the signer has no credentials")
        })?;
        let (credentials, _) = cache
            .get(&self.signing.clock)
            .await
            .map_err(|e| Error::Credentials(Box::new(e)))?;
        let scope = Scope {
            credentials: &credentials,
            region: &self.region,
            service: &self.service,
            target: self.target.as_ref(),
        };
        self.signing
            .sign(
                scope,
                method,
                url,
                headers,
                Payload::Bytes(body),
                Keep::Nothing,
            )
            .map(|_| true)
    }

    /// Reads an answer's `Date` header into the clock, as the client does with every answer to
    /// a signed request: later signatures use the server's time when ours is off.
    pub fn observe_response(&self, headers: &HeaderMap) {
        self.signing.clock.observe(headers);
    }

    /// The clock offset (server time minus local time, in milliseconds) learned so far.
    pub fn clock_offset_ms(&self) -> i64 {
        self.signing.clock.offset_ms()
    }
}

/// `uri` as a URL to sign; an error (naming the path only: a query may hold secrets) if it is
/// not an absolute `http(s)` URI.
pub(crate) fn absolute_url(uri: &http::Uri) -> Result<url::Url> {
    let absolute = uri.scheme().is_some() && uri.authority().is_some();
    let url = if absolute {
        url::Url::parse(&uri.to_string()).ok()
    } else {
        None
    };
    let url = url
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| {
            Error::invalid(
                InvalidRequestKind::Path,
                format!(
                    "cannot sign a request to `{}`: the URI must be absolute (`https://host/path`)",
                    uri.path()
                ),
            )
        })?;
    // The URL standard resolves `.`/`..` segments (also `%2e`) and re-encodes some characters;
    // the HTTP stack sends the URI as written. Signing one path and sending another would be
    // refused at best, and at worst sign a path outside the one meant.
    if url.path() != uri.path() || url.query() != uri.query() {
        return Err(Error::invalid(
            InvalidRequestKind::Path,
            format!(
                "cannot sign a request to `{}`: its path or query would be signed as rewritten by \
             URL parsing (a `.`/`..` segment?) but sent as written",
                uri.path()
            ),
        ));
    }
    Ok(url)
}

/// `uri` with the scheme and authority of `url` (the host lower case, no default port): what
/// was signed, with the path and query as written (the same, [`absolute_url`] checked).
fn wire_uri(uri: &http::Uri, url: &url::Url) -> Result<http::Uri> {
    let same = uri
        .authority()
        .is_some_and(|a| url.port() == a.port_u16() && Some(a.host()) == url.host_str());
    if same {
        return Ok(uri.clone());
    }
    url.as_str().parse().map_err(|_| {
        Error::invalid(
            InvalidRequestKind::Path,
            format!(
                "cannot sign a request to `{}`: its URI cannot be rewritten",
                uri.path()
            ),
        )
    })
}
