//! A credentials cache: refreshes before expiry (judged with the client's corrected clock), one
//! refresh in flight for any number of waiters, still-valid credentials kept through a failed
//! refresh.

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::provider::error::CredentialsError as ProviderError;
use tracing::Instrument;

use crate::clock::{Clock, shift};
use crate::credentials::cognito::CognitoIdentityProvider;
use crate::error::CredentialsError;
use crate::platform;
use crate::providers::Logins;

/// Where the cache gets credentials.
#[derive(Debug)]
pub(crate) enum CredentialsSource {
    /// Any provider; what it returns is cached as is.
    Provider(SharedCredentialsProvider),
    /// Cognito Identity, whose credentials depend on who is signed in.
    Cognito(Arc<CognitoIdentityProvider>),
}

/// How long after a failed refresh still-valid credentials are used without trying again (so
/// an outage of the source costs a fetch every few seconds, not one per wave of requests).
const REFRESH_RETRY_AFTER: Duration = Duration::from_secs(5);

/// How early normal (one-hour) credentials are refreshed.
const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// Caches what a [`ProvideCredentials`] hands out.
///
/// Credentials are reused until `expiry - margin`, where the margin is 5 minutes but never more
/// than half the credentials' lifetime (so 90-second credentials are reused for 45 seconds, not
/// refetched on every request). Time is the client's [`Clock`]: local time corrected by the
/// offset learned from the API, so a local clock that is off neither refetches on every request
/// nor signs with credentials the service already counts as expired.
///
/// A failed refresh is not cached, but it answers every request that was waiting for it: during
/// an outage each wave of requests costs one fetch, not one each. While the current credentials
/// have not expired, a failed refresh is logged and they keep being used; requests fail only
/// once they expire. For Cognito, credentials belong to one `Logins` map: signing in, out or as
/// someone else drops them.
#[derive(Debug)]
pub(crate) struct CredentialsCache {
    source: CredentialsSource,
    current: RwLock<Option<Cached>>,
    /// Held while fetching; it keeps how the last fetch failed, if it did.
    refresh: tokio::sync::Mutex<Option<Failure>>,
    /// Fetches finished so far: a waiter that sees it move knows a fetch ended while it waited.
    fetches: AtomicU64,
    /// Credentials stored or dropped so far: names the current credentials for
    /// [`invalidate_if_current`](Self::invalidate_if_current).
    generation: AtomicU64,
}

/// How a fetch failed, for the requests that waited on it.
#[derive(Debug)]
struct Failure {
    at: platform::Instant,
    logins_key: u64,
    name: Option<String>,
    message: String,
    refused_role: Option<String>,
}

#[derive(Clone, Debug)]
struct Cached {
    /// Shared, not cloned, per request: `Credentials`' clone copies its property map.
    credentials: Arc<Credentials>,
    /// When they were fetched, by the local clock: the clock's offset may be learned (or
    /// change) after the fetch, so the refresh time is worked out when it is asked for.
    fetched_local: SystemTime,
    /// A fingerprint of the `Logins` and the role the credentials were fetched for.
    logins_key: u64,
}

impl Cached {
    fn new(credentials: Arc<Credentials>, fetched_local: SystemTime, logins_key: u64) -> Self {
        Cached {
            credentials,
            fetched_local,
            logins_key,
        }
    }

    /// When to refresh, on the clock corrected by `offset_ms`.
    fn refresh_at(&self, offset_ms: i64) -> Option<SystemTime> {
        let fetched_at = shift(self.fetched_local, offset_ms);
        self.credentials.expiry().map(|expiry| {
            let lifetime = expiry.duration_since(fetched_at).unwrap_or_default();
            expiry - REFRESH_MARGIN.min(lifetime / 2)
        })
    }

    fn is_fresh(&self, now: SystemTime, offset_ms: i64) -> bool {
        self.refresh_at(offset_ms).is_none_or(|at| now < at)
    }

    fn is_unexpired(&self, now: SystemTime) -> bool {
        self.credentials.expiry().is_none_or(|expiry| now < expiry)
    }
}

/// The fingerprint of who the credentials are for: the `Logins` and the role asked for (so
/// credentials of one role never answer for another).
fn logins_key(logins: Option<&Logins>, role: Option<&str>) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    logins.hash(&mut hasher);
    role.hash(&mut hasher);
    hasher.finish()
}

impl CredentialsCache {
    pub(crate) fn new(source: CredentialsSource) -> Self {
        CredentialsCache {
            source,
            current: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(None),
            fetches: AtomicU64::new(0),
            generation: AtomicU64::new(0),
        }
    }

    /// The cached credentials for `logins_key` if `usable` says so at `now`.
    fn cached(
        &self,
        logins_key: u64,
        usable: impl Fn(&Cached) -> bool,
    ) -> Option<(Arc<Credentials>, u64)> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        current
            .as_ref()
            .filter(|c| c.logins_key == logins_key && usable(c))
            .map(|c| {
                (
                    c.credentials.clone(),
                    self.generation.load(Ordering::Acquire),
                )
            })
    }

    fn fresh(&self, clock: &Clock, logins_key: u64) -> Option<(Arc<Credentials>, u64)> {
        let offset = clock.offset_ms();
        let now = shift(platform::now(), offset);
        self.cached(logins_key, |c| c.is_fresh(now, offset))
    }

    /// After a failed refresh: the current credentials if they have not expired yet.
    fn still_valid(&self, clock: &Clock, logins_key: u64) -> Option<(Arc<Credentials>, u64)> {
        let now = clock.now();
        self.cached(logins_key, |c| c.is_unexpired(now))
    }

    /// Fresh credentials: the cached ones, or new ones from the source; the cached ones, while
    /// they have not expired, if the source fails. `clock` judges freshness. With them, their
    /// generation, for [`invalidate_if_current`](Self::invalidate_if_current).
    pub(crate) async fn get(
        &self,
        clock: &Clock,
    ) -> Result<(Arc<Credentials>, u64), CredentialsError> {
        let (logins, role) = match &self.source {
            CredentialsSource::Cognito(cognito) => {
                let logins = cognito.current_logins().await?;
                let role = cognito.role_for(logins.as_ref());
                (logins, role)
            }
            CredentialsSource::Provider(_) => (None, None),
        };
        let key = logins_key(logins.as_ref(), role.as_deref());
        if let Some(credentials) = self.fresh(clock, key) {
            return Ok(credentials);
        }
        // Boxed: the refresh holds a whole Cognito exchange, which would otherwise make the
        // future of every request (fresh credentials, the usual case) ~1.6 KB larger.
        Box::pin(self.refresh(clock, key, logins)).await
    }

    /// [`get`](Self::get) when the cached credentials (for `key`, of `logins`) are not fresh:
    /// one refresh at a time, whose outcome those who waited for it share.
    async fn refresh(
        &self,
        clock: &Clock,
        key: u64,
        logins: Option<Logins>,
    ) -> Result<(Arc<Credentials>, u64), CredentialsError> {
        let fetches_before = self.fetches.load(Ordering::Acquire);
        let mut last_failure = self.refresh.lock().await;
        // Whoever held the lock before us may have refreshed already, or failed to.
        if let Some(credentials) = self.fresh(clock, key) {
            return Ok(credentials);
        }
        if let Some(failure) = last_failure.as_ref().filter(|f| f.logins_key == key) {
            // A fetch failed while we waited (we share its outcome), or a moment ago (still-valid
            // credentials are used a while before the source is asked again).
            let shared = self.fetches.load(Ordering::Acquire) != fetches_before;
            if (shared || failure.at.elapsed() < REFRESH_RETRY_AFTER)
                && let Some(credentials) = self.still_valid(clock, key)
            {
                return Ok(credentials);
            }
            if shared {
                return Err(match &failure.refused_role {
                    Some(role) => CredentialsError::role_refused(
                        role,
                        failure.name.as_deref().unwrap_or_default(),
                        &failure.message,
                    ),
                    None => CredentialsError {
                        name: failure.name.clone(),
                        message: failure.message.clone(),
                        source: None,
                    },
                });
            }
        }
        let fetched = self.fetch(logins.as_ref()).await;
        self.fetches.fetch_add(1, Ordering::Release);
        let fetched = match fetched {
            Ok(fetched) => {
                *last_failure = None;
                fetched
            }
            Err(e) => {
                *last_failure = Some(Failure {
                    at: platform::Instant::now(),
                    logins_key: key,
                    name: e.name.clone(),
                    message: e.message.clone(),
                    refused_role: e.refused_role().map(str::to_owned),
                });
                if let Some((credentials, generation)) = self.still_valid(clock, key) {
                    let expires_in = credentials
                        .expiry()
                        .and_then(|expiry| expiry.duration_since(clock.now()).ok());
                    tracing::warn!(
                        error = %e,
                        ?expires_in,
                        "credentials refresh failed; signing with the current credentials until \
                         they expire"
                    );
                    return Ok((credentials, generation));
                }
                return Err(e);
            }
        };
        let fetched = Arc::new(fetched);
        let cached = Cached::new(fetched.clone(), platform::now(), key);
        let refresh_at = cached.refresh_at(clock.offset_ms());
        tracing::debug!(expiry = ?fetched.expiry(), ?refresh_at, "credentials refreshed");
        let generation = self.replace(Some(cached));
        Ok((fetched, generation))
    }

    /// One fetch from the source, in its own tracing span.
    async fn fetch(&self, logins: Option<&Logins>) -> Result<Credentials, CredentialsError> {
        let span = tracing::debug_span!(
            "amplify_api.credentials_refresh",
            authenticated = logins.is_some()
        );
        match &self.source {
            CredentialsSource::Cognito(cognito) => cognito.fetch_for(logins).instrument(span).await,
            CredentialsSource::Provider(provider) => provider
                .provide_credentials()
                .instrument(span)
                .await
                .map_err(from_provider_error),
        }
    }

    /// Stores `cached`; the new generation.
    fn replace(&self, cached: Option<Cached>) -> u64 {
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        *current = cached;
        self.generation.fetch_add(1, Ordering::AcqRel) + 1
    }

    /// Drops the cached credentials so the next request fetches new ones.
    pub(crate) fn invalidate(&self) {
        let _ = self.replace(None);
    }

    /// Drops the cached credentials if they are still those of `generation` (a request signed
    /// with them was refused as expired); credentials another request fetched since are kept.
    pub(crate) fn invalidate_if_current(&self, generation: u64) {
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::Acquire) == generation {
            *current = None;
            self.generation.fetch_add(1, Ordering::AcqRel);
        }
    }
}

/// Keeps Cognito's error name and message when the provider is ours; wraps anything else.
fn from_provider_error(err: ProviderError) -> CredentialsError {
    use std::error::Error as _;
    let ours = err
        .source()
        .and_then(|s| s.downcast_ref::<CredentialsError>())
        .map(|e| CredentialsError {
            name: e.name.clone(),
            message: e.message.clone(),
            source: None,
        });
    match ours {
        Some(e) => e,
        None => CredentialsError {
            name: None,
            message: crate::error::error_chain(&err),
            source: Some(Box::new(err)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds_expiring_in(lifetime: Duration, now: SystemTime) -> Credentials {
        Credentials::new("AKID", "SECRET", None, Some(now + lifetime), "test")
    }

    #[test]
    fn one_hour_credentials_refresh_five_minutes_early() {
        let now = SystemTime::now();
        let c = Cached::new(
            Arc::new(creds_expiring_in(Duration::from_secs(3600), now)),
            now,
            0,
        );
        assert!(c.is_fresh(now + Duration::from_secs(3600 - 301), 0));
        assert!(!c.is_fresh(now + Duration::from_secs(3600 - 299), 0));
    }

    #[test]
    fn short_lived_credentials_refresh_at_half_life() {
        let now = SystemTime::now();
        let c = Cached::new(
            Arc::new(creds_expiring_in(Duration::from_secs(90), now)),
            now,
            0,
        );
        assert!(c.is_fresh(now + Duration::from_secs(44), 0));
        assert!(!c.is_fresh(now + Duration::from_secs(46), 0));
    }

    #[test]
    fn credentials_without_expiry_stay_fresh() {
        let now = SystemTime::now();
        let c = Cached::new(
            Arc::new(Credentials::new("A", "S", None, None, "t")),
            now,
            0,
        );
        assert!(c.is_fresh(now + Duration::from_secs(1 << 30), 0));
    }

    /// Fails every fetch, slowly, counting them.
    #[derive(Debug, Default)]
    struct Failing(std::sync::atomic::AtomicUsize);

    impl ProvideCredentials for Failing {
        fn provide_credentials<'a>(
            &'a self,
        ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            aws_credential_types::provider::future::ProvideCredentials::new(async {
                self.0.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                Err(ProviderError::not_loaded("the source is down"))
            })
        }
    }

    #[tokio::test]
    async fn a_failed_refresh_answers_everyone_who_waited_for_it() {
        let provider = Arc::new(Failing::default());
        let cache = Arc::new(CredentialsCache::new(CredentialsSource::Provider(
            SharedCredentialsProvider::new(SharedFailing(provider.clone())),
        )));
        let waiters: Vec<_> = (0..50)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.get(&Clock::default()).await.map(|(c, _)| c) })
            })
            .collect();
        for waiter in waiters {
            let err = waiter.await.unwrap().unwrap_err();
            assert!(err.message().contains("the source is down"), "{err}");
        }
        assert_eq!(
            provider.0.load(Ordering::SeqCst),
            1,
            "one fetch for 50 waiters"
        );
        // Failures are not cached: the next request tries again.
        assert!(cache.get(&Clock::default()).await.is_err());
        assert_eq!(provider.0.load(Ordering::SeqCst), 2);
    }

    #[derive(Debug)]
    struct SharedFailing(Arc<Failing>);

    impl ProvideCredentials for SharedFailing {
        fn provide_credentials<'a>(
            &'a self,
        ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            self.0.provide_credentials()
        }
    }

    #[test]
    fn already_expired_credentials_are_not_fresh() {
        let now = SystemTime::now();
        let c = Cached::new(
            Arc::new(Credentials::new(
                "A",
                "S",
                None,
                Some(now - Duration::from_secs(1)),
                "t",
            )),
            now,
            0,
        );
        assert!(!c.is_fresh(now, 0));
    }
}
