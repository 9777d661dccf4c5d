//! Where a problem is in a config file, and what it is: JSON paths
//! (`aws_cloud_logic_custom[2].endpoint`) and the errors that carry them.

use std::fmt;

/// One step into a JSON document: an object key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// An object member.
    Key(String),
    /// An array element.
    Index(usize),
}

/// The path from a document's root to a value, printed as JavaScript would index it:
/// `api.plugins.awsAPIPlugin["my api"].endpoint`, `aws_cloud_logic_custom[2].name`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsonPath(Vec<Segment>);

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
    pub fn is_root(&self) -> bool {
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

/// A line and column in the config file, both 1-based (columns count characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    /// The line.
    pub line: usize,
    /// The column.
    pub column: usize,
}

#[cfg(test)]
impl Pos {
    /// The position of byte `offset` of `text` (the slow way, to check [`LineIndex`]).
    pub(crate) fn of(text: &str, offset: usize) -> Pos {
        let before = text.get(..offset).unwrap_or(text);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Pos {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Byte offsets to [`Pos`]itions, by a binary search over the line starts.
#[derive(Debug)]
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// The index of `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, line_starts }
    }

    /// The position of byte `offset`.
    pub(crate) fn pos(&self, offset: usize) -> Pos {
        let line = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .max(1);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        Pos {
            line,
            column: column + 1,
        }
    }
}

/// A problem with the config's content, with where it is when it is at one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Where the problem is; `None` for problems with the file as a whole.
    pub path: Option<JsonPath>,
    /// The line and column of the value at `path`.
    pub pos: Option<Pos>,
    /// What is wrong, as a sentence fragment without the path.
    pub message: String,
}

impl ConfigError {
    /// A problem at the value at `path`, at `pos` in the file.
    pub(crate) fn at(path: &JsonPath, pos: Pos, message: impl Into<String>) -> Self {
        ConfigError {
            path: Some(path.clone()),
            pos: Some(pos),
            message: message.into(),
        }
    }

    /// A problem at the located value `at`.
    pub(crate) fn located<T>(at: &Located<T>, message: impl Into<String>) -> Self {
        ConfigError::at(&at.path, at.pos, message)
    }

    /// A problem with the file as a whole.
    pub(crate) fn whole(message: impl Into<String>) -> Self {
        ConfigError {
            path: None,
            pos: None,
            message: message.into(),
        }
    }

    /// The message a user sees: the file as they wrote it, where in it, what is wrong.
    pub fn render(&self, file: &str) -> String {
        match (&self.path, self.pos) {
            (Some(path), Some(pos)) if !path.is_root() => {
                format!("`{file}:{pos}`, at `{path}`: {}", self.message)
            }
            (_, Some(pos)) => format!("`{file}:{pos}`: {}", self.message),
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

    /// How many problems were recorded.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
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
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it is in the document.
    pub path: JsonPath,
    /// Where it is in the file.
    pub pos: Pos,
}

impl<T> Located<T> {
    /// `path` and `pos`, for messages naming another place: `` `API.REST.a` (3:5) ``.
    pub fn place(&self) -> String {
        format!("`{}` ({})", self.path, self.pos)
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
        let pos = Pos { line: 3, column: 5 };
        assert_eq!(
            ConfigError::at(&path, pos, "expected an object").to_string(),
            "at `API.REST`: expected an object"
        );
        assert_eq!(
            ConfigError::at(&JsonPath::root(), pos, "expected an object").to_string(),
            "expected an object"
        );
        assert_eq!(ConfigError::whole("empty file").to_string(), "empty file");
        assert_eq!(
            ConfigError::at(&path, pos, "expected an object").render("cfg.json"),
            "`cfg.json:3:5`, at `API.REST`: expected an object"
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
    fn positions_count_lines_and_characters() {
        let text = "ab\n  ü{x\n\nz";
        let index = LineIndex::new(text);
        for offset in [0, 1, 3, 5, 7, 8, 11, 12] {
            assert_eq!(index.pos(offset), Pos::of(text, offset), "{offset}");
        }
        assert_eq!(index.pos(7), Pos { line: 2, column: 4 });
        assert_eq!(index.pos(11), Pos { line: 4, column: 1 });
        assert_eq!(index.pos(12), Pos { line: 4, column: 2 });
        assert_eq!(Pos { line: 3, column: 9 }.to_string(), "3:9");
    }
}
