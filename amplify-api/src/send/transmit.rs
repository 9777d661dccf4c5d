//! The transmit stage: one authorized request on the wire up to the response head, the clock
//! corrected from a signed request's answer; then the body read as asked ([`BodyMode`]): whole
//! (bounded), or left to stream to the caller. An error answer's body is always read, up to the
//! limit, with secrets redacted, so the error carries the AWS error details.

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};

use crate::body::body_error;
use crate::error::{Error, Result, TimeoutError, TransportError};
use crate::platform::Instant;
use crate::redact::{
    cut_partial_secret, redact_all, request_secrets, scrub_headers, secret_values,
};
use crate::retry::policy::is_connect;
use crate::send::resolve::PreparedRequest;
use crate::send::state::Shared;
use crate::wire::read::{BodyReader, ReadError, read_limited, read_prefix};

/// How much of a successful answer's body an attempt reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodyMode {
    /// The whole body, up to the client's limit ([`send`](crate::RequestBuilder::send)).
    Whole,
    /// None of it: the caller streams it
    /// ([`send_streaming`](crate::RequestBuilder::send_streaming)).
    Stream,
}

/// An attempt's answer: the response head, and its body as read.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: AnswerBody,
    pub(crate) method: Method,
    pub(crate) url_without_query: String,
    pub(crate) attempts: u32,
    /// What a failed read of the rest of the body is reported with.
    pub(crate) reads: ReadContext,
}

/// An answer's body: read (whole, or its first bytes when `complete` is false), or not yet.
#[derive(Debug)]
pub(crate) enum AnswerBody {
    Read { bytes: Bytes, complete: bool },
    Unread(BodyReader),
}

/// What turns a failed body read into this crate's error: the attempt, and the read timeout that
/// may have elapsed. The request it answers (method and URL) is given to [`error`](Self::error)
/// by whoever holds it, so that no attempt formats it unless it fails.
#[derive(Clone, Debug)]
pub(crate) struct ReadContext {
    pub(crate) attempt: u32,
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) connect_timeout: Duration,
    pub(crate) sent_at: Instant,
}

impl ReadContext {
    /// `e` from the HTTP stack, for the request `method` to `url_without_query`, as
    /// [`Error::Timeout`] (which timeout elapsed, as far as known) or [`Error::Transport`].
    pub(crate) fn error(
        &self,
        e: reqwest::Error,
        method: &Method,
        url_without_query: &str,
    ) -> Error {
        let target = format!("{method} {url_without_query}");
        if e.is_timeout() {
            // Ours is the connect timeout; any other came from a caller's own HTTP client,
            // whose limit we do not know: report how long the attempt ran.
            let connecting = is_connect(&e);
            let after = match (connecting, self.read_timeout) {
                (true, _) => self.connect_timeout,
                (false, Some(read_timeout)) => read_timeout,
                (false, None) => self.sent_at.elapsed(),
            };
            Error::Timeout(Box::new(TimeoutError {
                target,
                after,
                attempts: self.attempt,
                connecting,
            }))
        } else {
            transport_error(target, self.attempt, e)
        }
    }
}

/// Sends `req` with `headers` (authorized, and signed if `signed`) and reads the answer's head,
/// then its body as `mode` says (an error answer's always, up to the limit).
pub(crate) async fn transmit(
    shared: &Shared,
    req: &PreparedRequest,
    headers: HeaderMap,
    attempt: u32,
    signed: bool,
    mode: BodyMode,
) -> Result<Answer> {
    // API Gateway quotes the canonical request, signed header values included, when a
    // signature does not match, and a server may echo the request line: an error must not
    // carry a secret (a secret header's value, a query value) into logs. The values are kept
    // (shared, not copied) and the list of secrets is only made for an error answer.
    let secret_headers = secret_values(&headers);
    let mut request = reqwest::Request::new(req.method.clone(), req.url.clone());
    *request.headers_mut() = headers;
    *request.body_mut() = Some(req.body.to_reqwest().await?);
    let reads = ReadContext {
        attempt,
        read_timeout: shared.read_timeout,
        connect_timeout: shared.connect_timeout,
        sent_at: Instant::now(),
    };
    let mut response = shared
        .http
        .execute(request)
        .await
        .map_err(|e| match body_error(&e) {
            // The file changed, or could not be read, while it was sent: final.
            Some(body) => Error::Body(Box::new(body)),
            None => reads.error(e, &req.method, &req.url_without_query),
        })?;
    // Only a signed request's answer is evidence about the signing clock: an API-key or
    // unauthenticated endpoint may run on any clock, and none of its answers says our
    // signature's time was wrong.
    if signed {
        shared.signing.clock.observe(response.headers());
    }
    let status = response.status();
    let mut headers = std::mem::take(response.headers_mut());
    let mut reader = BodyReader::new(response);
    let too_large = |e| match e {
        ReadError::TooLarge => Error::ResponseTooLarge {
            limit: shared.max_response_bytes,
        },
        ReadError::Http(e) => reads.error(e, &req.method, &req.url_without_query),
    };
    let body = if status.as_u16() > 299 {
        let secrets = request_secrets(&secret_headers, &req.url);
        // A bounded prefix (the rest unread, the connection then closed): the AWS error is
        // at the start of the body.
        let (mut bytes, complete) = read_prefix(&mut reader, shared.max_response_bytes)
            .await
            .map_err(too_large)?;
        bytes = redact_all(bytes, &secrets);
        if !complete {
            for secret in &secrets {
                bytes = cut_partial_secret(bytes, secret);
            }
        }
        scrub_headers(&mut headers, &secrets);
        AnswerBody::Read { bytes, complete }
    } else {
        match mode {
            BodyMode::Whole => AnswerBody::Read {
                bytes: read_limited(reader, shared.max_response_bytes)
                    .await
                    .map_err(too_large)?,
                complete: true,
            },
            BodyMode::Stream => AnswerBody::Unread(reader),
        }
    };
    Ok(Answer {
        status,
        headers,
        body,
        method: req.method.clone(),
        // Filled in once, by whoever keeps the answer: an error by `classify`, a success by
        // `execute` (which moves the request's own string in), so no attempt copies it.
        url_without_query: String::new(),
        attempts: attempt,
        reads,
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
