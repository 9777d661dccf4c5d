//! The authorize stage: what a request's auth mode ([`RequestAuth`]) adds to it. AWS_IAM
//! fetches the credentials to sign with (the sign stage signs); API_KEY adds `x-api-key` (as
//! does a route that needs the key besides its mode); the token modes add the token provider's
//! `Authorization`; NONE adds nothing. Then, for AWS_IAM, the one signing call every surface
//! makes ([`Signing::sign`]).

use aws_credential_types::Credentials;
use http::HeaderMap;
use http::header::{AUTHORIZATION, HeaderValue};

use crate::endpoint::{AuthMode, ResolvedEndpoint};
use crate::error::{ConfigKind, CredentialsError, Error, InvalidRequestKind, Result};
use crate::send::request_auth::{RequestAuth, X_API_KEY};
use crate::send::resolve::PreparedRequest;
use crate::signing::policy;
use crate::signing::shared::{Scope, Signing};
use crate::signing::signer::{Keep, SigningDetails};

/// What the authorize stage decided.
pub(crate) enum Authorized {
    /// Nothing to sign: the headers carry what the auth mode asks for (or the caller's own
    /// `Authorization`).
    Unsigned,
    /// Sign with these credentials, generation `generation` of the client's cache.
    Sign {
        credentials: std::sync::Arc<Credentials>,
        generation: u64,
    },
}

/// Adds to `headers` what the request's auth (`auth`) asks for; for AWS_IAM, the credentials
/// to sign with. A caller's own `Authorization` header means "do not sign".
pub(crate) async fn authorize(
    signing: &Signing,
    endpoint: &ResolvedEndpoint,
    auth: RequestAuth,
    headers: &mut HeaderMap,
) -> Result<Authorized> {
    if auth.api_key && !headers.contains_key(&X_API_KEY) {
        add_api_key(endpoint, headers)?;
    }
    if policy::caller_authorized(headers) {
        return Ok(Authorized::Unsigned);
    }
    match auth.mode {
        AuthMode::AwsIam => {
            let cache = signing.credentials.as_ref().ok_or_else(|| {
                Error::config(
                    ConfigKind::Credentials,
                    format!(
                        "endpoint `{}` signs with AWS_IAM but the client has no credentials",
                        endpoint.name
                    ),
                )
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
            if !headers.contains_key(&X_API_KEY) {
                add_api_key(endpoint, headers)?;
            }
            Ok(Authorized::Unsigned)
        }
        AuthMode::None => Ok(Authorized::Unsigned),
        mode => {
            let provider = endpoint.token_provider.as_ref().ok_or_else(|| {
                Error::config(
                    ConfigKind::AuthMode,
                    format!(
                        "endpoint `{}` uses {mode} and needs a token provider; call \
                     `.token_provider(..)` on the builder (or \
                     `.endpoint_token_provider(\"{}\", ..)`)",
                        endpoint.name, endpoint.name
                    ),
                )
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
                Error::invalid(
                    InvalidRequestKind::InvalidHeader,
                    format!(
                        "the token for endpoint `{}` is not a valid header value",
                        endpoint.name
                    ),
                )
            })?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
            Ok(Authorized::Unsigned)
        }
    }
}

/// Adds the endpoint's API key as `x-api-key`.
fn add_api_key(endpoint: &ResolvedEndpoint, headers: &mut HeaderMap) -> Result<()> {
    let key = endpoint.api_key.as_ref().ok_or_else(|| {
        Error::config(
            ConfigKind::AuthMode,
            format!(
                "endpoint `{}` uses API_KEY but has no key: the config gives no `apiKey`; \
                 call `.endpoint_api_key(\"{}\", ..)` on the builder (or send an \
                 `x-api-key` header)",
                endpoint.name, endpoint.name
            ),
        )
    })?;
    headers.insert(&X_API_KEY, key.clone());
    Ok(())
}

/// A request signed: the generation of the cached credentials it was signed with, and what was
/// signed if it was asked for.
pub(crate) struct Signed {
    pub(crate) generation: u64,
    pub(crate) details: Option<SigningDetails>,
}

/// The authorize and sign stages together, on `headers` of `req` to `endpoint`: what the
/// auth mode adds, then the signature if it signs (for the endpoint's scope, or the request's
/// own region and service); [`Signed`] if it did, with what was signed if `keep` asks for it.
pub(crate) async fn authorize_and_sign(
    signing: &Signing,
    endpoint: &ResolvedEndpoint,
    req: &PreparedRequest,
    headers: &mut HeaderMap,
    keep: Keep,
) -> Result<Option<Signed>> {
    match authorize(signing, endpoint, req.auth, headers).await? {
        Authorized::Unsigned => Ok(None),
        Authorized::Sign {
            credentials,
            generation,
        } => {
            let scope = Scope {
                credentials: &credentials,
                region: req.region.as_deref().unwrap_or(&endpoint.region),
                service: req.service.as_deref().unwrap_or(&endpoint.service),
                target: endpoint.signing_target.as_ref(),
            };
            let method = req.method.as_str();
            let details =
                signing.sign(scope, method, &req.url, headers, req.body.payload()?, keep)?;
            Ok(Some(Signed {
                generation,
                details,
            }))
        }
    }
}
