//! Reading the claims of a JWT (a Cognito ID token) without verifying it: the client only
//! reads what the token says of itself (its expiry, its user, its roles); the services that
//! receive it verify it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

/// The payload of `token` (`header.payload.signature`), or `None` if it is not a JWT.
pub(crate) fn claims(token: &str) -> Option<Map<String, Value>> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// A string claim.
pub(crate) fn string_claim(claims: &Map<String, Value>, name: &str) -> Option<String> {
    claims.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// A claim holding a list of strings (Cognito's `cognito:groups`, `cognito:roles`); a single
/// string counts as a list of one.
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

    #[test]
    fn reads_the_payload_and_refuses_what_is_not_a_jwt() {
        let payload = URL_SAFE_NO_PAD.encode(br#"{"sub":"s","cognito:roles":["a","b"],"r":"x"}"#);
        let token = format!("e30.{payload}.sig");
        let c = claims(&token).unwrap();
        assert_eq!(string_claim(&c, "sub").as_deref(), Some("s"));
        assert_eq!(list_claim(&c, "cognito:roles"), ["a", "b"]);
        assert_eq!(list_claim(&c, "r"), ["x"]);
        assert!(list_claim(&c, "none").is_empty());
        for bad in [
            "",
            "a.b",
            "a.!!.c",
            "a.b.c.d",
            &format!("e30.{}.s", URL_SAFE_NO_PAD.encode("[1]")),
        ] {
            assert!(claims(bad).is_none(), "{bad}");
        }
    }
}
