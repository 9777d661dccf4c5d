//! # amplify-api
//!
//! The AWS Amplify "API" (REST) category for Rust: call the REST APIs of an Amplify app (API
//! Gateway, Lambda function URLs, any SigV4-protected endpoint) by name, with requests signed by
//! AWS Signature Version 4 using temporary credentials from an Amazon Cognito Identity Pool.
//!
//! ```no_run
//! use amplify_api::api_client;
//!
//! /// The app's REST APIs, from the Amplify config (read at compile time, relative to the
//! /// crate's directory).
//! # /*
//! #[api_client(config = "amplifyconfiguration.json")]
//! # */
//! # #[api_client(config = "../examples/amplifyconfiguration.json")]
//! pub struct Api;
//!
//! # #[derive(serde::Deserialize)] struct Item;
//! # async fn run() -> Result<(), amplify_api::Error> {
//! let api = Api::new()?; // guest credentials from the config's identity pool
//! let items: Vec<Item> = api.items_api().get("/items").query("limit", 10).send().await?.json()?;
//! # Ok(()) }
//! ```
//!
//! Without the macro, build a [`Client`] with [`Client::builder`] and look endpoints up by name.
//!
//! With an API Gateway export (`routes = {...}`), each route is a typed method, and the
//! generated `route!` macro checks an untyped call's literal path and method against the
//! table at compile time: see [typed routes](api_client#typed-routes).
//!
//! Requests take what a `reqwest` user writes: [`query`](RequestBuilder::query) with any
//! `Display` value (`.query("limit", 10)`), [`query_pairs`](RequestBuilder::query_pairs) for a
//! `Serialize` struct, and [`header`](RequestBuilder::header) with text or the typed `http`
//! names and values ([`HeaderText`]).
//!
//! ## Run-time configs
//! A config known only at run time (a tool serving any Amplify app, a binary deployed with a
//! per-stage `amplify_outputs.json`, a test loading a fixture) is read by the same reader as
//! the macro (the `amplify-api-config` crate): every format, detected
//! ([`ClientBuilder::config_file_as`] / [`config_str_as`](ClientBuilder::config_str_as) force
//! one), its endpoints looked up by name, its identity pool, guest access and Cognito endpoint
//! used for credentials, and the builder's overrides (endpoint URLs, `AMPLIFY_API_<NAME>_URL`,
//! credentials...) applied as for a generated client. A problem is an [`Error::Config`] with the
//! file, JSON path and line:column, in the words of the macro's compile errors.
//!
//! ```no_run
//! # use amplify_api::Client;
//! # async fn run() -> amplify_api::Result<()> {
//! let client = Client::from_config_file("amplify_outputs.json")?;
//! let items = client.endpoint("itemsApi")?.get("/items").send().await?;
//! // With overrides: the one builder.
//! let local = Client::builder()
//!     .config_file("amplify_outputs.json")
//!     .endpoint_url("itemsApi", "http://127.0.0.1:3000")
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! A generated client's `Api::from_config_file(path)` reads another stage's file for the same
//! endpoint names: it checks at load time that the file has every endpoint the generated code
//! needs (an error lists the missing ones), then builds as `Api::builder()` does.
//!
//! ## Features
//! - `macros` (default): `#[api_client]`.
//! - `user-pool`: [`user_pool::UserPoolSession`], sign-in to the app's Cognito user pool
//!   (SRP, refresh, challenges), wired with [`ClientBuilder::user_pool_session`]: the identity
//!   pool then gives the user's credentials, and user-pool endpoints get the ID token.
//! - `aws-config`: `ClientBuilder::aws_default_credentials` and a generated client's
//!   `from_env()`: credentials from the AWS SDK's default chain instead of an identity pool.
//! - `tower`: `layer::SigV4Layer`, a `tower` layer signing `http::Request<B>` with [`SigV4`].
//! - `reqwest-middleware`: `middleware::SigV4Middleware`, the same for `reqwest_middleware`.
//!
//! For an HTTP stack of your own, [`RequestBuilder::build`] gives the signed request without
//! sending it, and [`SigV4`] signs any `http::Request<Bytes>`: the same signer, credentials
//! cache and clock as the client's send path.
//!
//! ## Bodies, headers and scopes
//! Besides [`json`](RequestBuilder::json), [`text`](RequestBuilder::text) and
//! [`body`](RequestBuilder::body): [`form`](RequestBuilder::form) (URL-encoded, RFC 3986) and
//! [`multipart`](RequestBuilder::multipart) ([`multipart::Form`], encoded before signing, so
//! the payload hash is of the bytes sent); [`headers`](RequestBuilder::headers) takes a
//! [`HeaderMap`]; [`region`](RequestBuilder::region) and [`service`](RequestBuilder::service)
//! sign one request for another scope.
//!
//! ```no_run
//! # async fn run(api: amplify_api::EndpointClient) -> Result<(), amplify_api::Error> {
//! use amplify_api::multipart::{Form, Part};
//! api.post("/login").form(&[("user", "ana"), ("remember", "yes")]).send().await?;
//! let form = Form::new().text("title", "Report").part("file", Part::file("q3.pdf").await?);
//! api.post("/uploads").multipart(form).send().await?;
//! api.get("/eu/items").region("eu-west-1").send().await?;
//! # Ok(()) }
//! ```
//!
//! ## Streaming responses and file uploads
//! [`send_streaming`](RequestBuilder::send_streaming) stops at the response head (through the
//! same retries and timeouts as [`send`](RequestBuilder::send)) and hands over the body as it
//! arrives: [`StreamingResponse::chunk`] or [`bytes_stream`](StreamingResponse::bytes_stream),
//! no size limit, the client's read timeout between chunks; `bytes()`/`text()`/`json()` read it
//! whole within [`ClientBuilder::max_response_bytes`]. An error status still reads the body's
//! first `max_response_bytes` for the AWS error. [`body_file`](RequestBuilder::body_file)
//! uploads a file of any size: hashed in one pass for the signature, then streamed from disk
//! (opened again for a retry); a file changed after it was hashed is [`Error::Body`], never a
//! signature mismatch. [`body_stream`](RequestBuilder::body_stream) sends any `AsyncRead` of a
//! known length and SHA-256, checked as it goes.
//!
//! ```no_run
//! # async fn run(api: amplify_api::EndpointClient) -> Result<(), Box<dyn std::error::Error>> {
//! use tokio::io::AsyncWriteExt;
//! let mut export = api.get("/exports/2026").send_streaming().await?;
//! let mut out = tokio::fs::File::create("export.csv").await?;
//! while let Some(chunk) = export.chunk().await? {
//!     out.write_all(&chunk).await?;
//! }
//! api.put("/backups/db.tar").body_file("db.tar").send().await?;
//! # Ok(()) }
//! ```
//!
//! ## Behind CloudFront
//! API Gateway checks a signature against its own host and the path it receives; behind a
//! CloudFront distribution, sign for those with [`Endpoint::signing_host`] and
//! [`Endpoint::signing_path_prefix`] (config keys `signingHost`, `signingPathPrefix`) while the
//! request goes to the public URL:
//!
//! ```
//! use amplify_api::Endpoint;
//! let items = Endpoint::new("itemsApi", "https://api.example.com")
//!     .signing_host("abc123.execute-api.us-east-1.amazonaws.com")
//!     .signing_path_prefix("/prod");
//! ```
//!
//! ## In the browser (wasm32)
//! The crate builds for `wasm32-unknown-unknown` on reqwest's `fetch` backend: the same
//! generated client, signer and errors. There the clock is `Date.now()`, timers are the
//! browser's, `credentials::LocalStorageIdentityIdStore` keeps the guest identity id, and
//! provider futures need not be `Send` ([`MaybeSend`]). What `fetch` cannot do is absent: the
//! connect and read timeouts (use [`ClientBuilder::attempt_timeout`]), the file identity store,
//! file uploads; a streamed response arrives whole (one chunk), as `fetch` gives it;
//! redirects are the browser's to follow, and `content-length` is the browser's to set (not
//! signed). `examples/wasm-page` is an app to copy.
//!
//! ## Tracing
//! Each request is a span `amplify_api.request` with OpenTelemetry's HTTP client attributes
//! (`http.request.method`, `server.address`, `server.port`, `url.full` with query values
//! redacted, `http.response.status_code`, `http.request.resend_count`, `error.type`,
//! `aws.request_id`) and the endpoint's name as `amplify.endpoint`.

#![cfg_attr(docsrs, feature(doc_cfg))]

mod body;
mod builder;
mod client;
mod clock;
pub mod credentials;
mod endpoint;
mod endpoint_client;
mod error;
mod generated;
mod header_text;
mod jwt;
pub mod multipart;
mod platform;
mod providers;
mod redact;
mod request;
mod response;
mod retry;
mod send;
mod signing;
mod typed;
mod url_path;
mod wire;

#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub mod layer;
#[cfg(feature = "reqwest-middleware")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest-middleware")))]
pub mod middleware;
#[cfg(feature = "user-pool")]
pub mod user_pool;

pub use builder::{ClientBuilder, ConfigFormat, endpoint_url_env_var};
pub use client::Client;
pub use endpoint::{AuthMode, Endpoint, infer_signing_scope};
pub use endpoint_client::EndpointClient;
pub use error::{
    AwsErrorInfo, BodyError, ConfigError, ConfigKind, CredentialsError, DecodeError, Error,
    InvalidRequestError, InvalidRequestKind, Result, RoleRefusedError, ServiceError, TimeoutError,
    TransportError, UnknownEndpointError,
};
pub use header_text::HeaderText;
pub use providers::{
    BoxError, BoxFuture, HeaderProvider, Logins, LoginsProvider, MaybeSend, TokenProvider,
    user_pool_login_key,
};
pub use request::RequestBuilder;
pub use response::{Response, StreamingResponse};
pub use retry::policy::{RetryBudget, RetryPolicy};
pub use send::observe::SentRequest;
pub use signing::policy::MAX_HEADER_BYTES;
pub use signing::signer::SigningDetails;
pub use signing::sigv4::SigV4;
pub use typed::{NoSchema, TypedError, TypedRequest, TypedResponse};
pub use wire::client::DEFAULT_CONNECT_TIMEOUT;
pub use wire::read::DEFAULT_MAX_RESPONSE_BYTES;

// Re-exports: the types of `bytes` and `http` this API takes and returns, so an app needs no
// version-matched dependency of its own to name them.
#[doc(no_inline)]
pub use bytes::Bytes;
#[doc(no_inline)]
pub use http::{HeaderMap, Method, StatusCode};

#[cfg(feature = "macros")]
#[cfg_attr(docsrs, doc(cfg(feature = "macros")))]
pub use amplify_api_macros::api_client;

/// What the benchmarks in `benches/` measure below the public API: the signer exactly as the
/// send path's sign stage runs it (`signing::signer::Signer`, with the key cache), re-exported from the
/// module that holds it; nothing lives here for the benchmarks alone. Not public API: hidden
/// from the docs, and it may change in any release.
#[doc(hidden)]
pub mod __bench {
    pub use crate::signing::signer::{Signer, SigningScope, canonical_parts};
}

/// What code generated by `#[api_client]` names (from `generated.rs`, and the types it uses).
/// Not public API: it may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::generated::*;
    pub use crate::{
        AuthMode, Client, ClientBuilder, Endpoint, EndpointClient, Error, NoSchema, RequestBuilder,
        TypedError, TypedRequest, TypedResponse, UnknownEndpointError,
    };
    /// What the types generated from a route file's models derive and name (a crate using
    /// them need not depend on `serde` or `serde_json` itself).
    pub use {serde, serde_json};

    /// The checked form of an untyped call, `route!(api.items_api().get("/items/42"))`, behind
    /// the `route!` each generated client with route tables has.
    #[cfg(feature = "macros")]
    pub use amplify_api_macros::__checked_route as checked_route;

    pub use crate::__from_env_fn as from_env_fn;
}
