//! Finding the config file: the attribute's path joined onto the crate's directory
//! (`CARGO_MANIFEST_DIR`, or `CARGO_MANIFEST_DIR_OVERRIDE` when set, for trybuild, whose test
//! crates live under `target/`). Absolute paths are refused: they work on one machine only.

use std::path::{Path, PathBuf};

/// The hint every "cannot read" message ends with.
const RELATIVE_HINT: &str =
    "the path is relative to the crate's directory (where its Cargo.toml is)";

/// The config file's absolute path, for the path as written and the crate directory
/// `manifest_dir` (`None` when cargo did not say).
pub(crate) fn resolve(written: &str, manifest_dir: Option<&str>) -> Result<PathBuf, String> {
    if written.trim().is_empty() {
        return Err(format!("the config path is empty; {RELATIVE_HINT}"));
    }
    let path = Path::new(written);
    if path.is_absolute() || path.has_root() {
        return Err(format!(
            "`{written}` is an absolute path, which works on this machine only; give the path \
             relative to the crate's directory (where its Cargo.toml is)"
        ));
    }
    let dir = manifest_dir.ok_or_else(|| {
        "CARGO_MANIFEST_DIR is not set, so the config path cannot be resolved; build with cargo"
            .to_owned()
    })?;
    Ok(Path::new(dir).join(path))
}

/// The crate directory the path is relative to: `CARGO_MANIFEST_DIR_OVERRIDE` if set, else
/// `CARGO_MANIFEST_DIR`.
pub(crate) fn manifest_dir() -> Option<String> {
    std::env::var("CARGO_MANIFEST_DIR_OVERRIDE")
        .or_else(|_| std::env::var("CARGO_MANIFEST_DIR"))
        .ok()
}

/// The config file's text; errors name the path as written, not the absolute one (portable
/// messages).
pub(crate) fn read(written: &str, absolute: &Path) -> Result<String, String> {
    read_file("config file", written, absolute)
}

/// The text of the `what` file (`config file`, `route file`) at `absolute`, written `written`.
pub(crate) fn read_file(what: &str, written: &str, absolute: &Path) -> Result<String, String> {
    std::fs::read_to_string(absolute)
        .map_err(|e| format!("cannot read the {what} `{written}`: {e}; {RELATIVE_HINT}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_paths_onto_the_crate_dir() {
        assert_eq!(
            resolve("cfg/amplify.json", Some("/work/app")).unwrap(),
            Path::new("/work/app/cfg/amplify.json")
        );
        assert_eq!(
            resolve("../shared/aws-exports.js", Some("/work/app")).unwrap(),
            Path::new("/work/app/../shared/aws-exports.js")
        );
    }

    #[test]
    fn refuses_absolute_and_empty_paths() {
        let err = resolve("/etc/amplify.json", Some("/work/app")).unwrap_err();
        assert!(err.contains("absolute path"), "{err}");
        assert!(
            resolve(" ", Some("/work/app"))
                .unwrap_err()
                .contains("empty")
        );
        assert!(
            resolve("a.json", None)
                .unwrap_err()
                .contains("CARGO_MANIFEST_DIR")
        );
    }

    #[test]
    fn read_errors_name_the_path_as_written() {
        let dir = std::env::temp_dir();
        let err = read(
            "missing.json",
            &dir.join("amplify-api-macros-no-such-file.json"),
        )
        .unwrap_err();
        assert!(
            err.starts_with("cannot read the config file `missing.json`: "),
            "{err}"
        );
        assert!(!err.contains(&*dir.to_string_lossy()), "{err}");
        assert!(err.ends_with(RELATIVE_HINT));
    }
}
