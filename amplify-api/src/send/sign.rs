//! The signing stage: SigV4 with the shared signer (which keeps derived keys), credentials
//! cache and clock. The send path, [`RequestBuilder::build`](crate::RequestBuilder::build) and
//! the [`SigV4`](crate::SigV4) layers all sign here.

use aws_credential_types::Credentials;
use http::HeaderMap;

use crate::endpoint::ResolvedEndpoint;
use crate::error::Result;
use crate::send::authorize::{Authorized, authorize};
use crate::send::state::Signing;
use crate::sign::SigningScope;

/// What a request is signed for.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scope<'a> {
    pub(crate) region: &'a str,
    pub(crate) service: &'a str,
}

impl Signing {
    /// Signs a request with `credentials` at the clock's time: adds `x-amz-date`,
    /// `x-amz-security-token` (for temporary credentials) and `authorization` to `headers`.
    pub(crate) fn sign(
        &self,
        credentials: &Credentials,
        scope: Scope<'_>,
        method: &str,
        url: &url::Url,
        headers: &mut HeaderMap,
        body: &[u8],
    ) -> Result<()> {
        let scope = SigningScope {
            credentials,
            region: scope.region,
            service: scope.service,
            time: self.clock.now(),
        };
        self.signer.sign(method, url, headers, body, &scope)
    }
}

/// The authorize and sign stages together, on `headers` of a request to `endpoint`: what the
/// auth mode adds, then the signature if it signs. The generation of the cached credentials it
/// signed with, if it did.
pub(crate) async fn authorize_and_sign(
    signing: &Signing,
    endpoint: &ResolvedEndpoint,
    method: &str,
    url: &url::Url,
    headers: &mut HeaderMap,
    body: &[u8],
) -> Result<Option<u64>> {
    match authorize(signing, endpoint, headers).await? {
        Authorized::Unsigned => Ok(None),
        Authorized::Sign {
            credentials,
            generation,
        } => {
            let scope = Scope {
                region: &endpoint.region,
                service: &endpoint.service,
            };
            signing.sign(&credentials, scope, method, url, headers, body)?;
            Ok(Some(generation))
        }
    }
}
