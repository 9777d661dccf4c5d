//! [`EndpointClient`]: a client scoped to one endpoint, whose methods are the HTTP verbs.

use std::fmt;
use std::sync::Arc;

use http::Method;

use crate::endpoint::{AuthMode, ResolvedEndpoint};
use crate::request::RequestBuilder;
use crate::send::state::Shared;
use crate::signing::shared::Signing;

/// A [`Client`](crate::Client) scoped to one endpoint: its methods start requests to that endpoint.
///
/// Cheap to clone; it holds the client by reference count.
///
/// ```no_run
/// # async fn run(client: amplify_api::Client) -> Result<(), amplify_api::Error> {
/// let items = client.endpoint("items")?;
/// let resp = items.get("/items").query("limit", "10").send().await?;
/// println!("{}", resp.text()?);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct EndpointClient {
    shared: Arc<Shared>,
    index: usize,
}

impl fmt::Debug for EndpointClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EndpointClient")
            .field("name", &self.name())
            .field("url", &self.url())
            .field("auth_mode", &self.auth_mode())
            .finish_non_exhaustive()
    }
}

impl EndpointClient {
    /// The endpoint at `index` of `shared` (in range).
    pub(crate) fn new(shared: Arc<Shared>, index: usize) -> Self {
        EndpointClient { shared, index }
    }

    /// The endpoint's name.
    pub fn name(&self) -> &str {
        &self.resolved().name
    }

    /// The endpoint's base URL (without a trailing slash), after any override.
    pub fn url(&self) -> &str {
        &self.resolved().base
    }

    /// The region requests are signed for.
    pub fn region(&self) -> &str {
        &self.resolved().region
    }

    /// The service requests are signed for (`execute-api`, `lambda`, ...).
    pub fn service(&self) -> &str {
        &self.resolved().service
    }

    /// How requests are authorized.
    pub fn auth_mode(&self) -> AuthMode {
        self.resolved().auth
    }

    pub(crate) fn resolved(&self) -> &ResolvedEndpoint {
        self.shared.endpoint(self.index)
    }

    /// The client's signer, credentials cache and clock.
    pub(crate) fn signing(&self) -> &Arc<Signing> {
        &self.shared.signing
    }

    /// Starts a request with `method` to `path` (relative to the endpoint URL).
    pub fn request(&self, method: Method, path: impl Into<String>) -> RequestBuilder {
        RequestBuilder::new(self.shared.clone(), self.index, method, path.into())
    }

    /// Starts a request to a typed route (what `#[api_client]` generates for a route table):
    /// `encoded_path` is `template` with each parameter already percent-encoded as one segment
    /// ([`__private::encode_segment`](crate::__private::encode_segment)); `template` becomes the
    /// span's `url.template` and name (`otel.name`). Not public API.
    #[doc(hidden)]
    pub fn __route(
        &self,
        method: Method,
        template: &'static str,
        encoded_path: String,
    ) -> RequestBuilder {
        self.request(method, encoded_path).with_route(template)
    }

    /// Starts a `GET` request.
    pub fn get(&self, path: impl Into<String>) -> RequestBuilder {
        self.request(Method::GET, path)
    }

    /// Starts a `POST` request (not retried unless asked: POST is not idempotent).
    pub fn post(&self, path: impl Into<String>) -> RequestBuilder {
        self.request(Method::POST, path)
    }

    /// Starts a `PUT` request.
    pub fn put(&self, path: impl Into<String>) -> RequestBuilder {
        self.request(Method::PUT, path)
    }

    /// Starts a `PATCH` request (not retried unless asked).
    pub fn patch(&self, path: impl Into<String>) -> RequestBuilder {
        self.request(Method::PATCH, path)
    }

    /// Starts a `DELETE` request.
    pub fn delete(&self, path: impl Into<String>) -> RequestBuilder {
        self.request(Method::DELETE, path)
    }

    /// Starts a `DELETE` request (Amplify's spelling of [`delete`](Self::delete)).
    pub fn del(&self, path: impl Into<String>) -> RequestBuilder {
        self.delete(path)
    }

    /// Starts a `HEAD` request.
    pub fn head(&self, path: impl Into<String>) -> RequestBuilder {
        self.request(Method::HEAD, path)
    }
}
