//! The signing policy, for every way a request leaves (`send()`, `build()`, [`SigV4`] and so
//! the tower layer and the middleware, and the CLI through them): which headers a caller may
//! give, which are signed, how the host is written, which values are secrets, and which hosts
//! a signer made for one origin may sign for. No other module keeps a list of headers.
//!
//! [`SigV4`]: crate::signing::sigv4::SigV4

use http::HeaderMap;
use http::header::{AUTHORIZATION, HeaderName, HeaderValue};

use crate::error::{Error, InvalidRequestKind, Result};

/// The most bytes of header names and values a caller may add to one request, its header
/// providers' included (API Gateway's limit for the request line and headers together is 10 KiB).
pub const MAX_HEADER_BYTES: usize = 10 * 1024;

/// Headers the client sets itself; a caller setting them would break the signature or framing.
const RESERVED_HEADERS: [&str; 5] = [
    "host",
    "x-amz-date",
    "x-amz-security-token",
    "content-length",
    "transfer-encoding",
];

/// Hop-by-hop headers (RFC 9110 section 7.6.1, and the `proxy-connection`/`keep-alive` of
/// HTTP/1.0): a proxy drops or rewrites them and HTTP/2 forbids them, so a signature covering
/// them would not verify at the other end. Refused on every surface.
pub(crate) const HOP_BY_HOP_HEADERS: [&str; 5] = [
    "connection",
    "te",
    "upgrade",
    "keep-alive",
    "proxy-connection",
];

/// Headers sent but never signed: an HTTP stack or proxy may rewrite them (`aws-sigv4` leaves
/// `user-agent` out too). Every other header on the request is signed.
const UNSIGNED_HEADERS: [&str; 1] = ["user-agent"];

/// Headers whose values are secrets: marked sensitive (`Debug` of a `HeaderValue` hides them,
/// and HTTP/2 keeps them out of its compression table) wherever the client sets or signs them.
const SENSITIVE_HEADERS: [&str; 5] = [
    "authorization",
    "x-amz-security-token",
    "x-api-key",
    "cookie",
    "proxy-authorization",
];

/// Whether `name` (lower-case) is a header whose value is a secret.
pub(crate) fn is_sensitive_header(name: &str) -> bool {
    SENSITIVE_HEADERS.contains(&name)
}

/// Whether a header on a request goes out unsigned.
pub(crate) fn is_unsigned(name: &str) -> bool {
    UNSIGNED_HEADERS.contains(&name)
}

/// Whether the caller put an `Authorization` header of its own on the request: it is then
/// sent as given and the request is not SigV4-signed (on every surface, as `aws-sigv4` never
/// signs a caller's `Authorization` either).
pub(crate) fn caller_authorized(headers: &HeaderMap) -> bool {
    headers.contains_key(AUTHORIZATION)
}

/// Marks the values of secret headers sensitive.
pub(crate) fn mark_sensitive(headers: &mut HeaderMap) {
    // One pass over the request's few headers: an `entry(&str)` per secret name would hash
    // each name and copy it into a new `HeaderName`.
    for (name, value) in headers.iter_mut() {
        if is_sensitive_header(name.as_str()) {
            value.set_sensitive(true);
        }
    }
}

/// Drops what a signature sets (`x-amz-date`, `x-amz-security-token`) from a request about to
/// be signed: a caller's (or an earlier signature's) would otherwise go out beside ours, or
/// unsigned when our credentials carry no session token.
pub(crate) fn clear_signature_headers(headers: &mut HeaderMap) {
    static SET_BY_SIGNING: [HeaderName; 2] = [
        HeaderName::from_static("x-amz-date"),
        HeaderName::from_static("x-amz-security-token"),
    ];
    for name in &SET_BY_SIGNING {
        headers.remove(name);
    }
}

/// Refuses what no surface signs: a hop-by-hop header.
pub(crate) fn check_signable(headers: &HeaderMap) -> Result<()> {
    match headers
        .keys()
        .find(|name| HOP_BY_HOP_HEADERS.contains(&name.as_str()))
    {
        Some(name) => Err(hop_by_hop(name.as_str())),
        None => Ok(()),
    }
}

fn hop_by_hop(name: &str) -> Error {
    Error::invalid(
        InvalidRequestKind::HopByHopHeader,
        format!(
            "header `{name}` is hop-by-hop: proxies and HTTP/2 drop it, so a signature covering \
             it would not verify; leave connection management to the HTTP client"
        ),
    )
}

/// Rejects headers whose names and values add up to more than [`MAX_HEADER_BYTES`].
pub(crate) fn check_header_size(headers: &HeaderMap) -> Result<()> {
    let total: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if total > MAX_HEADER_BYTES {
        return Err(Error::invalid(
            InvalidRequestKind::HeaderTooLarge,
            format!("headers add up to {total} bytes, more than the limit of {MAX_HEADER_BYTES}"),
        ));
    }
    Ok(())
}

/// Parses a caller's header, rejecting what cannot be sent or signed.
///
/// The value is sent folded: spaces and tabs around it dropped, each run of them inside made one
/// space. HTTP reads them all alike, but SigV4 implementations do not (botocore folds tabs,
/// `aws-sigv4` does not), so a value with a tab or a run of spaces could be signed one way and
/// checked another; folded, every reading of it agrees.
pub(crate) fn checked_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue)> {
    let value = fold_whitespace(value);
    let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        Error::invalid(
            InvalidRequestKind::InvalidHeader,
            format!("{name:?} is not a valid header name"),
        )
    })?;
    if RESERVED_HEADERS.contains(&header_name.as_str()) {
        return Err(Error::invalid(
            InvalidRequestKind::ReservedHeader,
            format!("header `{header_name}` is set by the client and cannot be given"),
        ));
    }
    if HOP_BY_HOP_HEADERS.contains(&header_name.as_str()) {
        return Err(hop_by_hop(header_name.as_str()));
    }
    if let Some(c) = value
        .chars()
        .find(|&c| !(c == '\t' || (' '..='~').contains(&c)))
    {
        return Err(Error::invalid(
            InvalidRequestKind::InvalidHeader,
            format!(
                "header `{header_name}` has the character {c:?}; header values must be visible \
                 ASCII (percent-encode or base64 other text)"
            ),
        ));
    }
    let mut header_value = HeaderValue::from_str(&value).map_err(|_| {
        Error::invalid(
            InvalidRequestKind::InvalidHeader,
            format!("header `{header_name}` has an invalid value"),
        )
    })?;
    if SENSITIVE_HEADERS.contains(&header_name.as_str()) {
        header_value.set_sensitive(true);
    }
    Ok((header_name, header_value))
}

/// Folds every value of `headers` in place as [`checked_header`] does, for requests that come
/// from another stack (the tower layer, the middleware): the value sent is then the value
/// signed, whichever SigV4 reading checks it. A value that is not visible ASCII is left as it
/// is (the signer refuses it).
pub(crate) fn fold_header_values(headers: &mut HeaderMap) {
    for value in headers.values_mut() {
        let Ok(text) = value.to_str() else { continue };
        let folded = fold_whitespace(text);
        if folded == text {
            continue;
        }
        if let Ok(mut folded) = HeaderValue::from_str(&folded) {
            folded.set_sensitive(value.is_sensitive());
            *value = folded;
        }
    }
}

/// `value` trimmed of spaces and tabs, each inner run of them made one space.
fn fold_whitespace(value: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = value.trim_matches([' ', '\t']);
    if !trimmed.contains('\t') && !trimmed.contains("  ") {
        return std::borrow::Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    for (i, word) in trimmed
        .split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    std::borrow::Cow::Owned(out)
}

/// The origin a signer may sign for: a host (lower case) and port. A signer scoped to one
/// refuses a request to any other, so that an HTTP stack following a redirect cannot get our
/// signature and session token re-made for the host it was sent to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AllowedHost {
    host: String,
    port: Option<u16>,
}

impl AllowedHost {
    /// The origin of `url` (its host and port, or the scheme's default port).
    pub(crate) fn of_url(url: &url::Url) -> Option<Self> {
        Some(AllowedHost {
            host: url.host_str()?.to_ascii_lowercase(),
            port: url.port_or_known_default(),
        })
    }

    /// `host` or `host:port`; a host alone stands for its scheme's default port (80 or 443), as
    /// an origin does.
    pub(crate) fn parse(given: &str) -> Result<Self> {
        let url = url::Url::parse(&format!("http://{}/", given.trim()))
            .ok()
            .filter(|u| {
                u.host_str().is_some()
                    && u.path() == "/"
                    && u.query().is_none()
                    && u.username().is_empty()
            })
            .ok_or_else(|| {
                Error::config(
                    crate::error::ConfigKind::EndpointUrl,
                    format!("`{given}` is not a host name (with an optional `:port`)"),
                )
            })?;
        Ok(AllowedHost {
            host: url.host_str().unwrap_or_default().to_ascii_lowercase(),
            // `h` and `h:80` both read as "the default port".
            port: url.port(),
        })
    }

    /// Refuses `url` unless it goes to this origin.
    pub(crate) fn check(&self, url: &url::Url) -> Result<()> {
        let host_ok = url
            .host_str()
            .is_some_and(|h| h.eq_ignore_ascii_case(&self.host));
        let port_ok = match self.port {
            Some(port) => url.port_or_known_default() == Some(port),
            None => url.port().is_none(),
        };
        if host_ok && port_ok {
            return Ok(());
        }
        Err(Error::invalid(
            InvalidRequestKind::HostNotAllowed,
            format!(
                "refusing to sign a request to `{}`: this signer signs only for `{}` (a redirect \
                 to another origin must not get our signature and session token)",
                url.host_str().unwrap_or_default(),
                self
            ),
        ))
    }
}

impl std::fmt::Display for AllowedHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}:{port}", self.host),
            None => f.write_str(&self.host),
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_checks() {
        assert!(checked_header("X-Trace", "abc 1\t2").is_ok());
        for (given, sent) in [
            (" \t a  b\t ", "a b"),
            ("tab\tinside", "tab inside"),
            ("a \t  b", "a b"),
            (" lead", "lead"),
            ("trail\t", "trail"),
            ("plain value", "plain value"),
            ("\t \t", ""),
        ] {
            let (_, value) = checked_header("x-pad", given).unwrap();
            assert_eq!(value, sent, "{given:?} is sent folded");
        }
        for (name, value) in [
            ("bad name", "v"),
            ("x-a\r\n", "v"),
            ("", "v"),
            ("x-a", "line\r\nx-injected: 1"),
            ("x-a", "nul\0"),
            ("x-a", "é"),
            ("Host", "evil"),
            ("content-length", "1"),
            ("X-Amz-Security-Token", "t"),
            ("Connection", "close"),
            ("te", "trailers"),
            ("upgrade", "h2c"),
            ("keep-alive", "timeout=5"),
            ("proxy-connection", "keep-alive"),
        ] {
            let err = checked_header(name, value).unwrap_err();
            assert!(matches!(err, Error::InvalidRequest(_)), "{name:?}: {err}");
        }
        let err = checked_header("Connection", "close").unwrap_err();
        assert_eq!(
            err.invalid_request_kind(),
            Some(InvalidRequestKind::HopByHopHeader)
        );
        assert!(checked_header("x-api-key", "k").unwrap().1.is_sensitive());
    }

    #[test]
    fn allowed_hosts_compare_origins() {
        let url = |s: &str| url::Url::parse(s).unwrap();
        let of = AllowedHost::of_url(&url("https://API.example.com/prod")).unwrap();
        assert!(of.check(&url("https://api.example.com/x")).is_ok());
        assert!(of.check(&url("https://api.example.com:443/x")).is_ok());
        assert!(of.check(&url("https://api.example.com:8443/x")).is_err());
        assert!(of.check(&url("https://evil.example.com/x")).is_err());
        let default_port = AllowedHost::parse("API.example.com").unwrap();
        assert!(default_port.check(&url("https://api.example.com/")).is_ok());
        assert!(
            default_port
                .check(&url("http://api.example.com:80/"))
                .is_ok()
        );
        assert!(
            default_port
                .check(&url("https://api.example.com:8443/"))
                .is_err()
        );
        let port = AllowedHost::parse("127.0.0.1:9").unwrap();
        assert!(port.check(&url("http://127.0.0.1:10/")).is_err());
        assert!(AllowedHost::parse("a/b").is_err());
        assert!(AllowedHost::parse("").is_err());
    }
}
