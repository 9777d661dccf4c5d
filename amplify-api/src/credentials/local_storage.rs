//! The browser's identity id store: `window.localStorage`, where Amplify JS keeps it too.

use super::identity_store::{IdentityIdStore, plausible_id};
use crate::error::{ConfigKind, Error, Result};

/// Keeps identity ids in the browser's `localStorage` (wasm32 only), one key per identity pool
/// (`<prefix><pool id>`), so a page reload or a new tab keeps the same guest identity.
///
/// `web_sys::Storage` is not `Send`: the store holds only its key prefix and looks
/// `localStorage` up on each call. A storage that refuses a write (quota, private mode) is
/// logged, never a failed request.
///
/// ```no_run
/// # fn run() -> amplify_api::Result<()> {
/// use amplify_api::credentials::LocalStorageIdentityIdStore;
/// let store = LocalStorageIdentityIdStore::new()?; // an error in Node: no `localStorage`
/// let client = amplify_api::Client::builder().identity_id_store(store);
/// # let _ = client; Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct LocalStorageIdentityIdStore {
    prefix: String,
}

/// The key prefix of [`LocalStorageIdentityIdStore::new`].
const DEFAULT_PREFIX: &str = "amplify-api.identityId.";

impl LocalStorageIdentityIdStore {
    /// A store under the keys `amplify-api.identityId.<pool id>`; an [`Error::Config`] where
    /// the JavaScript host has no `localStorage` (Node, a worker) or denies it.
    pub fn new() -> Result<Self> {
        Self::with_prefix(DEFAULT_PREFIX)
    }

    /// A store whose keys are `prefix` followed by the pool id.
    pub fn with_prefix(prefix: impl Into<String>) -> Result<Self> {
        storage()?;
        Ok(LocalStorageIdentityIdStore {
            prefix: prefix.into(),
        })
    }

    /// The `localStorage` key of `pool_id`'s identity id.
    pub fn key_for(&self, pool_id: &str) -> String {
        format!("{}{pool_id}", self.prefix)
    }
}

/// `window.localStorage`, or why there is none.
fn storage() -> Result<web_sys::Storage> {
    let window = web_sys::window().ok_or_else(|| {
        Error::config(
            ConfigKind::IdentityStore,
            "no `localStorage` here: this JavaScript host has no `window` (Node, a worker); use \
             MemoryIdentityIdStore"
                .to_owned(),
        )
    })?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) | Err(_) => Err(Error::config(
            ConfigKind::IdentityStore,
            "`localStorage` is not available (disabled or denied by the browser)".to_owned(),
        )),
    }
}

impl IdentityIdStore for LocalStorageIdentityIdStore {
    fn load(&self, pool_id: &str) -> Option<String> {
        let id = storage().ok()?.get_item(&self.key_for(pool_id)).ok()??;
        plausible_id(id.trim()).then(|| id.trim().to_owned())
    }

    fn save(&self, pool_id: &str, identity_id: &str) {
        let saved = storage().and_then(|s| {
            s.set_item(&self.key_for(pool_id), identity_id)
                .map_err(|_| {
                    Error::config(
                        ConfigKind::IdentityStore,
                        "`localStorage` refused the write".to_owned(),
                    )
                })
        });
        if let Err(e) = saved {
            tracing::warn!(error = %e, "could not save the identity id");
        }
    }

    fn clear(&self, pool_id: &str) {
        if let Ok(storage) = storage()
            && storage.remove_item(&self.key_for(pool_id)).is_err()
        {
            tracing::warn!("could not remove the identity id from `localStorage`");
        }
    }
}
