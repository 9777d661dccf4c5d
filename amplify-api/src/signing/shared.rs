//! The signing state a client shares with the signers made from it (one signer with its key
//! cache, one credentials cache, one clock), and the one `sign` every surface calls.

use aws_credential_types::Credentials;
use http::HeaderMap;

use crate::clock::Clock;
use crate::credentials::CredentialsCache;
use crate::error::Result;
use crate::signing::policy;
use crate::signing::signer::{Keep, Payload, Signer, SigningDetails, SigningScope, SigningTarget};

/// One signer (which keeps the signing keys it derived), one credentials cache and one clock:
/// what every signed request of a client, and every layer made from it, shares.
#[derive(Debug, Default)]
pub(crate) struct Signing {
    pub(crate) signer: Signer,
    /// `None` when no endpoint signs.
    pub(crate) credentials: Option<CredentialsCache>,
    pub(crate) clock: Clock,
}

/// Who signs a request and what for.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scope<'a> {
    pub(crate) credentials: &'a Credentials,
    pub(crate) region: &'a str,
    pub(crate) service: &'a str,
    /// The host (and path prefix) signed for when it is not the wire URL's.
    pub(crate) target: Option<&'a SigningTarget>,
}

impl Signing {
    /// Signs a request with the scope's credentials at the clock's time: adds `x-amz-date`,
    /// `x-amz-security-token` (for temporary credentials) and `authorization` to `headers`
    /// (the secrets marked sensitive); returns what was signed if `keep` asks for it.
    pub(crate) fn sign(
        &self,
        scope: Scope<'_>,
        method: &str,
        url: &url::Url,
        headers: &mut HeaderMap,
        payload: Payload<'_>,
        keep: Keep,
    ) -> Result<Option<SigningDetails>> {
        policy::check_signable(headers)?;
        policy::clear_signature_headers(headers);
        let signed_url;
        let url = match scope.target {
            Some(target) => {
                signed_url = target.signed_url(url)?;
                &signed_url
            }
            None => url,
        };
        let scope = SigningScope {
            credentials: scope.credentials,
            region: scope.region,
            service: scope.service,
            time: self.clock.now(),
        };
        let details = self
            .signer
            .sign_request(method, url, headers, payload, &scope, keep)?;
        policy::mark_sensitive(headers);
        Ok(details)
    }
}
