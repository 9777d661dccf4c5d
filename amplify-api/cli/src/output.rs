//! What the command line prints: bodies (pretty JSON or raw), status and headers, what each
//! attempt signed and sent (as the library shows it, secrets redacted), curl commands, expiry
//! notes.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use amplify_api::{Bytes, HeaderMap, SentRequest};

/// What `-v` prints of one attempt (the library's view of it, secrets already redacted):
/// what was signed, then the request line and headers. Query values become `…` unless
/// `show_query`.
pub(crate) fn attempt(sent: &SentRequest<'_>, show_query: bool) -> String {
    let mut out = String::new();
    if sent.attempt() > 1 {
        let _ = writeln!(out, "* attempt {} (a retry or a re-send)", sent.attempt());
    }
    if let Some(canonical) = sent.canonical_request() {
        out.push_str("* canonical request:\n");
        for (i, line) in canonical.split('\n').enumerate() {
            // The third line is the canonical query string.
            let line = if i == 2 && !show_query {
                hide_query_values(line)
            } else {
                line.to_owned()
            };
            let _ = writeln!(out, "*   {line}");
        }
    }
    if let Some(string_to_sign) = sent.string_to_sign() {
        out.push_str("* string to sign:\n");
        for line in string_to_sign.split('\n') {
            let _ = writeln!(out, "*   {line}");
        }
    }
    if let Some(signed) = sent.signed_headers() {
        let _ = writeln!(out, "* signed headers: {signed}");
    }
    match sent.credentials_expire() {
        Some(expires) => {
            let _ = writeln!(out, "* {}", expiry_note(expires, SystemTime::now()));
        }
        None if !sent.is_signed() => out.push_str("* not signed (the endpoint's auth mode)\n"),
        None => {}
    }
    let uri: Option<http::Uri> = sent.url().parse().ok();
    let host = uri
        .as_ref()
        .and_then(|u| u.authority())
        .map_or("", |a| a.as_str());
    let path = uri.as_ref().map_or("/", |u| u.path());
    let target = match uri.as_ref().and_then(|u| u.query()) {
        Some(query) if show_query => format!("{path}?{query}"),
        Some(query) => format!("{path}?{}", hide_query_values(query)),
        None => path.to_owned(),
    };
    let _ = writeln!(out, "> {} {target} HTTP/1.1\n> host: {host}", sent.method());
    for (name, value) in &sent.headers() {
        let value = String::from_utf8_lossy(value.as_bytes());
        let _ = writeln!(out, "> {name}: {value}");
    }
    out.push_str(">\n");
    out
}

/// `a=1&b=2&c` as `a=…&b=…&c`: the keys of a query string, its values hidden.
pub(crate) fn hide_query_values(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) if !value.is_empty() => format!("{key}=…"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
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
    fn query_values_are_hidden() {
        assert_eq!(
            hide_query_values("code=abc&flag=&x&tag=a%20b"),
            "code=…&flag=&x&tag=…"
        );
        assert_eq!(hide_query_values(""), "");
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
