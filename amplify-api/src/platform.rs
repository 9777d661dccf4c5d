//! What differs between native targets and the browser (`wasm32`): the clock, timers and the
//! retry jitter's randomness. Everything else in the crate is the same code on both.
//!
//! Native: `std`'s clock, tokio's timers and `rand`, as before. `wasm32-unknown-unknown`:
//! `SystemTime::now()` and `Instant::now()` panic there and tokio's timers need a runtime the
//! browser does not have, so the time comes from `js_sys::Date::now()`, `Instant` from `web-time`
//! (`performance.now()`), timers from `gloo-timers` (`setTimeout`, present in browsers, workers
//! and Node) and the jitter from `Math.random()` (no need for `getrandom`'s wasm backend, which
//! every app would have to enable with a `--cfg` flag; jitter needs no cryptographic randomness).

use std::future::Future;
use std::time::{Duration, SystemTime};

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use std::time::Instant;
#[cfg(target_arch = "wasm32")]
pub(crate) use web_time::Instant;

/// The wall clock.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn now() -> SystemTime {
    SystemTime::now()
}

/// The wall clock: `Date.now()`, milliseconds since the epoch.
#[cfg(target_arch = "wasm32")]
pub(crate) fn now() -> SystemTime {
    let ms = js_sys::Date::now();
    // `Date.now()` is a finite, non-negative number of milliseconds on any real clock.
    let ms = if ms.is_finite() && ms > 0.0 {
        ms as u64
    } else {
        0
    };
    SystemTime::UNIX_EPOCH
        .checked_add(Duration::from_millis(ms))
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// Waits `delay`.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) async fn sleep(delay: Duration) {
    tokio::time::sleep(delay).await;
}

/// Waits `delay` (`setTimeout`), in steps of at most [`MAX_TIMER_STEP`]: any `Duration`, a
/// server's `Retry-After` included, is waited without a panic or an early wake.
#[cfg(target_arch = "wasm32")]
pub(crate) async fn sleep(delay: Duration) {
    let mut left = delay;
    while !left.is_zero() {
        let step = left.min(MAX_TIMER_STEP);
        gloo_timers::future::sleep(step).await;
        left = left.saturating_sub(step);
    }
}

/// The longest single browser timer: `setTimeout` fires at once for more than 2^31-1 ms
/// (about 24.8 days), and `gloo-timers` panics above `u32::MAX` ms.
#[cfg(target_arch = "wasm32")]
const MAX_TIMER_STEP: Duration = Duration::from_millis(i32::MAX as u64);

/// `limit` passed before the future finished.
#[derive(Debug)]
pub(crate) struct Elapsed;

/// Runs `fut` for at most `limit`. Not an `async fn`: that would keep `fut` twice in its
/// state (the argument, and the timeout it moves into), doubling the size of every request's
/// future.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn timeout<F: Future>(
    limit: Duration,
    fut: F,
) -> impl Future<Output = Result<F::Output, Elapsed>> {
    use futures_util::FutureExt;
    tokio::time::timeout(limit, fut).map(|result| result.map_err(|_| Elapsed))
}

/// Runs `fut` for at most `limit`: whichever of it and a timer ends first.
#[cfg(target_arch = "wasm32")]
pub(crate) async fn timeout<F: Future>(limit: Duration, fut: F) -> Result<F::Output, Elapsed> {
    use futures_util::future::{Either, select};
    let fut = std::pin::pin!(fut);
    let timer = std::pin::pin!(sleep(limit));
    match select(fut, timer).await {
        Either::Left((output, _)) => Ok(output),
        Either::Right(((), _)) => Err(Elapsed),
    }
}

/// A random number in `[0, 1)`, for retry jitter.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn random_unit() -> f64 {
    rand::random::<f64>()
}

/// A random number in `[0, 1)`, for retry jitter (`Math.random()`).
#[cfg(target_arch = "wasm32")]
pub(crate) fn random_unit() -> f64 {
    js_sys::Math::random()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn timeout_ends_a_slow_future_and_keeps_a_quick_one() {
        assert!(
            timeout(Duration::from_millis(10), sleep(Duration::from_secs(5)))
                .await
                .is_err()
        );
        assert_eq!(
            timeout(Duration::from_secs(5), async { 7 }).await.ok(),
            Some(7)
        );
    }

    #[test]
    fn random_unit_is_in_range_and_varies() {
        let draws: Vec<f64> = (0..64).map(|_| random_unit()).collect();
        assert!(draws.iter().all(|d| (0.0..1.0).contains(d)));
        assert!(draws.iter().any(|d| *d != draws[0]));
    }
}
