//! The hostile server (`tests/hostile/hostile_server.py`) through every surface: answers that are
//! malformed or extreme (huge, negative, non-numeric and past `Retry-After`; garbage, far-future
//! and far-past `Date`; a body shorter than its `Content-Length`; broken chunked encoding; a
//! 10 MB error body; non-UTF-8 header values; deeply nested and non-JSON error bodies; bodies
//! that stall; redirects to another origin; 1xx answers; unknown status codes; error bodies that
//! echo the request's secrets; HEAD with a body), each sent with retries on (where the surface
//! has them) and a total timeout. Four figures per surface, all of which must be 0: panics,
//! secret headers that reached the other origin, secrets in an error's `Display`/`Debug`, and
//! calls that outran their timeout.
//!
//! Ignored by default: `.ci/run` starts the server and runs it with `HOSTILE_URL` and
//! `RECORDER_URL` set.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use amplify_api::Method;
use common::surfaces::{CliRequest, CliSurface, Outcome, StackOptions, Stacks, Surface};

/// The modes of `hostile_server.py`.
const MODES: &[&str] = &[
    "retry-after-huge",
    "retry-after-huge-429",
    "retry-after-bigger",
    "retry-after-negative",
    "retry-after-text",
    "retry-after-fraction",
    "retry-after-past-date",
    "retry-after-far-date",
    "date-garbage",
    "date-far-future",
    "date-far-past",
    "short-body",
    "short-error-body",
    "broken-chunked",
    "broken-chunked-error",
    "huge-error",
    "non-utf8-headers",
    "non-utf8-throttle",
    "deep-json",
    "non-json",
    "stall-head",
    "stall-body",
    "stall-error-body",
    "redirect-301",
    "redirect-302",
    "redirect-303",
    "redirect-307",
    "redirect-308",
    "informational",
    "status-599",
    "status-999",
    "status-garbage",
    "status-299",
    "echo-secrets-400",
    "echo-secrets-403",
    "echo-secrets-500",
    "head-with-body",
    "huge-header",
    "many-headers",
    "close-immediately",
    "reset",
];

/// The secrets a request carries: none may appear in an error's text or at the other origin.
const SECRET_KEY: &str = "SENTINELsecretKEY0123456789";
const SESSION_TOKEN: &str = "SENTINELsessionTOKEN0123456789";
const QUERY_VALUE: &str = "SENTINELqueryVALUE0123456789";
const API_KEY: &str = "SENTINELapiKEY0123456789";
const SECRETS: [&str; 4] = [SECRET_KEY, SESSION_TOKEN, QUERY_VALUE, API_KEY];
/// Headers of ours that must never reach another origin.
const SECRET_HEADERS: [&str; 4] = [
    "authorization",
    "x-amz-security-token",
    "x-amz-date",
    "x-api-key",
];

/// The total timeout of every call; a call is over it when it takes longer than this plus
/// [`SLACK`].
const TIMEOUT: Duration = Duration::from_secs(2);
const SLACK: Duration = Duration::from_secs(1);

#[derive(Debug, Default)]
struct Figures {
    calls: usize,
    panics: Vec<String>,
    secrets_in_errors: Vec<String>,
    over_timeout: Vec<String>,
    leaks: Vec<String>,
    redirected: usize,
    secrets_in_other_stacks_errors: usize,
    first_failure: Option<String>,
    outcomes: BTreeMap<String, usize>,
}

fn outcome_kind(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Answered { status, .. } => format!("answered {status}"),
        Outcome::Failed { refused: true, .. } => "refused".to_owned(),
        Outcome::Failed { .. } => "error".to_owned(),
    }
}

/// The texts of the crate's error in an outcome (an answer the surface returned as is has none;
/// the other stack's own errors, such as reqwest's under `build()` and the middleware, are
/// counted apart: their text is theirs).
fn error_texts(outcome: &Outcome) -> (Vec<&str>, Vec<&str>) {
    match outcome {
        Outcome::Answered {
            error: Some((display, debug)),
            ..
        }
        | Outcome::Failed {
            display,
            debug,
            ours: true,
            ..
        } => (vec![display, debug], Vec::new()),
        Outcome::Failed { display, debug, .. } => (Vec::new(), vec![display, debug]),
        Outcome::Answered { error: None, .. } => (Vec::new(), Vec::new()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the hostile server: run by .ci/run with HOSTILE_URL and RECORDER_URL set"]
async fn every_surface_survives_the_hostile_server() {
    let hostile = std::env::var("HOSTILE_URL").expect("HOSTILE_URL is set by .ci/run");
    let recorder = std::env::var("RECORDER_URL").expect("RECORDER_URL is set by .ci/run");
    let options = StackOptions {
        retries: true,
        timeout: Some(TIMEOUT),
        follow_redirects: true,
    };
    let stacks = Arc::new(Stacks::new(
        &format!("{hostile}/stage"),
        ("ASIAHOSTILE", SECRET_KEY, Some(SESSION_TOKEN)),
        options,
    ));
    let mut figures: BTreeMap<&'static str, Figures> = BTreeMap::new();
    let mut seen = recorded(&recorder).await.len();
    // A few calls at a time: a loaded machine must not make a call look over its timeout.
    let permits = Arc::new(tokio::sync::Semaphore::new(8));
    // `HOSTILE_MODES=a,b` runs only those modes (to look at one).
    let only = std::env::var("HOSTILE_MODES").unwrap_or_default();
    for surface in Surface::ALL {
        let mut calls = Vec::new();
        for mode in MODES
            .iter()
            .filter(|m| only.is_empty() || only.split(',').any(|o| o == **m))
        {
            let methods: &[Method] = if *mode == "head-with-body" {
                &[Method::HEAD, Method::GET]
            } else {
                &[Method::GET, Method::POST]
            };
            for method in methods {
                let stacks = stacks.clone();
                let method = method.clone();
                let label = format!("{} {method} {mode}", surface.name());
                let permits = permits.clone();
                let task = tokio::spawn(async move {
                    let _permit = permits.acquire_owned().await.unwrap();
                    let started = Instant::now();
                    let make = |api: &amplify_api::EndpointClient| {
                        let request = api
                            .request(method.clone(), format!("/{mode}"))
                            .query("code", QUERY_VALUE)
                            .sensitive_header("x-api-key", API_KEY);
                        if method == Method::POST {
                            request.body("payload")
                        } else {
                            request
                        }
                    };
                    let outcome = stacks.send(surface, make, Some(TIMEOUT)).await;
                    (outcome, started.elapsed())
                });
                calls.push((label, task));
            }
        }
        let f = figures.entry(surface.name()).or_default();
        collect(f, calls).await;
        // What reached the other origin during this surface's calls.
        let recorded = recorded(&recorder).await;
        f.leaks = secret_headers(&recorded[seen..]);
        f.redirected = recorded.len() - seen;
        seen = recorded.len();
    }
    // The command line, when `.ci/run` gives its binary: a process per call, `--max-time`.
    if let Some(cli) = CliSurface::from_env(
        &format!("{hostile}/stage"),
        ("ASIAHOSTILE", SECRET_KEY, Some(SESSION_TOKEN)),
        "hostile",
    ) {
        let f = figures.entry("amplify-api call (CLI)").or_default();
        run_cli(f, &cli, &only).await;
        let recorded = recorded(&recorder).await;
        f.leaks = secret_headers(&recorded[seen..]);
        f.redirected = recorded.len() - seen;
    }
    let mut failed = false;
    for (name, f) in &figures {
        println!(
            "hostile server, {name}: {} calls; {} panics, {} secret headers at the other origin \
             ({} requests reached it), {} secrets in errors ({} in the other stack's own), {} \
             over their timeout; outcomes {:?}",
            f.calls,
            f.panics.len(),
            f.leaks.len(),
            f.redirected,
            f.secrets_in_errors.len(),
            f.secrets_in_other_stacks_errors,
            f.over_timeout.len(),
            f.outcomes
        );
        if let Some(first) = &f.first_failure {
            println!("  first failure: {first}");
        }
        for lines in [&f.panics, &f.leaks, &f.secrets_in_errors, &f.over_timeout] {
            for line in lines.iter().take(6) {
                println!("  {line:.400}");
            }
        }
        failed |= !(f.panics.is_empty()
            && f.leaks.is_empty()
            && f.secrets_in_errors.is_empty()
            && f.over_timeout.is_empty());
    }
    assert!(!failed, "see the figures above");
}

type Call = (String, tokio::task::JoinHandle<(Outcome, Duration)>);

async fn collect(f: &mut Figures, calls: Vec<Call>) {
    for (label, task) in calls {
        f.calls += 1;
        match task.await {
            Err(e) if e.is_panic() => f.panics.push(label),
            Err(e) => f.panics.push(format!("{label}: {e}")),
            Ok((outcome, elapsed)) => {
                if elapsed > TIMEOUT + SLACK {
                    f.over_timeout.push(format!("{label}: {elapsed:?}"));
                }
                let (ours, theirs) = error_texts(&outcome);
                for text in ours {
                    if let Some(secret) = SECRETS.iter().find(|s| text.contains(*s)) {
                        f.secrets_in_errors
                            .push(format!("{label}: {secret} in {text:.300}"));
                    }
                }
                if theirs
                    .iter()
                    .any(|text| SECRETS.iter().any(|s| text.contains(s)))
                {
                    f.secrets_in_other_stacks_errors += 1;
                }
                if let Outcome::Failed { display, .. } = &outcome
                    && f.first_failure.is_none()
                {
                    f.first_failure = Some(format!("{label}: {display:.300}"));
                }
                *f.outcomes.entry(outcome_kind(&outcome)).or_default() += 1;
            }
        }
    }
}

/// Every request the recorder (the other origin) got so far.
async fn recorded(recorder: &str) -> Vec<serde_json::Value> {
    let recorded: serde_json::Value = reqwest::get(format!("{recorder}/__recorded"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    recorded.as_array().cloned().unwrap_or_default()
}

/// The secret headers (or secret values) in `requests`, as `METHOD target: name`.
fn secret_headers(requests: &[serde_json::Value]) -> Vec<String> {
    let mut leaks = Vec::new();
    for request in requests {
        let headers = request["headers"].as_array().cloned().unwrap_or_default();
        for header in headers {
            let name = header[0].as_str().unwrap_or_default();
            let value = header[1].as_str().unwrap_or_default();
            if SECRET_HEADERS.contains(&name) || SECRETS.iter().any(|s| value.contains(s)) {
                leaks.push(format!(
                    "leak: {} {}: {name}",
                    request["method"], request["target"]
                ));
            }
        }
    }
    leaks
}

/// Every mode through the command line (a few at a time): a panic is exit status 101; its
/// standard error must hold no secret, its standard output (the server's body, as curl prints
/// it) no credential.
async fn run_cli(f: &mut Figures, cli: &CliSurface, only: &str) {
    let mut calls = Vec::new();
    for mode in MODES
        .iter()
        .filter(|m| only.is_empty() || only.split(',').any(|o| o == **m))
    {
        for method in ["GET", "POST"] {
            calls.push((*mode, method));
        }
    }
    for chunk in calls.chunks(6) {
        let runs = chunk.iter().map(|(mode, method)| async move {
            let path = format!("/{mode}");
            let request = CliRequest {
                method,
                path: &path,
                query: vec![("code", QUERY_VALUE)],
                headers: vec![("x-api-key", API_KEY)],
                body: (*method == "POST").then_some(&b"payload"[..]),
                max_time: Some(TIMEOUT),
            };
            let started = Instant::now();
            let (outcome, output) = cli.call(&request).await;
            (
                format!("CLI {method} {mode}"),
                outcome,
                output,
                started.elapsed(),
            )
        });
        for (label, outcome, output, elapsed) in futures::future::join_all(runs).await {
            f.calls += 1;
            let stderr = String::from_utf8_lossy(&output.stderr);
            let stdout = String::from_utf8_lossy(&output.stdout);
            if output.status.code() == Some(101) || stderr.contains("panicked") {
                f.panics.push(format!("{label}: {stderr:.300}"));
            }
            // A process starts and reads its config before its clock starts.
            if elapsed > TIMEOUT + SLACK + Duration::from_millis(500) {
                f.over_timeout.push(format!("{label}: {elapsed:?}"));
            }
            if let Some(secret) = SECRETS.iter().find(|s| stderr.contains(*s)) {
                f.secrets_in_errors
                    .push(format!("{label}: {secret} on stderr: {stderr:.300}"));
            }
            if let Some(secret) = [SECRET_KEY, SESSION_TOKEN, API_KEY]
                .iter()
                .find(|s| stdout.contains(*s))
            {
                f.secrets_in_errors
                    .push(format!("{label}: {secret} on stdout: {stdout:.300}"));
            }
            *f.outcomes.entry(outcome_kind(&outcome)).or_default() += 1;
        }
    }
}
