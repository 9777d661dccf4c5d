//! The request URL: endpoint + path joined with exactly one `/`, and a query string encoded by us
//! (RFC 3986, `%20` for a space, never `+`), so the bytes on the wire are the bytes signed.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::error::{Error, InvalidRequestKind, Result};

/// Everything but RFC 3986's unreserved characters `A-Z a-z 0-9 - . _ ~`.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a query key or value.
pub(crate) fn encode_component(s: &str) -> impl std::fmt::Display + '_ {
    utf8_percent_encode(s, NOT_UNRESERVED)
}

/// Percent-encodes one path segment of a typed route: every character but the unreserved ones,
/// so a `/`, `?`, `#`, `%` or space in a parameter stays inside its segment.
pub(crate) fn encode_segment(s: &str) -> String {
    encode_component(s).to_string()
}

/// A query's pairs, keys and values decoded, in order.
pub(crate) type QueryPairs = Vec<(String, String)>;

/// Splits a caller's path into the path proper and the query pairs written after a `?`.
///
/// The path may hold any text: characters other than unreserved ones and `/` are percent-encoded,
/// except `%XX` escapes, which are kept as they are (as WHATWG URLs, and so Amplify JS, do).
/// The query part is read as `application/x-www-form-urlencoded` (`+` is a space), as Amplify's
/// `URLSearchParams` does.
///
/// Rejected, before anything is sent: control characters (CR, LF, NUL, ...; in the query part
/// they may be written as `%0A` and such), `#`, a full URL in place of a path, and a `%XX` escape
/// in the query part that does not decode to UTF-8 (`?q=%FF`): its byte cannot be kept in a text
/// value, and SigV4 implementations disagree on what to sign for it.
pub(crate) fn split_path(path: &str) -> Result<(Cow<'_, str>, QueryPairs)> {
    let (raw_path, raw_query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    // Messages quote the path proper, never the query: its values may be secrets.
    let bad = |message: String| Error::invalid(InvalidRequestKind::Path, message);
    let part = |in_query: bool| {
        if in_query {
            "the query of path"
        } else {
            "path"
        }
    };
    if let Some(c) = path.chars().find(|c| c.is_control()) {
        let in_query = !raw_path.contains(c);
        return Err(bad(format!(
            "{} {raw_path:?} contains the control character {c:?}",
            part(in_query)
        )));
    }
    if path.contains('#') {
        return Err(bad(format!(
            "{} {raw_path:?} contains `#`; a fragment is never sent to a server (encode it as \
             %23 if it is part of the path)",
            part(!raw_path.contains('#'))
        )));
    }
    // Only the path proper: `?redirect_uri=https://...` is a query value like any other.
    if raw_path.contains("://") || raw_path.starts_with("//") {
        return Err(bad(format!(
            "path {raw_path:?} looks like a full URL; give a path relative to the endpoint, or \
             override the endpoint's URL on the builder"
        )));
    }
    if raw_path.split('/').any(is_dot_segment) {
        return Err(bad(format!(
            "path {raw_path:?} has a `.` or `..` segment; URLs resolve those, so the request \
             would go to (and be signed for) another path than the one written, perhaps outside \
             the endpoint's base path"
        )));
    }
    let query = match raw_query {
        Some(q) => parse_form_query(q).map_err(|_| {
            bad(format!(
                "the query of path {raw_path:?} has percent-escapes that are not UTF-8 text; \
                 they would be sent altered (as U+FFFD). Pass the value with `.query(..)`, or \
                 escape the UTF-8 bytes of the text meant"
            ))
        })?,
        None => Vec::new(),
    };
    Ok((encode_path(raw_path), query))
}

/// `.` or `..`, also written with `%2e` (which URL parsers read as a dot in a path segment).
fn is_dot_segment(segment: &str) -> bool {
    fn strip_dot(s: &str) -> Option<&str> {
        s.strip_prefix('.').or_else(|| {
            s.get(..3)
                .filter(|p| p.eq_ignore_ascii_case("%2e"))
                .map(|_| &s[3..])
        })
    }
    match strip_dot(segment) {
        Some("") => true,
        Some(rest) => strip_dot(rest) == Some(""),
        None => false,
    }
}

/// The path with every byte but unreserved ones, `/` and `%XX` escapes percent-encoded; as it
/// is when there is nothing to encode (the usual case).
fn encode_path(path: &str) -> Cow<'_, str> {
    let bytes = path.as_bytes();
    let kept = |i: usize, b: u8| {
        b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
            || (b == b'%'
                && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    };
    if bytes.iter().enumerate().all(|(i, &b)| kept(i, b)) {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len() + 8);
    for (i, &b) in bytes.iter().enumerate() {
        if kept(i, b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    Cow::Owned(out)
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// The pairs of an `application/x-www-form-urlencoded` query; `Err` with the key or value whose
/// escapes are not UTF-8.
fn parse_form_query(query: &str) -> std::result::Result<Vec<(String, String)>, &str> {
    let decode = |s| {
        let spaced = str::replace(s, '+', " ");
        match percent_decode_str(&spaced).decode_utf8() {
            Ok(text) => Ok(text.into_owned()),
            Err(_) => Err(s),
        }
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => Ok((decode(k)?, decode(v)?)),
            None => Ok((decode(pair)?, String::new())),
        })
        .collect()
}

/// The request's path and query, as the URL takes them: `base_path` (the endpoint's, without
/// a trailing `/`, maybe empty) + `/` + `encoded_path`, with exactly one slash between them (an
/// empty `encoded_path` leaves a non-empty `base_path` as it is); then `?` and the query, keys
/// and values encoded (RFC 3986), when there are pairs. Written once, at its longest length.
pub(crate) fn path_and_query(
    base_path: &str,
    encoded_path: &str,
    query: &[(String, String)],
) -> String {
    let path = encoded_path.trim_start_matches('/');
    // Every query byte encoded once (`%XX`) at most, and the `?`, `=` and `&`.
    let query_room = query
        .iter()
        .map(|(k, v)| {
            k.len()
                .saturating_add(v.len())
                .saturating_mul(3)
                .saturating_add(2)
        })
        .fold(0, usize::saturating_add);
    let mut out = String::with_capacity(
        base_path
            .len()
            .saturating_add(path.len())
            .saturating_add(1)
            .saturating_add(query_room),
    );
    out.push_str(base_path);
    if !path.is_empty() || encoded_path.starts_with('/') || base_path.is_empty() {
        out.push('/');
    }
    out.push_str(path);
    for (i, (k, v)) in query.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        // The encoder's pieces pushed as they come: no formatting machinery per pair.
        out.extend(utf8_percent_encode(k, NOT_UNRESERVED));
        out.push('=');
        out.extend(utf8_percent_encode(v, NOT_UNRESERVED));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The wire URL for `base` (`scheme://authority[/path]`, no trailing slash) as the request
    /// builder makes it.
    fn url(base: &str, path: &str, query: &[(&str, &str)]) -> String {
        let (p, mut q) = split_path(path).unwrap();
        q.extend(query.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let after_scheme = base.find("://").unwrap() + 3;
        let (origin, base_path) = base.split_at(
            base[after_scheme..]
                .find('/')
                .map_or(base.len(), |i| i + after_scheme),
        );
        format!("{origin}{}", path_and_query(base_path, &p, &q))
    }

    #[test]
    fn dot_segments_are_rejected() {
        for path in [
            "..",
            "/..",
            "/a/../b",
            "/a/.",
            "./a",
            "/%2e%2E/x",
            "/.%2e",
            "/%2E.",
            "/%2e",
            "/a/..?q=1",
        ] {
            let err = split_path(path).unwrap_err();
            assert!(matches!(err, Error::InvalidRequest(_)), "{path:?}: {err}");
        }
        for path in [
            "/a.b",
            "/...",
            "/.x",
            "/x.",
            "/%2e%2e%2e",
            "/a/b",
            "/?q=..",
            "/%2f..",
        ] {
            assert!(split_path(path).is_ok(), "{path:?}");
        }
    }

    #[test]
    fn joins_with_exactly_one_slash() {
        let base = "https://h/dev";
        assert_eq!(url(base, "/items", &[]), "https://h/dev/items");
        assert_eq!(url(base, "items", &[]), "https://h/dev/items");
        assert_eq!(url(base, "", &[]), "https://h/dev");
        assert_eq!(url(base, "/", &[]), "https://h/dev/");
        assert_eq!(url("https://h", "", &[]), "https://h/");
        assert_eq!(url("https://h", "x", &[]), "https://h/x");
    }

    #[test]
    fn encodes_paths_and_keeps_escapes() {
        let base = "https://h";
        assert_eq!(url(base, "/a b/ü", &[]), "https://h/a%20b/%C3%BC");
        assert_eq!(url(base, "/a+b:c(d)", &[]), "https://h/a%2Bb%3Ac%28d%29");
        assert_eq!(url(base, "/a%2Fb", &[]), "https://h/a%2Fb");
        assert_eq!(url(base, "/100%", &[]), "https://h/100%25");
        assert_eq!(url(base, "/%zz", &[]), "https://h/%25zz");
    }

    #[test]
    fn encodes_queries_rfc3986() {
        let base = "https://h";
        assert_eq!(
            url(
                base,
                "/s",
                &[("q", "a b+c"), ("q", ""), ("", "x"), ("k*", "!'()")]
            ),
            "https://h/s?q=a%20b%2Bc&q=&=x&k%2A=%21%27%28%29"
        );
        assert_eq!(
            url(base, "/s?a=1+2&flag&b=%2F", &[("c", "3")]),
            "https://h/s?a=1%202&flag=&b=%2F&c=3"
        );
    }

    #[test]
    fn query_escapes_must_be_utf8() {
        for path in ["/s?q=%FF", "/s?%C3=1", "/s?a=1&b=%E2%82"] {
            let err = split_path(path).unwrap_err();
            assert!(err.to_string().contains("not UTF-8"), "{path:?}: {err}");
        }
        assert_eq!(
            url("https://h", "/s?u=%C3%BC&nl=%0A&t=a%09b", &[]),
            "https://h/s?u=%C3%BC&nl=%0A&t=a%09b",
            "UTF-8 escapes and control characters written as escapes are kept"
        );
    }

    #[test]
    fn a_full_url_in_the_query_is_a_value() {
        let (path, query) = split_path("/cb?redirect_uri=https://x.example/back&s=1").unwrap();
        assert_eq!(path, "/cb");
        assert_eq!(
            query,
            vec![
                (
                    "redirect_uri".to_owned(),
                    "https://x.example/back".to_owned()
                ),
                ("s".to_owned(), "1".to_owned())
            ]
        );
    }

    #[test]
    fn errors_for_a_path_do_not_repeat_its_query() {
        for path in [
            "/a/../b?code=SENTINEL",
            "/a#f?code=SENTINEL",
            "/x?code=SENTINEL\n",
            "/x?code=SENTINEL#frag",
            "/x?code=SENTINEL%FF",
            "https://h/x?code=SENTINEL",
        ] {
            let err = split_path(path).unwrap_err().to_string();
            assert!(!err.contains("SENTINEL"), "{path:?}: {err}");
        }
    }

    #[test]
    fn rejects_hostile_paths() {
        for path in [
            "/a\r\nX-Injected: 1",
            "/a\0",
            "/a#frag",
            "https://evil.example/x",
            "//evil.example/x",
            "/a\u{7f}",
        ] {
            assert!(
                matches!(split_path(path), Err(Error::InvalidRequest(_))),
                "{path:?}"
            );
        }
    }
}
