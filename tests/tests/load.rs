//! Load and fault tests: ignored by default (they take a while); `.ci/run` runs them in release.

mod common;

use std::time::{Duration, Instant};

use amplify_api::test_util::{Echo, Fault};
use amplify_api::{Error, RetryPolicy};
use common::{ECHO, builder, emulator};
use futures::StreamExt;

/// Peak resident memory of this process, in KiB (Linux).
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load test: run by .ci/run"]
async fn ten_thousand_requests_with_expiring_credentials_and_transient_failures() {
    const REQUESTS: usize = 10_000;
    const CONCURRENCY: usize = 256;
    let emu = emulator().await;
    // Short enough that credentials are refreshed several times even in a fast run (10,000
    // requests take about a second in release): each refresh at half-life, 250 ms.
    let lifetime = Duration::from_millis(500);
    emu.cognito().set_credentials_lifetime(lifetime);
    emu.api().fail_ratio(0.01);
    // Four attempts: with 1% independent failures, a request fails for good with p = 1e-8.
    let client = builder(&emu)
        .retry(
            RetryPolicy::default()
                .max_attempts(4)
                .base_delay(Duration::from_millis(20)),
        )
        .build()
        .unwrap();
    let api = client.endpoint(ECHO).unwrap();
    let rss_before = peak_rss_kib();
    let started = Instant::now();
    let results: Vec<Result<u16, Error>> = futures::stream::iter(0..REQUESTS)
        .map(|i| {
            let api = api.clone();
            async move {
                let r = api
                    .get(format!("/load/{i}"))
                    .query("i", i.to_string())
                    .send()
                    .await?;
                Ok(r.status().as_u16())
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let elapsed = started.elapsed();
    let failures: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    let get_creds = emu.cognito().get_credentials_calls();
    let rss_after = peak_rss_kib();
    println!(
        "load: {REQUESTS} requests, concurrency {CONCURRENCY}, {:.1} s ({:.0} req/s); failures {}; \
         API requests served {} (retries {}); Cognito GetId {} GetCredentialsForIdentity {}; \
         peak RSS {} KiB -> {} KiB",
        elapsed.as_secs_f64(),
        REQUESTS as f64 / elapsed.as_secs_f64(),
        failures.len(),
        emu.api().requests_served(),
        emu.api().requests_served().saturating_sub(REQUESTS as u64),
        emu.cognito().get_id_calls(),
        get_creds,
        rss_before,
        rss_after,
    );
    assert!(
        failures.is_empty(),
        "failures: {:?}",
        failures.iter().take(3).collect::<Vec<_>>()
    );
    assert_eq!(emu.cognito().get_id_calls(), 1);
    // Refreshed at half-life: one GetCredentialsForIdentity per half-life of run, plus the first.
    let refresh_every = lifetime / 2;
    let most = (elapsed.as_secs_f64() / refresh_every.as_secs_f64()).ceil() as u64 + 1;
    assert!(
        get_creds >= 1 && get_creds <= most,
        "{get_creds} calls in {elapsed:?}, at most {most}"
    );
    if elapsed > lifetime {
        assert!(get_creds >= 2, "credentials were refreshed during the run");
    }
    assert!(
        rss_after < rss_before + 256 * 1024,
        "memory bounded: {rss_before} -> {rss_after} KiB"
    );
}

#[tokio::test]
#[ignore = "fault test: run by .ci/run"]
async fn clock_skew_of_twenty_minutes_either_way_is_recovered() {
    for skew_secs in [20 * 60, -20 * 60] {
        let emu = emulator().await;
        emu.api().set_date_skew(skew_secs);
        let client = builder(&emu).retry(RetryPolicy::none()).build().unwrap();
        let api = client.endpoint(ECHO).unwrap();
        // The first request is refused for its time, the clock corrected, the request re-signed.
        let echo: Echo = api.get("/skewed").send().await.unwrap().json().unwrap();
        assert_eq!(echo.path, "/skewed");
        let offset = client.clock_offset_ms() / 1000;
        assert!(
            (offset - skew_secs).abs() <= 5,
            "offset {offset} s for skew {skew_secs} s"
        );
        assert_eq!(emu.api().requests_served(), 2);
        // Later requests use the offset from the start.
        for _ in 0..3 {
            api.post("/skewed").text("x").send().await.unwrap();
        }
        assert_eq!(emu.api().requests_served(), 5);
    }
}

#[tokio::test]
#[ignore = "fault test: run by .ci/run"]
async fn dropped_connections_delays_and_5xx_are_survived() {
    let emu = emulator().await;
    let client = builder(&emu)
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(10)))
        .build()
        .unwrap();
    let api = client.endpoint(ECHO).unwrap();
    for fault in [
        Fault::DropConnection,
        Fault::Status(503),
        Fault::Status(429),
        Fault::Delay(Duration::from_millis(200)),
    ] {
        emu.api().respond_next(1, fault);
        let resp = api.get("/flaky").send().await.unwrap();
        assert_eq!(resp.status(), 200);
    }
    // A server that never answers ends in a timeout.
    emu.api().respond_next(10, Fault::Hang);
    let err = api
        .get("/hang")
        .timeout(Duration::from_millis(500))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
}
