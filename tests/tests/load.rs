//! Load and fault tests. The 10,000-request run is ignored by default (it takes a while);
//! `.ci/run` runs it in release.

mod common;

use std::time::{Duration, Instant};

use amplify_api::{Error, RetryPolicy};
use amplify_api_emulator::{Echo, Fault};
use common::{ECHO, api_with_retry, builder, emulator, retry_with_base_delay_ms, send_timing_out};
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

/// Sends `range` GETs, `concurrency` at a time; the failures.
async fn load(
    api: &amplify_api::EndpointClient,
    range: std::ops::Range<usize>,
    concurrency: usize,
) -> Vec<Error> {
    futures::stream::iter(range)
        .map(|i| {
            let api = api.clone();
            async move {
                api.get(format!("/load/{i}"))
                    .query("i", i.to_string())
                    .send()
                    .await
                    .err()
            }
        })
        .buffer_unordered(concurrency)
        .filter_map(|failure| async move { failure })
        .collect()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load test: run by .ci/run"]
async fn ten_thousand_requests_with_expiring_credentials_and_transient_failures() {
    const REQUESTS: usize = 10_000;
    const WARM_UP: usize = 2_000;
    const CONCURRENCY: usize = 256;
    let emu = emulator().await;
    // Credentials that expire every 2 seconds (refreshed at half-life, every second), and an API
    // that takes 150 ms per request: the run lasts about 6 seconds, so several refreshes happen
    // while 256 requests are in flight.
    let lifetime = Duration::from_secs(2);
    emu.cognito().set_credentials_lifetime(lifetime);
    emu.api().set_latency(Duration::from_millis(150));
    emu.api().fail_ratio(0.01);
    // Four attempts: with 1% independent failures a request fails for good with p = 1e-8 (with
    // the default three, 1e-6: one run in a hundred would see a failure).
    let client = builder(&emu)
        .retry(
            RetryPolicy::default()
                .max_attempts(4)
                .base_delay(Duration::from_millis(20)),
        )
        .build()
        .unwrap();
    let api = client.endpoint(ECHO).unwrap();
    let started = Instant::now();
    // Memory is bounded if it stops growing once the pipeline is full: the peak after the
    // warm-up is (nearly) the peak after all 10,000.
    let mut failures = load(&api, 0..WARM_UP, CONCURRENCY).await;
    let rss_warm = peak_rss_kib();
    failures.extend(load(&api, WARM_UP..REQUESTS, CONCURRENCY).await);
    let elapsed = started.elapsed();
    let rss_end = peak_rss_kib();
    let get_creds = emu.cognito().get_credentials_calls();
    let served = emu.api().requests_served();
    println!(
        "load: {REQUESTS} requests, concurrency {CONCURRENCY}, {:.1} s ({:.0} req/s); failures {}; \
         API requests served {served} (retries {}); Cognito GetId {} GetCredentialsForIdentity \
         {get_creds} (credentials live {lifetime:?}); peak RSS {rss_warm} KiB after {WARM_UP}, \
         {rss_end} KiB after {REQUESTS}",
        elapsed.as_secs_f64(),
        REQUESTS as f64 / elapsed.as_secs_f64(),
        failures.len(),
        served.saturating_sub(REQUESTS as u64),
        emu.cognito().get_id_calls(),
    );
    assert!(
        failures.is_empty(),
        "failures: {:?}",
        failures.iter().take(3).collect::<Vec<_>>()
    );
    assert!(served > REQUESTS as u64, "1% failed and were retried");
    assert_eq!(emu.cognito().get_id_calls(), 1);
    // One GetCredentialsForIdentity per refresh period (half the lifetime), plus the first.
    let periods = elapsed.as_secs_f64() / (lifetime / 2).as_secs_f64();
    let (fewest, most) = (periods.floor() as u64, periods.ceil() as u64 + 1);
    assert!(
        elapsed > lifetime * 2 && (fewest..=most).contains(&get_creds),
        "{get_creds} GetCredentialsForIdentity calls in {elapsed:?}: expected {fewest}..={most}"
    );
    assert!(
        rss_end < rss_warm + 16 * 1024,
        "memory grows with the request count: {rss_warm} -> {rss_end} KiB"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clock_skew_with_many_requests_in_flight_is_recovered_by_each() {
    let emu = emulator().await;
    emu.api().set_date_skew(20 * 60);
    // Slow enough that all requests are signed with the old clock before the first answer.
    emu.api().set_latency(Duration::from_millis(100));
    let client = builder(&emu).retry(RetryPolicy::none()).build().unwrap();
    let api = client.endpoint(ECHO).unwrap();
    let failures = load(&api, 0..32, 32).await;
    assert!(failures.is_empty(), "{:?}", failures.first());
    // Each request refused for its time was re-signed once; none needed more.
    assert_eq!(emu.api().requests_served(), 64);
    assert!((client.clock_offset_ms() / 1000 - 20 * 60).abs() <= 5);
}

#[tokio::test]
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
async fn dropped_connections_delays_and_5xx_are_survived() {
    let emu = emulator().await;
    let api = api_with_retry(&emu, retry_with_base_delay_ms(10));
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
    send_timing_out(
        "hang",
        api.get("/hang").timeout(Duration::from_millis(500)),
        Duration::from_millis(500),
        Duration::from_secs(5),
    )
    .await;
}

/// Sends `requests` GETs, 50 at a time, through a client of `budget` to an API that fails every
/// one with 503; the requests the API saw per request sent.
async fn traffic_ratio_against_a_failing_backend(
    budget: amplify_api::RetryBudget,
    requests: usize,
) -> f64 {
    let emu = emulator().await;
    let client = builder(&emu)
        .retry(retry_with_base_delay_ms(1))
        .retry_budget(budget)
        .build()
        .unwrap();
    let api = client.endpoint(ECHO).unwrap();
    api.get("/warm").send().await.unwrap();
    let before = emu.api().requests_served();
    emu.api().respond_next(usize::MAX, Fault::Status(503));
    let failures = load(&api, 0..requests, 50).await;
    assert_eq!(failures.len(), requests, "every request fails");
    (emu.api().requests_served() - before) as f64 / requests as f64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_retry_budget_keeps_a_failing_backends_traffic_near_its_normal_level() {
    const REQUESTS: usize = 2_000;
    let budgeted =
        traffic_ratio_against_a_failing_backend(amplify_api::RetryBudget::default(), REQUESTS)
            .await;
    let unlimited =
        traffic_ratio_against_a_failing_backend(amplify_api::RetryBudget::unlimited(), REQUESTS)
            .await;
    println!(
        "retry budget: {REQUESTS} requests to an API failing every one with 503, 3 attempts \
         each: {budgeted:.3} requests served per request with the standard budget, \
         {unlimited:.3} without"
    );
    // 500 tokens at 5 a retry: 100 retries for the whole client, then one attempt per request.
    assert!(
        (1.0..=1.1).contains(&budgeted),
        "with the budget the backend saw {budgeted:.3}x its traffic"
    );
    assert!(
        (unlimited - 3.0).abs() < 1e-9,
        "the control: without it, every attempt ({unlimited:.3}x)"
    );
}
