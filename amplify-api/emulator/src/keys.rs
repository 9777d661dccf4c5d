//! The access keys the emulated API accepts: those Cognito minted, and those a test allowed.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::SystemTime;

/// One access key's secret, session token and expiry.
#[derive(Clone)]
pub(crate) struct Key {
    pub(crate) secret: String,
    pub(crate) token: Option<String>,
    pub(crate) expires: Option<SystemTime>,
    /// The IAM role the credentials are of (Cognito-minted ones).
    pub(crate) role: Option<String>,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("has_token", &self.token.is_some())
            .field("expires", &self.expires)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// Access key id -> [`Key`], shared by the Cognito side (which adds) and the API (which checks).
#[derive(Debug, Default)]
pub(crate) struct KeyStore {
    keys: Mutex<HashMap<String, Key>>,
}

impl KeyStore {
    /// Accepts `access_key_id` from now on (replacing what was known of it).
    pub(crate) fn insert(&self, access_key_id: String, key: Key) {
        crate::util::lock(&self.keys).insert(access_key_id, key);
    }

    /// What is known of `access_key_id`.
    pub(crate) fn get(&self, access_key_id: &str) -> Option<Key> {
        crate::util::lock(&self.keys).get(access_key_id).cloned()
    }

    /// Every key known, with what is known of it.
    pub(crate) fn all(&self) -> Vec<(String, Key)> {
        crate::util::lock(&self.keys)
            .iter()
            .map(|(id, key)| (id.clone(), key.clone()))
            .collect()
    }
}
