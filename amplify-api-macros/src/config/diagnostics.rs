//! Where a problem is in a config file, and what it is: JSON paths
//! (`aws_cloud_logic_custom[2].endpoint`) and the errors that carry them.

use std::fmt;

/// One step into a JSON document: an object key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// The path from a document's root to a value, printed as JavaScript would index it:
/// `api.plugins.awsAPIPlugin["my api"].endpoint`, `aws_cloud_logic_custom[2].name`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct JsonPath(Vec<Segment>);

impl JsonPath {
    /// The path of the document's root.
    pub(crate) fn root() -> Self {
        JsonPath::default()
    }

    /// This path, one key deeper.
    pub(crate) fn key(&self, key: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Key(key.to_owned()));
        JsonPath(segments)
    }

    /// This path, one array index deeper.
    pub(crate) fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(Segment::Index(index));
        JsonPath(segments)
    }

    /// Whether this is the root.
    pub(crate) fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

/// Whether `key` can be written after a `.` (a JavaScript identifier made of ASCII).
fn is_plain_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(top level)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if is_plain_key(key) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(key)?;
                }
                // serde_json escapes exactly as a JSON (and so JavaScript) string literal needs.
                Segment::Key(key) => write!(
                    f,
                    "[{}]",
                    serde_json::to_string(key).map_err(|_| fmt::Error)?
                )?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A problem with the config's content, with where it is when it is at one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ConfigError {
    /// Where the problem is; `None` for problems with the file as a whole.
    pub(crate) path: Option<JsonPath>,
    /// What is wrong, as a sentence fragment without the path.
    pub(crate) message: String,
}

impl ConfigError {
    /// A problem at the value at `path`.
    pub(crate) fn at(path: &JsonPath, message: impl Into<String>) -> Self {
        ConfigError {
            path: Some(path.clone()),
            message: message.into(),
        }
    }

    /// A problem with the file as a whole.
    pub(crate) fn whole(message: impl Into<String>) -> Self {
        ConfigError {
            path: None,
            message: message.into(),
        }
    }

    /// The message a user sees: the file as they wrote it, where in it, what is wrong.
    pub(crate) fn render(&self, file: &str) -> String {
        match &self.path {
            Some(path) if !path.is_root() => format!("`{file}`, at `{path}`: {}", self.message),
            _ => format!("`{file}`: {}", self.message),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) if !path.is_root() => write!(f, "at `{path}`: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// Gathers every problem found, so one compile shows them all (serde_derive's `Ctxt` habit).
#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<ConfigError>);

impl Problems {
    /// Records `error`.
    pub(crate) fn push(&mut self, error: ConfigError) {
        self.0.push(error);
    }

    /// The value of `result`, recording its error.
    pub(crate) fn take<T>(&mut self, result: Result<T, ConfigError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(error);
                None
            }
        }
    }

    /// `Ok(value)` when nothing was recorded, else every problem.
    pub(crate) fn finish<T>(self, value: T) -> Result<T, Vec<ConfigError>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

/// A value read from the config and where it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Located<T> {
    /// The value.
    pub(crate) value: T,
    /// Where it is in the file.
    pub(crate) path: JsonPath,
}

/// Where a JSON syntax error is in the whole file, when the JSON was a slice of it starting at
/// byte `offset` (the object inside `aws-exports.js`): `(line, column)`, both 1-based.
///
/// serde_json counts from the start of the text it was given; this adds the lines before the
/// slice, and on the slice's first line, the columns before it.
pub(crate) fn position_in_file(
    file: &str,
    offset: usize,
    line: usize,
    column: usize,
) -> (usize, usize) {
    let before = file.get(..offset).unwrap_or(file);
    let lines_before = before.matches('\n').count();
    if line <= 1 {
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let columns_before = before[line_start..].chars().count();
        (lines_before + 1, columns_before + column)
    } else {
        (lines_before + line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_as_javascript_indexing() {
        let path = JsonPath::root()
            .key("aws_cloud_logic_custom")
            .index(2)
            .key("endpoint");
        assert_eq!(path.to_string(), "aws_cloud_logic_custom[2].endpoint");
        let path = JsonPath::root()
            .key("api")
            .key("awsAPIPlugin")
            .key("my \"odd\" api")
            .key("region");
        assert_eq!(
            path.to_string(),
            r#"api.awsAPIPlugin["my \"odd\" api"].region"#
        );
        assert_eq!(JsonPath::root().key("2fa").to_string(), r#"["2fa"]"#);
        assert_eq!(JsonPath::root().to_string(), "(top level)");
    }

    #[test]
    fn errors_name_their_path() {
        let path = JsonPath::root().key("API").key("REST");
        assert_eq!(
            ConfigError::at(&path, "expected an object").to_string(),
            "at `API.REST`: expected an object"
        );
        assert_eq!(
            ConfigError::at(&JsonPath::root(), "expected an object").to_string(),
            "expected an object"
        );
        assert_eq!(ConfigError::whole("empty file").to_string(), "empty file");
        assert_eq!(
            ConfigError::at(&path, "expected an object").render("cfg.json"),
            "`cfg.json`, at `API.REST`: expected an object"
        );
        assert_eq!(
            ConfigError::whole("empty file").render("cfg.json"),
            "`cfg.json`: empty file"
        );
    }

    #[test]
    fn problems_collect_every_error() {
        let mut problems = Problems::default();
        assert_eq!(problems.take::<u8>(Ok(1)), Some(1));
        assert_eq!(problems.take::<u8>(Err(ConfigError::whole("a"))), None);
        problems.push(ConfigError::whole("b"));
        let errors = problems.finish(()).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(Problems::default().finish(3).is_ok());
    }

    #[test]
    fn positions_in_a_slice_map_to_the_file() {
        let file = "// header\nconst awsmobile = {\n  \"a\": 1,\n};";
        let offset = file.find('{').unwrap();
        // Line 1 of the slice is the file's line 2, shifted by `const awsmobile = `.
        assert_eq!(position_in_file(file, offset, 1, 1), (2, 19));
        // Later lines keep their column.
        assert_eq!(position_in_file(file, offset, 2, 3), (3, 3));
        assert_eq!(position_in_file(file, 0, 1, 5), (1, 5));
    }
}
