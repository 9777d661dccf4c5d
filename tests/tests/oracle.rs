//! A third-party oracle: generated requests of every kind (see `common::generate`) sent through
//! the real client to a verifier built on botocore's `SigV4Auth` (`tests/oracle/`), which
//! recomputes each signature from the request as received and echoes what arrived. Every one
//! must be accepted and arrive as meant; the same cases go to the in-process emulator, which
//! must give the same verdict (a disagreement is a bug in one of them).
//!
//! The oracle test is ignored by default: `.ci/run` installs botocore, starts the oracle and
//! runs it with `ORACLE_URL` set. The emulator half also runs on its own, by default.

mod common;

use amplify_api::test_util::{Echo, Emulator};
use amplify_api::{Client, Endpoint, EndpointClient, Error, Method, RetryPolicy};
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

/// `ORACLE` and `EMULATOR` endpoints signing with each of [`KEYS`] (the emulator knows them).
fn clients(
    oracle_url: Option<&str>,
    emu: &Emulator,
) -> Vec<(EndpointClient, Option<EndpointClient>)> {
    KEYS.iter()
        .map(|(id, secret, token)| {
            emu.allow_credentials(*id, *secret, token.map(str::to_owned));
            let mut builder = Client::builder()
                .endpoint(
                    Endpoint::new("emulator", format!("{}{BASE_PATH}", emu.api_url()))
                        .region("us-east-1"),
                )
                .credentials_provider(fixed_credentials(id, secret, *token))
                .retry(RetryPolicy::none())
                .read_env(false);
            if let Some(url) = oracle_url {
                builder = builder.endpoint(
                    Endpoint::new("oracle", format!("{url}{BASE_PATH}")).region("us-east-1"),
                );
            }
            let client = builder.build().expect("client builds");
            (
                client.endpoint("emulator").unwrap(),
                oracle_url.map(|_| client.endpoint("oracle").unwrap()),
            )
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

async fn send_to_oracle(case: &Case, api: &EndpointClient) -> Verdict {
    match case.request(api).send().await {
        Ok(resp) => {
            let echo: serde_json::Value = if case.method == Method::HEAD {
                let hexed = resp.header("x-oracle-echo").unwrap_or_default();
                serde_json::from_slice(&hex::decode(hexed).unwrap_or_default()).unwrap_or_default()
            } else {
                resp.json().unwrap_or_default()
            };
            let mut received = oracle_received(&echo);
            if case.method == Method::HEAD {
                received.body = None;
            }
            Verdict::Accepted(Some(received))
        }
        Err(Error::Status(e)) => Verdict::Rejected(e.response().text().unwrap_or("").to_owned()),
        Err(e) => panic!("{} {:?}: {e}", case.method, case.path),
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

/// Tallies of a run.
#[derive(Debug, Default)]
struct Figures {
    cases: usize,
    refused_before_sending: usize,
    oracle_sent: usize,
    oracle_accepted: usize,
    emulator_sent: usize,
    emulator_accepted: usize,
    disagreements: usize,
    failures: Vec<String>,
}

/// Runs `cases` generated cases against the emulator and, when given, the oracle.
async fn run(oracle_url: Option<&str>, cases: usize, seed: u64) -> Figures {
    let emu = Emulator::start().await.expect("emulator starts");
    let clients = clients(oracle_url, &emu);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut f = Figures::default();
    for i in 0..cases {
        let case = Case::random(&mut rng);
        let (emulator, oracle) = &clients[i % clients.len()];
        f.cases += 1;
        if has_dot_segment(&case.path) {
            // Refused before sending: a URL parser would resolve it to another path.
            let err = case.request(emulator).send().await.unwrap_err();
            assert!(matches!(err, Error::InvalidRequest(_)), "{err}");
            f.refused_before_sending += 1;
            continue;
        }
        let emu_verdict = send_to_emulator(&case, emulator).await;
        f.emulator_sent += 1;
        if let Verdict::Accepted(received) = &emu_verdict {
            f.emulator_accepted += 1;
            if let Err(e) = received.as_ref().map_or(Ok(()), |got| check(&case, got)) {
                f.failures.push(format!("emulator, case {i} {case:?}: {e}"));
            }
        }
        let Some(oracle) = oracle else {
            if let Verdict::Rejected(why) = &emu_verdict {
                f.failures
                    .push(format!("emulator rejected case {i} {case:?}: {why}"));
            }
            continue;
        };
        let verdict = send_to_oracle(&case, oracle).await;
        f.oracle_sent += 1;
        match (&verdict, &emu_verdict) {
            (Verdict::Accepted(got), emu) => {
                f.oracle_accepted += 1;
                let got = got.as_ref().expect("the oracle always echoes");
                if let Err(e) = check(&case, got) {
                    f.failures.push(format!("oracle, case {i} {case:?}: {e}"));
                }
                match emu {
                    Verdict::Rejected(why) => {
                        f.disagreements += 1;
                        f.failures.push(format!(
                            "case {i} {case:?}: botocore accepted, the emulator rejected: {why}"
                        ));
                    }
                    Verdict::Accepted(Some(e))
                        if (&e.path, &e.query) != (&got.path, &got.query) =>
                    {
                        f.failures.push(format!(
                            "case {i}: the emulator saw {:?}?{:?}, the oracle {:?}?{:?}",
                            e.path, e.query, got.path, got.query
                        ));
                    }
                    Verdict::Accepted(_) => {}
                }
            }
            (Verdict::Rejected(why), emu) => {
                if matches!(emu, Verdict::Accepted(_)) {
                    f.disagreements += 1;
                }
                f.failures
                    .push(format!("botocore rejected case {i} {case:?}: {why}"));
            }
        }
    }
    f
}

fn report(what: &str, f: &Figures) {
    println!(
        "{what}: {} cases, {} refused before sending (dot segments); oracle (botocore): {} \
         requests, {} accepted; emulator: {} requests, {} accepted; {} disagreements; {} failures",
        f.cases,
        f.refused_before_sending,
        f.oracle_sent,
        f.oracle_accepted,
        f.emulator_sent,
        f.emulator_accepted,
        f.disagreements,
        f.failures.len()
    );
    for failure in f.failures.iter().take(5) {
        println!("  {failure}");
    }
}

#[tokio::test]
#[ignore = "needs the botocore oracle: run by .ci/run with ORACLE_URL set"]
async fn botocore_accepts_every_generated_request() {
    let url = std::env::var("ORACLE_URL").expect("ORACLE_URL is set by .ci/run");
    let f = run(Some(&url), ORACLE_REQUESTS * 11 / 10 + 100, 0x0bac_0c0e).await;
    report("botocore oracle", &f);
    assert!(f.oracle_sent >= ORACLE_REQUESTS, "{f:?}");
    assert_eq!(
        f.oracle_accepted, f.oracle_sent,
        "every request is accepted"
    );
    assert_eq!(f.disagreements, 0);
    assert!(
        f.failures.is_empty(),
        "{:#?}",
        &f.failures[..f.failures.len().min(5)]
    );
}

#[tokio::test]
async fn the_emulator_accepts_every_generated_request() {
    let f = run(None, 400, 0x0e4a_1a7e).await;
    report("emulator only", &f);
    assert!(f.emulator_sent > 300, "{f:?}");
    assert_eq!(f.emulator_accepted, f.emulator_sent);
    assert!(
        f.failures.is_empty(),
        "{:#?}",
        &f.failures[..f.failures.len().min(5)]
    );
}
