//! Signing cost per request: the client's signing step vs the same request signed by calling
//! `aws-sigv4` directly, vs a bare SHA-256 of the body (the floor for large bodies), and vs the
//! cryptography alone that any SigV4 signer must do for the request (SHA-256 of the body and of
//! the canonical request, and the HMAC of the string to sign: the floor for small bodies).
//!
//! `cargo bench -p amplify-api --bench signing`; prints a ratio table after criterion's output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::borrow::Cow;
use std::hint::black_box;
use std::time::{Duration, SystemTime};

use amplify_api::__bench::{Signer, SigningScope, canonical_parts};
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use criterion::{BatchSize, Criterion, Throughput};
use http::{HeaderMap, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};

const URL: &str =
    "https://abc123.execute-api.us-east-1.amazonaws.com/dev/items/42?limit=10&q=a%20b";
const REGION: &str = "us-east-1";
const SERVICE: &str = "execute-api";
const SIZES: [(&str, usize); 4] = [
    ("0B", 0),
    ("1KiB", 1024),
    ("64KiB", 64 << 10),
    ("1MiB", 1 << 20),
];

/// Temporary credentials shaped like Cognito's (a session token of about 900 characters).
fn credentials() -> Credentials {
    let token: String = "IQoJb3JpZ2luX2VjEXAMPLE/+=".repeat(36);
    Credentials::new(
        "ASIAEXAMPLEEXAMPLE01",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Some(token),
        Some(SystemTime::now() + Duration::from_secs(3600)),
        "bench",
    )
}

/// The headers the client sends a POST with (signed: all but `user-agent`).
fn headers(len: usize) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("accept", HeaderValue::from_static("*/*"));
    h.insert("content-type", HeaderValue::from_static("application/json"));
    h.insert("content-length", HeaderValue::from(len));
    h.insert("x-trace", HeaderValue::from_static("bench-1"));
    h
}

/// What a user writes to sign a request with `aws-sigv4` directly (identity built once).
fn sign_with_aws_sigv4(
    headers: &mut HeaderMap,
    body: &[u8],
    identity: &Identity,
    time: SystemTime,
) {
    let pairs = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.to_str().unwrap()));
    let signable = SignableRequest::new("POST", URL, pairs, SignableBody::Bytes(body)).unwrap();
    let mut settings = SigningSettings::default();
    settings.excluded_headers = Some(vec![Cow::Borrowed("user-agent")]);
    let params = v4::SigningParams::builder()
        .identity(identity)
        .region(REGION)
        .name(SERVICE)
        .time(time)
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let (new_headers, _) = instructions.into_parts();
    for header in new_headers {
        let mut value = HeaderValue::from_str(header.value()).unwrap();
        value.set_sensitive(header.sensitive());
        headers.insert(HeaderName::from_static(header.name()), value);
    }
}

fn bench_signing(c: &mut Criterion) {
    let creds = credentials();
    let identity: Identity = creds.clone().into();
    let signer = Signer::default();
    // The send path signs the request's already parsed URL.
    let url = url::Url::parse(URL).unwrap();
    let time = SystemTime::now();
    let scope = SigningScope {
        credentials: &creds,
        region: REGION,
        service: SERVICE,
        time,
    };
    let mut group = c.benchmark_group("signing");
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    for (label, size) in SIZES {
        let body = vec![b'x'; size];
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_function(criterion::BenchmarkId::new("aws_sigv4", label), |b| {
            b.iter_batched_ref(
                || headers(size),
                |h| sign_with_aws_sigv4(h, black_box(&body), &identity, time),
                BatchSize::SmallInput,
            )
        });
        group.bench_function(criterion::BenchmarkId::new("amplify_api", label), |b| {
            b.iter_batched_ref(
                || headers(size),
                |h| {
                    signer
                        .sign("POST", &url, h, black_box(&body), &scope)
                        .unwrap()
                },
                BatchSize::SmallInput,
            )
        });
        // The same with an empty key cache each time: what the cached signing key saves.
        group.bench_function(
            criterion::BenchmarkId::new("amplify_api_uncached_key", label),
            |b| {
                b.iter_batched_ref(
                    || (Signer::default(), headers(size)),
                    |(fresh, h)| {
                        fresh
                            .sign("POST", &url, h, black_box(&body), &scope)
                            .unwrap()
                    },
                    BatchSize::SmallInput,
                )
            },
        );
        group.bench_function(criterion::BenchmarkId::new("sha256", label), |b| {
            b.iter(|| Sha256::digest(black_box(&body)))
        });
        // The cryptography alone, on the exact canonical request and string to sign (the body
        // hash of an empty body is a constant, which no signer needs to compute).
        let (creq, string_to_sign) =
            canonical_parts("POST", &url, &headers(size), &body, &scope).unwrap();
        let key = v4::generate_signing_key(creds.secret_access_key(), time, REGION, SERVICE);
        group.bench_function(criterion::BenchmarkId::new("crypto_floor", label), |b| {
            b.iter(|| {
                if !body.is_empty() {
                    black_box(Sha256::digest(black_box(&body)));
                }
                black_box(Sha256::digest(black_box(creq.as_bytes())));
                v4::calculate_signature(black_box(key.as_ref()), string_to_sign.as_bytes())
            })
        });
    }
    group.finish();
}

fn print_ratios(since: SystemTime) {
    println!("\nSigning, median per request (ratios from this run)");
    println!(
        "| body | aws-sigv4 direct | amplify-api | amplify-api / aws-sigv4 (target <= 1.10) | amplify-api, key not cached | SHA-256 of body | amplify-api / SHA-256 (1 MiB target <= 1.20) | hashes + HMAC only | amplify-api / that |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (label, _) in SIZES {
        let get = |f: &str| support::median_ns("signing", f, label, since);
        let (Some(bare), Some(ours), Some(uncached), Some(sha), Some(floor)) = (
            get("aws_sigv4"),
            get("amplify_api"),
            get("amplify_api_uncached_key"),
            get("sha256"),
            get("crypto_floor"),
        ) else {
            println!("| {label} | not measured in this run | | | | | | | |");
            continue;
        };
        println!(
            "| {label} | {} | {} | {:.2}x | {} ({:.2}x) | {} | {:.2}x | {} | {:.2}x |",
            support::human_ns(bare),
            support::human_ns(ours),
            ours / bare,
            support::human_ns(uncached),
            uncached / bare,
            support::human_ns(sha),
            ours / sha,
            support::human_ns(floor),
            ours / floor,
        );
    }
}

fn main() {
    let since = SystemTime::now();
    let mut criterion = Criterion::default().configure_from_args();
    bench_signing(&mut criterion);
    criterion.final_summary();
    print_ratios(since);
}
