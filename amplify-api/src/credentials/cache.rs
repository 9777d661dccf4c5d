//! A credentials cache: refreshes before expiry, one refresh in flight for any number of waiters.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::provider::error::CredentialsError as ProviderError;
use tracing::Instrument;

use super::CognitoIdentityProvider;
use crate::error::CredentialsError;
use crate::providers::Logins;

/// Where the cache gets credentials.
#[derive(Debug)]
pub(crate) enum CredentialsSource {
    /// Any provider; what it returns is cached as is.
    Provider(SharedCredentialsProvider),
    /// Cognito Identity, whose credentials depend on who is signed in.
    Cognito(Arc<CognitoIdentityProvider>),
}

/// How early normal (one-hour) credentials are refreshed.
const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// Caches what a [`ProvideCredentials`] hands out.
///
/// Credentials are reused until `expiry - margin`, where the margin is 5 minutes but never more
/// than half the credentials' lifetime (so 90-second credentials are reused for 45 seconds, not
/// refetched on every request). A failed refresh is not cached. For Cognito, credentials belong
/// to one `Logins` map: signing in, out or as someone else drops them.
#[derive(Debug)]
pub(crate) struct CredentialsCache {
    source: CredentialsSource,
    current: RwLock<Option<Cached>>,
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Clone, Debug)]
struct Cached {
    credentials: Credentials,
    refresh_at: Option<SystemTime>,
    /// A fingerprint of the `Logins` the credentials were fetched for.
    logins_key: u64,
}

impl Cached {
    fn new(credentials: Credentials, fetched_at: SystemTime, logins_key: u64) -> Self {
        let refresh_at = credentials.expiry().map(|expiry| {
            let lifetime = expiry.duration_since(fetched_at).unwrap_or_default();
            expiry - REFRESH_MARGIN.min(lifetime / 2)
        });
        Cached {
            credentials,
            refresh_at,
            logins_key,
        }
    }

    fn is_fresh(&self, now: SystemTime) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }
}

fn logins_key(logins: Option<&Logins>) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    logins.hash(&mut hasher);
    hasher.finish()
}

impl CredentialsCache {
    pub(crate) fn new(source: CredentialsSource) -> Self {
        CredentialsCache {
            source,
            current: RwLock::new(None),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    fn fresh(&self, now: SystemTime, logins_key: u64) -> Option<Credentials> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        current
            .as_ref()
            .filter(|c| c.logins_key == logins_key && c.is_fresh(now))
            .map(|c| c.credentials.clone())
    }

    /// Fresh credentials: the cached ones, or new ones from the source.
    pub(crate) async fn get(&self) -> Result<Credentials, CredentialsError> {
        let logins = match &self.source {
            CredentialsSource::Cognito(cognito) => cognito.current_logins().await?,
            CredentialsSource::Provider(_) => None,
        };
        let key = logins_key(logins.as_ref());
        if let Some(credentials) = self.fresh(SystemTime::now(), key) {
            return Ok(credentials);
        }
        let _refreshing = self.refresh.lock().await;
        // Whoever held the lock before us may have refreshed already.
        if let Some(credentials) = self.fresh(SystemTime::now(), key) {
            return Ok(credentials);
        }
        let span = tracing::debug_span!(
            "amplify_api.credentials_refresh",
            authenticated = logins.is_some()
        );
        let fetched = match &self.source {
            CredentialsSource::Cognito(cognito) => {
                cognito.fetch_for(logins.as_ref()).instrument(span).await?
            }
            CredentialsSource::Provider(provider) => provider
                .provide_credentials()
                .instrument(span)
                .await
                .map_err(from_provider_error)?,
        };
        let cached = Cached::new(fetched.clone(), SystemTime::now(), key);
        tracing::debug!(expiry = ?fetched.expiry(), refresh_at = ?cached.refresh_at, "credentials refreshed");
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(cached);
        Ok(fetched)
    }

    /// Drops the cached credentials so the next request fetches new ones.
    pub(crate) fn invalidate(&self) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = None;
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
        let c = Cached::new(creds_expiring_in(Duration::from_secs(3600), now), now, 0);
        assert!(c.is_fresh(now + Duration::from_secs(3600 - 301)));
        assert!(!c.is_fresh(now + Duration::from_secs(3600 - 299)));
    }

    #[test]
    fn short_lived_credentials_refresh_at_half_life() {
        let now = SystemTime::now();
        let c = Cached::new(creds_expiring_in(Duration::from_secs(90), now), now, 0);
        assert!(c.is_fresh(now + Duration::from_secs(44)));
        assert!(!c.is_fresh(now + Duration::from_secs(46)));
    }

    #[test]
    fn credentials_without_expiry_stay_fresh() {
        let now = SystemTime::now();
        let c = Cached::new(Credentials::new("A", "S", None, None, "t"), now, 0);
        assert!(c.is_fresh(now + Duration::from_secs(1 << 30)));
    }

    #[test]
    fn already_expired_credentials_are_not_fresh() {
        let now = SystemTime::now();
        let c = Cached::new(
            Credentials::new("A", "S", None, Some(now - Duration::from_secs(1)), "t"),
            now,
            0,
        );
        assert!(!c.is_fresh(now));
    }
}
