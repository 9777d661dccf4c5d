//! The authorize stage: what a request's auth mode adds to it. The mode is the request's own
//! (`RequestBuilder::auth`), else its typed route's (the route table's), else the endpoint's
//! ([`RequestAuth::resolve`]); a mode whose provider the client lacks is refused before
//! anything is sent ([`RequestAuth::check`]). AWS_IAM fetches the credentials to sign with (the
//! sign stage signs); API_KEY adds `x-api-key` (as does a route that needs the key besides its
//! mode); the token modes add the token provider's `Authorization`; NONE adds nothing. Then, for
//! AWS_IAM, the one signing call every surface makes ([`Signing::sign`]).

use aws_credential_types::Credentials;
use http::header::{AUTHORIZATION, HeaderValue};
use http::{HeaderMap, HeaderName};

use crate::endpoint::{AuthMode, ResolvedEndpoint};
use crate::error::{ConfigKind, CredentialsError, Error, InvalidRequestKind, Result};
use crate::send::resolve::PreparedRequest;
use crate::signing::policy;
use crate::signing::shared::{Scope, Signing};
use crate::signing::signer::SigningDetails;

static X_API_KEY: HeaderName = HeaderName::from_static("x-api-key");

/// Where a request's auth mode came from, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AuthSource {
    /// The endpoint's mode (the config's `authorizationType`, or the builder's).
    Endpoint,
    /// The typed route's, from the route table (its template).
    Route(&'static str),
    /// The caller's `RequestBuilder::auth`.
    Call,
}

/// How one request is authorized: its mode, whether the API key goes with it, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RequestAuth {
    pub(crate) mode: AuthMode,
    /// `x-api-key` as well (a route with `ApiKeyRequired` besides its mode).
    pub(crate) api_key: bool,
    pub(crate) source: AuthSource,
}

/// A typed route's auth, from its table: the mode (`None`: the table does not say) and
/// whether it needs the API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RouteAuth {
    pub(crate) mode: Option<AuthMode>,
    pub(crate) api_key: bool,
}

impl RequestAuth {
    /// The auth of a request to `endpoint`: the caller's `call` mode wins (alone: it replaces
    /// the route's API key too), then the typed route's (`route`, from `template`), then the
    /// endpoint's.
    pub(crate) fn resolve(
        endpoint: &ResolvedEndpoint,
        call: Option<AuthMode>,
        route: Option<(&'static str, RouteAuth)>,
    ) -> RequestAuth {
        match (call, route) {
            (Some(mode), _) => RequestAuth {
                mode,
                api_key: false,
                source: AuthSource::Call,
            },
            (None, Some((template, route))) => {
                let mode = route.mode.unwrap_or(endpoint.auth);
                RequestAuth {
                    mode,
                    api_key: route.api_key && mode != AuthMode::ApiKey,
                    source: AuthSource::Route(template),
                }
            }
            (None, None) => RequestAuth {
                mode: endpoint.auth,
                api_key: false,
                source: AuthSource::Endpoint,
            },
        }
    }

    /// Whether this request is SigV4-signed by the client with `headers` (an `AWS_IAM` mode,
    /// and no `Authorization` header of the caller's).
    pub(crate) fn signs_with_sigv4(&self, headers: &HeaderMap) -> bool {
        self.mode == AuthMode::AwsIam && !policy::caller_authorized(headers)
    }

    /// Refuses, before anything is sent, a request whose route or `auth(..)` asks for what the
    /// client was not given (a token provider, an API key, credentials), naming the route, the
    /// mode and the builder call that fixes it; `headers` are the caller's (an `Authorization`
    /// or `x-api-key` of theirs is what the mode would add). The endpoint's own mode keeps its
    /// configuration errors at send time.
    pub(crate) fn check(
        &self,
        signing: &Signing,
        endpoint: &ResolvedEndpoint,
        method: &http::Method,
        path: &str,
        headers: &HeaderMap,
    ) -> Result<()> {
        let what = match self.source {
            AuthSource::Endpoint => return Ok(()),
            AuthSource::Route(template) => format!(
                "route `{method} {template}` of endpoint `{}` uses {} (its route table)",
                endpoint.name,
                self.described()
            ),
            AuthSource::Call => format!(
                "request `{method} {}` to endpoint `{}` uses {} (its `.auth(..)`)",
                path.split('?').next().unwrap_or_default(),
                endpoint.name,
                self.described()
            ),
        };
        let name = &endpoint.name;
        let caller_token = policy::caller_authorized(headers);
        let missing = match self.mode {
            AuthMode::AwsIam if !caller_token && signing.credentials.is_none() => Some(
                "the client has no AWS credentials (its endpoints' modes needed none); give it \
                 an identity pool (`.identity_pool(..)`) or `.credentials_provider(..)` on the \
                 builder"
                    .to_owned(),
            ),
            mode if mode.uses_token() && !caller_token && endpoint.token_provider.is_none() => {
                Some(format!(
                    "the client has no token provider for {}; call `.token_provider(..)` (or \
                     `.endpoint_token_provider(\"{name}\", ..)`) on the builder",
                    self.mode
                ))
            }
            _ => None,
        };
        let needs_key = self.api_key || self.mode == AuthMode::ApiKey;
        let missing = missing.or_else(|| {
            (needs_key && endpoint.api_key.is_none() && !headers.contains_key(&X_API_KEY)).then(
                || {
                    format!(
                        "the endpoint has no API key; give the config's `apiKey` or call \
                         `.endpoint_api_key(\"{name}\", ..)` on the builder"
                    )
                },
            )
        });
        match missing {
            Some(reason) => Err(Error::invalid(
                InvalidRequestKind::Auth,
                format!("{what}, but {reason}; nothing was sent"),
            )),
            None => Ok(()),
        }
    }

    /// The mode as docs and messages name it: `AWS_IAM (SigV4) + API key`.
    pub(crate) fn described(&self) -> String {
        self.mode.described(self.api_key)
    }
}

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
    match authorize(signing, endpoint, req.auth, headers).await? {
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
