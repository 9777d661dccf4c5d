//! The transmit stage: one authorized request on the wire, its whole body read (bounded), the
//! clock corrected from a signed request's answer, and secrets redacted from error bodies.

use http::HeaderMap;

use crate::error::{Error, Result, TimeoutError, TransportError};
use crate::platform::Instant;
use crate::redact::{redact, secret_values};
use crate::response::Response;
use crate::retry::is_connect;
use crate::send::resolve::PreparedRequest;
use crate::send::state::Shared;
use crate::wire::{ReadError, read_limited};

/// Sends `req` with `headers` (authorized, and signed if `signed`) and reads the answer.
pub(crate) async fn transmit(
    shared: &Shared,
    req: &PreparedRequest,
    headers: HeaderMap,
    attempt: u32,
    signed: bool,
) -> Result<Response> {
    let target = || format!("{} {}", req.method, req.url_without_query);
    // API Gateway quotes the canonical request, signed header values included, when a
    // signature does not match: an error must not carry a secret into logs.
    let secrets = secret_values(&headers);
    let mut request = reqwest::Request::new(req.method.clone(), req.url.clone());
    *request.headers_mut() = headers;
    *request.body_mut() = Some(req.body.clone().into());
    let sent_at = Instant::now();
    let mut response = shared.http.execute(request).await.map_err(|e| {
        if e.is_timeout() {
            // Ours is the connect timeout; any other came from a caller's own HTTP client,
            // whose limit we do not know: report how long the attempt ran.
            let connecting = is_connect(&e);
            let after = match (connecting, shared.read_timeout) {
                (true, _) => shared.connect_timeout,
                (false, Some(read_timeout)) => read_timeout,
                (false, None) => sent_at.elapsed(),
            };
            Error::Timeout(Box::new(TimeoutError {
                target: target(),
                after,
                attempts: attempt,
                connecting,
            }))
        } else {
            transport_error(target(), attempt, e)
        }
    })?;
    // Only a signed request's answer is evidence about the signing clock: an API-key or
    // unauthenticated endpoint may run on any clock, and none of its answers says our
    // signature's time was wrong.
    if signed {
        shared.signing.clock.observe(response.headers());
    }
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let mut body = read_limited(response, shared.max_response_bytes)
        .await
        .map_err(|e| match e {
            ReadError::TooLarge => Error::ResponseTooLarge {
                limit: shared.max_response_bytes,
            },
            ReadError::Http(e) => transport_error(target(), attempt, e),
        })?;
    if status.as_u16() > 299 {
        for secret in &secrets {
            body = redact(body, secret.as_bytes());
        }
    }
    Ok(Response {
        status,
        headers,
        body,
        method: req.method.clone(),
        url_without_query: req.url_without_query.clone(),
        attempts: attempt,
    })
}

/// A transport error for `target` (method and URL without the query): reqwest's error shows its
/// whole URL, query string included, so it is kept without it.
fn transport_error(target: String, attempts: u32, e: reqwest::Error) -> Error {
    Error::Transport(Box::new(TransportError {
        target,
        attempts,
        source: Box::new(e.without_url()),
    }))
}
