//! The classify-and-retry stage of the send path: one attempt through the stages (authorize,
//! sign, transmit), its answer classified (a status over 299 is an error), and the one retry
//! loop around it, applying [`policy`](crate::retry::policy).

use std::sync::atomic::{AtomicU32, Ordering};

use crate::endpoint::ResolvedEndpoint;
use crate::error::{AwsErrorInfo, Error, Result, ServiceError, TimeoutError};
use crate::platform::{self, Instant};
use crate::retry::policy::{self as retry, TransportFailure};
use crate::send::authorize::authorize_and_sign;
use crate::send::observe::SentRequest;
use crate::send::resolve::{PreparedRequest, attempt_headers};
use crate::send::state::Shared;
use crate::send::transmit::{Answer, AnswerBody, BodyMode, transmit};
use crate::signing::signer::Keep;

/// The one retry loop: attempts until one succeeds, or an error is final, the policy's
/// attempts or the client's retry budget run out, or a `Retry-After` reaches past what may
/// be waited. Besides the policy's retries, a request is re-sent at once (whatever the
/// method, once each, outside the budget) when the server refused it unprocessed: for its
/// signature's time after the clock was corrected, or for an expired session token after
/// the cached credentials were dropped.
pub(crate) async fn run_attempts(
    shared: &Shared,
    endpoint: &ResolvedEndpoint,
    req: &PreparedRequest,
    attempts: &AtomicU32,
    deadline: Option<Instant>,
    mode: BodyMode,
) -> Result<Answer> {
    let policy = req.retry.as_ref().unwrap_or(&shared.retry);
    let attempt_timeout = req.attempt_timeout.or(shared.attempt_timeout);
    let signed = req.auth.signs_with_sigv4(&req.headers);
    let mut skew_resend_used = false;
    let mut token_resign_used = false;
    let mut last_retry_cost = None;
    loop {
        let attempt = attempts.fetch_add(1, Ordering::Relaxed) + 1;
        // The generation of the credentials the attempt signed with, if it did.
        let mut generation = None;
        let outcome = match attempt_timeout {
            Some(limit) => platform::timeout(
                limit,
                run_attempt(shared, endpoint, req, attempt, &mut generation, mode),
            )
            .await
            .unwrap_or_else(|_| {
                Err(Error::Timeout(Box::new(TimeoutError {
                    target: format!("{} {}", req.method, req.url_without_query),
                    after: limit,
                    attempts: attempt,
                    connecting: false,
                })))
            }),
            None => run_attempt(shared, endpoint, req, attempt, &mut generation, mode).await,
        };
        let err = match outcome {
            Ok(response) => {
                shared.retry_budget.succeeded(last_retry_cost);
                return Ok(response);
            }
            Err(err) => err,
        };
        if !req.body.resendable() {
            // A stream is read once: this attempt took it.
            return Err(err);
        }
        // (whether the request never left, whether a timeout or connection failure, the
        // server's `Retry-After`), for errors a retry may cure.
        let (never_sent, transient, wait_asked) = match &err {
            Error::Status(e) => {
                let (status, name) = (e.status(), e.name());
                if !skew_resend_used
                    && signed
                    && retry::is_time_rejection(status, name, e.message(), e.clock_corrected)
                {
                    skew_resend_used = true;
                    tracing::debug!(attempt, "re-signing with the corrected clock");
                    continue;
                }
                if let (false, Some(cache), Some(generation)) =
                    (token_resign_used, &shared.signing.credentials, generation)
                    && retry::is_expired_token(status, name)
                {
                    token_resign_used = true;
                    cache.invalidate_if_current(generation);
                    tracing::debug!(attempt, "re-signing with fresh credentials");
                    continue;
                }
                if !retry::is_retryable_status(status, name) {
                    return Err(err);
                }
                let asked = retry::retry_after(e.headers(), shared.signing.clock.now());
                (false, false, asked)
            }
            Error::Transport(e) => match retry::classify_transport(&*e.source) {
                TransportFailure::Final => return Err(err),
                TransportFailure::NeverSent => (true, true, None),
                TransportFailure::MaybeSent => (false, true, None),
            },
            Error::Timeout(e) => (e.connecting, true, None),
            _ => return Err(err),
        };
        if !((never_sent || policy.allows(&req.method)) && attempt < policy.max_attempts) {
            return Err(err);
        }
        let mut delay = policy.delay(attempt);
        if let Some(asked) = wait_asked {
            if !retry::may_wait(asked, policy.max_delay, deadline, Instant::now()) {
                tracing::debug!(attempt, ?asked, "Retry-After is too long to wait");
                return Err(err);
            }
            delay = delay.max(asked);
        }
        let Some(cost) = shared.retry_budget.acquire(transient) else {
            tracing::debug!(attempt, "retry budget exhausted; not retrying");
            return Err(err);
        };
        last_retry_cost = Some(cost);
        tracing::debug!(attempt, ?delay, "retrying");
        platform::sleep(delay).await;
    }
}
/// One attempt: authorize, sign, transmit, classify. `signed_with` gets the generation of the
/// cached credentials it signed with.
async fn run_attempt(
    shared: &Shared,
    endpoint: &ResolvedEndpoint,
    req: &PreparedRequest,
    attempt: u32,
    signed_with: &mut Option<u64>,
    mode: BodyMode,
) -> Result<Answer> {
    // The clock this attempt is signed with: if another request's answer corrects it while
    // this one is in flight, this one's rejection is still about its time.
    let signed_with_offset = shared.signing.clock.offset_ms();
    let signed = req.auth.signs_with_sigv4(&req.headers);
    let mut headers = attempt_headers(req);
    // What was signed is only built for a caller's hook, which shows it.
    let keep = match req.on_attempt {
        Some(_) => Keep::Details,
        None => Keep::Nothing,
    };
    let signed_as = authorize_and_sign(&shared.signing, endpoint, req, &mut headers, keep).await?;
    if let Some(hook) = &req.on_attempt {
        hook(&SentRequest {
            attempt,
            method: &req.method,
            url: &req.url,
            headers: &headers,
            signing: signed_as.as_ref().and_then(|s| s.details.as_ref()),
        });
    }
    *signed_with = signed_as.map(|signed| signed.generation);
    let answer = transmit(shared, req, headers, attempt, signed, mode).await?;
    let clock_corrected = shared.signing.clock.offset_ms() != signed_with_offset;
    classify(answer, &req.url_without_query, clock_corrected)
}

/// A status over 299 as [`Error::Status`], with the AWS error details parsed (from the start
/// of the body, when it was longer than the limit).
/// `url_without_query` is the request's, which an error carries.
fn classify(answer: Answer, url_without_query: &str, clock_corrected: bool) -> Result<Answer> {
    if answer.status.as_u16() <= 299 {
        return Ok(answer);
    }
    let (body, truncated) = match answer.body {
        AnswerBody::Read { bytes, complete } => (bytes, !complete),
        // Not reached: transmit reads an error answer's body.
        AnswerBody::Unread(_) => (bytes::Bytes::new(), true),
    };
    let info = AwsErrorInfo::parse(&answer.headers, &body);
    Err(Error::Status(Box::new(ServiceError {
        status: answer.status,
        headers: answer.headers,
        body,
        truncated,
        method: answer.method,
        url_without_query: url_without_query.to_owned(),
        attempts: answer.attempts,
        info,
        clock_corrected,
    })))
}
