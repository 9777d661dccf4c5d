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
//! Without the macro, build a [`Client`] with [`Client::builder`] (or
//! [`Client::from_config_file`]) and look endpoints up by name.
//!
//! ## Guides
//! - [Config formats and the macro](guide::config): every Amplify config format, the
//!   `#[api_client]` arguments and errors, configs read at run time, overrides.
//! - [Auth modes and credentials](guide::auth): IAM, API key, user-pool and other tokens;
//!   guests, signed-in users, the user-pool session; secrets.
//! - [Requests, responses and errors](guide::requests): bodies, headers, queries, errors,
//!   retries, timeouts, tracing.
//! - [Typed routes](guide::typed_routes): paths, methods, bodies and per-route auth from an API
//!   Gateway export or the synthesized backend.
//! - [Testing your app](guide::testing) against the emulator.
//! - [Streaming and uploads](guide::streaming).
//! - [Your own HTTP stack](guide::own_stack): `build()`, [`SigV4`], the tower layer, the
//!   reqwest middleware.
//! - [The browser](guide::browser) (wasm32) and [behind CloudFront](guide::cloudfront).
//! - [Where this differs from Amplify](guide::differences).
//!
//! ## Features
//! - `macros` (default): `#[api_client]`.
//! - `user-pool`: [`user_pool::UserPoolSession`], sign-in to the app's Cognito user pool.
//! - `aws-config`: credentials from the AWS SDK's default chain (`Api::from_env()`).
//! - `tower`: `layer::SigV4Layer`, a `tower` layer signing `http::Request<B>`.
//! - `reqwest-middleware`: `middleware::SigV4Middleware`, the same for `reqwest_middleware`.

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
pub mod guide;
mod header_text;
mod json_members;
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
