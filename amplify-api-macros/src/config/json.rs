//! A JSON tree that keeps what `serde_json::Value` loses: the members of an object in file order,
//! repeated keys included. Endpoint order follows the file, and an endpoint named twice in a
//! map-shaped config is an error instead of silently keeping the last one. [`Node`] walks the
//! tree, knowing its [`JsonPath`], and turns wrong shapes into [`ConfigError`]s.

use std::collections::HashSet;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::diagnostics::{ConfigError, JsonPath, Located};

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number (kept only to be named in errors).
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object's members, in file order, repeated keys included.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// What kind of value this is, for "expected a string, found an array".
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

/// Builds a [`Json`] from serde_json's events.
struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        // serde_json never produces a non-finite float, so `from_f64` only fails in theory.
        Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Json>()? {
            members.push((key, value));
        }
        Ok(Json::Object(members))
    }
}

/// A value in the tree and the path that leads to it.
#[derive(Clone, Debug)]
pub(crate) struct Node<'a> {
    value: &'a Json,
    path: JsonPath,
}

impl<'a> Node<'a> {
    /// The root of `json`.
    pub(crate) fn root(json: &'a Json) -> Self {
        Node {
            value: json,
            path: JsonPath::root(),
        }
    }

    /// The value.
    pub(crate) fn value(&self) -> &'a Json {
        self.value
    }

    /// Where the value is.
    pub(crate) fn path(&self) -> &JsonPath {
        &self.path
    }

    /// An error at this value.
    pub(crate) fn error(&self, message: impl Into<String>) -> ConfigError {
        ConfigError::at(&self.path, message)
    }

    fn expected(&self, what: &str) -> ConfigError {
        self.error(format!("expected {what}, found {}", self.value.kind()))
    }

    /// The member `key` of this object, if this is an object that has it and it is not `null`
    /// (JavaScript configs treat `null` as absent). The first one, if repeated.
    pub(crate) fn get(&self, key: &str) -> Option<Node<'a>> {
        let Json::Object(members) = self.value else {
            return None;
        };
        members
            .iter()
            .find(|(k, v)| k == key && !matches!(v, Json::Null))
            .map(|(_, value)| Node {
                value,
                path: self.path.key(key),
            })
    }

    /// The members of this object in file order; an error if this is not an object or a key is
    /// repeated.
    pub(crate) fn members(&self) -> Result<Vec<(&'a str, Node<'a>)>, ConfigError> {
        let Json::Object(members) = self.value else {
            return Err(self.expected("an object"));
        };
        let mut out: Vec<(&'a str, Node<'a>)> = Vec::with_capacity(members.len());
        // A set of the keys seen, not a scan of them: objects keyed by endpoint name hold one
        // member per endpoint, and a scan made this quadratic.
        let mut seen: HashSet<&str> = HashSet::with_capacity(members.len());
        for (key, value) in members {
            if !seen.insert(key.as_str()) {
                return Err(self.error(format!(
                    "the key `{key}` appears twice; JSON readers keep only one of them, so \
                     remove or rename the other"
                )));
            }
            out.push((
                key.as_str(),
                Node {
                    value,
                    path: self.path.key(key),
                },
            ));
        }
        Ok(out)
    }

    /// The elements of this array; an error if this is not an array.
    pub(crate) fn items(&self) -> Result<Vec<Node<'a>>, ConfigError> {
        let Json::Array(items) = self.value else {
            return Err(self.expected("an array"));
        };
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, value)| Node {
                value,
                path: self.path.index(i),
            })
            .collect())
    }

    /// This value as a string.
    pub(crate) fn as_str(&self) -> Result<Located<String>, ConfigError> {
        match self.value {
            Json::String(s) => Ok(Located {
                value: s.clone(),
                path: self.path.clone(),
            }),
            _ => Err(self.expected("a string")),
        }
    }

    /// This value as a boolean.
    pub(crate) fn as_bool(&self) -> Result<bool, ConfigError> {
        match self.value {
            Json::Bool(b) => Ok(*b),
            _ => Err(self.expected("`true` or `false`")),
        }
    }

    /// The string member `key`, if present.
    pub(crate) fn opt_str(&self, key: &str) -> Result<Option<Located<String>>, ConfigError> {
        self.get(key).map(|n| n.as_str()).transpose()
    }

    /// The string member `key`; an error naming it if absent.
    pub(crate) fn req_str(&self, key: &str) -> Result<Located<String>, ConfigError> {
        if !matches!(self.value, Json::Object(_)) {
            return Err(self.expected("an object"));
        }
        match self.get(key) {
            Some(n) => n.as_str(),
            None => Err(self.error(format!("the required key `{key}` is missing"))),
        }
    }

    /// The boolean member `key`, if present.
    pub(crate) fn opt_bool(&self, key: &str) -> Result<Option<bool>, ConfigError> {
        self.get(key).map(|n| n.as_bool()).transpose()
    }

    /// The object member `key`, if present; an error if it is there but not an object.
    pub(crate) fn opt_object(&self, key: &str) -> Result<Option<Node<'a>>, ConfigError> {
        match self.get(key) {
            Some(n) if matches!(n.value, Json::Object(_)) => Ok(Some(n)),
            Some(n) => Err(n.expected("an object")),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Json {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn keeps_member_order_and_repeated_keys() {
        let json = parse(r#"{"b": 1, "a": [true, null, "x"], "b": 2.5}"#);
        let Json::Object(members) = &json else {
            panic!("not an object")
        };
        let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "b"]);
        let err = Node::root(&json).members().unwrap_err();
        assert!(err.message.contains("`b` appears twice"), "{err}");
    }

    #[test]
    fn typed_access_reports_path_and_kind() {
        let json = parse(r#"{"api": {"name": 3, "list": [{"url": "u"}], "gone": null}}"#);
        let root = Node::root(&json);
        let api = root.opt_object("api").unwrap().unwrap();
        let err = api.req_str("name").unwrap_err();
        assert_eq!(
            err.to_string(),
            "at `api.name`: expected a string, found a number"
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
        let err = root.opt_object("api").unwrap().unwrap().items();
        assert_eq!(
            err.unwrap_err().to_string(),
            "at `api`: expected an array, found an object"
        );
        let err = api.opt_bool("list").unwrap_err();
        assert!(err.message.contains("expected `true` or `false`"));
    }
}
