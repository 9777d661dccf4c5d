//! Known-answer proof of the emulator's independent SigV4 verifier: for every case of the AWS
//! signing test suite (`tests/fixtures/sigv4-test-suite/v4`), the verifier's own code rebuilds the
//! expected canonical request, string to sign and signature from the signed request, and accepts
//! it.
//!
//! Each case is read from `header-signed-request.txt` (the request as it goes on the wire,
//! `Authorization` included), so every step is the one the emulator takes for a real request.
//!
//! One case differs, and is checked for exactly the expected difference: `double-encode-path`,
//! whose canonical request file carries another date (`20210511T154045Z`) than its request
//! (`20150830T123600Z`), and which has no string to sign; its canonical URI line, and its
//! signature (made from the request), are reproduced.
//!
//! One case is reproduced only from its signed request: `get-space-normalized`. Its signed
//! request has the space raw in the path, as `get-space-unnormalized` does, and is reproduced
//! exactly; its `request.txt` has it encoded (`/example%20space/`), and for that the suite
//! expects single encoding (`%20`), as S3 does, where API Gateway and so the verifier encode the
//! path as received once more (`%2520`), as the suite's own `double-url-encode` and
//! `double-encode-path` cases expect. (smithy-rs skips this case for that reason.)
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use amplify_api_emulator::sigv4_verify::{
    self, WireRequest, canonical_request, parse_authorization, signature, signing_key,
    string_to_sign,
};
use serde::Deserialize;

const SUITE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/sigv4-test-suite/v4"
);

/// The AWS suite's example secret, for the cases without a `context.json`.
const EXAMPLE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

#[derive(Deserialize)]
struct Context {
    credentials: ContextCredentials,
    region: String,
    service: String,
    #[serde(default = "yes")]
    normalize: bool,
    timestamp: String,
}

#[derive(Deserialize)]
struct ContextCredentials {
    access_key_id: String,
    secret_access_key: String,
}

fn yes() -> bool {
    true
}

/// The suite's cases, by name.
fn cases() -> BTreeMap<String, PathBuf> {
    std::fs::read_dir(SUITE)
        .expect("the suite is in the fixtures")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect()
}

fn read(dir: &Path, file: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(file))
        .ok()
        .map(|s| s.trim_end_matches('\n').to_owned())
}

/// Parses a raw HTTP/1.1 request as the suite writes it: request line (`HTTP/1.1` optional),
/// headers (`Name:value`, folded continuation lines joined with a space), blank line, body.
fn parse_request(raw: &str) -> WireRequest {
    let (head, body) = raw.split_once("\n\n").unwrap_or((raw, ""));
    let mut lines = head.lines();
    let request_line = lines.next().expect("a request line");
    let (method, target) = request_line.split_once(' ').expect("method and target");
    let target = target.strip_suffix(" HTTP/1.1").unwrap_or(target);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            let (_, value) = headers.last_mut().expect("a folded line follows a header");
            value.push(' ');
            value.push_str(line.trim());
        } else {
            let (name, value) = line.split_once(':').expect("Name:value");
            headers.push((name.to_owned(), value.trim().to_owned()));
        }
    }
    WireRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        headers,
        body: body.as_bytes().to_vec(),
    }
}

/// What one case signs with.
struct Signing {
    secret: String,
    normalize: bool,
}

fn signing(name: &str, dir: &Path, request: &WireRequest) -> Signing {
    match read(dir, "context.json") {
        Some(json) => {
            let context: Context = serde_json::from_str(&json).unwrap();
            let auth = parse_authorization(request.header("authorization").unwrap()).unwrap();
            // The signed request agrees with its context.
            assert_eq!(
                auth.access_key_id, context.credentials.access_key_id,
                "{name}"
            );
            assert_eq!(
                (auth.region.as_str(), auth.service.as_str()),
                (context.region.as_str(), context.service.as_str()),
                "{name}"
            );
            let compact: String = context
                .timestamp
                .chars()
                .filter(|c| !matches!(c, '-' | ':'))
                .collect();
            assert_eq!(
                request.header("x-amz-date"),
                Some(compact.as_str()),
                "{name}"
            );
            Signing {
                secret: context.credentials.secret_access_key,
                normalize: context.normalize,
            }
        }
        // The two older cases: `double-encode-path` was signed with smithy-rs's test credentials.
        None if name == "double-encode-path" => Signing {
            secret: "notrealrnrELgWzOk3IfjzDKtFBhDby".into(),
            normalize: true,
        },
        None => Signing {
            secret: EXAMPLE_SECRET.into(),
            normalize: true,
        },
    }
}

/// Checks one case; `Err` says what differs.
fn check(name: &str, dir: &Path) -> Result<(), String> {
    let request = parse_request(&read(dir, "header-signed-request.txt").unwrap());
    let signing = signing(name, dir, &request);
    let header = request
        .header("authorization")
        .ok_or("no Authorization header")?;
    let auth = parse_authorization(header).map_err(|e| e.to_string())?;
    let amz_date = request.header("x-amz-date").ok_or("no X-Amz-Date header")?;

    let creq = canonical_request(&request, &auth.signed_headers, signing.normalize);
    let expected_creq = read(dir, "header-canonical-request.txt").unwrap();
    if creq != expected_creq {
        return Err(format!(
            "canonical request:\n{creq}\n--- expected:\n{expected_creq}"
        ));
    }
    let sts = string_to_sign(amz_date, &auth.scope(), &creq);
    if let Some(expected) = read(dir, "header-string-to-sign.txt")
        && sts != expected
    {
        return Err(format!("string to sign:\n{sts}\n--- expected:\n{expected}"));
    }
    let sig = signature(
        &signing_key(&signing.secret, &auth.date, &auth.region, &auth.service),
        &sts,
    );
    if sig != auth.signature {
        return Err(format!(
            "signature {sig}, the signed request has {}",
            auth.signature
        ));
    }
    if let Some(expected) = read(dir, "header-signature.txt")
        && sig != expected
    {
        return Err(format!("signature {sig}, expected {expected}"));
    }
    sigv4_verify::verify_signature(
        &request,
        &auth,
        amz_date,
        &signing.secret,
        signing.normalize,
    )
    .map_err(|m| format!("verify_signature refused it:\n{}", m.canonical_request))
}

/// The case whose expected files are not all consistent with its request (see the top).
const DIFFERENT: [&str; 1] = ["double-encode-path"];

#[test]
fn every_applicable_case_is_reproduced() {
    let cases = cases();
    assert_eq!(cases.len(), 40, "the whole v4 suite is in the fixtures");
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, dir) in &cases {
        if DIFFERENT.contains(&name.as_str()) {
            continue;
        }
        checked += 1;
        if let Err(e) = check(name, dir) {
            failures.push(format!("== {name}: {e}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checked, 39);
}

#[test]
fn get_space_normalized_in_its_encoded_form_is_double_encoded() {
    let dir = &cases()["get-space-normalized"];
    let signed = parse_request(&read(dir, "header-signed-request.txt").unwrap());
    assert_eq!(
        signed.path, "/example space/",
        "reproduced by every_applicable_case_is_reproduced"
    );
    // The same request with the path as it would really arrive, encoded: API Gateway encodes it
    // once more, where the suite (S3-style) expects it kept.
    let arrived = parse_request(&read(dir, "request.txt").unwrap());
    assert_eq!(arrived.path, "/example%20space/");
    let auth = parse_authorization(signed.header("authorization").unwrap()).unwrap();
    let encoded = WireRequest {
        headers: signed.headers.clone(),
        ..arrived
    };
    let creq = canonical_request(&encoded, &auth.signed_headers, true);
    let expected = read(dir, "header-canonical-request.txt").unwrap();
    assert_eq!(
        creq,
        expected.replacen("/example%20space/", "/example%2520space/", 1)
    );
}

#[test]
fn double_encode_path_signature_and_uri_are_reproduced() {
    let dir = &cases()["double-encode-path"];
    let request = parse_request(&read(dir, "header-signed-request.txt").unwrap());
    let auth = parse_authorization(request.header("authorization").unwrap()).unwrap();
    let creq = canonical_request(&request, &auth.signed_headers, true);
    let expected = read(dir, "header-canonical-request.txt").unwrap();
    assert_eq!(
        creq.lines().nth(1),
        Some("/test/%40connections/JBDvjfGEIAMCERw%253D")
    );
    assert_eq!(creq.lines().nth(1), expected.lines().nth(1));
    // The file's date is not the request's; with the request's, everything else is equal.
    assert_eq!(
        creq,
        expected.replace("20210511T154045Z", "20150830T123600Z")
    );
    let secret = "notrealrnrELgWzOk3IfjzDKtFBhDby";
    let sts = string_to_sign("20150830T123600Z", &auth.scope(), &creq);
    let sig = signature(
        &signing_key(secret, &auth.date, &auth.region, &auth.service),
        &sts,
    );
    assert_eq!(
        sig,
        "57d157672191bac40bae387e48bbe14b15303c001fdbb01f4abf295dccb09705"
    );
    assert_eq!(sig, auth.signature);
}

#[test]
fn a_changed_byte_anywhere_is_refused() {
    let dir = &cases()["post-x-www-form-urlencoded"];
    let request = parse_request(&read(dir, "header-signed-request.txt").unwrap());
    let auth = parse_authorization(request.header("authorization").unwrap()).unwrap();
    let date = "20150830T123600Z";
    assert!(sigv4_verify::verify_signature(&request, &auth, date, EXAMPLE_SECRET, true).is_ok());
    let mut body = request.clone();
    body.body[0] ^= 1;
    let mut path = request.clone();
    path.path.push('x');
    let mut query = request.clone();
    query.query.push_str("a=1");
    let mut header = request.clone();
    header
        .headers
        .iter_mut()
        .find(|(n, _)| n == "Content-Type")
        .unwrap()
        .1
        .push('x');
    let mut method = request.clone();
    method.method = "PUT".into();
    for (what, changed) in [
        ("body", body),
        ("path", path),
        ("query", query),
        ("header", header),
        ("method", method),
    ] {
        assert!(
            sigv4_verify::verify_signature(&changed, &auth, date, EXAMPLE_SECRET, true).is_err(),
            "{what}"
        );
    }
    assert!(sigv4_verify::verify_signature(&request, &auth, date, "another secret", true).is_err());
}
