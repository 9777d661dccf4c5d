//! End to end on loopback: amplify-api (signed, cached credentials) vs raw `reqwest` (unsigned), vs
//! `reqwest` sending amplify-api's exact header bytes precomputed (the wire's own floor), vs a
//! hand-written `aws-sigv4` + `reqwest` client, vs the same signer as a `reqwest-middleware`
//! middleware (with `--features reqwest-middleware`) and as a `tower` layer around reqwest (with
//! `--features tower`), against a minimal hyper server.
//!
//! Besides throughput and latency, every client run reports the stable measures: its CPU per
//! request, user and system apart (`getrusage` around the measured run), its voluntary and
//! involuntary context switches per request, and its heap allocations per request (a counting
//! global allocator, `stats_alloc`, wraps the system one in every variant alike).
//!
//! `cargo bench -p amplify-api --bench loopback`. The binary runs in three roles:
//! - no role argument (what `cargo bench` does): the orchestrator. It starts the server as a child
//!   process, then runs every client as its own child process, so each one's CPU time and peak
//!   RSS are its own and the server's CPU is accounted apart. Clients run interleaved, `ROUNDS`
//!   times, and the table shows each figure's median over the rounds.
//! - `--server`: serves HTTP/1.1 on 127.0.0.1 (port printed on stdout) until stdin closes.
//! - `--client VARIANT SCENARIO CONCURRENCY PORT MILLIS`: one load run; prints one JSON line.
//!
//! Environment: `LOOPBACK_SECS` (measured seconds per client run, default 3), `LOOPBACK_ROUNDS`
//! (default 5), `LOOPBACK_ONLY` (a scenario filter such as `get-c64`), `LOOPBACK_VARIANTS` (a
//! comma-separated subset of the clients; raw `reqwest` always runs, as the ratios' base),
//! `LOOPBACK_WORKERS` (the clients' tokio worker threads, default 2), `LOOPBACK_SERVER_CPUS` and
//! `LOOPBACK_CLIENT_CPUS` (CPU lists for `taskset -c`, e.g. `0` and `1`: the server and the
//! clients each on cores of their own, so neither's scheduling inflates the other's CPU); for a
//! client run, `LOOPBACK_COUNT=N` sends exactly N requests without warm-up, split over
//! CONCURRENCY loops (for instruction and syscall counts under callgrind, strace or perf).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use amplify_api::{Client, Endpoint, RetryPolicy};
use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use bytes::Bytes;
use http::{HeaderName, HeaderValue};

/// Counts every allocation of the process (the same for every variant, so ratios stay fair).
#[global_allocator]
static GLOBAL: &stats_alloc::StatsAlloc<std::alloc::System> = &stats_alloc::INSTRUMENTED_SYSTEM;

const VARIANTS: [&str; 7] = [
    "reqwest",
    "reqwest-same-headers",
    "handwritten",
    "amplify-api",
    // The same signer as a `reqwest-middleware` middleware (feature `reqwest-middleware`).
    "amplify-api-middleware",
    // The same signer as a `tower` layer around reqwest (feature `tower`).
    "amplify-api-layer",
    // The wire floor made slower on purpose: it spins `LOOPBACK_SPIN_NS` (default 4000) of CPU
    // before each request, as signing would. Runs only when named in `LOOPBACK_VARIANTS`: it
    // shows which part of a slower client's "CPU over the floor" is not its own work but the
    // kernel waking a less busy loopback server.
    "reqwest-same-headers-spin",
];
/// Variants run only when named in `LOOPBACK_VARIANTS`.
const ON_REQUEST: [&str; 1] = ["reqwest-same-headers-spin"];
/// Whether variant `v` is built into this binary (the middleware and the layer need features).
fn built(v: usize) -> bool {
    match VARIANTS[v] {
        "amplify-api-middleware" => cfg!(feature = "reqwest-middleware"),
        "amplify-api-layer" => cfg!(feature = "tower"),
        _ => true,
    }
}
/// The wire-floor variant's index in [`VARIANTS`] (the second ratio column's base).
const FLOOR: usize = 1;
const SCENARIOS: [(&str, usize); 4] = [("get", 1), ("get", 64), ("post64k", 1), ("post64k", 64)];
const WARMUP: Duration = Duration::from_millis(500);
const POST_BYTES: usize = 64 << 10;
const REGION: &str = "us-east-1";
const SERVICE: &str = "execute-api";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--server") => server(),
        Some("--client") => {
            let variant = args[1].clone();
            let scenario = args[2].clone();
            let concurrency: usize = args[3].parse().unwrap();
            let port: u16 = args[4].parse().unwrap();
            let millis: u64 = args[5].parse().unwrap();
            client(
                &variant,
                &scenario,
                concurrency,
                port,
                Duration::from_millis(millis),
            );
        }
        // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing useful either.
        _ => orchestrate(),
    }
}

// ---------------------------------------------------------------------------------------------
// Process accounting (Linux /proc: the same utime/stime getrusage reports, and VmHWM).

/// User + system CPU time of process `pid` so far (all its threads), in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the file, 12th and 13th after the name.
    (ticks(11) + ticks(12)) / clock_ticks_per_second()
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// This process's resource usage so far (all its threads): `getrusage(RUSAGE_SELF)`.
fn rusage() -> nix::sys::resource::Usage {
    nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_SELF).unwrap()
}

fn micros(t: nix::sys::time::TimeVal) -> f64 {
    t.tv_sec() as f64 * 1e6 + t.tv_usec() as f64
}

/// Peak resident set size of this process, in KiB.
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

// ---------------------------------------------------------------------------------------------
// Server role: a minimal hyper HTTP/1.1 server that reads the whole body and answers 200.

fn server() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("{}", listener.local_addr().unwrap().port());
        std::io::stdout().flush().unwrap();
        // Exit when the orchestrator closes our stdin (or dies).
        std::thread::spawn(|| {
            let _ = std::io::stdin().read_to_end(&mut Vec::new());
            std::process::exit(0);
        });
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let service = hyper::service::service_fn(
                    |req: hyper::Request<hyper::body::Incoming>| async move {
                        use http_body_util::BodyExt;
                        let body = req.into_body().collect().await?.to_bytes();
                        let reply = if body.is_empty() {
                            Bytes::from_static(br#"{"items":[{"id":42,"name":"pen"}]}"#)
                        } else {
                            Bytes::from_static(br#"{"stored":true}"#)
                        };
                        let mut resp = hyper::Response::new(http_body_util::Full::new(reply));
                        resp.headers_mut().insert(
                            http::header::CONTENT_TYPE,
                            HeaderValue::from_static("application/json"),
                        );
                        Ok::<_, hyper::Error>(resp)
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Client role.

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

/// One way of sending the scenario's request.
enum Sender {
    Raw(reqwest::Client),
    /// Raw reqwest with amplify-api's header bytes, captured once and replayed unsigned.
    SameHeaders(reqwest::Client, http::HeaderMap),
    /// `SameHeaders` after spinning this long on the CPU.
    SameHeadersSpin(reqwest::Client, http::HeaderMap, Duration),
    Handwritten(reqwest::Client, Identity),
    Ours(amplify_api::EndpointClient),
    #[cfg(feature = "reqwest-middleware")]
    Middleware(reqwest_middleware::ClientWithMiddleware),
    #[cfg(feature = "tower")]
    Layer(LayerService),
}

/// The `tower` layer around reqwest (`reqwest::Client` as a `Service<http::Request<_>>`).
#[cfg(feature = "tower")]
type LayerService = amplify_api::layer::SigV4Service<
    tower::util::BoxCloneSyncService<
        http::Request<http_body_util::Full<Bytes>>,
        http::Response<reqwest::Body>,
        reqwest::Error,
    >,
>;

struct Load {
    sender: Sender,
    base: String,
    post: bool,
    body: Bytes,
}

impl Load {
    async fn once(&self) {
        let status = match &self.sender {
            Sender::Raw(http) => {
                let req = if self.post {
                    http.post(format!("{}/items", self.base))
                        .body(self.body.clone())
                } else {
                    http.get(format!("{}/items/42?limit=10", self.base))
                };
                let resp = req.send().await.unwrap();
                let status = resp.status();
                black_hole(resp.bytes().await.unwrap());
                status
            }
            Sender::SameHeaders(http, headers) | Sender::SameHeadersSpin(http, headers, _) => {
                if let Sender::SameHeadersSpin(_, _, spin) = &self.sender {
                    let start = Instant::now();
                    while start.elapsed() < *spin {
                        std::hint::spin_loop();
                    }
                }
                let req = if self.post {
                    http.post(format!("{}/items", self.base))
                        .body(self.body.clone())
                } else {
                    http.get(format!("{}/items/42?limit=10", self.base))
                };
                let resp = req.headers(headers.clone()).send().await.unwrap();
                let status = resp.status();
                black_hole(resp.bytes().await.unwrap());
                status
            }
            Sender::Handwritten(http, identity) => {
                let mut req = if self.post {
                    http.post(format!("{}/items", self.base))
                        .header("content-type", "application/octet-stream")
                        .body(self.body.clone())
                        .build()
                        .unwrap()
                } else {
                    http.get(format!("{}/items/42?limit=10", self.base))
                        .build()
                        .unwrap()
                };
                sign_handwritten(&mut req, &self.body, self.post, identity);
                let resp = http.execute(req).await.unwrap();
                let status = resp.status();
                black_hole(resp.bytes().await.unwrap());
                status
            }
            #[cfg(feature = "reqwest-middleware")]
            Sender::Middleware(http) => {
                let req = if self.post {
                    http.post(format!("{}/items", self.base))
                        .header("content-type", "application/octet-stream")
                        .body(self.body.clone())
                } else {
                    http.get(format!("{}/items/42?limit=10", self.base))
                };
                let resp = req.send().await.unwrap();
                let status = resp.status();
                black_hole(resp.bytes().await.unwrap());
                status
            }
            #[cfg(feature = "tower")]
            Sender::Layer(service) => {
                use http_body_util::BodyExt;
                use tower::{Service, ServiceExt};
                let req: http::Request<http_body_util::Full<Bytes>> = if self.post {
                    http::Request::post(format!("{}/items", self.base))
                        .header("content-type", "application/octet-stream")
                        .body(http_body_util::Full::new(self.body.clone()))
                } else {
                    http::Request::get(format!("{}/items/42?limit=10", self.base))
                        .body(http_body_util::Full::new(Bytes::new()))
                }
                .unwrap();
                let mut service = service.clone();
                let resp =
                    ServiceExt::<http::Request<http_body_util::Full<Bytes>>>::ready(&mut service)
                        .await
                        .unwrap()
                        .call(req)
                        .await
                        .unwrap();
                let status = resp.status();
                black_hole(resp.into_body().collect().await.unwrap().to_bytes());
                status
            }
            Sender::Ours(api) => {
                let req = if self.post {
                    api.post("/items")
                        .header("content-type", "application/octet-stream")
                        .body(self.body.clone())
                } else {
                    api.get("/items/42").query("limit", "10")
                };
                let resp = req.send().await.unwrap();
                black_hole(resp.bytes());
                resp.status()
            }
        };
        assert_eq!(status, 200);
    }
}

fn black_hole<T>(value: T) {
    std::hint::black_box(value);
}

/// The baseline a user would write by hand: sign a built `reqwest::Request` with aws-sigv4.
fn sign_handwritten(req: &mut reqwest::Request, body: &Bytes, post: bool, identity: &Identity) {
    let url = req.url().as_str().to_owned();
    let method = req.method().as_str().to_owned();
    let body: &[u8] = if post { body } else { &[] };
    let pairs = req
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str(), v.to_str().unwrap()));
    let signable = SignableRequest::new(&method, url, pairs, SignableBody::Bytes(body)).unwrap();
    let mut settings = SigningSettings::default();
    settings.excluded_headers = Some(vec![Cow::Borrowed("user-agent")]);
    let params = v4::SigningParams::builder()
        .identity(identity)
        .region(REGION)
        .name(SERVICE)
        .time(SystemTime::now())
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let (headers, _) = instructions.into_parts();
    for header in headers {
        let mut value = HeaderValue::from_str(header.value()).unwrap();
        value.set_sensitive(header.sensitive());
        req.headers_mut()
            .insert(HeaderName::from_static(header.name()), value);
    }
}

/// The amplify-api client of the bench, for the endpoint at `base`.
fn amplify_client(base: &str) -> amplify_api::EndpointClient {
    let client = Client::builder()
        .endpoint(Endpoint::new("bench", base).region(REGION))
        .credentials_provider(credentials())
        .retry(RetryPolicy::none())
        .read_env(false)
        .build()
        .unwrap();
    client.endpoint("bench").unwrap()
}

/// The wire-floor client: the header bytes amplify-api sends for this scenario's request,
/// captured from one real request to a throw-away socket, and a reqwest client configured as
/// amplify-api's own (its user agent, no redirects, the same connect timeout).
fn same_headers_client(runtime: &tokio::runtime::Runtime, post: bool) -> Sender {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let capture = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut raw = Vec::new();
        let mut buf = [0u8; 16 << 10];
        let head_end = loop {
            let n = stream.read(&mut buf).unwrap();
            assert!(n > 0, "connection closed before the request's head");
            raw.extend_from_slice(&buf[..n]);
            if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
                break at;
            }
        };
        let head = String::from_utf8(raw[..head_end].to_vec()).unwrap();
        let body_len: usize = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.trim().parse().unwrap());
        while raw.len() < head_end + 4 + body_len {
            let n = stream.read(&mut buf).unwrap();
            assert!(n > 0, "connection closed before the request's body");
            raw.extend_from_slice(&buf[..n]);
        }
        stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .unwrap();
        head
    });
    let api = amplify_client(&format!("http://127.0.0.1:{port}/dev"));
    runtime.block_on(async {
        let req = if post {
            api.post("/items")
                .header("content-type", "application/octet-stream")
                .body(Bytes::from(vec![b'x'; POST_BYTES]))
        } else {
            api.get("/items/42").query("limit", "10")
        };
        req.send().await.unwrap();
    });
    let head = capture.join().unwrap();
    let mut headers = http::HeaderMap::new();
    let mut user_agent = None;
    // The request line first, then one header per line, in the order they went out.
    for line in head.lines().skip(1) {
        let (name, value) = line.split_once(':').unwrap();
        let name = HeaderName::from_bytes(name.trim().as_bytes()).unwrap();
        let value = HeaderValue::from_str(value.trim()).unwrap();
        match name.as_str() {
            // reqwest writes these itself: `host` from the URL, `user-agent` from the client.
            "host" => {}
            "user-agent" => user_agent = Some(value),
            _ => {
                headers.append(name, value);
            }
        }
    }
    let mut http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10));
    if let Some(user_agent) = user_agent {
        http = http.user_agent(user_agent);
    }
    Sender::SameHeaders(http.build().unwrap(), headers)
}

fn client(variant: &str, scenario: &str, concurrency: usize, port: u16, measure: Duration) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(env_or("LOOPBACK_WORKERS", 2))
        .enable_all()
        .build()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}/dev");
    let post = scenario == "post64k";
    let sender = match variant {
        "reqwest" => Sender::Raw(reqwest::Client::new()),
        "reqwest-same-headers" => same_headers_client(&runtime, post),
        "reqwest-same-headers-spin" => match same_headers_client(&runtime, post) {
            Sender::SameHeaders(http, headers) => Sender::SameHeadersSpin(
                http,
                headers,
                Duration::from_nanos(env_or("LOOPBACK_SPIN_NS", 4000)),
            ),
            _ => unreachable!(),
        },
        "handwritten" => Sender::Handwritten(reqwest::Client::new(), credentials().into()),
        "amplify-api" => Sender::Ours(amplify_client(&base)),
        #[cfg(feature = "reqwest-middleware")]
        "amplify-api-middleware" => {
            let sigv4 = amplify_api::SigV4::new(credentials(), REGION, SERVICE).unwrap();
            Sender::Middleware(
                reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
                    .with(amplify_api::middleware::SigV4Middleware::new(sigv4))
                    .build(),
            )
        }
        #[cfg(feature = "tower")]
        "amplify-api-layer" => {
            use tower::Layer;
            let sigv4 = amplify_api::SigV4::new(credentials(), REGION, SERVICE).unwrap();
            let http = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let inner = tower::util::BoxCloneSyncService::new(tower::service_fn(
                move |req: http::Request<http_body_util::Full<Bytes>>| {
                    let http = http.clone();
                    async move {
                        let (parts, body) = req.into_parts();
                        let req = http::Request::from_parts(parts, reqwest::Body::wrap(body));
                        let resp = http.execute(reqwest::Request::try_from(req)?).await?;
                        Ok::<_, reqwest::Error>(http::Response::from(resp))
                    }
                },
            ));
            Sender::Layer(amplify_api::layer::SigV4Layer::new(sigv4).layer(inner))
        }
        other => panic!("unknown variant {other}"),
    };
    let load = Arc::new(Load {
        sender,
        base,
        post,
        body: Bytes::from(vec![b'x'; POST_BYTES]),
    });
    // `LOOPBACK_COUNT=N`: exactly N requests and no warm-up, split over `concurrency` loops, for
    // counts per request (`valgrind --tool=callgrind` or `strace -c` on two counts, then the
    // difference over the extra requests).
    if let Ok(count) = std::env::var("LOOPBACK_COUNT") {
        let count: usize = count.parse().unwrap();
        runtime.block_on(async move {
            let tasks: Vec<_> = (0..concurrency)
                .map(|i| {
                    let load = Arc::clone(&load);
                    // Loop i sends its share; the first ones take the remainder.
                    let share = count / concurrency + usize::from(i < count % concurrency);
                    tokio::spawn(async move {
                        for _ in 0..share {
                            load.once().await;
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.unwrap();
            }
        });
        // Every allocation of the run, warm-up included: the difference of two counts over the
        // extra requests is the allocations per request.
        let allocs = GLOBAL.stats();
        println!(
            "{{\"requests\":{count},\"allocs\":{}}}",
            allocs.allocations + allocs.reallocations
        );
        return;
    }
    let report = runtime.block_on(async move {
        // Warm up: connections, credentials, allocator.
        run_for(&load, concurrency, WARMUP).await;
        let usage_before = rusage();
        let allocs_before = GLOBAL.stats();
        let started = Instant::now();
        let mut latencies = run_for(&load, concurrency, measure).await;
        let elapsed = started.elapsed().as_secs_f64();
        let allocs = GLOBAL.stats() - allocs_before;
        let usage = rusage();
        let user_us = micros(usage.user_time()) - micros(usage_before.user_time());
        let sys_us = micros(usage.system_time()) - micros(usage_before.system_time());
        let voluntary =
            usage.voluntary_context_switches() - usage_before.voluntary_context_switches();
        let involuntary =
            usage.involuntary_context_switches() - usage_before.involuntary_context_switches();
        latencies.sort_unstable();
        let n = latencies.len();
        let pct = |p: f64| latencies[((n as f64 * p) as usize).min(n - 1)] as f64 / 1e3;
        serde_json::json!({
            "requests": n,
            "rps": n as f64 / elapsed,
            "p50_us": pct(0.50),
            "p99_us": pct(0.99),
            "cpu_us_per_req": (user_us + sys_us) / n as f64,
            "user_us_per_req": user_us / n as f64,
            "sys_us_per_req": sys_us / n as f64,
            "vcsw_per_100k": voluntary as f64 * 1e5 / n as f64,
            "ivcsw_per_100k": involuntary as f64 * 1e5 / n as f64,
            // Allocations, reallocations (each one a call into the allocator) and bytes.
            "allocs_per_req": (allocs.allocations + allocs.reallocations) as f64 / n as f64,
            "alloc_bytes_per_req": allocs.bytes_allocated as f64 / n as f64,
            "peak_rss_kib": peak_rss_kib(),
        })
    });
    println!("{report}");
}

/// Runs `concurrency` request loops for `span`; the latency of every request, in ns.
async fn run_for(load: &Arc<Load>, concurrency: usize, span: Duration) -> Vec<u64> {
    let deadline = Instant::now() + span;
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let load = Arc::clone(load);
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(1 << 14);
                while Instant::now() < deadline {
                    let start = Instant::now();
                    load.once().await;
                    latencies.push(start.elapsed().as_nanos() as u64);
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all
}

// ---------------------------------------------------------------------------------------------
// Orchestrator role.

#[derive(Clone, Copy, Default)]
struct Figures {
    rps: f64,
    p50_us: f64,
    p99_us: f64,
    cpu_us_per_req: f64,
    user_us_per_req: f64,
    sys_us_per_req: f64,
    vcsw_per_100k: f64,
    ivcsw_per_100k: f64,
    allocs_per_req: f64,
    alloc_bytes_per_req: f64,
    server_cpu_us_per_req: f64,
    peak_rss_kib: f64,
}

/// One figure of [`Figures`], to read or write.
type Field = fn(&mut Figures) -> &mut f64;

/// The figures a client run reports, by name (the keys of its JSON line, the orchestrator's
/// medians).
const FIELDS: [(&str, Field); 10] = [
    ("rps", |f| &mut f.rps),
    ("p50_us", |f| &mut f.p50_us),
    ("p99_us", |f| &mut f.p99_us),
    ("cpu_us_per_req", |f| &mut f.cpu_us_per_req),
    ("user_us_per_req", |f| &mut f.user_us_per_req),
    ("sys_us_per_req", |f| &mut f.sys_us_per_req),
    ("vcsw_per_100k", |f| &mut f.vcsw_per_100k),
    ("ivcsw_per_100k", |f| &mut f.ivcsw_per_100k),
    ("allocs_per_req", |f| &mut f.allocs_per_req),
    ("alloc_bytes_per_req", |f| &mut f.alloc_bytes_per_req),
];

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// `exe` run as is, or under `taskset -c` on the CPUs the variable `cpus_var` lists (taskset
/// execs it: the child's pid is the program's).
fn pinned(exe: &std::path::Path, cpus_var: &str) -> Command {
    match std::env::var(cpus_var) {
        Ok(cpus) if !cpus.is_empty() => {
            let mut command = Command::new("taskset");
            command.args(["-c", &cpus]).arg(exe);
            command
        }
        _ => Command::new(exe),
    }
}

fn orchestrate() {
    let secs: f64 = env_or("LOOPBACK_SECS", 3.0);
    let rounds: usize = env_or("LOOPBACK_ROUNDS", 5);
    let only: String = env_or("LOOPBACK_ONLY", String::new());
    let chosen: String = env_or("LOOPBACK_VARIANTS", String::new());
    let runs_variant = |v: usize| {
        built(v)
            && (v == 0
                || (chosen.is_empty() && !ON_REQUEST.contains(&VARIANTS[v]))
                || chosen.split(',').any(|c| c.trim() == VARIANTS[v]))
    };
    let exe = std::env::current_exe().unwrap();
    let mut server: Child = pinned(&exe, "LOOPBACK_SERVER_CPUS")
        .arg("--server")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut port_line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut port_line)
        .unwrap();
    let port: u16 = port_line.trim().parse().unwrap();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "loopback: server pid {} on 127.0.0.1:{port}; {secs} s per run, {rounds} rounds; load average before: {}",
        server.id(),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let workers: usize = env_or("LOOPBACK_WORKERS", 2);
    let server_cpus: String = env_or("LOOPBACK_SERVER_CPUS", "any".to_owned());
    let client_cpus: String = env_or("LOOPBACK_CLIENT_CPUS", "any".to_owned());
    println!("client worker threads: {workers}; CPUs: server {server_cpus}, clients {client_cpus}");
    let mut tables = Vec::new();
    for (scenario, concurrency) in SCENARIOS {
        let label = format!("{scenario}-c{concurrency}");
        if !only.is_empty() && !label.contains(&only) {
            continue;
        }
        let mut runs: Vec<Vec<Figures>> = vec![Vec::new(); VARIANTS.len()];
        for round in 0..rounds {
            // Rotate the order each round so no variant always runs first or last.
            for k in 0..VARIANTS.len() {
                let v = (k + round) % VARIANTS.len();
                if !runs_variant(v) {
                    continue;
                }
                let server_cpu_before = cpu_seconds(server.id());
                let output = pinned(&exe, "LOOPBACK_CLIENT_CPUS")
                    .args(["--client", VARIANTS[v], scenario])
                    .arg(concurrency.to_string())
                    .arg(port.to_string())
                    .arg(((secs * 1000.0) as u64).to_string())
                    .output()
                    .unwrap();
                let server_cpu = cpu_seconds(server.id()) - server_cpu_before;
                assert!(
                    output.status.success(),
                    "{}",
                    String::from_utf8_lossy(&output.stderr)
                );
                let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
                let mut figures = Figures::default();
                for (key, field) in FIELDS {
                    *field(&mut figures) = json[key].as_f64().unwrap();
                }
                // The server also served the warm-up: spread its CPU over all requests sent.
                let total_requests =
                    json["requests"].as_f64().unwrap() * (1.0 + WARMUP.as_secs_f64() / secs);
                figures.server_cpu_us_per_req = server_cpu * 1e6 / total_requests;
                figures.peak_rss_kib = json["peak_rss_kib"].as_f64().unwrap();
                runs[v].push(figures);
            }
        }
        let medians: Vec<Option<Figures>> = runs
            .iter()
            .map(|r| {
                if r.is_empty() {
                    return None;
                }
                let mut m = Figures::default();
                for (_, field) in FIELDS {
                    *field(&mut m) = median(r.iter().map(|f| *field(&mut f.clone())).collect());
                }
                m.server_cpu_us_per_req =
                    median(r.iter().map(|f| f.server_cpu_us_per_req).collect());
                m.peak_rss_kib = median(r.iter().map(|f| f.peak_rss_kib).collect());
                Some(m)
            })
            .collect();
        let table = render(&label, &medians);
        println!("{table}");
        tables.push(table);
    }
    drop(server.stdin.take());
    let _ = server.wait();
    println!(
        "\n==== summary (medians of {rounds} rounds, ratios against raw reqwest and the wire floor from the same run)"
    );
    for table in tables {
        println!("{table}");
    }
}

fn render(label: &str, m: &[Option<Figures>]) -> String {
    let raw = m[0].expect("raw reqwest always runs");
    let floor = m[FLOOR];
    let vs_floor = |value: f64, of: fn(&Figures) -> f64| {
        floor.map_or("-".to_owned(), |fl| format!("{:.2}", value / of(&fl)))
    };
    let mut out = format!(
        "\n{label}\n| client | req/s | x reqwest | x floor | p50 µs | x reqwest | x floor | p99 µs \
         | client CPU µs/req (user + sys) | CPU x floor | CPU µs over floor \
         | ctx switches /100k req (vol + invol) | ctx x floor | allocs/req | alloc KiB/req \
         | server CPU µs/req | peak RSS MiB |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- \
         | --- | --- |\n"
    );
    for (name, f) in VARIANTS.iter().zip(m) {
        let Some(f) = f else { continue };
        let switches = f.vcsw_per_100k + f.ivcsw_per_100k;
        out.push_str(&format!(
            "| {name} | {:.0} | {:.2} | {} | {:.1} | {:.2} | {} | {:.1} | {:.1} ({:.1} + {:.1}) \
             | {} | {} | {:.0} ({:.0} + {:.0}) | {} | {:.1} | {:.1} | {:.1} | {:.1} |\n",
            f.rps,
            f.rps / raw.rps,
            vs_floor(f.rps, |fl| fl.rps),
            f.p50_us,
            f.p50_us / raw.p50_us,
            vs_floor(f.p50_us, |fl| fl.p50_us),
            f.p99_us,
            f.cpu_us_per_req,
            f.user_us_per_req,
            f.sys_us_per_req,
            vs_floor(f.cpu_us_per_req, |fl| fl.cpu_us_per_req),
            floor.map_or("-".to_owned(), |fl| format!(
                "{:+.1}",
                f.cpu_us_per_req - fl.cpu_us_per_req
            )),
            switches,
            f.vcsw_per_100k,
            f.ivcsw_per_100k,
            vs_floor(switches, |fl| fl.vcsw_per_100k + fl.ivcsw_per_100k),
            f.allocs_per_req,
            f.alloc_bytes_per_req / 1024.0,
            f.server_cpu_us_per_req,
            f.peak_rss_kib / 1024.0,
        ));
    }
    out
}
