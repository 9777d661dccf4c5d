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
//! - `test-util`: [`test_util`], an in-process emulator of Cognito Identity and of a
//!   SigV4-verifying API, for tests and examples that run offline.
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
mod header_text;
mod headers;
pub mod multipart;
mod platform;
mod providers;
mod redact;
mod request;
mod response;
mod retry;
mod send;
mod sign;
mod sigv4;
mod url_path;
mod wire;

#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;

#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub mod layer;
#[cfg(feature = "reqwest-middleware")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest-middleware")))]
pub mod middleware;

pub use builder::{ClientBuilder, ConfigFormat, endpoint_url_env_var};
pub use client::Client;
pub use endpoint::{AuthMode, Endpoint, infer_signing_scope};
pub use endpoint_client::EndpointClient;
pub use error::{
    AwsErrorInfo, BodyError, CredentialsError, DecodeError, Error, Result, ServiceError,
    TimeoutError, TransportError, UnknownEndpointError,
};
pub use header_text::HeaderText;
pub use headers::MAX_HEADER_BYTES;
pub use providers::{
    BoxError, BoxFuture, HeaderProvider, Logins, LoginsProvider, MaybeSend, TokenProvider,
    user_pool_login_key,
};
pub use request::RequestBuilder;
pub use response::{Response, StreamingResponse};
pub use retry::{RetryBudget, RetryPolicy};
pub use send::observe::SentRequest;
pub use sign::SigningDetails;
pub use sigv4::SigV4;
pub use wire::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES};

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
/// send path's sign stage runs it (`sign::Signer`, with the key cache), re-exported from the
/// module that holds it; nothing lives here for the benchmarks alone. Not public API: hidden
/// from the docs, and it may change in any release.
#[doc(hidden)]
pub mod __bench {
    pub use crate::sign::{Signer, SigningScope, canonical_parts};
}

/// What code generated by `#[api_client]` names. Not public API: it may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::{
        AuthMode, Client, ClientBuilder, Endpoint, EndpointClient, Error, RequestBuilder,
        UnknownEndpointError,
    };

    /// The checked form of an untyped call, `route!(api.items_api().get("/items/42"))`, behind
    /// the `route!` each generated client with route tables has.
    #[cfg(feature = "macros")]
    pub use amplify_api_macros::__checked_route as checked_route;

    /// What the untyped methods (`get(path)`...) of a generated endpoint with a route table take
    /// under `strict_routes = true`: implemented by no type, so any such call is one compile
    /// error saying why, not a missing method.
    #[diagnostic::on_unimplemented(
        message = "`strict_routes = true`: this endpoint has a route table, and no untyped \
                   `get`/`post`/`put`/`patch`/`delete`/`head`",
        label = "untyped call on a strict endpoint",
        note = "call a typed route method (`get_items_by_id(id)`...), check a literal path with \
                `route!(api.items_api().get(\"/items/42\"))`, or take the untyped endpoint from \
                `endpoint(..)` / `endpoint_by_name(..)`"
    )]
    pub trait StrictRoutes {
        /// Never called: no type implements the trait.
        fn never(self) -> core::convert::Infallible;
    }

    /// One piece of a typed route's path, for [`route_path`].
    #[derive(Clone, Copy, Debug)]
    pub enum RoutePart<'a> {
        /// A literal segment of the template, sent as written.
        Literal(&'static str),
        /// A `{param}`: one segment, percent-encoded ([`encode_segment`]).
        Param(&'a str),
        /// A greedy `{proxy+}`: a path, each of its `/`-separated segments percent-encoded.
        Greedy(&'a str),
    }

    /// The path of a typed route: `/` and each part (`/items/a%2Fb`); `/` for none. A `.` or
    /// `..` value stays a segment of its own, which the request refuses when sent.
    pub fn route_path(parts: &[RoutePart<'_>]) -> String {
        let mut path = String::new();
        for part in parts {
            path.push('/');
            match part {
                RoutePart::Literal(text) => path.push_str(text),
                RoutePart::Param(value) => path.push_str(&encode_segment(value)),
                RoutePart::Greedy(value) => {
                    let segments: Vec<String> = value.split('/').map(encode_segment).collect();
                    path.push_str(&segments.join("/"));
                }
            }
        }
        if path.is_empty() {
            path.push('/');
        }
        path
    }
    pub use std::path::Path;

    pub use crate::client::FromClient;
    pub use http::Method;

    /// Percent-encodes a typed route's path parameter as one segment (RFC 3986: everything but
    /// `A-Z a-z 0-9 - . _ ~`), so no value can change the route.
    pub fn encode_segment(value: &str) -> String {
        crate::url_path::encode_segment(value)
    }

    /// Where a client has the endpoints of a generated client's config: checked once, by
    /// [`config_endpoints`], so the accessors cannot fail.
    #[derive(Clone, Debug)]
    pub struct ConfigEndpoints<const N: usize>([usize; N]);

    /// The positions in `client` of the endpoints `names` (a generated client's, in config
    /// order); an [`Error::Config`] naming every missing one if `client` lacks some.
    pub fn config_endpoints<const N: usize>(
        client: &Client,
        names: [&str; N],
        client_type: &str,
    ) -> Result<ConfigEndpoints<N>, Error> {
        let mut indices = [0; N];
        let mut missing = Vec::new();
        for (slot, name) in indices.iter_mut().zip(names) {
            match client.endpoint_names().position(|n| n == name) {
                Some(index) => *slot = index,
                None => missing.push(format!("`{name}`")),
            }
        }
        if missing.is_empty() {
            return Ok(ConfigEndpoints(indices));
        }
        Err(Error::Config(format!(
            "the client has no endpoint {} of `{client_type}`'s config (it has: {}); build it \
             with `{client_type}::builder()`, or add them",
            missing.join(", "),
            client
                .endpoint_names()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }

    /// The endpoint of a generated client at `position` in its config (in range: generated
    /// code passes a constant below `N`), through the positions `endpoints` checked in
    /// `client`.
    pub fn config_endpoint<const N: usize>(
        client: &Client,
        endpoints: &ConfigEndpoints<N>,
        position: usize,
    ) -> EndpointClient {
        client.__endpoint_at(endpoints.0.get(position).copied().unwrap_or_default())
    }

    /// A generated client `A` from the config file at `path` ("the same endpoint names, this
    /// stage's file"): an [`Error::Config`] listing every name of `needed` (the endpoints of
    /// `A`'s compile-time config) the file lacks, else built from the file as `A::builder()`
    /// builds from the compile-time one (`allow_http` as the macro's).
    pub fn from_config_file<A: FromClient>(
        path: &std::path::Path,
        needed: &[&str],
        client_type: &str,
        allow_http: bool,
    ) -> Result<A, Error> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Config(format!("cannot read the config file `{file}`: {e}")))?;
        let needed_names = needed.iter().map(|n| (*n).to_owned()).collect();
        let model = crate::builder::config_model(&text, None, &file, needed_names)?;
        let missing: Vec<String> = needed
            .iter()
            .filter(|name| model.endpoint(name).is_none())
            .map(|name| format!("`{name}`"))
            .collect();
        if !missing.is_empty() {
            let has: Vec<String> = model
                .endpoints
                .iter()
                .map(|e| format!("`{}`", e.name))
                .collect();
            return Err(Error::Config(format!(
                "`{file}` has no endpoint {} that `{client_type}` needs (it has: {})",
                missing.join(", "),
                has.join(", ")
            )));
        }
        ClientBuilder::<A>::new()
            .config_model(model)
            .allow_http(allow_http)
            .build()
    }

    /// The error of a generated endpoint enum's `FromStr`.
    pub fn unknown_endpoint(name: &str, known: &[&str]) -> UnknownEndpointError {
        UnknownEndpointError {
            name: name.to_owned(),
            known: known.iter().map(|k| (*k).to_owned()).collect(),
        }
    }

    /// Emits `from_env()` on a generated client when the `aws-config` feature is on, nothing
    /// otherwise: generated code cannot test the runtime's features itself.
    #[cfg(feature = "aws-config")]
    #[macro_export]
    #[doc(hidden)]
    macro_rules! __from_env_fn {
        ($client:ident) => {
            impl $client {
                /// A client whose credentials come from the AWS SDK's default chain
                /// (environment, profile, SSO, web identity, ECS, IMDS) instead of the config's
                /// identity pool.
                pub async fn from_env()
                -> ::core::result::Result<Self, ::amplify_api::__private::Error> {
                    Self::builder().aws_default_credentials().await.build()
                }
            }
        };
    }

    /// Emits `from_env()` on a generated client when the `aws-config` feature is on, nothing
    /// otherwise.
    #[cfg(not(feature = "aws-config"))]
    #[macro_export]
    #[doc(hidden)]
    macro_rules! __from_env_fn {
        ($client:ident) => {};
    }

    pub use crate::__from_env_fn as from_env_fn;
}
