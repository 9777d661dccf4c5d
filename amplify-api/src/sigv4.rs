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
use crate::error::{Error, Result};
use crate::headers::fold_header_values;
use crate::send::sign::Scope;
use crate::send::state::Signing;
use crate::wire::is_region;

/// Signs `http` requests with AWS Signature Version 4: credentials cached and refreshed as the
/// client does, the clock corrected from the answers' `Date`, and a region that must be given
/// (there is no default region).
///
/// Cheap to clone (the state is shared).
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
}

impl fmt::Debug for SigV4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigV4")
            .field("region", &self.region)
            .field("service", &self.service)
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
    pub fn from_endpoint(endpoint: &EndpointClient) -> Result<Self> {
        let resolved = endpoint.resolved();
        if resolved.auth != AuthMode::AwsIam || endpoint.signing().credentials.is_none() {
            return Err(Error::Config(format!(
                "endpoint `{}` uses {}, not AWS_IAM: its requests are not signed",
                resolved.name, resolved.auth
            )));
        }
        Ok(SigV4 {
            signing: endpoint.signing().clone(),
            region: resolved.region.clone(),
            service: resolved.service.clone(),
        })
    }

    fn with_source(source: CredentialsSource, region: String, service: String) -> Result<Self> {
        let region = region.trim().to_owned();
        if !is_region(&region) {
            return Err(Error::Config(format!(
                "`{region}` is not an AWS region name (like `us-east-1`); SigV4 needs the \
                 region to sign for"
            )));
        }
        let service = service.trim().to_owned();
        if service.is_empty() || !service.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::Config(format!(
                "`{service}` is not a service name (like `execute-api`)"
            )));
        }
        Ok(SigV4 {
            signing: Arc::new(Signing {
                credentials: Some(CredentialsCache::new(source)),
                ..Signing::default()
            }),
            region,
            service,
        })
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
    /// `x-amz-security-token` added. The URI must be absolute (`https://host/path`); header
    /// values that are not visible ASCII are an [`Error::InvalidRequest`], never a panic.
    pub async fn sign(&self, request: http::Request<Bytes>) -> Result<http::Request<Bytes>> {
        let (mut parts, body) = request.into_parts();
        let url = absolute_url(&parts.uri)?;
        self.sign_parts(parts.method.as_str(), &url, &mut parts.headers, &body)
            .await?;
        Ok(http::Request::from_parts(parts, body))
    }

    /// Signs a request given by its parts.
    pub(crate) async fn sign_parts(
        &self,
        method: &str,
        url: &url::Url,
        headers: &mut HeaderMap,
        body: &[u8],
    ) -> Result<()> {
        let cache = self
            .signing
            .credentials
            .as_ref()
            .ok_or_else(|| Error::Config("the signer has no credentials".to_owned()))?;
        let (credentials, _) = cache
            .get(&self.signing.clock)
            .await
            .map_err(|e| Error::Credentials(Box::new(e)))?;
        let scope = Scope {
            region: &self.region,
            service: &self.service,
        };
        fold_header_values(headers);
        self.signing
            .sign(&credentials, scope, method, url, headers, body)
            .map(drop)
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
            Error::invalid(format!(
                "cannot sign a request to `{}`: the URI must be absolute (`https://host/path`)",
                uri.path()
            ))
        })?;
    // The URL standard resolves `.`/`..` segments (also `%2e`) and re-encodes some characters;
    // the HTTP stack sends the URI as written. Signing one path and sending another would be
    // refused at best, and at worst sign a path outside the one meant.
    if url.path() != uri.path() || url.query() != uri.query() {
        return Err(Error::invalid(format!(
            "cannot sign a request to `{}`: its path or query would be signed as rewritten by \
             URL parsing (a `.`/`..` segment?) but sent as written",
            uri.path()
        )));
    }
    Ok(url)
}
