//! The authorize stage: what an endpoint's auth mode adds to a request. AWS_IAM fetches the
//! credentials to sign with (the sign stage signs); API_KEY adds `x-api-key`; the token modes
//! add the token provider's `Authorization`; NONE adds nothing.

use aws_credential_types::Credentials;
use http::header::{AUTHORIZATION, HeaderValue};
use http::{HeaderMap, HeaderName};

use crate::endpoint::{AuthMode, ResolvedEndpoint};
use crate::error::{CredentialsError, Error, Result};
use crate::send::state::Signing;

static X_API_KEY: HeaderName = HeaderName::from_static("x-api-key");

/// What the authorize stage decided.
pub(crate) enum Authorized {
    /// Nothing to sign: the headers carry what the auth mode asks for (or the caller's own
    /// `Authorization`).
    Unsigned,
    /// Sign with these credentials, generation `generation` of the client's cache.
    Sign {
        credentials: Credentials,
        generation: u64,
    },
}

/// Whether requests with `headers` to `endpoint` are SigV4-signed by the client (an `AWS_IAM`
/// endpoint, and no `Authorization` header of the caller's).
pub(crate) fn signs_with_sigv4(endpoint: &ResolvedEndpoint, headers: &HeaderMap) -> bool {
    endpoint.auth == AuthMode::AwsIam && !headers.contains_key(AUTHORIZATION)
}

/// Adds to `headers` what the endpoint's auth mode asks for; for AWS_IAM, the credentials to
/// sign with. A caller's own `Authorization` header means "do not sign".
pub(crate) async fn authorize(
    signing: &Signing,
    endpoint: &ResolvedEndpoint,
    headers: &mut HeaderMap,
) -> Result<Authorized> {
    if headers.contains_key(AUTHORIZATION) {
        return Ok(Authorized::Unsigned);
    }
    match endpoint.auth {
        AuthMode::AwsIam => {
            let cache = signing.credentials.as_ref().ok_or_else(|| {
                Error::Config(format!(
                    "endpoint `{}` signs with AWS_IAM but the client has no credentials",
                    endpoint.name
                ))
            })?;
            let (credentials, generation) = cache
                .get(&signing.clock)
                .await
                .map_err(|e| Error::Credentials(Box::new(e)))?;
            Ok(Authorized::Sign {
                credentials,
                generation,
            })
        }
        AuthMode::ApiKey => {
            if headers.contains_key(&X_API_KEY) {
                return Ok(Authorized::Unsigned);
            }
            let key = endpoint.api_key.as_ref().ok_or_else(|| {
                Error::Config(format!(
                    "endpoint `{}` uses API_KEY but has no key: the config gives no `apiKey`; \
                     call `.endpoint_api_key(\"{}\", ..)` on the builder (or send an \
                     `x-api-key` header)",
                    endpoint.name, endpoint.name
                ))
            })?;
            headers.insert(&X_API_KEY, key.clone());
            Ok(Authorized::Unsigned)
        }
        AuthMode::None => Ok(Authorized::Unsigned),
        mode => {
            let provider = endpoint.token_provider.as_ref().ok_or_else(|| {
                Error::Config(format!(
                    "endpoint `{}` uses {mode} and needs a token provider; call \
                     `.token_provider(..)` on the builder (or \
                     `.endpoint_token_provider(\"{}\", ..)`)",
                    endpoint.name, endpoint.name
                ))
            })?;
            let token = provider.token(&endpoint.name).await.map_err(|e| {
                Error::Credentials(Box::new(CredentialsError {
                    name: None,
                    message: format!(
                        "the token provider for endpoint `{}` failed: {e}",
                        endpoint.name
                    ),
                    source: Some(e),
                }))
            })?;
            let mut value = HeaderValue::from_str(token.trim()).map_err(|_| {
                Error::invalid(format!(
                    "the token for endpoint `{}` is not a valid header value",
                    endpoint.name
                ))
            })?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
            Ok(Authorized::Unsigned)
        }
    }
}
