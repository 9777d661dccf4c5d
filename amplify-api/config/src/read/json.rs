//! A JSON tree that keeps what `serde_json::Value` loses: the members of an object in file order,
//! repeated keys included, where each value is in the file, and the JavaScript a `.js`/`.ts`
//! config may hold in place of a value. Endpoint order follows the file, and an endpoint named
//! twice in a map-shaped config is an error instead of silently keeping the last one. [`Node`]
//! walks the tree, knowing its [`JsonPath`], and turns wrong shapes into [`ConfigError`]s.

use std::collections::HashSet;

use super::diagnostics::{ConfigError, JsonPath, Located, Pos};

/// A parsed value and where it starts in the file.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Json {
    /// The value.
    pub(crate) value: Value,
    /// Where it starts.
    pub(crate) pos: Pos,
}

/// A parsed value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written (kept only to be named in errors).
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object.
    Object(Object),
    /// A JavaScript expression in place of a value (`process.env.X`, `` `${a}` ``), as written.
    Expression(String),
}

/// An object's members.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Object {
    /// Its `key: value` members, in file order, repeated keys included.
    pub(crate) members: Vec<Member>,
    /// Its other members (`...spread`, shorthand, computed), as written.
    pub(crate) opaque: Vec<Located<String>>,
}

/// One `key: value` member.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Member {
    /// The key.
    pub(crate) key: String,
    /// Where the key is.
    pub(crate) key_pos: Pos,
    /// The value.
    pub(crate) value: Json,
}

impl Value {
    /// What kind of value this is, for "expected a string, found an array".
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
            Value::Expression(_) => "a JavaScript expression",
        }
    }
}

/// The message for a value that is the JavaScript expression `expression`, read where a
/// literal is needed: it quotes it.
pub(crate) fn expression_message(expression: &str, what: &str) -> String {
    format!(
        "{what} is the JavaScript expression `{expression}`, which `#[api_client]` cannot \
         evaluate at compile time; write the value itself, as a string"
    )
}

/// A value in the tree and the path that leads to it.
#[derive(Clone, Debug)]
pub(crate) struct Node<'a> {
    value: &'a Json,
    path: JsonPath,
    /// Where its key is, for a member; else where it is.
    key_pos: Pos,
}

impl<'a> Node<'a> {
    /// The root of `json`.
    pub(crate) fn root(json: &'a Json) -> Self {
        Node {
            value: json,
            path: JsonPath::root(),
            key_pos: json.pos,
        }
    }

    /// The value.
    pub(crate) fn value(&self) -> &'a Value {
        &self.value.value
    }

    /// Where the value starts in the file.
    pub(crate) fn pos(&self) -> Pos {
        self.value.pos
    }

    /// The value's members that are not `key: value` (spreads...), if it is an object.
    pub(crate) fn opaque(&self) -> &'a [Located<String>] {
        match self.value() {
            Value::Object(object) => &object.opaque,
            _ => &[],
        }
    }

    /// The expression this value is, if it is one, located.
    pub(crate) fn expression(&self) -> Option<Located<String>> {
        match self.value() {
            Value::Expression(e) => Some(self.located(e.clone())),
            _ => None,
        }
    }

    /// `value` at this node's key (a map entry's name).
    pub(crate) fn key_located<T>(&self, value: T) -> Located<T> {
        Located {
            value,
            path: self.path.clone(),
            pos: self.key_pos,
        }
    }

    /// `value` at this node's place.
    pub(crate) fn located<T>(&self, value: T) -> Located<T> {
        Located {
            value,
            path: self.path.clone(),
            pos: self.pos(),
        }
    }

    /// An error at this value.
    pub(crate) fn error(&self, message: impl Into<String>) -> ConfigError {
        ConfigError::at(&self.path, self.pos(), message)
    }

    fn expected(&self, what: &str) -> ConfigError {
        match self.value() {
            Value::Expression(e) => self.error(expression_message(e, "this")),
            other => self.error(format!("expected {what}, found {}", other.kind())),
        }
    }

    /// The member `key` of this object, if this is an object that has it and it is not `null`
    /// (JavaScript configs treat `null` as absent). The first one, if repeated.
    pub(crate) fn get(&self, key: &str) -> Option<Node<'a>> {
        let Value::Object(object) = self.value() else {
            return None;
        };
        object
            .members
            .iter()
            .find(|m| m.key == key && !matches!(m.value.value, Value::Null))
            .map(|m| Node {
                value: &m.value,
                path: self.path.key(key),
                key_pos: m.key_pos,
            })
    }

    /// The members of this object in file order; an error if this is not an object or a key is
    /// repeated.
    pub(crate) fn members(&self) -> Result<Vec<(&'a str, Node<'a>)>, ConfigError> {
        let Value::Object(object) = self.value() else {
            return Err(self.expected("an object"));
        };
        let members = &object.members;
        let mut out: Vec<(&'a str, Node<'a>)> = Vec::with_capacity(members.len());
        // A set of the keys seen, not a scan of them: objects keyed by endpoint name hold one
        // member per endpoint, and a scan made this quadratic.
        let mut seen: HashSet<&str> = HashSet::with_capacity(members.len());
        for member in members {
            let key = member.key.as_str();
            if !seen.insert(key) {
                let first = members
                    .iter()
                    .find(|m| m.key == key)
                    .map_or(member.key_pos, |m| m.key_pos);
                return Err(ConfigError::at(
                    &self.path.key(key),
                    member.key_pos,
                    format!(
                        "the key `{key}` appears twice (first at {first}); JSON readers keep \
                         only one of them, so remove or rename the other"
                    ),
                ));
            }
            out.push((
                key,
                Node {
                    value: &member.value,
                    path: self.path.key(key),
                    key_pos: member.key_pos,
                },
            ));
        }
        Ok(out)
    }

    /// The elements of this array; an error if this is not an array.
    pub(crate) fn items(&self) -> Result<Vec<Node<'a>>, ConfigError> {
        let Value::Array(items) = self.value() else {
            return Err(self.expected("an array"));
        };
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, value)| Node {
                value,
                path: self.path.index(i),
                key_pos: value.pos,
            })
            .collect())
    }

    /// This value as a string.
    pub(crate) fn as_str(&self) -> Result<Located<String>, ConfigError> {
        match self.value() {
            Value::String(s) => Ok(self.located(s.clone())),
            _ => Err(self.expected("a string")),
        }
    }

    /// This value as a boolean.
    pub(crate) fn as_bool(&self) -> Result<bool, ConfigError> {
        match self.value() {
            Value::Bool(b) => Ok(*b),
            _ => Err(self.expected("`true` or `false`")),
        }
    }

    /// The string member `key`, if present. A JavaScript expression there counts as absent:
    /// an optional setting written as code is left to the code (readers check the keys that
    /// make an endpoint themselves).
    pub(crate) fn opt_str(&self, key: &str) -> Result<Option<Located<String>>, ConfigError> {
        self.get(key)
            .filter(|n| n.expression().is_none())
            .map(|n| n.as_str())
            .transpose()
    }

    /// The string member `key`; an error naming it if absent.
    pub(crate) fn req_str(&self, key: &str) -> Result<Located<String>, ConfigError> {
        if !matches!(self.value(), Value::Object(_)) {
            return Err(self.expected("an object"));
        }
        match self.get(key) {
            Some(n) => n.as_str(),
            None => Err(self.error(format!("the required key `{key}` is missing"))),
        }
    }

    /// The boolean member `key`, if present.
    pub(crate) fn opt_bool(&self, key: &str) -> Result<Option<bool>, ConfigError> {
        self.get(key)
            .filter(|n| n.expression().is_none())
            .map(|n| n.as_bool())
            .transpose()
    }

    /// This value as a `serde_json::Value` (a JSON Schema in a route file, kept whole): an
    /// error at the first JavaScript expression or unreadable number in it.
    pub(crate) fn to_serde(&self) -> Result<serde_json::Value, ConfigError> {
        Ok(match self.value() {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(
                n.parse::<serde_json::Number>()
                    .map_err(|_| self.error(format!("the number `{n}` cannot be read")))?,
            ),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(_) => serde_json::Value::Array(
                self.items()?
                    .iter()
                    .map(Node::to_serde)
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(_) => serde_json::Value::Object(
                self.members()?
                    .into_iter()
                    .map(|(key, node)| Ok((key.to_owned(), node.to_serde()?)))
                    .collect::<Result<_, ConfigError>>()?,
            ),
            Value::Expression(_) => return Err(self.expected("a JSON value")),
        })
    }

    /// The object member `key`, if present; an error if it is there but not an object.
    pub(crate) fn opt_object(&self, key: &str) -> Result<Option<Node<'a>>, ConfigError> {
        match self.get(key) {
            Some(n) if matches!(n.value(), Value::Object(_)) => Ok(Some(n)),
            Some(n) => Err(n.expected("an object")),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::source;

    fn parse(text: &str) -> Json {
        source::parse(text).unwrap()
    }

    #[test]
    fn keeps_member_order_and_repeated_keys() {
        let json = parse("{\"b\": 1, \"a\": [true, null, \"x\"],\n \"b\": 2.5}");
        let Value::Object(object) = &json.value else {
            panic!("not an object")
        };
        let keys: Vec<&str> = object.members.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys, ["b", "a", "b"]);
        let err = Node::root(&json).members().unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 2, column: 2 }));
        assert!(
            err.message.contains("`b` appears twice (first at 1:2)"),
            "{err}"
        );
    }

    #[test]
    fn typed_access_reports_path_kind_and_position() {
        let json = parse(r#"{"api": {"name": 3, "list": [{"url": "u"}], "gone": null}}"#);
        let root = Node::root(&json);
        let api = root.opt_object("api").unwrap().unwrap();
        let err = api.req_str("name").unwrap_err();
        assert_eq!(
            err.to_string(),
            "at `api.name`: expected a string, found a number"
        );
        assert_eq!(
            err.pos,
            Some(Pos {
                line: 1,
                column: 18
            })
        );
        let err = api.req_str("missing").unwrap_err();
        assert_eq!(
            err.to_string(),
            "at `api`: the required key `missing` is missing"
        );
        assert_eq!(api.opt_str("gone").unwrap(), None);
        let list = api.get("list").unwrap();
        let items = list.items().unwrap();
        let url = items[0].req_str("url").unwrap();
        assert_eq!(url.value, "u");
        assert_eq!(url.path.to_string(), "api.list[0].url");
        assert_eq!(
            url.pos,
            Pos {
                line: 1,
                column: 38
            }
        );
        let err = root.opt_object("api").unwrap().unwrap().items();
        assert_eq!(
            err.unwrap_err().to_string(),
            "at `api`: expected an array, found an object"
        );
        let err = api.opt_bool("list").unwrap_err();
        assert!(err.message.contains("expected `true` or `false`"));
    }

    #[test]
    fn an_expression_where_a_string_is_needed_is_quoted() {
        let json = parse("export default {\n  region: process.env.REGION,\n};");
        let err = Node::root(&json).req_str("region").unwrap_err();
        assert_eq!(
            err.pos,
            Some(Pos {
                line: 2,
                column: 11
            })
        );
        assert!(
            err.message
                .starts_with("this is the JavaScript expression `process.env.REGION`"),
            "{err}"
        );
    }
}
