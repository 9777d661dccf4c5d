//! How many times signing a request calls the allocator: counted by a counting global allocator
//! (this binary's only test, so that no other thread allocates while it counts). Signing is on
//! every signed request of every surface; what it allocates is contended between the threads
//! sending (BENCHMARKS.md, "How fast is it against plain reqwest?").

#![allow(clippy::unwrap_used)]

use std::alloc::System;
use std::time::{Duration, SystemTime};

use amplify_api::__bench::{Signer, SigningScope};
use aws_credential_types::Credentials;
use http::{HeaderMap, HeaderValue};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[test]
fn signing_a_request_allocates_at_most_three_times() {
    // Temporary credentials shaped like Cognito's (a long session token).
    let credentials = Credentials::new(
        "ASIAEXAMPLEEXAMPLE01",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Some("IQoJb3JpZ2luX2VjEXAMPLE/+=".repeat(36)),
        None,
        "test",
    );
    let scope = SigningScope {
        credentials: &credentials,
        region: "us-east-1",
        service: "execute-api",
        time: SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_000_000),
    };
    let url =
        url::Url::parse("https://abc123.execute-api.us-east-1.amazonaws.com/dev/items/42?limit=10")
            .unwrap();
    let signer = Signer::default();
    let headers = || {
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert("accept", HeaderValue::from_static("*/*"));
        headers.insert("x-tag", HeaderValue::from_static("a b"));
        headers
    };
    // The first signature derives and caches the day's key.
    signer
        .sign("GET", &url, &mut headers(), b"", &scope)
        .unwrap();

    let mut signed = headers();
    let region = Region::new(GLOBAL);
    signer.sign("GET", &url, &mut signed, b"", &scope).unwrap();
    let stats = region.change();
    // The canonical request, the `authorization` value, the `x-amz-date` value: nothing else
    // (the string to sign, the signed-header list and what was signed are not built to send).
    let calls = stats.allocations + stats.reallocations;
    assert!(calls <= 3, "signing allocated {calls} times ({stats:?})");
    assert!(signed.contains_key("authorization") && signed.contains_key("x-amz-security-token"));
}
