//! When a failed attempt is tried again, and after how long: the policy, the client-wide
//! budget, and what an answer or a transport error says about trying again. The loop that
//! applies it is [`run`](crate::retry::run).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use http::{Method, StatusCode};

use crate::platform::Instant;

/// How requests are retried: up to `max_attempts` in all, on connection errors and timeouts,
/// HTTP 429 and throttling error names, and 500/502/503/504. Errors a retry cannot cure (TLS
/// and certificate failures, an invalid URL, an undecodable body) are never retried.
///
/// The wait before retry n (from 1) is "full jitter", as in the AWS SDKs' standard retry mode:
/// a random fraction of `min(max_delay, base_delay x 2^(n-1))`, so clients that failed together
/// do not retry in step. The figures are Amplify JS v6's: `base_delay` 100 ms, `max_delay`
/// 20 s (the AWS SDKs' cap too; their base is 1 s).
///
/// A `Retry-After` on the answer (seconds, or an HTTP date) is waited for when longer than that.
/// With a total timeout ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout),
/// [`RequestBuilder::timeout`](crate::RequestBuilder::timeout)), any `Retry-After` that ends
/// before the timeout does is honoured, even beyond `max_delay`; one that reaches past it
/// gives up at once with the server's answer. Without a total timeout, a `Retry-After` longer
/// than `max_delay` gives up at once with the answer. No value, however large, can overflow.
///
/// Only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) are retried unless
/// [`retry_non_idempotent`](Self::retry_non_idempotent) is set: a POST that reached the server
/// and timed out on the way back must not be sent twice by surprise. A request that provably
/// never left (connection refused, DNS failure, connect timeout) is retried whatever its
/// method. Every attempt is signed anew, and every retry draws on the client's
/// [`RetryBudget`].
///
/// ```
/// use amplify_api::RetryPolicy;
/// let policy = RetryPolicy::default().max_attempts(5).retry_non_idempotent(true);
/// let off = RetryPolicy::none();
/// # let _ = (policy, off);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) base_delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts, 100 ms base delay, idempotent methods only (Amplify JS v6's numbers).
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(20),
            non_idempotent: false,
        }
    }
}

/// AWS error names that mean "slow down".
const THROTTLING_NAMES: [&str; 9] = [
    "ThrottlingException",
    "Throttling",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "LimitExceededException",
];

impl RetryPolicy {
    /// No retries: one attempt.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The most attempts in all (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The delay unit: retry n waits a random part of 2^(n-1) x this (at most `max_delay`).
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between attempts the policy makes (a `Retry-After` within the total
    /// timeout may ask for more).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Also retry POST and PATCH (off by default: they may not be safe to repeat).
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.non_idempotent = yes;
        self
    }

    /// Whether `method` may be retried under this policy.
    pub(crate) fn allows(&self, method: &Method) -> bool {
        self.non_idempotent
            || matches!(
                *method,
                Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
            )
    }

    /// The wait before attempt `attempt + 1` (attempts count from 1): full jitter,
    /// `random × min(max_delay, base_delay × 2^(attempt-1))`.
    pub(crate) fn delay(&self, attempt: u32) -> Duration {
        self.delay_ceiling(attempt)
            .mul_f64(crate::platform::random_unit())
    }

    /// The most the wait before attempt `attempt + 1` can be: `min(max_delay, base × 2^(n-1))`.
    fn delay_ceiling(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(31);
        self.base_delay
            .saturating_mul(1u32 << doublings)
            .min(self.max_delay)
    }
}

/// Whether an answer with this status and AWS error name is worth another attempt.
pub(crate) fn is_retryable_status(status: StatusCode, error_name: Option<&str>) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
        || error_name.is_some_and(|n| THROTTLING_NAMES.contains(&n))
}

/// Whether a rejection is about the signature's time, so that a re-send signed with the corrected
/// clock can succeed: `clock_corrected` says the response's `Date` was 5 minutes or more from
/// the time the request was signed with (without that, the same clock would be refused again).
///
/// Only names and messages that mean "your clock is off" count: API Gateway's
/// `InvalidSignatureException` "Signature expired" / "Signature not yet current", and
/// `RequestTimeTooSkewed`, `RequestExpired`, `RequestInTheFuture`, `SignatureDoesNotMatch` (its
/// skewed `Date` tells it from a wrong key). A `BadRequestException` is the backend's answer, not
/// a refusal of the signature: the request was processed and must not be sent again.
pub(crate) fn is_time_rejection(
    status: StatusCode,
    name: Option<&str>,
    message: Option<&str>,
    clock_corrected: bool,
) -> bool {
    if !clock_corrected || !matches!(status.as_u16(), 400 | 401 | 403) {
        return false;
    }
    match name {
        Some(
            "RequestTimeTooSkewed"
            | "RequestExpired"
            | "RequestInTheFuture"
            | "SignatureDoesNotMatch",
        ) => true,
        Some("InvalidSignatureException") => message.is_some_and(|m| {
            m.starts_with("Signature expired") || m.starts_with("Signature not yet current")
        }),
        _ => false,
    }
}

/// Whether the API refused the request's session token as expired (`ExpiredTokenException` from
/// API Gateway, `ExpiredToken` from STS-style services): fresh credentials may succeed.
pub(crate) fn is_expired_token(status: StatusCode, name: Option<&str>) -> bool {
    matches!(status.as_u16(), 400 | 401 | 403)
        && matches!(name, Some("ExpiredTokenException" | "ExpiredToken"))
}

/// What a transport failure says about retrying it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TransportFailure {
    /// The request never left: no connection was made (refused, DNS failure, connect timeout).
    /// Safe to retry whatever the method.
    NeverSent,
    /// The request may have reached the server (reset, closed, timed out waiting for the answer).
    MaybeSent,
    /// A retry cannot succeed: TLS and certificate errors, an invalid URL, a body that cannot be
    /// encoded or decoded.
    Final,
}

/// Classifies an error from the HTTP stack.
pub(crate) fn classify_transport(err: &(dyn std::error::Error + 'static)) -> TransportFailure {
    let Some(e) = err.downcast_ref::<reqwest::Error>() else {
        return TransportFailure::MaybeSent;
    };
    if e.is_builder() || e.is_decode() || e.is_redirect() {
        return TransportFailure::Final;
    }
    if is_connect(e) {
        if chain(err).any(is_tls_failure) {
            return TransportFailure::Final;
        }
        return TransportFailure::NeverSent;
    }
    TransportFailure::MaybeSent
}

/// Whether reqwest failed to connect. The fetch backend cannot tell (a browser reports any
/// network failure as one `TypeError`): there, every failure may have been sent.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn is_connect(e: &reqwest::Error) -> bool {
    e.is_connect()
}

/// Whether reqwest failed to connect: never known on the fetch backend.
#[cfg(target_arch = "wasm32")]
pub(crate) fn is_connect(_: &reqwest::Error) -> bool {
    false
}

/// Whether `err` is a TLS failure: rustls reports every handshake and certificate failure as an
/// `io::Error` of kind `InvalidData` (tokio-rustls wraps it so, and hyper may wrap that in
/// another `io::Error`, whose `source()` skips it); nothing else in connecting does.
fn is_tls_failure(err: &(dyn std::error::Error + 'static)) -> bool {
    let Some(io) = err.downcast_ref::<std::io::Error>() else {
        return false;
    };
    io.kind() == std::io::ErrorKind::InvalidData
        || io.get_ref().is_some_and(|inner| is_tls_failure(inner))
}

/// `err` and its sources.
fn chain<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(err), |e| e.source())
}

/// Whether a retry may wait `asked` (a server's `Retry-After`) at `now`: with a total-timeout
/// `deadline`, when the wait ends before it (however long, and never overflowing); without
/// one, when it is at most `max_delay`.
pub(crate) fn may_wait(
    asked: Duration,
    max_delay: Duration,
    deadline: Option<Instant>,
    now: Instant,
) -> bool {
    match deadline {
        Some(deadline) => now.checked_add(asked).is_some_and(|end| end < deadline),
        None => asked <= max_delay,
    }
}

/// How long a `Retry-After` header (seconds, or an HTTP date read against the response's own
/// `Date`, else `now`) asks to wait. Missing or unreadable: `None`.
pub(crate) fn retry_after(headers: &http::HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let server_now = headers
        .get(http::header::DATE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok())
        .unwrap_or(now);
    Some(at.duration_since(server_now).unwrap_or_default())
}

/// A client-wide limit on retries: a token bucket as in the AWS SDKs' standard retry mode.
///
/// Every retry takes tokens from a bucket shared by all requests of the client: 5 for a retry
/// after an error answer, 10 after a timeout or connection failure. A request that succeeds
/// without a retry puts 1 token back; one that succeeds after retries gives back what its last
/// retry took. When the bucket is empty, failures are returned without retrying: a backend that
/// fails every request sees about 1.1 times its normal traffic (500 tokens: 100 retries, then
/// one attempt per request), not the 3 times that 3 attempts each would make.
///
/// The re-send after a clock-skew rejection and the re-sign after an expired token take no
/// tokens (each happens at most once per request).
///
/// ```
/// use amplify_api::RetryBudget;
/// let standard = RetryBudget::default(); // 500 tokens, 5 per retry, 10 per timeout retry
/// let small = RetryBudget::default().capacity(50);
/// let off = RetryBudget::unlimited();
/// # let _ = (standard, small, off);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryBudget {
    pub(crate) capacity: Option<u32>,
    pub(crate) retry_cost: u32,
    pub(crate) timeout_retry_cost: u32,
    pub(crate) success_refund: u32,
}

impl Default for RetryBudget {
    /// The AWS SDKs' standard mode: 500 tokens, 5 per retry, 10 per timeout retry, 1 back per
    /// success without retry.
    fn default() -> Self {
        RetryBudget {
            capacity: Some(500),
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        }
    }
}

impl RetryBudget {
    /// No limit: every request retries as its [`RetryPolicy`] allows, whatever the others do.
    pub fn unlimited() -> Self {
        RetryBudget {
            capacity: None,
            ..RetryBudget::default()
        }
    }

    /// The bucket's size, and the tokens it starts with.
    pub fn capacity(mut self, tokens: u32) -> Self {
        self.capacity = Some(tokens);
        self
    }

    /// Tokens a retry after an error answer (5xx, 429, throttling) takes.
    pub fn retry_cost(mut self, tokens: u32) -> Self {
        self.retry_cost = tokens;
        self
    }

    /// Tokens a retry after a timeout or a connection failure takes.
    pub fn timeout_retry_cost(mut self, tokens: u32) -> Self {
        self.timeout_retry_cost = tokens;
        self
    }
}

/// The client's bucket for its [`RetryBudget`].
///
/// Hand-written rather than `aws-smithy-runtime`'s `TokenBucket`: that one is tied to the
/// smithy orchestrator's error kinds and config bag, and the crate would pull the whole SDK
/// runtime in for one counter.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    budget: RetryBudget,
    tokens: AtomicU32,
}

impl TokenBucket {
    pub(crate) fn new(budget: RetryBudget) -> Self {
        TokenBucket {
            tokens: AtomicU32::new(budget.capacity.unwrap_or(0)),
            budget,
        }
    }

    /// Takes the tokens for one retry (a timeout or connection failure costs more); the cost
    /// taken, or `None` when the bucket has too few.
    pub(crate) fn acquire(&self, timeout: bool) -> Option<u32> {
        let cost = if timeout {
            self.budget.timeout_retry_cost
        } else {
            self.budget.retry_cost
        };
        if self.budget.capacity.is_none() {
            return Some(cost);
        }
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .ok()
            .map(|_| cost)
    }

    /// A request succeeded: gives back what its last retry took, or the refund of a success
    /// without retry; never above the capacity.
    pub(crate) fn succeeded(&self, last_retry_cost: Option<u32>) {
        let Some(capacity) = self.budget.capacity else {
            return;
        };
        let back = last_retry_cost.unwrap_or(self.budget.success_refund);
        // A full bucket (the steady state) is only read: every success writing the shared
        // counter would bounce its cache line between the threads sending.
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                (t < capacity).then(|| t.saturating_add(back).min(capacity))
            });
    }

    /// Tokens left (for tests).
    #[cfg(test)]
    fn available(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_are_full_jitter_under_a_growing_ceiling() {
        let p = RetryPolicy::default();
        for attempt in 1..=4u32 {
            let ceiling = Duration::from_millis(100 * (1 << (attempt - 1)));
            assert_eq!(p.delay_ceiling(attempt), ceiling);
            let draws: Vec<Duration> = (0..200).map(|_| p.delay(attempt)).collect();
            assert!(draws.iter().all(|d| *d < ceiling), "{attempt}: {draws:?}");
            // Full jitter: spread over the whole range, not bunched near the ceiling.
            assert!(draws.iter().any(|d| *d < ceiling / 4), "{attempt}");
            assert!(draws.iter().any(|d| *d > ceiling * 3 / 4), "{attempt}");
        }
        assert_eq!(p.delay_ceiling(40), Duration::from_secs(20));
        assert!(p.delay(u32::MAX) < Duration::from_secs(20));
    }

    #[test]
    fn any_retry_after_is_weighed_without_overflow() {
        let now = Instant::now();
        let max = Duration::from_secs(20);
        let huge = Duration::from_secs(u64::MAX);
        let deadline = now.checked_add(Duration::from_secs(60));
        assert!(!may_wait(huge, max, deadline, now));
        assert!(!may_wait(huge, max, None, now));
        assert!(!may_wait(Duration::MAX, max, deadline, now));
        // Above the policy's longest wait but within the total timeout: waited.
        assert!(may_wait(Duration::from_secs(30), max, deadline, now));
        assert!(!may_wait(Duration::from_secs(60), max, deadline, now));
        assert!(!may_wait(Duration::from_secs(30), max, None, now));
        assert!(may_wait(Duration::from_secs(20), max, None, now));
        let headers = |v: &str| {
            let mut h = http::HeaderMap::new();
            h.insert(http::header::RETRY_AFTER, v.parse().unwrap());
            h
        };
        let asked = retry_after(&headers("18446744073709551615"), SystemTime::now());
        assert_eq!(asked, Some(huge));
    }

    #[test]
    fn only_idempotent_methods_by_default() {
        let p = RetryPolicy::default();
        assert!(p.allows(&Method::GET) && p.allows(&Method::PUT) && p.allows(&Method::DELETE));
        assert!(!p.allows(&Method::POST) && !p.allows(&Method::PATCH));
        assert!(p.retry_non_idempotent(true).allows(&Method::POST));
    }

    #[test]
    fn retryable_answers() {
        for s in [429, 500, 502, 503, 504] {
            assert!(is_retryable_status(StatusCode::from_u16(s).unwrap(), None));
        }
        for s in [400, 403, 404, 501] {
            assert!(!is_retryable_status(StatusCode::from_u16(s).unwrap(), None));
        }
        assert!(is_retryable_status(
            StatusCode::BAD_REQUEST,
            Some("ThrottlingException")
        ));
    }

    #[test]
    fn time_rejections() {
        let forbidden = StatusCode::FORBIDDEN;
        let expired = Some("Signature expired: 20260101T000000Z is now earlier than ...");
        let ise = Some("InvalidSignatureException");
        assert!(is_time_rejection(forbidden, ise, expired, true));
        assert!(is_time_rejection(
            forbidden,
            ise,
            Some("Signature not yet current: 20260101T002000Z is still later than ..."),
            true
        ));
        assert!(
            !is_time_rejection(forbidden, ise, expired, false),
            "clock unchanged"
        );
        assert!(!is_time_rejection(
            forbidden,
            ise,
            Some("The request signature we calculated does not match"),
            true
        ));
        for name in [
            "RequestTimeTooSkewed",
            "SignatureDoesNotMatch",
            "RequestExpired",
        ] {
            assert!(
                is_time_rejection(forbidden, Some(name), None, true),
                "{name}"
            );
        }
        assert!(!is_time_rejection(
            StatusCode::BAD_REQUEST,
            Some("BadRequestException"),
            None,
            true
        ));
        assert!(!is_time_rejection(
            StatusCode::INTERNAL_SERVER_ERROR,
            Some("RequestTimeTooSkewed"),
            None,
            true
        ));
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = SystemTime::now();
        let mut h = http::HeaderMap::new();
        assert_eq!(retry_after(&h, now), None);
        h.insert(http::header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(7)));
        let server_now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        h.insert(
            http::header::DATE,
            httpdate::fmt_http_date(server_now).parse().unwrap(),
        );
        h.insert(
            http::header::RETRY_AFTER,
            httpdate::fmt_http_date(server_now + Duration::from_secs(30))
                .parse()
                .unwrap(),
        );
        assert_eq!(
            retry_after(&h, now),
            Some(Duration::from_secs(30)),
            "read against Date"
        );
        h.insert(http::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h, now), None);
    }

    #[test]
    fn the_bucket_runs_dry_and_refills() {
        let bucket = TokenBucket::new(RetryBudget::default().capacity(20));
        assert_eq!(bucket.acquire(false), Some(5));
        assert_eq!(bucket.acquire(true), Some(10));
        assert_eq!(
            bucket.acquire(true),
            None,
            "5 left, a timeout retry costs 10"
        );
        assert_eq!(bucket.acquire(false), Some(5));
        assert_eq!(bucket.acquire(false), None);
        bucket.succeeded(None);
        assert_eq!(bucket.available(), 1);
        bucket.succeeded(Some(10));
        assert_eq!(bucket.available(), 11);
        for _ in 0..100 {
            bucket.succeeded(None);
        }
        assert_eq!(bucket.available(), 20, "never above the capacity");
        let unlimited = TokenBucket::new(RetryBudget::unlimited());
        assert!((0..10_000).all(|_| unlimited.acquire(true).is_some()));
    }
}
