//! When a failed attempt is tried again, and after how long.

use std::time::Duration;

use http::{Method, StatusCode};

/// How requests are retried: up to `max_attempts` in all, waiting 2^n x `base_delay` plus up to
/// `base_delay` of jitter before attempt n+1, on connection errors, HTTP 429 and throttling error
/// names, and 500/502/503/504.
///
/// Only idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) are retried unless
/// [`retry_non_idempotent`](Self::retry_non_idempotent) is set: a POST that reached the server
/// and timed out on the way back must not be sent twice by surprise. Every attempt is signed
/// anew.
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

    /// The delay unit: attempt n+1 waits 2^n x this, plus up to this much jitter.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest wait between attempts.
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

    /// The wait before attempt `attempt + 1` (attempts count from 1).
    pub(crate) fn delay(&self, attempt: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX));
        let jitter = self.base_delay.mul_f64(rand::random::<f64>());
        exp.saturating_add(jitter).min(self.max_delay)
    }
}

/// Whether an answer with this status and AWS error name is worth another attempt.
pub(crate) fn is_retryable_status(status: StatusCode, error_name: Option<&str>) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
        || error_name.is_some_and(|n| THROTTLING_NAMES.contains(&n))
}

/// Whether a rejection may be about the signature's time. Acted on only when the same response
/// also moved the client's clock (its `Date` was 5 minutes or more off).
pub(crate) fn is_clock_skew_error(status: StatusCode, name: Option<&str>) -> bool {
    matches!(status.as_u16(), 400 | 401 | 403)
        && matches!(
            name,
            Some(
                "RequestTimeTooSkewed"
                    | "RequestExpired"
                    | "RequestInTheFuture"
                    | "InvalidSignatureException"
                    | "SignatureDoesNotMatch"
                    | "AuthFailure"
                    | "BadRequestException"
            )
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_stay_bounded() {
        let p = RetryPolicy::default();
        for attempt in 1..=3u32 {
            let d = p.delay(attempt);
            let floor = Duration::from_millis(100 * (1 << attempt));
            assert!(
                d >= floor && d <= floor + Duration::from_millis(100),
                "{attempt}: {d:?}"
            );
        }
        assert_eq!(p.delay(40), Duration::from_secs(20));
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
    fn skew_errors() {
        assert!(is_clock_skew_error(
            StatusCode::FORBIDDEN,
            Some("InvalidSignatureException")
        ));
        assert!(is_clock_skew_error(
            StatusCode::BAD_REQUEST,
            Some("BadRequestException")
        ));
        assert!(!is_clock_skew_error(
            StatusCode::FORBIDDEN,
            Some("AccessDeniedException")
        ));
        assert!(!is_clock_skew_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            Some("InvalidSignatureException")
        ));
    }
}
