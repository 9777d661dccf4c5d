//! The members of a JSON object, read without building a `serde_json::Value`: each member's
//! value as a string, a list of strings, or something else. All that AWS error bodies and a
//! token's role claims need; `Value` (its map, number and drop code) is most of the JSON code a
//! browser bundle would otherwise carry. Values are parsed as `Value` parses them (numbers
//! included), so what `Value` refuses is refused here too.

use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// A member's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Member {
    /// A string.
    Text(String),
    /// An array: its string elements (the others left out).
    List(Vec<String>),
    /// Anything else (a number, `true`, `null`, an object).
    Other,
}

impl Member {
    /// The value as a list of strings: a string as a list of one, anything else as none.
    pub(crate) fn into_list(self) -> Vec<String> {
        match self {
            Member::Text(one) => vec![one],
            Member::List(items) => items,
            Member::Other => Vec::new(),
        }
    }
}

/// The members of the JSON object `json`, in order, and whether `json` was all one valid
/// object (when not, the members before the point where parsing stopped).
pub(crate) fn object_members(json: &[u8]) -> (Vec<(String, Member)>, bool) {
    let mut members = Vec::new();
    let mut parser = serde_json::Deserializer::from_slice(json);
    let whole = Collect(&mut members).deserialize(&mut parser).is_ok() && parser.end().is_ok();
    (members, whole)
}

/// Collects an object's members into `.0` as it parses, so what came before an error is kept.
struct Collect<'a>(&'a mut Vec<(String, Member)>);

impl<'de> DeserializeSeed<'de> for Collect<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Collect<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            let value = map.next_value::<Member>()?;
            self.0.push((name, value));
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Member, D::Error> {
        d.deserialize_any(MemberVisitor)
    }
}

/// Any JSON value, as a [`Member`].
struct MemberVisitor;

impl<'de> Visitor<'de> for MemberVisitor {
    type Value = Member;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Member, E> {
        Ok(Member::Other)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Member, E> {
        Ok(Member::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Member, E> {
        Ok(Member::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Member, E> {
        Ok(Member::Other)
    }
    fn visit_unit<E>(self) -> Result<Member, E> {
        Ok(Member::Other)
    }
    fn visit_str<E>(self, value: &str) -> Result<Member, E> {
        Ok(Member::Text(value.to_owned()))
    }
    fn visit_string<E>(self, value: String) -> Result<Member, E> {
        Ok(Member::Text(value))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Member, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Member>()? {
            if let Member::Text(text) = item {
                items.push(text);
            }
        }
        Ok(Member::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Member, A::Error> {
        while map.next_entry::<String, Member>()?.is_some() {}
        Ok(Member::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_strings_and_string_lists_and_keeps_what_came_before_an_error() {
        let (members, whole) = object_members(
            br#"{"a":"x","b":["y",1,"z",{"n":[]}],"c":{"d":"e"},"e":1.5,"f":null,"a":"w"}"#,
        );
        assert!(whole);
        assert_eq!(
            members,
            [
                ("a".to_owned(), Member::Text("x".into())),
                ("b".to_owned(), Member::List(vec!["y".into(), "z".into()])),
                ("c".to_owned(), Member::Other),
                ("e".to_owned(), Member::Other),
                ("f".to_owned(), Member::Other),
                ("a".to_owned(), Member::Text("w".into())),
            ]
        );
        let (members, whole) = object_members(br#"{"a":"x","b":"cut"#);
        assert!(!whole);
        assert_eq!(members, [("a".to_owned(), Member::Text("x".into()))]);
        for bad in [&b"[1]"[..], b"\"s\"", b"{} x", b"", b"{\"a\":1e400}"] {
            assert!(!object_members(bad).1, "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(Member::Text("t".into()).into_list(), ["t"]);
        assert!(Member::Other.into_list().is_empty());
    }
}
