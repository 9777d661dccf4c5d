//! The signing stage: SigV4 with the shared signer (which keeps derived keys), credentials
//! cache and clock. The send path, [`RequestBuilder::build`](crate::RequestBuilder::build) and
//! the [`SigV4`](crate::SigV4) layers all sign here.

use aws_credential_types::Credentials;
use http::HeaderMap;

use crate::clock::Clock;
use crate::credentials::CredentialsCache;
use crate::error::Result;
use crate::sign::{Signer, SigningScope};

/// One signer, one credentials cache and one clock.
#[derive(Debug, Default)]
pub(crate) struct Signing {
    pub(crate) signer: Signer,
    /// `None` when no endpoint signs.
    pub(crate) credentials: Option<CredentialsCache>,
    pub(crate) clock: Clock,
}

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
