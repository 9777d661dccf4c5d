//! The send path, as stages, each a module with one job: [`resolve`] (the wire URL and the
//! headers; the auth mode the request uses, [`request_auth`]) -> [`authorize`] (credentials,
//! API key, token or none, then SigV4 through [`crate::signing`], the one signing policy) ->
//! [`transmit`] (the wire, the bounded read) -> classify the answer and retry, in
//! [`crate::retry::run`] beside the retry policy. The state they share is [`state::Shared`];
//! [`execute`] runs them with the request's [`span`] and total timeout; [`observe`] shows each
//! attempt to a caller's hook.

pub(crate) mod authorize;
pub(crate) mod observe;
pub(crate) mod request_auth;
pub(crate) mod resolve;
pub(crate) mod span;
pub(crate) mod state;
pub(crate) mod transmit;

use std::sync::atomic::{AtomicU32, Ordering};

use bytes::Bytes;
use tracing::Instrument;

use crate::endpoint::ResolvedEndpoint;
use crate::error::{Error, InvalidRequestKind, Result, TimeoutError};
use crate::platform::{self, Instant};
use crate::send::resolve::PreparedRequest;
use crate::send::state::Shared;
use crate::send::transmit::{Answer, BodyMode};
use crate::signing::signer::{Keep, SigningDetails};

/// Sends a prepared request: retries, timeout and tracing around the retry loop. The answer's
/// body is read as `mode` says; a body left to stream is outside the retries and timeouts (the
/// HTTP client's read timeout still applies between its chunks).
///
/// The span and the clock start when it is called. Not an `async fn`: its arguments would be
/// copied into the future and then again into its locals, and the request is ~450 bytes; the
/// block below keeps it once.
pub(crate) fn execute(
    shared: &Shared,
    index: usize,
    mut req: PreparedRequest,
    mode: BodyMode,
) -> impl Future<Output = Result<Answer>> + '_ {
    let endpoint = shared.endpoint(index);
    let span = span::request_span(endpoint, &req);
    let started = Instant::now();
    let timeout = req.timeout.or(shared.timeout);
    let deadline = timeout.and_then(|limit| started.checked_add(limit));
    async move {
        let attempts = AtomicU32::new(0);
        // The stages' future is made where it is awaited, in one branch or the other: one made
        // before the `match` would be kept beside the timeout it moves into, doubling this
        // future's size.
        let result = match timeout {
            Some(limit) => match platform::timeout(
                limit,
                stages(shared, endpoint, &mut req, &attempts, deadline, mode),
            )
            .instrument(span.clone())
            .await
            {
                Ok(result) => result,
                Err(_) => Err(Error::Timeout(Box::new(TimeoutError {
                    target: format!("{} {}", req.method, req.url_without_query),
                    after: limit,
                    attempts: attempts.load(Ordering::Relaxed).max(1),
                    connecting: false,
                }))),
            },
            None => {
                stages(shared, endpoint, &mut req, &attempts, deadline, mode)
                    .instrument(span.clone())
                    .await
            }
        };
        span::record_outcome(
            &span,
            &result,
            attempts.load(Ordering::Relaxed).max(1),
            started.elapsed(),
        );
        // The answer carries the request's URL: moved, not copied per attempt.
        result.map(|mut answer| {
            answer.url_without_query = std::mem::take(&mut req.url_without_query);
            answer
        })
    }
}

/// The stages of a request after its span and timeout: its file body hashed, its headers
/// resolved, then the attempts.
async fn stages(
    shared: &Shared,
    endpoint: &ResolvedEndpoint,
    req: &mut PreparedRequest,
    attempts: &AtomicU32,
    deadline: Option<Instant>,
    mode: BodyMode,
) -> Result<Answer> {
    req.body.hash_file().await?;
    resolve::request_headers(endpoint, req).await?;
    crate::retry::run::run_attempts(shared, endpoint, req, attempts, deadline, mode).await
}

/// The request [`execute`] would put on the wire first, without sending it: headers resolved,
/// authorized and signed (through the same stages) at the clock's current time.
pub(crate) async fn build(
    shared: &Shared,
    index: usize,
    mut req: PreparedRequest,
) -> Result<(http::Request<Bytes>, Option<SigningDetails>)> {
    let endpoint = shared.endpoint(index);
    let body = req.body.bytes().cloned().ok_or_else(|| {
        Error::invalid(
            InvalidRequestKind::Body,
            "a file body is streamed on each attempt and cannot be put in an \
             `http::Request<Bytes>`: send it with `send()`",
        )
    })?;
    resolve::request_headers(endpoint, &mut req).await?;
    let mut headers = resolve::attempt_headers(&req);
    let signed =
        authorize::authorize_and_sign(&shared.signing, endpoint, &req, &mut headers, Keep::Details)
            .await?;
    let uri: http::Uri = req.url.as_str().parse().map_err(|e| {
        Error::invalid(
            InvalidRequestKind::Path,
            format!("`{}` is not a valid URI: {e}", req.url_without_query),
        )
    })?;
    let mut request = http::Request::new(body);
    *request.method_mut() = req.method;
    *request.uri_mut() = uri;
    *request.headers_mut() = headers;
    Ok((request, signed.and_then(|s| s.details)))
}

#[cfg(test)]
mod tests {
    use aws_credential_types::Credentials;

    use crate::{Client, Endpoint};

    /// A request's future holds its deepest chain of awaits, and every request allocates it and
    /// moves it about: a cold path kept inline (a credentials refresh with its Cognito calls)
    /// or a future held twice (an `async fn`'s argument beside its local copy, a future made
    /// before a `match` beside the timeout it moves into) made it 11.8 KB (release), which
    /// the loopback benchmark paid for at 64 concurrent requests.
    #[test]
    fn a_requests_future_stays_small() {
        let client = Client::builder()
            .endpoint(
                Endpoint::new("api", "https://abc.execute-api.us-east-1.amazonaws.com/dev")
                    .region("us-east-1"),
            )
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "test"))
            .read_env(false)
            .build()
            .unwrap();
        let api = client.endpoint("api").unwrap();
        let send = api.get("/items").query("limit", 10).send();
        let size = std::mem::size_of_val(&send);
        // 3.6 KB after the fix, in release and in a test build alike.
        let limit = 4 << 10;
        assert!(
            size <= limit,
            "the send future is {size} bytes (limit {limit})"
        );
    }
}
