//! Keeping secrets out of what is shown: which headers are secret, `Debug` of header maps,
//! and error bodies that quote a request's secret header values.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};

/// Headers whose values are secrets, whether or not they are marked sensitive.
const SECRET_HEADERS: [&str; 3] = ["authorization", "x-api-key", "x-amz-security-token"];

/// Whether `name` is a header whose value is a secret (`authorization`, `x-api-key`,
/// `x-amz-security-token`).
pub(crate) fn is_secret_header(name: &HeaderName) -> bool {
    SECRET_HEADERS.contains(&name.as_str())
}

/// `headers` for `Debug`: the values of secret and sensitive headers hidden.
pub(crate) struct RedactedHeaders<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || is_secret_header(name) {
                map.entry(name, &"** redacted **");
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

/// The values of the secret headers of a request: `authorization`, `x-api-key`,
/// `x-amz-security-token` and every header marked sensitive.
pub(crate) fn secret_values(headers: &HeaderMap) -> Vec<HeaderValue> {
    headers
        .iter()
        .filter(|(name, value)| value.is_sensitive() || is_secret_header(name))
        .map(|(_, value)| value.clone())
        .collect()
}

/// `body` with every occurrence of `secret` (also JSON-escaped: `"` and `\\` escaped, `/` as
/// is or as `\\/`) replaced by `** redacted **`.
pub(crate) fn redact(body: Bytes, secret: &[u8]) -> Bytes {
    let [raw, json, json_slashes] = quoted_forms(secret);
    let mut body = body;
    for secret in [&raw[..], &json[..], &json_slashes[..]] {
        let found = |hay: &[u8]| hay.windows(secret.len()).position(|w| w == secret);
        if secret.is_empty() || found(&body).is_none() {
            continue;
        }
        let mut out = Vec::with_capacity(body.len());
        let mut rest = &body[..];
        while let Some(at) = found(rest) {
            out.extend_from_slice(&rest[..at]);
            out.extend_from_slice(b"** redacted **");
            rest = &rest[at + secret.len()..];
        }
        out.extend_from_slice(rest);
        body = Bytes::from(out);
    }
    body
}

/// A body cut at a size limit, without the start of `secret` it may end with (in any of the
/// forms [`redact`] knows): the rest of the secret was not read, so [`redact`] cannot see it.
pub(crate) fn cut_partial_secret(body: Bytes, secret: &[u8]) -> Bytes {
    let mut body = body;
    for form in quoted_forms(secret) {
        if let Some(k) = (1..form.len()).rev().find(|&k| body.ends_with(&form[..k])) {
            body.truncate(body.len() - k);
        }
    }
    body
}

/// `secret` as is, JSON-escaped (`"` and `\\` escaped), and JSON-escaped with `/` as `\\/`.
fn quoted_forms(secret: &[u8]) -> [Vec<u8>; 3] {
    let mut json = Vec::with_capacity(secret.len() + 8);
    for &b in secret {
        if matches!(b, b'"' | b'\\') {
            json.push(b'\\');
        }
        json.push(b);
    }
    let mut json_slashes = Vec::with_capacity(json.len() + 8);
    for &b in &json {
        if b == b'/' {
            json_slashes.push(b'\\');
        }
        json_slashes.push(b);
    }
    [secret.to_vec(), json, json_slashes]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_from_error_bodies() {
        let body = Bytes::from_static(br#"{"message":"x-amz-security-token:T/k=\nT\/k= T/k="}"#);
        assert_eq!(
            redact(body, b"T/k="),
            Bytes::from_static(
                br#"{"message":"x-amz-security-token:** redacted **\n** redacted ** ** redacted **"}"#
            )
        );
        let quoted = Bytes::from_static(br#"{"m":"k:a\"b\\c\/d a\"b\\c/d"}"#);
        assert_eq!(
            redact(quoted, br#"a"b\c/d"#),
            Bytes::from_static(br#"{"m":"k:** redacted ** ** redacted **"}"#)
        );
        let clean = Bytes::from_static(b"nothing here");
        assert_eq!(redact(clean.clone(), b"T/k="), clean);
        assert_eq!(redact(clean.clone(), b""), clean);
    }

    #[test]
    fn a_secret_cut_by_the_limit_is_cut_off() {
        let cut = Bytes::from_static(br#"{"message":"token T/k"#);
        assert_eq!(
            cut_partial_secret(cut, b"T/k=="),
            Bytes::from_static(br#"{"message":"token "#)
        );
        let escaped = Bytes::from_static(br#"{"m":"T\/"#);
        assert_eq!(
            cut_partial_secret(escaped, b"T/k"),
            Bytes::from_static(br#"{"m":""#)
        );
        let clean = Bytes::from_static(b"nothing here");
        assert_eq!(cut_partial_secret(clean.clone(), b"T/k="), clean);
    }
}
