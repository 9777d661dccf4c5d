//! [`SigV4Middleware`]: a `reqwest-middleware` middleware that signs reqwest requests with
//! [`SigV4`] (feature `reqwest-middleware`), and corrects the signing clock from every
//! answer's `Date`.
//!
//! # Redirects
//! reqwest follows redirects *below* the middleware, inside the client: the middleware signs
//! once and cannot see, let alone stop, what the client then sends to the `location` of a 3xx.
//! A client that follows redirects (`reqwest::Client::new()` does, up to 10) carries
//! `x-amz-security-token`, `x-amz-date` and a 307's body to whatever origin a redirect names
//! (it strips only `authorization`). Put the middleware on a client with redirects off:
//! [`SigV4Middleware::client`] builds one, or [`http_client_builder`] gives the builder to
//! configure further. On a client that follows them, the middleware turns an answer that came
//! from another origin into an error, but by then the headers were sent.

use reqwest_middleware::{Middleware, Next};

use crate::error::{Error, InvalidRequestKind};
use crate::signing::sigv4::SigV4;

/// Signs every request of a `reqwest_middleware::ClientWithMiddleware`.
///
/// Use it on a client that does not follow redirects (see the [module docs](self)):
///
/// ```no_run
/// # fn run(sigv4: amplify_api::SigV4) -> amplify_api::Result<()> {
/// use amplify_api::middleware::SigV4Middleware;
/// // A reqwest client with redirects off, the middleware on it.
/// let client = SigV4Middleware::client(sigv4)?;
/// # let _ = client; Ok(()) }
/// ```
///
/// or, to add middlewares of your own:
///
/// ```no_run
/// # fn run(sigv4: amplify_api::SigV4) -> Result<(), Box<dyn std::error::Error>> {
/// use amplify_api::middleware::{SigV4Middleware, http_client_builder};
/// let http = http_client_builder().timeout(std::time::Duration::from_secs(30)).build()?;
/// let client = reqwest_middleware::ClientBuilder::new(http)
///     .with(SigV4Middleware::new(sigv4))
///     .build();
/// # let _ = client; Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct SigV4Middleware {
    sigv4: SigV4,
}

/// A reqwest client builder with redirects off, for [`SigV4Middleware`]: a 3xx comes back as
/// the answer instead of being followed with our headers. Keep redirects off when configuring
/// it further.
#[cfg(not(target_arch = "wasm32"))]
pub fn http_client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none())
}

impl SigV4Middleware {
    /// A middleware signing with `sigv4`. The client it goes on must not follow redirects
    /// (see the [module docs](self)): use [`client`](Self::client) or
    /// [`http_client_builder`].
    pub fn new(sigv4: SigV4) -> Self {
        SigV4Middleware { sigv4 }
    }

    /// A client with this middleware signing with `sigv4`, on a reqwest client with redirects
    /// off ([`http_client_builder`]). [`Error::Config`] if reqwest cannot build its client.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn client(sigv4: SigV4) -> crate::error::Result<reqwest_middleware::ClientWithMiddleware> {
        let http = crate::wire::client::build_http_client(http_client_builder())?;
        Ok(reqwest_middleware::ClientBuilder::new(http)
            .with(SigV4Middleware::new(sigv4))
            .build())
    }
}

#[async_trait::async_trait]
impl Middleware for SigV4Middleware {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        // The body is taken out while the headers are signed, and put back: signing reads it
        // in place (a copy would cost as much as hashing it).
        let body = request.body_mut().take();
        let payload: &[u8] = match &body {
            None => &[],
            Some(body) => body.as_bytes().ok_or_else(|| {
                reqwest_middleware::Error::middleware(Error::invalid(
                    InvalidRequestKind::Body,
                    "a streaming body cannot be signed: its hash is needed before it is sent",
                ))
            })?,
        };
        let url = request.url().clone();
        let method = request.method().clone();
        let signed = self
            .sigv4
            .sign_parts(method.as_str(), &url, request.headers_mut(), payload)
            .await
            .map_err(reqwest_middleware::Error::middleware)?;
        *request.body_mut() = body;
        // reqwest's errors show their whole URL, query included (it may hold secrets): the
        // error passes on without it, as the client's own send path keeps it.
        let response = next.run(request, extensions).await.map_err(|e| match e {
            reqwest_middleware::Error::Reqwest(e) => {
                reqwest_middleware::Error::Reqwest(e.without_url())
            }
            other => other,
        })?;
        if signed && response.url().origin() != url.origin() {
            return Err(reqwest_middleware::Error::middleware(Error::invalid(
                InvalidRequestKind::HostNotAllowed,
                format!(
                    "the HTTP client followed a redirect from `{}` to `{}` with our signed \
                     headers: build it with redirects off (`SigV4Middleware::client`)",
                    url.host_str().unwrap_or_default(),
                    response.url().host_str().unwrap_or_default()
                ),
            )));
        }
        self.sigv4.observe_response(response.headers());
        Ok(response)
    }
}
