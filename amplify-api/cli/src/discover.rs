//! Finding the app's Amplify config as the app has it: the first of [`CANDIDATES`] in the
//! current directory or the nearest directory above it that has one.

use std::path::{Path, PathBuf};

/// The files an Amplify app keeps its config in, in the order they are looked for in each
/// directory: Gen 2, Gen 1 native, Gen 1 JavaScript.
pub(crate) const CANDIDATES: [&str; 3] = [
    "amplify_outputs.json",
    "amplifyconfiguration.json",
    "src/aws-exports.js",
];

/// The config file for `start` (the current directory): the first candidate in `start`, else
/// in its parent, and so on up to the root; a message naming what was looked for if none is.
pub(crate) fn find_config(start: &Path) -> Result<PathBuf, String> {
    for dir in start.ancestors() {
        for candidate in CANDIDATES {
            let path = dir.join(candidate);
            if path.is_file() {
                return Ok(path);
            }
        }
    }
    Err(format!(
        "no Amplify config found in `{}` or above it (looked for {}); give one with --config",
        start.display(),
        CANDIDATES.map(|c| format!("`{c}`")).join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_directory_wins_then_the_candidate_order() {
        let root =
            std::env::temp_dir().join(format!("amplify-api-discover-{}", std::process::id()));
        let nested = root.join("app/src/deep");
        std::fs::create_dir_all(&nested).unwrap();
        assert!(find_config(&nested).is_err() || !find_config(&nested).unwrap().starts_with(&root));
        std::fs::write(root.join("amplifyconfiguration.json"), "{}").unwrap();
        assert_eq!(
            find_config(&nested).unwrap(),
            root.join("amplifyconfiguration.json")
        );
        std::fs::write(root.join("amplify_outputs.json"), "{}").unwrap();
        assert_eq!(
            find_config(&nested).unwrap(),
            root.join("amplify_outputs.json")
        );
        std::fs::write(root.join("app/src/aws-exports.js"), "").unwrap();
        assert_eq!(
            find_config(&nested).unwrap(),
            root.join("app/src/aws-exports.js")
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
