//! What the command line prints: bodies (pretty JSON or raw), status and headers, what was
//! signed (secrets redacted), curl commands, the endpoint table, expiry notes.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use amplify_api::{Bytes, HeaderMap, SigningDetails};

/// Headers whose values are secrets: never printed in full by `-v`.
const SECRET_HEADERS: [&str; 3] = ["authorization", "x-amz-security-token", "x-api-key"];

/// `value` of header `name` as `-v` shows it: secrets cut to a recognizable prefix (an
/// `authorization` signature to 8 hex digits, a token or key to 4 characters) and their length.
pub(crate) fn redact_header(name: &str, value: &str) -> String {
    let name = name.to_ascii_lowercase();
    if !SECRET_HEADERS.contains(&name.as_str()) {
        return value.to_owned();
    }
    if name == "authorization" {
        if let Some((before, signature)) = value.split_once("Signature=") {
            let shown: String = signature.chars().take(8).collect();
            return format!("{before}Signature={shown}… (redacted)");
        }
        // A bearer token or anything else given by the user.
        let (scheme, token) = value.split_once(' ').unwrap_or(("", value));
        return format!("{scheme} {}", cut(token)).trim_start().to_owned();
    }
    cut(value)
}

/// The first 4 characters of a secret, and its length.
fn cut(secret: &str) -> String {
    let shown: String = secret.chars().take(4).collect();
    format!("{shown}… (redacted, {} bytes)", secret.len())
}

/// The canonical request with the values of secret headers redacted (it quotes each signed
/// header as `name:value`).
pub(crate) fn redacted_canonical_request(details: &SigningDetails) -> String {
    let mut out = String::new();
    for (i, line) in details.canonical_request().split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match line.split_once(':') {
            Some((name, value)) if SECRET_HEADERS.contains(&name) => {
                let _ = write!(out, "{name}:{}", redact_header(name, value));
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// What `-v` prints of what was signed.
pub(crate) fn signing_details(details: &SigningDetails) -> String {
    let mut out = String::new();
    out.push_str("* canonical request:\n");
    for line in redacted_canonical_request(details).split('\n') {
        let _ = writeln!(out, "*   {line}");
    }
    out.push_str("* string to sign:\n");
    for line in details.string_to_sign().split('\n') {
        let _ = writeln!(out, "*   {line}");
    }
    let _ = writeln!(out, "* signed headers: {}", details.signed_headers());
    if let Some(expires) = details.expires() {
        let _ = writeln!(out, "* {}", expiry_note(expires, SystemTime::now()));
    }
    out
}

/// Request headers as `-v` prints them (`> name: value`, secrets redacted).
pub(crate) fn request_head(method: &str, target: &str, host: &str, headers: &HeaderMap) -> String {
    let mut out = format!("> {method} {target} HTTP/1.1\n> host: {host}\n");
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        let _ = writeln!(out, "> {name}: {}", redact_header(name.as_str(), &value));
    }
    out.push_str(">\n");
    out
}

/// The status line and headers, `prefix` before each line (`-i`: none; `-v`: `< `).
pub(crate) fn response_head(
    prefix: &str,
    status: amplify_api::StatusCode,
    headers: &HeaderMap,
) -> String {
    let mut out = format!(
        "{prefix}HTTP/1.1 {} {}\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or_default()
    );
    for (name, value) in headers {
        let _ = writeln!(
            out,
            "{prefix}{name}: {}",
            String::from_utf8_lossy(value.as_bytes())
        );
    }
    out
}

/// The body as printed: JSON pretty-printed when `pretty` and it parses, else as received.
pub(crate) fn body(body: &Bytes, pretty: bool) -> Vec<u8> {
    if pretty
        && let Ok(value) = serde_json::from_slice::<serde_json::Value>(body)
        && let Ok(mut text) = serde_json::to_string_pretty(&value)
    {
        text.push('\n');
        return text.into_bytes();
    }
    body.to_vec()
}

/// `when` (credentials' expiry) as a note: UTC time and how far from `now`.
pub(crate) fn expiry_note(when: SystemTime, now: SystemTime) -> String {
    let stamp = utc(when);
    match when.duration_since(now) {
        Ok(left) => format!("credentials expire at {stamp} (in {})", human(left)),
        Err(_) => format!("credentials expired at {stamp}"),
    }
}

/// `1h 02m`, `14m 05s`, `42s`.
fn human(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, (s % 3600) / 60, s % 60) {
        (0, 0, sec) => format!("{sec}s"),
        (0, min, sec) => format!("{min}m {sec:02}s"),
        (h, min, _) => format!("{h}h {min:02}m"),
    }
}

/// An HTTP date (`Wed, 02 Dec 2026 08:00:00 GMT`).
fn utc(time: SystemTime) -> String {
    httpdate::fmt_http_date(time)
}

/// `arg` quoted for a POSIX shell (single quotes; a quote inside as `'\''`).
pub(crate) fn shell_quote(arg: &str) -> String {
    if !arg.is_empty()
        && arg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@=,+".contains(&b))
    {
        return arg.to_owned();
    }
    format!("'{}'", arg.replace('\'', r"'\''"))
}

/// How `sign` gives curl the body.
pub(crate) enum CurlBody<'a> {
    /// No body.
    None,
    /// Text, inline (`--data-raw`).
    Inline(&'a str),
    /// From a file (`--data-binary @FILE`).
    File(&'a str),
}

/// The signed request as a curl command: every header it carries (`host` comes from the URL),
/// exactly the bytes of the body.
pub(crate) fn curl_command(
    method: &str,
    url: &str,
    headers: &HeaderMap,
    body: CurlBody<'_>,
) -> String {
    // One line per option and its value.
    let mut lines = Vec::new();
    if method == "HEAD" {
        lines.push(format!("curl --head {}", shell_quote(url)));
    } else {
        lines.push(format!(
            "curl -X {} {}",
            shell_quote(method),
            shell_quote(url)
        ));
    }
    for (name, value) in headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        lines.push(format!("-H {}", shell_quote(&format!("{name}: {value}"))));
    }
    if !headers.contains_key("content-type") && !matches!(body, CurlBody::None) {
        // curl would add `application/x-www-form-urlencoded` to a body otherwise.
        lines.push(format!("-H {}", shell_quote("content-type:")));
    }
    match body {
        CurlBody::None => {}
        CurlBody::Inline(text) => lines.push(format!("--data-raw {}", shell_quote(text))),
        CurlBody::File(path) => {
            lines.push(format!(
                "--data-binary {}",
                shell_quote(&format!("@{path}"))
            ));
        }
    }
    lines.join(" \\\n  ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_cut() {
        let auth = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/execute-api/aws4_request, \
                    SignedHeaders=host, Signature=0123456789abcdef0123456789abcdef";
        let shown = redact_header("Authorization", auth);
        assert!(shown.ends_with("Signature=01234567… (redacted)"), "{shown}");
        assert!(!shown.contains("89abcdef0123"), "{shown}");
        let token = "IQoJb3JpZ2luX2VjEXAMPLETOKENVALUE";
        let shown = redact_header("x-amz-security-token", token);
        assert_eq!(shown, format!("IQoJ… (redacted, {} bytes)", token.len()));
        assert_eq!(
            redact_header("x-api-key", "secretkey"),
            "secr… (redacted, 9 bytes)"
        );
        assert_eq!(
            redact_header("authorization", "Bearer abcdefgh"),
            "Bearer abcd… (redacted, 8 bytes)"
        );
        assert_eq!(redact_header("accept", "*/*"), "*/*");
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("plain-1.0"), "plain-1.0");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn durations() {
        assert_eq!(human(Duration::from_secs(42)), "42s");
        assert_eq!(human(Duration::from_secs(845)), "14m 05s");
        assert_eq!(human(Duration::from_secs(3720)), "1h 02m");
    }
}
