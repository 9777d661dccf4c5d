//! The client's clock for signing: local time plus one offset learned from servers' `Date`
//! headers, kept for all later requests (Amplify v5 keeps it too; v6 forgets it per request).

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

use crate::platform;

/// How far a server's clock may be from ours before we correct for it (SigV4 allows 5 minutes).
pub(crate) const MAX_SKEW: Duration = Duration::from_secs(5 * 60);

/// The window a server's `Date` must fall in to be believed: 2020-01-01 to 2200-01-01. Our own
/// clock may be anywhere (a device whose clock reset to 1970 is what the correction is for),
/// but an AWS service's is right; a `Date` of year 9999 from a broken or hostile server would
/// otherwise move the clock where nothing can be signed, for every endpoint of the client.
const PLAUSIBLE_SERVER_DATES: (Duration, Duration) = (
    Duration::from_secs(1_577_836_800),
    Duration::from_secs(7_258_118_400),
);

/// Local time corrected by an offset in milliseconds (server minus local).
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// The corrected time to sign with.
    pub(crate) fn now(&self) -> SystemTime {
        shift(platform::now(), self.offset_ms.load(Ordering::Relaxed))
    }

    /// The current offset (server minus local), in milliseconds.
    pub(crate) fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Reads a response's `Date` header; when it differs from the corrected clock by
    /// [`MAX_SKEW`] or more, adopts the server's time and returns `true`. Missing, invalid and
    /// implausible dates (outside 2020–2200: no AWS service's clock) are ignored, and so is the `Date` of an answer with an `Age` header: a cache's
    /// copy, dated when the origin made it, not now.
    pub(crate) fn observe(&self, headers: &http::HeaderMap) -> bool {
        if headers.contains_key(http::header::AGE) {
            return false;
        }
        let Some(server) = headers
            .get(http::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
        else {
            return false;
        };
        let since_epoch = server
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        if since_epoch < PLAUSIBLE_SERVER_DATES.0 || since_epoch >= PLAUSIBLE_SERVER_DATES.1 {
            return false;
        }
        let local = platform::now();
        let corrected = shift(local, self.offset_ms());
        let diff = signed_ms(server, corrected);
        if diff.unsigned_abs() < MAX_SKEW.as_millis() as u64 {
            return false;
        }
        let offset = signed_ms(server, local);
        self.offset_ms.store(offset, Ordering::Relaxed);
        tracing::warn!(
            offset_ms = offset,
            "clock skew detected; signing with the server's time"
        );
        true
    }
}

/// `a - b` in milliseconds, saturating.
fn signed_ms(a: SystemTime, b: SystemTime) -> i64 {
    match a.duration_since(b) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_millis()).map_or(i64::MIN, |v| -v),
    }
}

/// `t` moved by `offset_ms` (later when positive); `t` itself if that is out of `SystemTime`'s range.
pub(crate) fn shift(t: SystemTime, offset_ms: i64) -> SystemTime {
    let magnitude = Duration::from_millis(offset_ms.unsigned_abs());
    if offset_ms >= 0 {
        t.checked_add(magnitude).unwrap_or(t)
    } else {
        t.checked_sub(magnitude).unwrap_or(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date_header(t: SystemTime) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        h.insert(
            http::header::DATE,
            httpdate::fmt_http_date(t).parse().unwrap(),
        );
        h
    }

    #[test]
    fn a_cached_answer_does_not_set_the_clock() {
        let clock = Clock::default();
        let mut headers = date_header(SystemTime::now() - Duration::from_secs(3600));
        headers.insert(http::header::AGE, http::HeaderValue::from_static("3600"));
        assert!(!clock.observe(&headers));
        assert_eq!(clock.offset_ms(), 0);
        headers.remove(http::header::AGE);
        assert!(clock.observe(&headers));
    }

    #[test]
    fn small_differences_are_ignored() {
        let clock = Clock::default();
        assert!(!clock.observe(&date_header(SystemTime::now() + Duration::from_secs(120))));
        assert_eq!(clock.offset_ms(), 0);
    }

    #[test]
    fn large_skew_is_adopted_both_ways() {
        let clock = Clock::default();
        assert!(clock.observe(&date_header(SystemTime::now() + Duration::from_secs(1200))));
        let ahead = clock.now().duration_since(SystemTime::now()).unwrap();
        assert!(ahead > Duration::from_secs(1190) && ahead < Duration::from_secs(1210));
        // The same server again: nothing changes.
        assert!(!clock.observe(&date_header(SystemTime::now() + Duration::from_secs(1200))));
        assert!(clock.observe(&date_header(SystemTime::now() - Duration::from_secs(1200))));
        let behind = SystemTime::now().duration_since(clock.now()).unwrap();
        assert!(behind > Duration::from_secs(1190) && behind < Duration::from_secs(1210));
    }

    #[test]
    fn garbage_dates_are_ignored() {
        let clock = Clock::default();
        let mut h = http::HeaderMap::new();
        h.insert(http::header::DATE, "yesterday-ish".parse().unwrap());
        assert!(!clock.observe(&h));
        assert!(!clock.observe(&http::HeaderMap::new()));
    }

    #[test]
    fn implausible_server_dates_are_ignored() {
        let clock = Clock::default();
        for date in [
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "Thu, 01 Jan 1970 00:00:00 GMT",
            "Sat, 01 Jan 2201 00:00:00 GMT",
        ] {
            let mut h = http::HeaderMap::new();
            h.insert(http::header::DATE, date.parse().unwrap());
            assert!(!clock.observe(&h), "{date}");
            assert_eq!(clock.offset_ms(), 0, "{date}");
        }
        // A far skew inside the window is still adopted (a device whose clock is years off).
        let years = Duration::from_secs(3 * 365 * 86_400);
        assert!(clock.observe(&date_header(SystemTime::now() + years)));
    }
}
