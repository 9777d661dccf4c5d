//! The signing stage: SigV4 with the shared signer (which keeps derived keys), credentials
//! cache and clock. The send path, [`RequestBuilder::build`](crate::RequestBuilder::build) and
//! the [`SigV4`](crate::SigV4) layers all sign here.

use aws_credential_types::Credentials;
use http::HeaderMap;

use crate::endpoint::ResolvedEndpoint;
use crate::error::Result;
use crate::send::authorize::{Authorized, authorize};
use crate::send::resolve::PreparedRequest;
use crate::send::state::Signing;
use crate::sign::{Payload, SigningDetails, SigningScope, SigningTarget};

/// What a request is signed for.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scope<'a> {
    pub(crate) region: &'a str,
    pub(crate) service: &'a str,
    /// The host (and path prefix) signed for when it is not the wire URL's.
    pub(crate) target: Option<&'a SigningTarget>,
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
        payload: Payload<'_>,
    ) -> Result<SigningDetails> {
        let signed_url;
        let url = match scope.target {
            Some(target) => {
                signed_url = target.signed_url(url)?;
                &signed_url
            }
            None => url,
        };
        let scope = SigningScope {
            credentials,
            region: scope.region,
            service: scope.service,
            time: self.clock.now(),
        };
        self.signer
            .sign_with_details(method, url, headers, payload, &scope)
    }
}

/// A request signed: the generation of the cached credentials it was signed with, and what was
/// signed.
pub(crate) struct Signed {
    pub(crate) generation: u64,
    pub(crate) details: SigningDetails,
}

/// The authorize and sign stages together, on `headers` of `req` to `endpoint`: what the
/// auth mode adds, then the signature if it signs (for the endpoint's scope, or the request's
/// own region and service); [`Signed`] if it did.
pub(crate) async fn authorize_and_sign(
    signing: &Signing,
    endpoint: &ResolvedEndpoint,
    req: &PreparedRequest,
    headers: &mut HeaderMap,
) -> Result<Option<Signed>> {
    match authorize(signing, endpoint, headers).await? {
        Authorized::Unsigned => Ok(None),
        Authorized::Sign {
            credentials,
            generation,
        } => {
            let scope = Scope {
                region: req.region.as_deref().unwrap_or(&endpoint.region),
                service: req.service.as_deref().unwrap_or(&endpoint.service),
                target: endpoint.signing_target.as_ref(),
            };
            let method = req.method.as_str();
            let details = signing.sign(
                &credentials,
                scope,
                method,
                &req.url,
                headers,
                req.body.payload()?,
            )?;
            Ok(Some(Signed {
                generation,
                details,
            }))
        }
    }
}
