//! Where the guest identity id is kept between runs, so a CLI does not mint a new Cognito
//! identity every time it starts.

use std::collections::HashMap;
use std::fmt;
#[cfg(not(target_arch = "wasm32"))]
use std::io::Write as _;
#[cfg(not(target_arch = "wasm32"))]
use std::path::{Path, PathBuf};
use std::sync::Mutex;
#[cfg(not(target_arch = "wasm32"))]
use std::sync::atomic::{AtomicU64, Ordering};

/// Keeps the guest identity id of each identity pool.
///
/// Failures to persist are the store's to report (log them); they never fail a request: without
/// a stored id, Cognito's `GetId` simply mints a new identity.
pub trait IdentityIdStore: fmt::Debug + Send + Sync + 'static {
    /// The stored identity id for `pool_id`, if any.
    fn load(&self, pool_id: &str) -> Option<String>;
    /// Remembers `identity_id` for `pool_id`.
    fn save(&self, pool_id: &str, identity_id: &str);
    /// Forgets the identity id of `pool_id`.
    fn clear(&self, pool_id: &str);
}

/// Keeps identity ids in memory, for the life of the process (the default). `Debug` shows how
/// many it holds, not the ids.
#[derive(Default)]
pub struct MemoryIdentityIdStore {
    ids: Mutex<HashMap<String, String>>,
}

impl std::fmt::Debug for MemoryIdentityIdStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryIdentityIdStore")
            .field("ids", &self.ids().len())
            .finish()
    }
}

impl MemoryIdentityIdStore {
    fn ids(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.ids
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl IdentityIdStore for MemoryIdentityIdStore {
    fn load(&self, pool_id: &str) -> Option<String> {
        self.ids().get(pool_id).cloned()
    }
    fn save(&self, pool_id: &str, identity_id: &str) {
        self.ids()
            .insert(pool_id.to_owned(), identity_id.to_owned());
    }
    fn clear(&self, pool_id: &str) {
        self.ids().remove(pool_id);
    }
}

/// Whether a stored identity id looks like one (`<region>:<uuid>`, short, printable): a value
/// someone edited into nonsense is ignored, not sent to Cognito.
pub(crate) fn plausible_id(id: &str) -> bool {
    id.contains(':') && id.len() < 256 && !id.chars().any(char::is_control)
}

/// Keeps identity ids in files, one per identity pool, in a directory (created when needed).
/// Writes are atomic: a temporary file renamed over the old one. On Unix the files are made
/// readable by their owner only (mode 0600) and a directory this store creates gets mode 0700: a
/// guest identity id is all it takes to get that identity's credentials. Put the directory
/// somewhere per user, never in a shared temporary directory. Not on wasm32 (a browser has no
/// file system: use `LocalStorageIdentityIdStore` there).
///
/// ```no_run
/// use amplify_api::credentials::FileIdentityIdStore;
/// // A per-user cache directory (`$XDG_CACHE_HOME`, else `~/.cache`).
/// let cache = std::env::var_os("XDG_CACHE_HOME")
///     .map(std::path::PathBuf::from)
///     .or_else(|| std::env::var_os("HOME").map(|home| std::path::Path::new(&home).join(".cache")));
/// if let Some(cache) = cache {
///     let store = FileIdentityIdStore::new(cache.join("my-cli"));
/// #   let _ = store;
/// }
/// ```
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone)]
pub struct FileIdentityIdStore {
    dir: PathBuf,
}

#[cfg(not(target_arch = "wasm32"))]
impl FileIdentityIdStore {
    /// A store writing into `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FileIdentityIdStore { dir: dir.into() }
    }

    /// The file that holds `pool_id`'s identity id.
    pub fn path_for(&self, pool_id: &str) -> PathBuf {
        let safe: String = pool_id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir.join(format!("{safe}.identity-id"))
    }

    fn write_atomically(&self, path: &Path, contents: &str) -> std::io::Result<()> {
        write_private_file(path, contents.as_bytes())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl IdentityIdStore for FileIdentityIdStore {
    fn load(&self, pool_id: &str) -> Option<String> {
        let text = std::fs::read_to_string(self.path_for(pool_id)).ok()?;
        let id = text.trim();
        plausible_id(id).then(|| id.to_owned())
    }

    fn save(&self, pool_id: &str, identity_id: &str) {
        let path = self.path_for(pool_id);
        if let Err(e) = self.write_atomically(&path, identity_id) {
            tracing::warn!(path = %path.display(), error = %e, "could not save the identity id");
        }
    }

    fn clear(&self, pool_id: &str) {
        let path = self.path_for(pool_id);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "could not remove the identity id")
            }
        }
    }
}

/// Writes `contents` to `path` so that only its owner can read it — the file mode 0600, its
/// directory (created if missing) 0700 — and atomically: a temporary file of this process and
/// write, renamed over `path`, so a reader never sees half a file and two writers never mix.
/// How [`FileIdentityIdStore`] keeps identity ids; for an app's own secrets too (the command
/// line keeps its user-pool tokens with it).
#[cfg(not(target_arch = "wasm32"))]
pub fn write_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let parent = path
        .parent()
        .ok_or_else(|| std::io::Error::other("the file has no directory"))?;
    let mut dir = std::fs::DirBuilder::new();
    dir.recursive(true);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        dir.mode(0o700);
        options.mode(0o600);
    }
    dir.create(parent)?;
    // Unique per process and per write: two clients (or threads) saving the same file at once
    // each rename a whole file of their own.
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let write = WRITES.fetch_add(1, Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp-{}-{write}", std::process::id()));
    let mut file = options.open(&tmp)?;
    file.write_all(contents)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_round_trips() {
        let store = MemoryIdentityIdStore::default();
        assert_eq!(store.load("p"), None);
        store.save("p", "us-east-1:abc");
        assert_eq!(store.load("p").as_deref(), Some("us-east-1:abc"));
        store.clear("p");
        assert_eq!(store.load("p"), None);
    }

    #[test]
    fn file_store_round_trips_per_pool() {
        let dir = std::env::temp_dir().join(format!("amplify-api-store-{}", std::process::id()));
        let store = FileIdentityIdStore::new(&dir);
        store.save("us-east-1:pool-a", "us-east-1:id-a");
        store.save("us-east-1:pool-b", "us-east-1:id-b");
        // A second store on the same directory (a second run) sees the ids.
        let again = FileIdentityIdStore::new(&dir);
        assert_eq!(
            again.load("us-east-1:pool-a").as_deref(),
            Some("us-east-1:id-a")
        );
        assert_eq!(
            again.load("us-east-1:pool-b").as_deref(),
            Some("us-east-1:id-b")
        );
        again.clear("us-east-1:pool-a");
        assert_eq!(store.load("us-east-1:pool-a"), None);
        std::fs::write(store.path_for("p"), "garbage\n").unwrap();
        assert_eq!(store.load("p"), None);
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains("tmp"))
            .collect();
        assert!(leftovers.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn identity_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("amplify-api-mode-{}", std::process::id()));
        let store = FileIdentityIdStore::new(dir.join("nested"));
        store.save("us-east-1:pool", "us-east-1:id");
        store.save("us-east-1:pool", "us-east-1:id-2");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&store.path_for("us-east-1:pool")), 0o600);
        assert_eq!(mode(&dir.join("nested")), 0o700);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
