//! Keeping secrets out of what is shown: which headers are secret, `Debug` of header maps,
//! and error answers (bodies and headers) that quote a request's secrets: its secret header
//! values and its query values.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use smallvec::SmallVec;

/// What a secret is replaced with.
const REDACTED: &str = "** redacted **";

/// The shortest query value treated as a secret in an error answer: shorter ones (`1`, `true`,
/// `asc`) are rarely secrets and would blot out ordinary text.
pub(crate) const MIN_QUERY_SECRET_LEN: usize = 8;

/// Whether `name` is a header whose value is a secret (`authorization`, `x-api-key`,
/// `x-amz-security-token`...: the signing policy's list, the one list of them).
pub(crate) fn is_secret_header(name: &HeaderName) -> bool {
    crate::signing::policy::is_sensitive_header(name.as_str())
}

/// What an answer to a request must not repeat: the values of its secret headers (as
/// [`secret_values`] kept them), and its query values of [`MIN_QUERY_SECRET_LEN`] bytes or
/// more, both as sent (percent-encoded) and decoded.
pub(crate) fn request_secrets(secret_headers: &[HeaderValue], url: &url::Url) -> Vec<Vec<u8>> {
    let mut secrets: Vec<Vec<u8>> = secret_headers
        .iter()
        .map(|v| v.as_bytes().to_vec())
        .collect();
    for pair in url.query().unwrap_or_default().split('&') {
        let (_, value) = pair.split_once('=').unwrap_or(("", ""));
        if value.len() < MIN_QUERY_SECRET_LEN {
            continue;
        }
        let decoded: Vec<u8> = percent_encoding::percent_decode_str(value).collect();
        secrets.push(value.as_bytes().to_vec());
        if decoded != value.as_bytes() {
            secrets.push(decoded);
        }
    }
    secrets
}

/// `body` with every one of `secrets` (in each quoted form) replaced.
pub(crate) fn redact_all(body: Bytes, secrets: &[Vec<u8>]) -> Bytes {
    secrets
        .iter()
        .fold(body, |body, secret| redact(body, secret))
}

/// Replaces the value of every header in `headers` that contains one of `secrets` (an answer
/// quoting the request's token in a header of its own) with `** redacted **`, marked
/// sensitive.
pub(crate) fn scrub_headers(headers: &mut HeaderMap, secrets: &[Vec<u8>]) {
    for value in headers.values_mut() {
        let quotes_one = secrets.iter().any(|secret| {
            !secret.is_empty() && memchr::memmem::find(value.as_bytes(), secret).is_some()
        });
        if quotes_one {
            let mut redacted = HeaderValue::from_static(REDACTED);
            redacted.set_sensitive(true);
            *value = redacted;
        }
    }
}

/// `headers` for `Debug`: the values of secret and sensitive headers hidden.
pub(crate) struct RedactedHeaders<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || is_secret_header(name) {
                map.entry(name, &REDACTED);
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

/// The values of the secret headers of a request: `authorization`, `x-api-key`,
/// `x-amz-security-token` and every header marked sensitive. On the stack for up to 4 (a
/// signed request has 2): kept for every attempt, in case its answer is an error.
pub(crate) fn secret_values(headers: &HeaderMap) -> SmallVec<[HeaderValue; 4]> {
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
        // memchr's two-way search: a naive scan is quadratic in the secret's length and took
        // seconds on a 10 MB error body in a debug build (tests/tests/hostile.rs), holding
        // the executor past the total timeout.
        let finder = memchr::memmem::Finder::new(secret);
        if secret.is_empty() || finder.find(&body).is_none() {
            continue;
        }
        let mut out = Vec::with_capacity(body.len());
        let mut rest = &body[..];
        while let Some(at) = finder.find(rest) {
            out.extend_from_slice(&rest[..at]);
            out.extend_from_slice(REDACTED.as_bytes());
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

    #[test]
    fn an_answer_quoting_query_values_and_secret_headers_is_scrubbed() {
        let mut request = HeaderMap::new();
        request.insert(
            "x-amz-security-token",
            HeaderValue::from_static("TOKEN/abc=="),
        );
        let url = url::Url::parse("https://h/p?code=SECRET%20code%2F1&short=abc&flag").unwrap();
        let secrets = request_secrets(&secret_values(&request), &url);
        let body = Bytes::from_static(
            b"denied: GET /p?code=SECRET%20code%2F1&short=abc (code SECRET code/1) TOKEN/abc==",
        );
        let scrubbed = redact_all(body, &secrets);
        let text = String::from_utf8_lossy(&scrubbed);
        assert!(
            !text.contains("SECRET") && !text.contains("TOKEN"),
            "{text}"
        );
        assert!(text.contains("short=abc"), "short values are kept: {text}");
        let mut answer = HeaderMap::new();
        answer.insert("x-echo", HeaderValue::from_static("token TOKEN/abc== seen"));
        answer.insert("x-plain", HeaderValue::from_static("fine"));
        scrub_headers(&mut answer, &secrets);
        assert_eq!(answer["x-echo"], REDACTED);
        assert!(answer["x-echo"].is_sensitive());
        assert_eq!(answer["x-plain"], "fine");
    }
}
