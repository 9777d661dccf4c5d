//! Which auth a request uses: the request's own mode (`RequestBuilder::auth`), else its typed
//! route's (the route table's), else the endpoint's ([`RequestAuth::resolve`]); and the check,
//! before anything is sent, that the client has what that mode needs ([`RequestAuth::check`]).
//! The authorize stage ([`super::authorize`]) then adds it.

use http::{HeaderMap, HeaderName};

use crate::endpoint::{AuthMode, ResolvedEndpoint};
use crate::error::{Error, InvalidRequestKind, Result};
use crate::signing::policy;
use crate::signing::shared::Signing;

/// The API key's header.
pub(crate) static X_API_KEY: HeaderName = HeaderName::from_static("x-api-key");

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
