//! [`SigV4Layer`]: a `tower` layer that signs `http::Request<B>` with [`SigV4`] (feature
//! `tower`). The body is collected and hashed; the inner service gets an
//! `http::Request<Full<Bytes>>`, and every answer's `Date` corrects the signing clock.
//!
//! # Redirects
//! A redirect-following service *around* the layer (tower-http's `FollowRedirect`) sends the
//! redirected request through the layer again: a signer scoped to one origin
//! ([`SigV4::from_endpoint`], [`SigV4::for_host`]) refuses to sign it for another, so nothing of
//! ours reaches that origin. One *inside* the layer (wrapping the HTTP client) re-sends the
//! signed headers wherever the redirect points: never put one there.

use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};

use crate::error::{Error, InvalidRequestKind};
use crate::providers::{BoxError, BoxFuture};
use crate::signing::sigv4::SigV4;

/// Signs the requests of the services it wraps, under the crate's signing policy (see
/// [`SigV4`]). Give it a signer scoped to the API's host, so that no redirect gets a signature
/// made for another (see the [module docs](self)).
///
/// ```no_run
/// # fn run<S>(api: amplify_api::EndpointClient, http_client: S) -> amplify_api::Result<()> {
/// use amplify_api::SigV4;
/// use amplify_api::layer::SigV4Layer;
/// use tower::Layer;
/// // Signs only for the endpoint's host, with the client's credentials and clock.
/// let sigv4 = SigV4::from_endpoint(&api)?;
/// // `http_client`: any `Service<http::Request<Full<Bytes>>>`, e.g. hyper-util's `Client`
/// // (which does not follow redirects).
/// let signed = SigV4Layer::new(sigv4).layer(http_client);
/// # let _ = signed; Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct SigV4Layer {
    /// Shared by the services and each call's future: a call clones a pointer, not the
    /// signer's region and service strings.
    sigv4: Arc<SigV4>,
}

impl SigV4Layer {
    /// A layer signing with `sigv4`.
    pub fn new(sigv4: SigV4) -> Self {
        SigV4Layer {
            sigv4: Arc::new(sigv4),
        }
    }
}

impl<S> tower::Layer<S> for SigV4Layer {
    type Service = SigV4Service<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SigV4Service {
            inner,
            sigv4: self.sigv4.clone(),
        }
    }
}

/// A service that signs requests, then calls the one it wraps. Made by [`SigV4Layer`].
#[derive(Clone, Debug)]
pub struct SigV4Service<S> {
    inner: S,
    sigv4: Arc<SigV4>,
}

impl<S, B, RB> tower::Service<http::Request<B>> for SigV4Service<S>
where
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
    S: tower::Service<http::Request<Full<Bytes>>, Response = http::Response<RB>>
        + Clone
        + Send
        + 'static,
    S::Future: Send,
    S::Error: Into<BoxError>,
{
    type Response = http::Response<RB>;
    type Error = BoxError;
    type Future = BoxFuture<Result<http::Response<RB>, BoxError>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        // The service that was polled ready is the one called; a clone takes its place.
        let ready = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, ready);
        let sigv4 = Arc::clone(&self.sigv4);
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let body = body
                .collect()
                .await
                .map_err(|e| {
                    let e: BoxError = e.into();
                    Error::invalid(
                        InvalidRequestKind::Body,
                        format!("cannot read the request body to sign it: {e}"),
                    )
                })?
                .to_bytes();
            let signed = sigv4.sign(http::Request::from_parts(parts, body)).await?;
            let (parts, body) = signed.into_parts();
            let response = inner
                .call(http::Request::from_parts(parts, Full::new(body)))
                .await
                .map_err(Into::into)?;
            sigv4.observe_response(response.headers());
            Ok(response)
        })
    }
}
