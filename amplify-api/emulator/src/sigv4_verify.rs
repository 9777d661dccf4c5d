//! An independent AWS Signature Version 4 verifier, written from the SigV4 specification with
//! `hmac` and `sha2` only. It shares no code with the crate's signer (the client's own, checked
//! against AWS's test vectors, `aws-sigv4` and botocore), so a bug on the signing side is caught
//! here rather than mirrored.
//!
//! Canonicalization follows API Gateway (`execute-api`), as every service but S3 does:
//! - **URI**: the path exactly as it arrived (already percent-encoded), normalized (`.` and `..`
//!   segments resolved, empty segments removed, a trailing `/` kept), then percent-encoded once
//!   more: every byte but `A-Z a-z 0-9 - . _ ~` and `/` becomes `%XX` (so `%20` becomes
//!   `%2520`: the "double encoding").
//! - **Query**: each `name=value` pair percent-decoded, then encoded as above (with `/` encoded
//!   too), pairs sorted by encoded name then value; a pair without `=` has an empty value.
//! - **Headers**: the signed ones only, in the order `SignedHeaders` lists them; names lower-case;
//!   values trimmed of whitespace at both ends, runs of whitespace inside (tabs too) made one
//!   space, as botocore does;
//!   repeated headers joined with `,` in arrival order.
//! - **Payload**: the SHA-256 of the exact body bytes (API Gateway has no `UNSIGNED-PAYLOAD`).
//!
//! Each step is a public function, so the known-answer tests can check them one by one.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// The only algorithm this verifier accepts.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// How far a request's signing time may be from the server's clock (as AWS allows).
pub const MAX_SKEW: Duration = Duration::from_secs(5 * 60);

/// A request as it arrived on the wire: what the signature is checked against.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WireRequest {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The path as received, percent-encoding untouched (e.g. `/a%20b`).
    pub path: String,
    /// The query string as received, without the `?` (empty when there is none).
    pub query: String,
    /// Every header in arrival order, repeated names repeated; names in any case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl WireRequest {
    /// The values of header `name` (any case), in arrival order.
    pub fn header_values<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.header_values(name).next()
    }
}

/// The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
/// Signature=...` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    /// The access key id from the credential.
    pub access_key_id: String,
    /// The scope's date, `YYYYMMDD`.
    pub date: String,
    /// The scope's region.
    pub region: String,
    /// The scope's service.
    pub service: String,
    /// The signed header names, as listed.
    pub signed_headers: Vec<String>,
    /// The signature, lower-case hex.
    pub signature: String,
}

impl Authorization {
    /// The credential scope: `date/region/service/aws4_request`.
    pub fn scope(&self) -> String {
        format!(
            "{}/{}/{}/aws4_request",
            self.date, self.region, self.service
        )
    }
}

/// Why an `Authorization` header could not be read. The messages are AWS's.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthorizationError {
    /// A part of the header is not `key=value`. Carries the header's SHA-256, base64-encoded, as
    /// AWS reports it (never the header itself, which may hold a token).
    MissingEqualSign(String),
    /// One or more of `Credential`, `Signature`, `SignedHeaders` is missing.
    MissingParameters(Vec<&'static str>),
    /// The algorithm is not `AWS4-HMAC-SHA256`.
    UnsupportedAlgorithm(String),
    /// The credential is not `<key>/<date>/<region>/<service>/aws4_request`.
    MalformedCredential(String),
}

impl std::fmt::Display for AuthorizationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthorizationError::MissingEqualSign(hashed) => write!(
                f,
                "Invalid key=value pair (missing equal-sign) in Authorization header (hashed with \
                 SHA-256 and encoded with Base64): '{hashed}'."
            ),
            AuthorizationError::MissingParameters(names) => {
                let parts: Vec<String> = names
                    .iter()
                    .map(|n| format!("Authorization header requires '{n}' parameter."))
                    .collect();
                f.write_str(&parts.join(" "))
            }
            AuthorizationError::UnsupportedAlgorithm(algorithm) => {
                write!(f, "Unsupported AWS 'algorithm': '{algorithm}'.")
            }
            AuthorizationError::MalformedCredential(detail) => f.write_str(detail),
        }
    }
}

impl std::error::Error for AuthorizationError {}

/// Parses an `Authorization` header value.
pub fn parse_authorization(value: &str) -> Result<Authorization, AuthorizationError> {
    let value = value.trim();
    let (algorithm, rest) = value.split_once([' ', '\t']).unwrap_or((value, ""));
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((key, val)) = part.split_once('=') else {
            return Err(AuthorizationError::MissingEqualSign(base64(
                &Sha256::digest(value.as_bytes()),
            )));
        };
        match key.trim() {
            "Credential" => credential = Some(val.trim()),
            "SignedHeaders" => signed_headers = Some(val.trim()),
            "Signature" => signature = Some(val.trim()),
            _ => {}
        }
    }
    let (Some(credential), Some(signed_headers), Some(signature)) =
        (credential, signed_headers, signature)
    else {
        let mut missing = Vec::new();
        if credential.is_none() {
            missing.push("Credential");
        }
        if signature.is_none() {
            missing.push("Signature");
        }
        if signed_headers.is_none() {
            missing.push("SignedHeaders");
        }
        return Err(AuthorizationError::MissingParameters(missing));
    };
    if algorithm != ALGORITHM {
        return Err(AuthorizationError::UnsupportedAlgorithm(
            algorithm.to_owned(),
        ));
    }
    let parts: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, terminator] = parts[..] else {
        return Err(AuthorizationError::MalformedCredential(format!(
            "Credential should be of the form '<access key id>/<date>/<region>/<service>/aws4_request', \
             not '{}' part(s).",
            parts.len()
        )));
    };
    if terminator != "aws4_request" {
        return Err(AuthorizationError::MalformedCredential(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'."
        )));
    }
    if access_key_id.is_empty() || date.is_empty() || region.is_empty() || service.is_empty() {
        return Err(AuthorizationError::MalformedCredential(
            "Credential should be scoped to a valid region, date and service.".to_owned(),
        ));
    }
    Ok(Authorization {
        access_key_id: access_key_id.to_owned(),
        date: date.to_owned(),
        region: region.to_owned(),
        service: service.to_owned(),
        signed_headers: signed_headers
            .split(';')
            .filter(|h| !h.is_empty())
            .map(str::to_owned)
            .collect(),
        signature: signature.to_owned(),
    })
}

/// Whether `b` is one of RFC 3986's unreserved characters, `A-Z a-z 0-9 - . _ ~`.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// SigV4's `UriEncode`: every byte but the unreserved ones as `%XX` (upper-case hex); `/` too,
/// unless `keep_slash`.
pub fn uri_encode(bytes: &[u8], keep_slash: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 3 / 2);
    for &b in bytes {
        if is_unreserved(b) || (keep_slash && b == b'/') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits stays as it is, and so does `+`.
pub fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) => hex_value(h).zip(hex_value(l)).map(|(h, l)| (h << 4) | l),
            _ => None,
        };
        match escaped {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Removes `.` segments, resolves `..` ones and drops empty segments (RFC 3986 section 5.2.4,
/// as SigV4 asks), keeping a trailing `/`. The result starts with `/`.
pub fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::with_capacity(path.len() + 1);
    for s in &segments {
        out.push('/');
        out.push_str(s);
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    if out.is_empty() || trailing {
        out.push('/');
    }
    out
}

/// The canonical URI of a path as received: normalized (when `normalize`, as every service but
/// S3 does) and encoded once more (the "double encoding" of all services but S3). An empty path
/// is `/`.
pub fn canonical_uri(path: &str, normalize: bool) -> String {
    let path = if path.is_empty() { "/" } else { path };
    if normalize {
        uri_encode(normalize_path(path).as_bytes(), true)
    } else {
        uri_encode(path.as_bytes(), true)
    }
}

/// The canonical query string of a query as received (without `?`).
pub fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                uri_encode(&percent_decode(name), false),
                uri_encode(&percent_decode(value), false),
            )
        })
        .collect();
    pairs.sort();
    let mut out = String::with_capacity(query.len() + 8);
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// SigV4's `Trimall`, read as botocore (and Amplify JS) read it: whitespace at both ends
/// removed, each run of whitespace inside (spaces and tabs alike) made one space.
/// (`aws-sigv4` folds only spaces; a signer that does the same and sends a tab is caught here.)
pub fn trim_all(value: &str) -> String {
    value.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// The canonical headers block: `name:value\n` for each signed header, in the listed order.
/// A signed header that is absent has an empty value (and so no valid signature).
pub fn canonical_headers(request: &WireRequest, signed_headers: &[String]) -> String {
    let mut out = String::new();
    for name in signed_headers {
        let values: Vec<String> = request.header_values(name).map(trim_all).collect();
        out.push_str(&name.to_ascii_lowercase());
        out.push(':');
        out.push_str(&values.join(","));
        out.push('\n');
    }
    out
}

/// Lower-case hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The canonical request: method, URI, query, headers, signed header names, payload hash.
pub fn canonical_request(
    request: &WireRequest,
    signed_headers: &[String],
    normalize: bool,
) -> String {
    canonical_request_with_payload_hash(
        request,
        signed_headers,
        normalize,
        &sha256_hex(&request.body),
    )
}

/// [`canonical_request`] of a request whose body is not in `request.body` (one streamed and
/// hashed as it arrived): `payload_hash` is the hex SHA-256 of its bytes.
pub fn canonical_request_with_payload_hash(
    request: &WireRequest,
    signed_headers: &[String],
    normalize: bool,
    payload_hash: &str,
) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method,
        canonical_uri(&request.path, normalize),
        canonical_query(&request.query),
        canonical_headers(request, signed_headers),
        signed_headers.join(";"),
        payload_hash,
    )
}

/// The string to sign: algorithm, request time (`YYYYMMDDTHHMMSSZ`), scope, and the hash of the
/// canonical request.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC takes a key of any length.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The signing key: `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
/// "aws4_request")`.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let k_date = hmac_sha256(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service.as_bytes());
    hmac_sha256(&k_service, b"aws4_request")
}

/// The signature: lower-case hex `HMAC(signing key, string to sign)`.
pub fn signature(signing_key: &[u8; 32], string_to_sign: &str) -> String {
    hex::encode(hmac_sha256(signing_key, string_to_sign.as_bytes()))
}

/// A signature that does not match: what the verifier computed, for the error message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The canonical request the verifier built.
    pub canonical_request: String,
    /// The string to sign the verifier built.
    pub string_to_sign: String,
}

/// Checks `authorization`'s signature of `request`, made at `amz_date` with `secret`. The time
/// window, the key and the session token are the caller's to check.
pub fn verify_signature(
    request: &WireRequest,
    authorization: &Authorization,
    amz_date: &str,
    secret: &str,
    normalize: bool,
) -> Result<(), Mismatch> {
    let payload_hash = sha256_hex(&request.body);
    verify_signature_with_payload_hash(
        request,
        authorization,
        amz_date,
        secret,
        normalize,
        &payload_hash,
    )
}

/// [`verify_signature`] of a request whose body is not in `request.body` (one streamed and
/// hashed as it arrived): `payload_hash` is the hex SHA-256 of its bytes.
pub fn verify_signature_with_payload_hash(
    request: &WireRequest,
    authorization: &Authorization,
    amz_date: &str,
    secret: &str,
    normalize: bool,
    payload_hash: &str,
) -> Result<(), Mismatch> {
    let creq = canonical_request_with_payload_hash(
        request,
        &authorization.signed_headers,
        normalize,
        payload_hash,
    );
    let sts = string_to_sign(amz_date, &authorization.scope(), &creq);
    let key = signing_key(
        secret,
        &authorization.date,
        &authorization.region,
        &authorization.service,
    );
    let matches = hex::decode(&authorization.signature).is_ok_and(|given| {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(sts.as_bytes());
        mac.verify_slice(&given).is_ok() // constant time
    });
    if matches {
        Ok(())
    } else {
        Err(Mismatch {
            canonical_request: creq,
            string_to_sign: sts,
        })
    }
}

/// Formats a time as SigV4's `YYYYMMDDTHHMMSSZ` (UTC).
pub fn format_amz_date(time: SystemTime) -> String {
    let secs = match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    };
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let mut out = String::with_capacity(16);
    // Writing into a String cannot fail.
    let _ = write!(
        out,
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    out
}

/// Parses SigV4's `YYYYMMDDTHHMMSSZ`; `None` for anything else.
pub fn parse_amz_date(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = s.get(range)?;
        if !digits.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    };
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, se) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se;
    let secs = u64::try_from(secs).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Standard base64 (with padding), for the hashed header AWS quotes in one error message.
fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_authorization_header() {
        let auth = parse_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, Signature=5fa0",
        )
        .unwrap();
        assert_eq!(auth.access_key_id, "AKIDEXAMPLE");
        assert_eq!(auth.scope(), "20150830/us-east-1/service/aws4_request");
        assert_eq!(auth.signed_headers, ["host", "x-amz-date"]);
        assert_eq!(auth.signature, "5fa0");
    }

    #[test]
    fn refuses_malformed_authorization_headers() {
        let err = parse_authorization("Bearer abc.def").unwrap_err();
        assert!(matches!(err, AuthorizationError::MissingEqualSign(_)));
        assert!(
            !err.to_string().contains("abc.def"),
            "never quotes the header: {err}"
        );
        assert_eq!(
            parse_authorization("AWS4-HMAC-SHA256 Credential=a/b/c/d/aws4_request").unwrap_err(),
            AuthorizationError::MissingParameters(vec!["Signature", "SignedHeaders"])
        );
        assert!(matches!(
            parse_authorization(
                "AWS4-HMAC-SHA512 Credential=a/b/c/d/aws4_request, SignedHeaders=host, Signature=0"
            ),
            Err(AuthorizationError::UnsupportedAlgorithm(_))
        ));
        for credential in [
            "a/b/c/d",
            "a/b/c/d/aws5_request",
            "/b/c/d/aws4_request",
            "a/b/c/d/e/aws4_request",
        ] {
            let header = format!(
                "AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders=host, Signature=0"
            );
            assert!(
                matches!(
                    parse_authorization(&header),
                    Err(AuthorizationError::MalformedCredential(_))
                ),
                "{credential}"
            );
        }
        assert!(parse_authorization("").is_err());
        assert!(parse_authorization("\u{1F600}=,=,,").is_err());
    }

    #[test]
    fn paths_are_normalized_then_encoded_again() {
        assert_eq!(canonical_uri("", true), "/");
        assert_eq!(canonical_uri("/a%20b/%2F/ü", true), "/a%2520b/%252F/%C3%BC");
        assert_eq!(canonical_uri("/a/./b/../c//d/", true), "/a/c/d/");
        assert_eq!(canonical_uri("/a/..", true), "/");
        assert_eq!(canonical_uri("/../..", true), "/");
        assert_eq!(canonical_uri("/a/.", true), "/a/");
        assert_eq!(canonical_uri("//a//", false), "//a//");
        assert_eq!(canonical_uri("/@:+", true), "/%40%3A%2B");
    }

    #[test]
    fn queries_are_decoded_encoded_and_sorted() {
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("b=2&a=1&a=0"), "a=0&a=1&b=2");
        assert_eq!(canonical_query("k&=v&x=a%20b+c%2f"), "=v&k=&x=a%20b%2Bc%2F");
        assert_eq!(canonical_query("%zz=100%"), "%25zz=100%25");
        assert_eq!(
            canonical_query("Param-3=1&Param=2&%E1%88%B4=3"),
            "%E1%88%B4=3&Param=2&Param-3=1"
        );
    }

    #[test]
    fn header_values_are_trimmed_and_joined() {
        let request = WireRequest {
            headers: vec![
                ("Host".into(), "h".into()),
                ("X-A".into(), "  a   b \t".into()),
                ("x-a".into(), "c\td".into()),
            ],
            ..WireRequest::default()
        };
        assert_eq!(
            canonical_headers(&request, &["host".into(), "x-a".into(), "x-missing".into()]),
            "host:h\nx-a:a b,c d\nx-missing:\n"
        );
    }

    #[test]
    fn amz_dates_round_trip() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        assert_eq!(format_amz_date(t), "20150830T123600Z");
        assert_eq!(parse_amz_date("20150830T123600Z"), Some(t));
        assert_eq!(format_amz_date(SystemTime::UNIX_EPOCH), "19700101T000000Z");
        let leap = parse_amz_date("20240229T235959Z").unwrap();
        assert_eq!(format_amz_date(leap), "20240229T235959Z");
        for bad in [
            "",
            "20150830T123600",
            "2015-08-30T12:36:00Z",
            "20151330T123600Z",
            "2015083OT123600Z",
            "+0150830T123600Z",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn base64_matches_rfc4648() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }

    #[test]
    fn a_signature_is_checked_whole() {
        let request = WireRequest {
            method: "GET".into(),
            path: "/".into(),
            headers: vec![
                ("Host".into(), "example.amazonaws.com".into()),
                ("X-Amz-Date".into(), "20150830T123600Z".into()),
            ],
            ..WireRequest::default()
        };
        let mut auth = parse_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        )
        .unwrap();
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        assert!(verify_signature(&request, &auth, "20150830T123600Z", secret, true).is_ok());
        assert!(verify_signature(&request, &auth, "20150830T123601Z", secret, true).is_err());
        assert!(verify_signature(&request, &auth, "20150830T123600Z", "other", true).is_err());
        auth.signature = "zz".into();
        let mismatch =
            verify_signature(&request, &auth, "20150830T123600Z", secret, true).unwrap_err();
        assert!(mismatch.canonical_request.starts_with("GET\n/\n\nhost:"));
    }
}
