//! What the whole-process benches share: the cargo they run and the workspace's target folder.

use std::path::PathBuf;

/// The cargo running this bench (`$CARGO`), else `cargo` from `PATH`.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// `<target>` of this workspace: this binary is `<target>/release/deps/<bench>`.
#[allow(clippy::unwrap_used)]
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.ancestors().nth(3).unwrap().to_path_buf()
}
