//! The signing stage: SigV4 with the shared signer (which keeps derived keys), credentials
//! cache and clock. The send path, [`RequestBuilder::build`](crate::RequestBuilder::build) and
//! the [`SigV4`](crate::SigV4) layers all sign here.

use aws_credential_types::Credentials;
use http::HeaderMap;

use crate::endpoint::ResolvedEndpoint;
use crate::error::Result;
use crate::send::authorize::{Authorized, authorize};
use crate::send::state::Signing;
use crate::sign::{SigningDetails, SigningScope};

/// What a request is signed for.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scope<'a> {
    pub(crate) region: &'a str,
    pub(crate) service: &'a str,
}

impl Signing {
    /// Signs a request with `credentials` at the clock's time: adds `x-amz-date`,
    /// `x-amz-security-token` (for temporary credentials) and `authorization` to `headers`;
    /// returns what was signed.
    pub(crate) fn sign(
        &self,
        credentials: &Credentials,
        scope: Scope<'_>,
        method: &str,
        url: &url::Url,
        headers: &mut HeaderMap,
        body: &[u8],
    ) -> Result<SigningDetails> {
        let scope = SigningScope {
            credentials,
            region: scope.region,
            service: scope.service,
            time: self.clock.now(),
        };
        self.signer
            .sign_with_details(method, url, headers, body, &scope)
    }
}

/// A request signed: the generation of the cached credentials it was signed with, and what was
/// signed.
pub(crate) struct Signed {
    pub(crate) generation: u64,
    pub(crate) details: SigningDetails,
}

/// The authorize and sign stages together, on `headers` of a request to `endpoint`: what the
/// auth mode adds, then the signature if it signs; [`Signed`] if it did.
pub(crate) async fn authorize_and_sign(
    signing: &Signing,
    endpoint: &ResolvedEndpoint,
    method: &str,
    url: &url::Url,
    headers: &mut HeaderMap,
    body: &[u8],
) -> Result<Option<Signed>> {
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
            let details = signing.sign(&credentials, scope, method, url, headers, body)?;
            Ok(Some(Signed {
                generation,
                details,
            }))
        }
    }
}
