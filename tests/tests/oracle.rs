//! A third-party oracle: generated requests of every kind (see `common::generate`) sent through
//! the real client to a verifier built on botocore's `SigV4Auth` (`tests/oracle/`), which
//! recomputes each signature from the request as received and echoes what arrived. Every one
//! must be accepted and arrive as meant; the same cases go to the in-process emulator, which
//! must give the same verdict (a disagreement is a bug in one of them).
//!
//! Every surface (`send()`, `build()` sent by a plain client, the `tower` layer, the
//! middleware: `common::surfaces`) sends the same cases to the oracle, and must get the verdict
//! `send()` gets; the oracle refuses what API Gateway refuses (see `tests/oracle/`), and the
//! checks below prove it does.
//!
//! The oracle tests are ignored by default: `.ci/run` installs botocore, starts the oracle and
//! runs them with `ORACLE_URL` set. The emulator half also runs on its own, by default.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use std::collections::BTreeMap;

use amplify_api_emulator::sigv4_verify::{self, WireRequest};
use common::surfaces::{CliRequest, CliSurface, Outcome, StackOptions, Stacks, Surface};

use amplify_api::{Client, Endpoint, EndpointClient, Error, Method, RetryPolicy};
use amplify_api_emulator::{Echo, Emulator};
use common::fixed_credentials;
use common::generate::{Case, has_dot_segment};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// The oracle's keys (`KEYS` in tests/oracle/sigv4_oracle.py): one with a session token.
const KEYS: [(&str, &str, Option<&str>); 2] = [
    ("AKIDORACLE", "oracle/secret+key=", None),
    (
        "ASIAORACLE",
        "oracle-session-secret",
        Some("oracle/session+token=="),
    ),
];
/// Every endpoint has a base path, so joining it is tested too.
const BASE_PATH: &str = "/stage";
/// At least this many requests reach the oracle.
const ORACLE_REQUESTS: usize = 2_000;
/// The first this many cases also go through the command line (a process each).
const CLI_CASES: usize = 300;
/// The command line's name in the figures.
const CLI: &str = "amplify-api call (CLI)";

/// Endpoints of the emulator signing with each of [`KEYS`] (the emulator is told them).
fn emulator_clients(emu: &Emulator) -> Vec<EndpointClient> {
    KEYS.iter()
        .map(|(id, secret, token)| {
            emu.allow_credentials(*id, *secret, token.map(str::to_owned));
            Client::builder()
                .endpoint(
                    Endpoint::new("emulator", format!("{}{BASE_PATH}", emu.api_url()))
                        .region("us-east-1"),
                )
                .credentials_provider(fixed_credentials(id, secret, *token))
                .retry(RetryPolicy::none())
                .read_env(false)
                .build()
                .expect("client builds")
                .endpoint("emulator")
                .expect("the endpoint")
        })
        .collect()
}

/// What a server made of one request.
#[derive(Debug)]
enum Verdict {
    /// Accepted, with what arrived (`None`: the server echoed nothing, as the emulator to HEAD).
    Accepted(Option<Received>),
    /// Refused, with the server's message (the oracle's has the canonical request it expected).
    Rejected(String),
}

/// What arrived, as the server echoed it.
#[derive(Debug, PartialEq, Eq)]
struct Received {
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    /// `None` when the server echoed only its length (the emulator) or nothing (HEAD).
    body: Option<Vec<u8>>,
}

/// The oracle's echo: `{method, path, query, headers: [[name, value]], body: hex}`.
fn oracle_received(echo: &serde_json::Value) -> Received {
    let text = |k: &str| echo[k].as_str().unwrap_or_default().to_owned();
    let headers = echo["headers"]
        .as_array()
        .map(|hs| {
            hs.iter()
                .map(|h| {
                    let part = |i: usize| h[i].as_str().unwrap_or_default().to_owned();
                    (part(0), part(1))
                })
                .collect()
        })
        .unwrap_or_default();
    Received {
        path: text("path"),
        query: text("query"),
        headers,
        body: hex::decode(text("body")).ok(),
    }
}

async fn send_to_emulator(case: &Case, api: &EndpointClient) -> Verdict {
    match case.request(api).send().await {
        Ok(_) if case.method == Method::HEAD => Verdict::Accepted(None),
        Ok(resp) => {
            let echo: Echo = resp.json().expect("an echo");
            assert_eq!(echo.body_len, case.body.len(), "{case:?}");
            Verdict::Accepted(Some(Received {
                path: echo.path,
                query: echo.query,
                headers: echo.headers.into_iter().collect(),
                body: None,
            }))
        }
        Err(Error::Status(e)) => Verdict::Rejected(e.response().text().unwrap_or("").to_owned()),
        Err(e) => panic!("{} {:?}: {e}", case.method, case.path),
    }
}

/// Checks what a server echoed of `case` against what it meant.
fn check(case: &Case, got: &Received) -> Result<(), String> {
    case.check_received(
        BASE_PATH,
        &got.path,
        &got.query,
        &got.headers,
        got.body.as_deref(),
    )
}

/// Tallies of an emulator-only run.
#[derive(Debug, Default)]
struct Figures {
    cases: usize,
    refused_before_sending: usize,
    emulator_sent: usize,
    emulator_accepted: usize,
    failures: Vec<String>,
}

/// Runs `cases` generated cases against the emulator alone.
async fn run(cases: usize, seed: u64) -> Figures {
    let emu = Emulator::start().await.expect("emulator starts");
    let clients = emulator_clients(&emu);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut f = Figures::default();
    for i in 0..cases {
        let case = Case::random(&mut rng);
        let emulator = &clients[i % clients.len()];
        f.cases += 1;
        if has_dot_segment(&case.path) {
            // Refused before sending: a URL parser would resolve it to another path.
            let err = case.request(emulator).send().await.unwrap_err();
            assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
            f.refused_before_sending += 1;
            continue;
        }
        f.emulator_sent += 1;
        match send_to_emulator(&case, emulator).await {
            Verdict::Accepted(received) => {
                f.emulator_accepted += 1;
                if let Err(e) = received.as_ref().map_or(Ok(()), |got| check(&case, got)) {
                    f.failures.push(format!("emulator, case {i} {case:?}: {e}"));
                }
            }
            Verdict::Rejected(why) => f
                .failures
                .push(format!("emulator rejected case {i} {case:?}: {why}")),
        }
    }
    f
}

fn report(what: &str, f: &Figures) {
    println!(
        "{what}: {} cases, {} refused before sending (dot segments); emulator: {} requests, {} \
         accepted; {} failures",
        f.cases,
        f.refused_before_sending,
        f.emulator_sent,
        f.emulator_accepted,
        f.failures.len()
    );
    for failure in f.failures.iter().take(5) {
        println!("  {failure}");
    }
}

#[tokio::test]
async fn the_emulator_accepts_every_generated_request() {
    let f = run(400, 0x0e4a_1a7e).await;
    report("emulator only", &f);
    assert!(f.emulator_sent > 300, "{f:?}");
    assert_eq!(f.emulator_accepted, f.emulator_sent);
    assert!(
        f.failures.is_empty(),
        "{:#?}",
        &f.failures[..f.failures.len().min(5)]
    );
}

/// A surface's verdict on one case, in classes that must agree across surfaces.
#[derive(Debug)]
enum Class {
    /// 200 from the oracle, with what arrived.
    Accepted(Received),
    /// An answer other than 200: the oracle's message.
    Rejected(String),
    /// Refused by the crate before sending (`Error::InvalidRequest`): the reason.
    Refused(String),
    /// Any other failure (a transport error, a panic-free but wrong outcome).
    Failed(String),
}

impl Class {
    fn kind(&self) -> &'static str {
        match self {
            Class::Accepted(_) => "accepted",
            Class::Rejected(_) => "rejected",
            Class::Refused(_) => "refused",
            Class::Failed(_) => "failed",
        }
    }
}

fn classify(method: &Method, outcome: Outcome) -> Class {
    match outcome {
        Outcome::Answered {
            status: 200,
            headers,
            body,
            ..
        } => {
            let echo: serde_json::Value = if *method == Method::HEAD {
                let hexed = headers
                    .iter()
                    .find(|(n, _)| n == "x-oracle-echo")
                    .map(|(_, v)| v.as_str())
                    .unwrap_or_default();
                serde_json::from_slice(&hex::decode(hexed).unwrap_or_default()).unwrap_or_default()
            } else {
                serde_json::from_slice(&body).unwrap_or_default()
            };
            let mut received = oracle_received(&echo);
            if *method == Method::HEAD {
                received.body = None;
            }
            Class::Accepted(received)
        }
        Outcome::Answered { status, body, .. } => {
            Class::Rejected(format!("{status}: {}", String::from_utf8_lossy(&body)))
        }
        Outcome::Failed {
            display, refused, ..
        } => {
            if refused {
                Class::Refused(display)
            } else {
                Class::Failed(display)
            }
        }
    }
}

/// One surface's tallies.
#[derive(Debug, Default)]
struct SurfaceFigures {
    cases: usize,
    accepted: usize,
    rejected: usize,
    refused: BTreeMap<String, usize>,
    failed: usize,
}

/// A refusal's reason without its case-specific detail, to group them.
fn reason_of(message: &str) -> String {
    let message = message.trim_start_matches("invalid request: ");
    // Quoted parts (`{:?}` of the path) and backticked ones differ per case: leave them out.
    let mut out = String::new();
    let mut quote = None;
    let mut escaped = false;
    for c in message.chars() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '`' => {
                quote = Some(c);
                out.push('…');
            }
            None => out.push(c),
        }
    }
    let cut = out.find(';').unwrap_or(out.len());
    out[..cut].trim().chars().take(90).collect()
}

/// Runs `cases` generated cases through every surface to the oracle at `url`.
async fn run_surfaces(
    url: &str,
    cases: usize,
    seed: u64,
) -> (BTreeMap<&'static str, SurfaceFigures>, Vec<String>) {
    let options = StackOptions {
        retries: false,
        timeout: None,
        follow_redirects: false,
    };
    let stacks: Vec<Stacks> = KEYS
        .iter()
        .map(|key| Stacks::new(&format!("{url}{BASE_PATH}"), *key, options))
        .collect();
    let cli: Vec<CliSurface> = KEYS
        .iter()
        .enumerate()
        .filter_map(|(i, key)| {
            CliSurface::from_env(&format!("{url}{BASE_PATH}"), *key, &format!("oracle{i}"))
        })
        .collect();
    // The emulator must give send()'s verdict too: a disagreement is a bug in one of them.
    let emu = Emulator::start().await.expect("emulator starts");
    let emulators = emulator_clients(&emu);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut figures: BTreeMap<&'static str, SurfaceFigures> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut disagreements = 0;
    for i in 0..cases {
        let case = Case::random(&mut rng);
        let stack = &stacks[i % stacks.len()];
        let emulator = &emulators[i % emulators.len()];
        let emulator_verdict = if has_dot_segment(&case.path) {
            None
        } else {
            Some(send_to_emulator(&case, emulator).await)
        };
        let mut reference: Option<&'static str> = None;
        for surface in Surface::ALL {
            let outcome = stack.send(surface, |api| case.request(api), None).await;
            let class = classify(&case.method, outcome);
            let f = figures.entry(surface.name()).or_default();
            f.cases += 1;
            match &class {
                Class::Accepted(got) => {
                    f.accepted += 1;
                    if let Err(e) = check(&case, got) {
                        failures.push(format!("{}: case {i} {case:?}: {e}", surface.name()));
                    }
                }
                Class::Rejected(why) => {
                    f.rejected += 1;
                    failures.push(format!(
                        "{}: botocore rejected case {i} {case:?}: {why}",
                        surface.name()
                    ));
                }
                Class::Refused(why) => {
                    *f.refused.entry(reason_of(why)).or_default() += 1;
                }
                Class::Failed(why) => {
                    f.failed += 1;
                    failures.push(format!(
                        "{}: case {i} {case:?} failed: {why}",
                        surface.name()
                    ));
                }
            }
            if surface == Surface::Send {
                match (&emulator_verdict, &class) {
                    (Some(Verdict::Accepted(_)), Class::Accepted(_))
                    | (Some(Verdict::Rejected(_)), Class::Rejected(_))
                    | (None, Class::Refused(_)) => {}
                    (emulator, class) => {
                        disagreements += 1;
                        failures.push(format!(
                            "case {i} {case:?}: the emulator {emulator:?}, botocore {class:?}"
                        ));
                    }
                }
                if let (Some(Verdict::Accepted(Some(e))), Class::Accepted(got)) =
                    (&emulator_verdict, &class)
                    && (&e.path, &e.query) != (&got.path, &got.query)
                {
                    failures.push(format!(
                        "case {i}: the emulator saw {:?}?{:?}, the oracle {:?}?{:?}",
                        e.path, e.query, got.path, got.query
                    ));
                }
            }
            match reference {
                None => reference = Some(class.kind()),
                Some(kind) if kind != class.kind() => failures.push(format!(
                    "{}: case {i} {case:?} {} where send() {kind}",
                    surface.name(),
                    class.kind()
                )),
                Some(_) => {}
            }
        }
        if let Some(cli) = cli.get(i % KEYS.len()).filter(|_| i < CLI_CASES) {
            let f = figures.entry(CLI).or_default();
            f.cases += 1;
            let request = CliRequest {
                method: case.method.as_str(),
                path: &case.path,
                query: case
                    .explicit_query()
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect(),
                headers: case
                    .headers
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect(),
                body: (!matches!(case.method, Method::GET | Method::HEAD))
                    .then_some(case.body.as_slice()),
                max_time: None,
            };
            if let Some(why) = CliSurface::cannot_express(&request) {
                *f.refused
                    .entry(format!("not expressible: {why}"))
                    .or_default() += 1;
                continue;
            }
            let class = classify(&case.method, cli.call(&request).await.0);
            match &class {
                Class::Accepted(got) => {
                    f.accepted += 1;
                    if let Err(e) = check(&case, got) {
                        failures.push(format!("{CLI}: case {i} {case:?}: {e}"));
                    }
                }
                Class::Rejected(why) => {
                    f.rejected += 1;
                    failures.push(format!("{CLI}: botocore rejected case {i} {case:?}: {why}"));
                }
                Class::Refused(why) => *f.refused.entry(reason_of(why)).or_default() += 1,
                Class::Failed(why) => {
                    f.failed += 1;
                    failures.push(format!("{CLI}: case {i} {case:?} failed: {why}"));
                }
            }
            if Some(class.kind()) != reference {
                failures.push(format!(
                    "{CLI}: case {i} {case:?} {} where send() {reference:?}",
                    class.kind()
                ));
            }
        }
    }
    println!("emulator vs botocore on send(): {disagreements} disagreements");
    (figures, failures)
}

fn report_surfaces(figures: &BTreeMap<&'static str, SurfaceFigures>) {
    for (name, f) in figures {
        let refused: usize = f.refused.values().sum();
        let reasons: Vec<String> = f
            .refused
            .iter()
            .map(|(why, n)| format!("{n} \"{why}\""))
            .collect();
        println!(
            "surface {name}: {} cases, {} accepted, {} rejected, {} failed, {refused} refused \
             before sending ({})",
            f.cases,
            f.accepted,
            f.rejected,
            f.failed,
            reasons.join(", ")
        );
    }
}

#[tokio::test]
#[ignore = "needs the botocore oracle: run by .ci/run with ORACLE_URL set"]
async fn every_surface_gets_the_verdict_send_gets_at_the_oracle() {
    let url = std::env::var("ORACLE_URL").expect("ORACLE_URL is set by .ci/run");
    let (figures, failures) =
        run_surfaces(&url, ORACLE_REQUESTS * 11 / 10 + 100, 0x5afe_5eed).await;
    report_surfaces(&figures);
    for failure in failures.iter().take(10) {
        println!("  {failure}");
    }
    let sent = figures[Surface::Send.name()].accepted;
    assert!(sent >= ORACLE_REQUESTS, "{figures:?}");
    for surface in Surface::ALL {
        let f = &figures[surface.name()];
        assert_eq!(
            f.accepted,
            sent,
            "{} accepts every case send() accepts",
            surface.name()
        );
    }
    // The command line, when `.ci/run` gives its binary: the failures above hold its
    // disagreements with send(); here, that it ran.
    if std::env::var_os("AMPLIFY_API_CLI").is_some() {
        let f = &figures[CLI];
        let refused: usize = f.refused.values().sum();
        assert!(
            f.cases == CLI_CASES && f.accepted + refused == f.cases,
            "{f:?}"
        );
        assert!(f.accepted > CLI_CASES * 2 / 3, "{f:?}");
    }
    assert!(failures.is_empty(), "{} failures", failures.len());
}

/// The cases that matter for surfaces where the caller owns the request: a caller
/// `Authorization` on an IAM endpoint, a caller `x-amz-date`, an upper-case host. Each surface
/// must give `send()`'s verdict. (A default port written explicitly, `:80`/`:443`, cannot reach
/// a loopback server on a port the OS picked: it is checked in the signer's unit tests.)
#[tokio::test]
#[ignore = "needs the botocore oracle: run by .ci/run with ORACLE_URL set"]
async fn every_surface_treats_caller_auth_headers_and_host_case_as_send_does() {
    let url = std::env::var("ORACLE_URL").expect("ORACLE_URL is set by .ci/run");
    let upper = url.replace("127.0.0.1", "LOCALHOST");
    let options = StackOptions {
        retries: false,
        timeout: None,
        follow_redirects: false,
    };
    type EdgeCase<'a> = (&'a str, &'a str, Option<(&'a str, &'a str)>);
    let edge_cases: [EdgeCase<'_>; 3] = [
        (
            "caller Authorization",
            &url,
            Some(("Authorization", "Bearer caller-token")),
        ),
        (
            "caller x-amz-date",
            &url,
            Some(("X-Amz-Date", "20200101T000000Z")),
        ),
        ("upper-case host", &upper, None),
    ];
    let mut failures = Vec::new();
    for (what, base, header) in edge_cases {
        for key in KEYS {
            let stacks = Stacks::new(&format!("{base}{BASE_PATH}"), key, options)
                .with_wire_host_as_written(base);
            let make = |api: &EndpointClient| {
                let request = api.post("/items?q=1").body("edge");
                match header {
                    Some((name, value)) => request.header(name, value),
                    None => request,
                }
            };
            let mut verdicts = Vec::new();
            for surface in Surface::ALL {
                let class = classify(&Method::POST, stacks.send(surface, make, None).await);
                println!("edge case {what}, {}: {}", surface.name(), class.kind());
                verdicts.push((surface, class));
            }
            let (_, reference) = &verdicts[0];
            for (surface, class) in &verdicts[1..] {
                if class.kind() != reference.kind() {
                    failures.push(format!(
                        "{what}: {} {class:?} where send() {reference:?}",
                        surface.name()
                    ));
                }
            }
            if what == "upper-case host" && !matches!(reference, Class::Accepted(_)) {
                failures.push(format!("{what}: send() {reference:?}"));
            }
            if what == "caller Authorization" {
                // Never signed over: the caller's value arrives as it was given, which the
                // oracle refuses as not SigV4.
                for (surface, class) in &verdicts {
                    if !matches!(class, Class::Rejected(why) if why.contains("no SigV4 authorization header"))
                    {
                        failures.push(format!("{what}: {} {class:?}", surface.name()));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A request signed correctly (by the emulator's independent verifier functions) for a given
/// `SignedHeaders` list, sent with reqwest: the status the server gave.
async fn signed_with_list(url: &str, listed: &[&str], extra: &[(&str, &str)]) -> (u16, String) {
    let (id, secret, token) = KEYS[1];
    let url = reqwest::Url::parse(&format!("{url}{BASE_PATH}/items")).unwrap();
    let host = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let amz_date = sigv4_verify::format_amz_date(std::time::SystemTime::now());
    let mut headers = vec![
        ("host".to_owned(), host),
        ("x-amz-date".to_owned(), amz_date.clone()),
        ("x-amz-security-token".to_owned(), token.unwrap().to_owned()),
    ];
    headers.extend(
        extra
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
    );
    let wire = WireRequest {
        method: "GET".into(),
        path: url.path().to_owned(),
        query: String::new(),
        headers: headers.clone(),
        body: Vec::new(),
    };
    let listed: Vec<String> = listed.iter().map(|h| (*h).to_owned()).collect();
    let canonical = sigv4_verify::canonical_request(&wire, &listed, true);
    let scope = format!("{}/us-east-1/execute-api/aws4_request", &amz_date[..8]);
    let to_sign = sigv4_verify::string_to_sign(&amz_date, &scope, &canonical);
    let key = sigv4_verify::signing_key(secret, &amz_date[..8], "us-east-1", "execute-api");
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={id}/{scope}, SignedHeaders={}, Signature={}",
        listed.join(";"),
        sigv4_verify::signature(&key, &to_sign)
    );
    let client = reqwest::Client::new();
    let mut request = client
        .get(url.as_str())
        .header("authorization", authorization);
    for (name, value) in headers.iter().filter(|(n, _)| n != "host") {
        request = request.header(name, value);
    }
    let resp = request.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap_or_default())
}

const ALL_SIGNED: &[&str] = &["host", "x-amz-date", "x-amz-security-token"];

#[tokio::test]
#[ignore = "needs the botocore oracle: run by .ci/run with ORACLE_URL set"]
async fn the_oracle_refuses_what_api_gateway_refuses() {
    let url = std::env::var("ORACLE_URL").expect("ORACLE_URL is set by .ci/run");
    // The control: correctly signed with every header listed is accepted (so the refusals
    // below are the checks', not the signature's).
    let (status, body) = signed_with_list(&url, ALL_SIGNED, &[]).await;
    assert_eq!(status, 200, "{body}");
    for (listed, extra, why) in [
        (
            &["x-amz-date", "x-amz-security-token"][..],
            &[][..],
            "host not signed",
        ),
        (
            &["host", "x-amz-security-token"][..],
            &[][..],
            "x-amz-date not signed",
        ),
        (
            &["host", "x-amz-date"][..],
            &[][..],
            "the session token not signed",
        ),
        (
            &["host", "x-amz-security-token", "x-amz-date"][..],
            &[][..],
            "unsorted",
        ),
        (
            ALL_SIGNED,
            &[("x-custom", "1")][..],
            "a caller header not signed",
        ),
    ] {
        let (status, body) = signed_with_list(&url, listed, extra).await;
        assert_eq!(status, 403, "{why}: {body}");
    }
}

#[tokio::test]
async fn the_emulator_refuses_unsorted_or_hostless_signed_headers() {
    let emu = Emulator::start().await.expect("emulator starts");
    let (id, secret, token) = KEYS[1];
    emu.allow_credentials(id, secret, token.map(str::to_owned));
    emu.api().require_iam();
    let url = emu.api_url();
    let url = url.trim_end_matches('/');
    let (status, body) = signed_with_list(url, ALL_SIGNED, &[]).await;
    assert_eq!(status, 200, "{body}");
    for (listed, why) in [
        (
            &["x-amz-date", "x-amz-security-token"][..],
            "host not signed",
        ),
        (
            &["host", "x-amz-security-token", "x-amz-date"][..],
            "unsorted",
        ),
    ] {
        let (status, body) = signed_with_list(url, listed, &[]).await;
        assert_eq!(status, 403, "{why}: {body}");
    }
}
