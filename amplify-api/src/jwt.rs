//! Reading the claims of a JWT (a Cognito ID token) without verifying it: the client only
//! reads what the token says of itself (its expiry, its user, its roles); the services that
//! receive it verify it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
#[cfg(feature = "user-pool")]
use serde_json::{Map, Value};

use crate::json_members::{Member, object_members};

/// The decoded payload of `token` (`header.payload.signature`), or `None` if it is not a JWT.
fn payload(token: &str) -> Option<Vec<u8>> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()
}

/// The payload of `token`, or `None` if it is not a JWT.
#[cfg(feature = "user-pool")]
pub(crate) fn claims(token: &str) -> Option<Map<String, Value>> {
    match serde_json::from_slice(&payload(token)?).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// The claims of `token` as [`Member`]s, in order, or `None` if it is not a JWT. Without a
/// `serde_json::Value`: all the credentials' role choice needs, in a browser bundle too.
pub(crate) fn claim_members(token: &str) -> Option<Vec<(String, Member)>> {
    let (members, whole) = object_members(&payload(token)?);
    whole.then_some(members)
}

/// The claim `name` among `members` ([`claim_members`]); of a name given twice, the last (as
/// a JSON map reads it).
pub(crate) fn member(members: &[(String, Member)], name: &str) -> Option<Member> {
    members
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, value)| value.clone())
}

/// A string claim.
#[cfg(feature = "user-pool")]
pub(crate) fn string_claim(claims: &Map<String, Value>, name: &str) -> Option<String> {
    claims.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// A claim holding a list of strings (Cognito's `cognito:groups`, `cognito:roles`); a single
/// string counts as a list of one.
#[cfg(feature = "user-pool")]
pub(crate) fn list_claim(claims: &Map<String, Value>, name: &str) -> Vec<String> {
    match claims.get(name) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(one)) => vec![one.clone()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tokens that are not a JWT with a JSON object as payload.
    fn not_jwts() -> Vec<String> {
        let mut bad: Vec<String> = ["", "a.b", "a.!!.c", "a.b.c.d"].map(str::to_owned).into();
        bad.push(format!("e30.{}.s", URL_SAFE_NO_PAD.encode("[1]")));
        bad.push(format!("e30.{}.s", URL_SAFE_NO_PAD.encode(r#"{"a":"b""#)));
        bad
    }

    #[test]
    fn reads_the_claims_as_members_and_refuses_what_is_not_a_jwt() {
        let payload = URL_SAFE_NO_PAD
            .encode(br#"{"sub":"s","cognito:roles":["a",1,"b"],"r":"x","r":"y","n":2}"#);
        let c = claim_members(&format!("e30.{payload}.sig")).unwrap();
        assert_eq!(member(&c, "sub"), Some(Member::Text("s".into())));
        assert_eq!(
            member(&c, "cognito:roles").map(Member::into_list).unwrap(),
            ["a", "b"]
        );
        assert_eq!(member(&c, "r"), Some(Member::Text("y".into())), "the last");
        assert_eq!(member(&c, "n"), Some(Member::Other));
        assert_eq!(member(&c, "none"), None);
        for bad in not_jwts() {
            assert!(claim_members(&bad).is_none(), "{bad}");
        }
    }

    #[cfg(feature = "user-pool")]
    #[test]
    fn reads_the_payload_and_refuses_what_is_not_a_jwt() {
        let payload = URL_SAFE_NO_PAD.encode(br#"{"sub":"s","cognito:roles":["a","b"],"r":"x"}"#);
        let token = format!("e30.{payload}.sig");
        let c = claims(&token).unwrap();
        assert_eq!(string_claim(&c, "sub").as_deref(), Some("s"));
        assert_eq!(list_claim(&c, "cognito:roles"), ["a", "b"]);
        assert_eq!(list_claim(&c, "r"), ["x"]);
        assert!(list_claim(&c, "none").is_empty());
        for bad in not_jwts() {
            assert!(claims(&bad).is_none(), "{bad}");
        }
    }
}
