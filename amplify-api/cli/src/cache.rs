//! The command's own files in the user's cache directory (`$XDG_CACHE_HOME/amplify-api` or
//! `~/.cache/amplify-api` on Linux, `~/Library/Caches/amplify-api` on macOS,
//! `%LOCALAPPDATA%\amplify-api` on Windows): the guest identity id of each identity pool
//! (`FileIdentityIdStore`: files of mode 0600 in a directory of mode 0700) and the user-pool
//! session `login` keeps (its tokens, refresh token included: [`tokens_path`], same modes).
//! Whatever else the command keeps between runs belongs here too.

use std::path::PathBuf;

use amplify_api::credentials::FileIdentityIdStore;

/// The directory's name under the user's cache directory.
const DIR_NAME: &str = "amplify-api";

/// The command's cache directory; `None` when the platform has no user cache directory (no
/// `HOME`): then nothing is kept between runs.
pub(crate) fn dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|cache| cache.join(DIR_NAME))
}

/// Where guest identity ids are kept between runs, if anywhere.
pub(crate) fn identity_store() -> Option<FileIdentityIdStore> {
    dir().map(FileIdentityIdStore::new)
}

/// The file holding the kept user-pool session of `user_pool_id`'s app client `client_id`
/// (`login`), if there is a cache directory.
pub(crate) fn tokens_path(user_pool_id: &str, client_id: &str) -> Option<PathBuf> {
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect()
    };
    dir().map(|d| {
        d.join(format!(
            "{}.{}.user-pool-session.json",
            safe(user_pool_id),
            safe(client_id)
        ))
    })
}

/// Writes `contents` (secrets) to `path` in [`dir`]: the directory made with mode 0700, the
/// file with mode 0600 from its creation (a temporary file renamed over the old one, so a
/// reader never sees half a file). The same scheme as the library's `FileIdentityIdStore`,
/// whose writer is private to it.
pub(crate) fn write_private(path: &std::path::Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let parent = path
        .parent()
        .ok_or_else(|| std::io::Error::other("the token file has no directory"))?;
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
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let mut file = options.open(&tmp)?;
    file.write_all(contents)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
