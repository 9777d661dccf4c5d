//! The checks on a caller's headers: what may be sent and signed, and how much of it.

use http::HeaderMap;
use http::header::{HeaderName, HeaderValue};

use crate::error::{Error, Result};

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

/// Rejects headers whose names and values add up to more than [`MAX_HEADER_BYTES`].
pub(crate) fn check_header_size(headers: &HeaderMap) -> Result<()> {
    let total: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if total > MAX_HEADER_BYTES {
        return Err(Error::invalid(format!(
            "headers add up to {total} bytes, more than the limit of {MAX_HEADER_BYTES}"
        )));
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
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::invalid(format!("{name:?} is not a valid header name")))?;
    if RESERVED_HEADERS.contains(&header_name.as_str()) {
        return Err(Error::invalid(format!(
            "header `{header_name}` is set by the client and cannot be given"
        )));
    }
    if let Some(c) = value
        .chars()
        .find(|&c| !(c == '\t' || (' '..='~').contains(&c)))
    {
        return Err(Error::invalid(format!(
            "header `{header_name}` has the character {c:?}; header values must be visible \
             ASCII (percent-encode or base64 other text)"
        )));
    }
    let header_value = HeaderValue::from_str(&value)
        .map_err(|_| Error::invalid(format!("header `{header_name}` has an invalid value")))?;
    Ok((header_name, header_value))
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
        ] {
            let err = checked_header(name, value).unwrap_err();
            assert!(matches!(err, Error::InvalidRequest(_)), "{name:?}: {err}");
        }
    }
}
