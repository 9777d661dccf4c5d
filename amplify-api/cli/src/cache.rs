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
