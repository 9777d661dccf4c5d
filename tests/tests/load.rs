//! Load and fault tests. The 10,000-request run and the 100,000-request memory run are ignored by
//! default (they take a while); `.ci/run` runs them in release. The tests of this file run one at
//! a time (see [`SERIAL`]), so the memory run's counts are its own.

mod common;

use std::time::{Duration, Instant};

use amplify_api::{Error, RetryPolicy};
use amplify_api_emulator::{Echo, Fault};
use common::{ECHO, api_with_retry, builder, emulator, retry_with_base_delay_ms, send_timing_out};
use futures::StreamExt;

/// Counts the heap of the whole test process (client and in-process emulator): live bytes are
/// exact, where RSS also moves with the allocator's caching.
#[global_allocator]
static HEAP: &stats_alloc::StatsAlloc<std::alloc::System> = &stats_alloc::INSTRUMENTED_SYSTEM;

/// One test of this file at a time: the memory run measures the whole process.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Bytes on the heap now: allocated less freed (a reallocation counts its growth as allocated,
/// its shrinking as freed).
fn live_heap_bytes() -> i64 {
    let s = HEAP.stats();
    s.bytes_allocated as i64 - s.bytes_deallocated as i64
}

/// A `kB` field of `status` (the text of `/proc/self/status`), such as `VmRSS` or `VmHWM`. An
/// error when it is missing: a memory check cannot pass on a figure it could not read.
fn status_kib(status: &str, field: &str) -> Result<u64, String> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("no {field} in the process status"))
}

/// A `kB` field of `/proc/self/status` (Linux); panics when it cannot be read.
fn proc_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status")
        .unwrap_or_else(|e| panic!("cannot read /proc/self/status for {field}: {e}"));
    status_kib(&status, field).unwrap_or_else(|e| panic!("{e}"))
}

/// Peak resident memory of this process, in KiB.
fn peak_rss_kib() -> u64 {
    proc_kib("VmHWM")
}

#[test]
fn a_memory_figure_that_cannot_be_read_fails_the_check() {
    let status = "Name:\tload\nVmHWM:\t   24512 kB\nVmRSS:\t   20480 kB\n";
    assert_eq!(status_kib(status, "VmHWM"), Ok(24512));
    assert_eq!(status_kib(status, "VmRSS"), Ok(20480));
    // Missing, or unreadable: an error, never 0 (which any "below the limit" check passes).
    assert!(status_kib("Name:\tload\n", "VmHWM").is_err());
    assert!(status_kib("VmHWM:\t kB\n", "VmHWM").is_err());
    assert!(status_kib("VmHWMX:\t 1 kB\n", "VmHWM").is_err());
    assert!(std::panic::catch_unwind(|| proc_kib("NoSuchField")).is_err());
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
    let _serial = SERIAL.lock().await;
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
    // The pipeline's peak is reached in the warm-up; the growth per request is measured over
    // a longer run by `memory_is_flat_over_a_hundred_thousand_requests`.
    assert!(
        rss_end < rss_warm + 16 * 1024,
        "memory grows with the request count: {rss_warm} -> {rss_end} KiB"
    );
}

/// Growth per request of the live heap and of RSS after a warm-up: 100,000 signed GETs at
/// concurrency 256 through one client, against the emulator (which verifies every signature),
/// with credentials refreshed every second. The live heap is read every 20,000 requests: a leak
/// grows it in every stretch alike, while what settles in steps (the connections' buffers,
/// pools and tables of client and emulator, read between two batches) grows it in some
/// stretches and not others. Flat runs measured stretches from 0.06 to 81 B per request (a
/// 1.6 MB step), each run with at least one stretch under 0.6 B, and up to 20.4 B per request
/// over all four.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load test: run by .ci/run"]
async fn memory_is_flat_over_a_hundred_thousand_requests() {
    const WARM_UP: usize = 20_000;
    const STRETCH: usize = 20_000;
    const STRETCHES: usize = 4;
    const REQUESTS: usize = WARM_UP + STRETCH * STRETCHES;
    const CONCURRENCY: usize = 256;
    /// Live heap bytes the steadiest stretch may add per request: a leak of one small
    /// allocation per request is 16 bytes or more, in every stretch.
    const HEAP_BYTES_PER_REQUEST: f64 = 4.0;
    /// What all stretches together may add per request: steps of up to 2.6 MB in all (a
    /// table or log doubling with every request it holds would pass the steadiest stretch).
    const HEAP_STEPS_BYTES_PER_REQUEST: f64 = 32.0;
    /// RSS the steadiest stretch may add per request (allocator caching moves it by a few
    /// hundred KiB either way, in steps like the heap's).
    const RSS_BYTES_PER_REQUEST: f64 = 32.0;
    let _serial = SERIAL.lock().await;
    let emu = emulator().await;
    emu.cognito()
        .set_credentials_lifetime(Duration::from_secs(2));
    let client = builder(&emu).build().unwrap();
    let api = client.endpoint(ECHO).unwrap();
    let started = Instant::now();
    let mut failures = load(&api, 0..WARM_UP, CONCURRENCY).await;
    let mut heap = vec![live_heap_bytes()];
    let mut rss = vec![proc_kib("VmRSS")];
    for k in 0..STRETCHES {
        let from = WARM_UP + k * STRETCH;
        failures.extend(load(&api, from..from + STRETCH, CONCURRENCY).await);
        heap.push(live_heap_bytes());
        rss.push(proc_kib("VmRSS"));
    }
    let elapsed = started.elapsed();
    let per_request = |from: f64, to: f64, n: usize| (to - from) / n as f64;
    let stretches: Vec<f64> = heap
        .windows(2)
        .map(|w| per_request(w[0] as f64, w[1] as f64, STRETCH))
        .collect();
    let steadiest = stretches.iter().copied().fold(f64::INFINITY, f64::min);
    let heap_all = per_request(heap[0] as f64, heap[STRETCHES] as f64, STRETCH * STRETCHES);
    let rss_stretches: Vec<f64> = rss
        .windows(2)
        .map(|w| per_request(w[0] as f64 * 1024.0, w[1] as f64 * 1024.0, STRETCH))
        .collect();
    let rss_steadiest = rss_stretches.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "memory: {REQUESTS} requests, concurrency {CONCURRENCY}, {:.1} s ({:.0} req/s); \
         failures {}; live heap after {WARM_UP}: {} B, growth per request in each {STRETCH} \
         after: {:.3?} B ({heap_all:.3} B over all); RSS {rss:?} KiB ({rss_stretches:.1?} B \
         per request); peak RSS {} KiB",
        elapsed.as_secs_f64(),
        REQUESTS as f64 / elapsed.as_secs_f64(),
        failures.len(),
        heap[0],
        stretches,
        peak_rss_kib(),
    );
    assert!(failures.is_empty(), "failures: {:?}", failures.first());
    assert_eq!(emu.api().requests_served(), REQUESTS as u64);
    assert!(
        steadiest <= HEAP_BYTES_PER_REQUEST && heap_all <= HEAP_STEPS_BYTES_PER_REQUEST,
        "the live heap grows by {stretches:.3?} B per request in each stretch of {STRETCH}"
    );
    assert!(
        rss_steadiest <= RSS_BYTES_PER_REQUEST,
        "RSS grows by {rss_stretches:.1?} B per request in each stretch of {STRETCH}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clock_skew_with_many_requests_in_flight_is_recovered_by_each() {
    let _serial = SERIAL.lock().await;
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
    let _serial = SERIAL.lock().await;
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
    let _serial = SERIAL.lock().await;
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
    let _serial = SERIAL.lock().await;
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
