//! App-supplied async sources: bearer tokens for user-pool, OIDC and Lambda-authorizer endpoints,
//! extra headers for every request, and the `Logins` of a signed-in user.
//!
//! Each is a trait with a blanket implementation for async closures taking the endpoint's name,
//! so a closure is enough:
//!
//! ```
//! use amplify_api::{BoxError, Client};
//! let builder = Client::builder()
//!     .token_provider(|_endpoint: &str| async { Ok::<_, BoxError>("eyJraWQi...".to_string()) })
//!     .header_provider(|endpoint: &str| {
//!         let endpoint = endpoint.to_owned();
//!         async move { Ok::<_, BoxError>(vec![("x-endpoint".to_string(), endpoint)]) }
//!     });
//! # let _ = builder;
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// A boxed error from app code.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A boxed future: `Send` on native targets; on wasm32 not (the browser's futures, `fetch`'s
/// among them, are not `Send`, and there is one thread).
#[cfg(not(target_arch = "wasm32"))]
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// A boxed future: `Send` on native targets; on wasm32 not (the browser's futures, `fetch`'s
/// among them, are not `Send`, and there is one thread).
#[cfg(target_arch = "wasm32")]
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + 'static>>;

/// `Send` on native targets, any type on wasm32: what a provider's future must be (so a
/// browser app's token provider may await `fetch`).
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send> MaybeSend for T {}

/// `Send` on native targets, any type on wasm32: what a provider's future must be (so a
/// browser app's token provider may await `fetch`).
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T> MaybeSend for T {}

/// Supplies the token sent as `Authorization` to endpoints whose auth mode is
/// `AMAZON_COGNITO_USER_POOLS`, `OPENID_CONNECT` or `AWS_LAMBDA`. Called for every request, so
/// it should cache (and refresh) tokens itself.
pub trait TokenProvider: Send + Sync + 'static {
    /// The token for a request to `endpoint`.
    fn token(&self, endpoint: &str) -> BoxFuture<Result<String, BoxError>>;
}

impl<F, Fut> TokenProvider for F
where
    F: Fn(&str) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, BoxError>> + MaybeSend + 'static,
{
    fn token(&self, endpoint: &str) -> BoxFuture<Result<String, BoxError>> {
        Box::pin(self(endpoint))
    }
}

/// Supplies headers added to every request to an endpoint (Amplify's `custom_header` and
/// `libraryOptions.API.REST.headers`). Headers given on the request itself win; all are signed.
pub trait HeaderProvider: Send + Sync + 'static {
    /// The headers for a request to `endpoint`.
    fn headers(&self, endpoint: &str) -> BoxFuture<Result<Vec<(String, String)>, BoxError>>;
}

impl<F, Fut> HeaderProvider for F
where
    F: Fn(&str) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Vec<(String, String)>, BoxError>> + MaybeSend + 'static,
{
    fn headers(&self, endpoint: &str) -> BoxFuture<Result<Vec<(String, String)>, BoxError>> {
        Box::pin(self(endpoint))
    }
}

/// The `Logins` map sent to Cognito Identity for an authenticated identity:
/// provider name (`cognito-idp.<region>.amazonaws.com/<userPoolId>`) -> token.
pub type Logins = BTreeMap<String, String>;

/// Supplies the signed-in user's `Logins`, or `None` while signed out (guest credentials are used
/// then, if the pool allows them). Asked before each credentials lookup; a change of the map
/// drops cached credentials.
pub trait LoginsProvider: Send + Sync + 'static {
    /// The current logins, or `None` when signed out.
    fn logins(&self) -> BoxFuture<Result<Option<Logins>, BoxError>>;
}

impl<F, Fut> LoginsProvider for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Option<Logins>, BoxError>> + MaybeSend + 'static,
{
    fn logins(&self) -> BoxFuture<Result<Option<Logins>, BoxError>> {
        Box::pin(self())
    }
}

/// The `Logins` key of a Cognito user pool: `cognito-idp.<region>.amazonaws.com/<userPoolId>`,
/// the region being the part of the pool id before `_`.
///
/// ```
/// assert_eq!(
///     amplify_api::user_pool_login_key("eu-west-1_AbCdEf"),
///     "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf"
/// );
/// ```
pub fn user_pool_login_key(user_pool_id: &str) -> String {
    let region = user_pool_id.split('_').next().unwrap_or(user_pool_id);
    let suffix = crate::wire::client::dns_suffix(region);
    format!("cognito-idp.{region}.{suffix}/{user_pool_id}")
}

/// A shared provider, printable without revealing anything.
pub(crate) struct Opaque<T: ?Sized>(pub(crate) std::sync::Arc<T>);

impl<T: ?Sized> Clone for Opaque<T> {
    fn clone(&self) -> Self {
        Opaque(self.0.clone())
    }
}

impl<T: ?Sized> fmt::Debug for Opaque<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<provider>")
    }
}

impl<T: ?Sized> std::ops::Deref for Opaque<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
