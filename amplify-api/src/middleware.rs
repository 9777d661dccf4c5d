//! [`SigV4Middleware`]: a `reqwest-middleware` middleware that signs reqwest requests with
//! [`SigV4`] (feature `reqwest-middleware`), and corrects the signing clock from every
//! answer's `Date`.

use bytes::Bytes;
use reqwest_middleware::{Middleware, Next};

use crate::error::Error;
use crate::sigv4::SigV4;

/// Signs every request of a `reqwest_middleware::ClientWithMiddleware`.
///
/// ```no_run
/// # fn run(sigv4: amplify_api::SigV4) {
/// use amplify_api::middleware::SigV4Middleware;
/// let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
///     .with(SigV4Middleware::new(sigv4))
///     .build();
/// # let _ = client; }
/// ```
#[derive(Clone, Debug)]
pub struct SigV4Middleware {
    sigv4: SigV4,
}

impl SigV4Middleware {
    /// A middleware signing with `sigv4`.
    pub fn new(sigv4: SigV4) -> Self {
        SigV4Middleware { sigv4 }
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
        let body = match request.body() {
            None => Bytes::new(),
            Some(body) => match body.as_bytes() {
                Some(bytes) => Bytes::copy_from_slice(bytes),
                None => {
                    return Err(reqwest_middleware::Error::middleware(Error::invalid(
                        "a streaming body cannot be signed: its hash is needed before it is sent",
                    )));
                }
            },
        };
        let url = request.url().clone();
        let method = request.method().clone();
        self.sigv4
            .sign_parts(method.as_str(), &url, request.headers_mut(), &body)
            .await
            .map_err(reqwest_middleware::Error::middleware)?;
        let response = next.run(request, extensions).await?;
        self.sigv4.observe_response(response.headers());
        Ok(response)
    }
}
