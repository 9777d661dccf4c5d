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

/// The names of the config files Amplify generates, in the order they are listed.
const AMPLIFY_FILES: [&str; 5] = [
    "amplify_outputs.json",
    "amplifyconfiguration.json",
    "aws-exports.js",
    "aws-exports.json",
    "amplifyconfiguration.dart",
];

/// What sits beside a config file that is not found: the path (as written) of the existing
/// file whose name is closest to the one written, if it is close enough to be a likely typo,
/// and the names of the config files Amplify generates that exist in that directory.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Nearby {
    /// The closest file's path, written like the one given.
    pub(crate) closest: Option<String>,
    /// The Amplify config files in the directory.
    pub(crate) amplify: Vec<String>,
}

/// [`Nearby`] for `written`, whose absolute path `absolute` was not found.
pub(crate) fn nearby(written: &str, absolute: &Path) -> Nearby {
    let (Some(dir), Some(wanted)) = (absolute.parent(), absolute.file_name()) else {
        return Nearby::default();
    };
    let wanted = wanted.to_string_lossy().to_lowercase();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Nearby::default();
    };
    let mut files: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .collect();
    files.sort();
    let limit = (wanted.chars().count() / 5).clamp(1, 3);
    let closest = files
        .iter()
        .map(|f| (strsim::damerau_levenshtein(&wanted, &f.to_lowercase()), f))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, f)| match written.rfind('/') {
            Some(slash) => format!("{}{f}", &written[..=slash]),
            None => f.clone(),
        });
    let amplify = AMPLIFY_FILES
        .iter()
        .filter(|name| files.iter().any(|f| f == *name))
        .map(|name| (*name).to_owned())
        .collect();
    Nearby { closest, amplify }
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

    #[test]
    fn nearby_files_of_a_missing_one() {
        let dir = std::env::temp_dir().join(format!("api-client-nearby-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("aws-exports.json"), "{}").unwrap();
        std::fs::write(dir.join("amplify_outputs.json"), "{}").unwrap();
        std::fs::write(dir.join("notes.txt"), "").unwrap();
        let found = nearby("src/aws_exports.json", &dir.join("aws_exports.json"));
        assert_eq!(found.closest.as_deref(), Some("src/aws-exports.json"));
        assert_eq!(found.amplify, ["amplify_outputs.json", "aws-exports.json"]);
        let far = nearby(
            "amplifyconfiguration.json",
            &dir.join("amplifyconfiguration.json"),
        );
        assert_eq!(far.closest, None);
        assert_eq!(
            nearby("x/y.json", &dir.join("no/such/dir/y.json")),
            Nearby::default()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
