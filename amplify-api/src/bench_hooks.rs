//! Narrow hooks for the crate's benchmarks (`benches/`). Not public API: hidden from the docs,
//! and may change in any release.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use http::HeaderMap;

use crate::error::Result;
use crate::sign::{self, SigningScope};

/// The client's signing step for one endpoint, exactly as the send path runs it per attempt
/// (the URL is already parsed there: the request is built from the endpoint's parsed URL).
#[derive(Debug)]
pub struct Signer {
    signer: sign::Signer,
    credentials: Credentials,
    region: String,
    service: String,
}

impl Signer {
    /// A signer for these credentials and scope.
    pub fn new(credentials: Credentials, region: &str, service: &str) -> Self {
        Signer {
            signer: sign::Signer::default(),
            credentials,
            region: region.to_owned(),
            service: service.to_owned(),
        }
    }

    /// Signs as the client does: adds `x-amz-date`, `x-amz-security-token` and `authorization`.
    pub fn sign(
        &self,
        method: &str,
        url: &url::Url,
        headers: &mut HeaderMap,
        body: &[u8],
        time: SystemTime,
    ) -> Result<()> {
        let scope = SigningScope {
            credentials: &self.credentials,
            region: &self.region,
            service: &self.service,
            time,
        };
        self.signer.sign(method, url, headers, body, &scope)
    }

    /// The canonical request and the string to sign that [`Signer::sign`] would hash and sign
    /// for the same inputs (without the headers signing adds, which it signs too).
    pub fn canonical_parts(
        &self,
        method: &str,
        url: &url::Url,
        headers: &HeaderMap,
        body: &[u8],
        time: SystemTime,
    ) -> Result<(String, String)> {
        let scope = SigningScope {
            credentials: &self.credentials,
            region: &self.region,
            service: &self.service,
            time,
        };
        sign::canonical_parts(method, url, headers, body, &scope)
    }
}
