//! Secrets never leak: every error path is driven with sentinel secrets (and with credentials
//! the emulated Cognito minted), and every `Display`, `Debug`, error source and tracing line (at
//! TRACE, all crates) is scanned for them.

mod common;

use std::time::Duration;

use amplify_api::{AuthMode, BoxError, Client, ClientBuilder, Endpoint, Error, RetryPolicy};
use amplify_api_emulator::{CognitoFault, Emulator, Fault};
use common::{Answer, Captured, RawServer, fixed_credentials, http_response};

const SECRET: &str = "SECRETKEY-sentinel-7f3a";
const TOKEN: &str = "SESSIONTOKEN-sentinel-91c2";
const API_KEY: &str = "APIKEY-sentinel-55d0";
const BEARER: &str = "BEARER-sentinel-0b9e";
/// Credentials the emulator accepts (so requests succeed and bodies come back).
const GOOD_SECRET: &str = "GOODSECRET-sentinel-e4c8";
const GOOD_TOKEN: &str = "GOODTOKEN-sentinel-20aa";
const SENTINELS: [&str; 6] = [SECRET, TOKEN, API_KEY, BEARER, GOOD_SECRET, GOOD_TOKEN];

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1))
}

fn client_builder(api_url: &str) -> ClientBuilder {
    Client::builder()
        .endpoint(Endpoint::new("iam", api_url).region("us-east-1"))
        .endpoint(
            Endpoint::new("key", api_url)
                .auth_mode(AuthMode::ApiKey)
                .api_key(API_KEY),
        )
        .endpoint(Endpoint::new("token", api_url).auth_mode(AuthMode::AmazonCognitoUserPools))
        .token_provider(|_: &str| async { Ok::<_, BoxError>(BEARER.to_string()) })
        .credentials_provider(fixed_credentials("AKIDSENTINEL", SECRET, Some(TOKEN)))
        .retry(fast_retries())
        .read_env(false)
}

fn client(api_url: &str) -> Client {
    client_builder(api_url).build().unwrap()
}

/// A client of the emulator's identity pool, with Cognito's credentials.
fn cognito_client(emu: &Emulator) -> Client {
    Client::builder()
        .endpoint(Endpoint::new("iam", emu.api_url()).region("us-east-1"))
        .identity_pool(emu.identity_pool_id())
        .cognito_endpoint(emu.cognito_url())
        .retry(fast_retries())
        .read_env(false)
        .build()
        .unwrap()
}

/// `Display` and `Debug` of `e` and of every error in its source chain.
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = format!("{e} | {e:?}");
    let mut current = e.source();
    while let Some(cause) = current {
        out.push_str(&format!(" | {cause} | {cause:?}"));
        current = cause.source();
    }
    out
}

/// Records what a request produced. `with_body`: the response's `Debug` too (not for echoes
/// of the emulator, whose body repeats the request's headers, session token included, as
/// the server chose to send them).
fn record(out: &mut Vec<String>, result: Result<amplify_api::Response, Error>, with_body: bool) {
    match result {
        Ok(resp) => {
            if with_body {
                out.push(format!("{resp:?}"));
            }
            out.push(format!("{} {:?}", resp.status(), resp.headers()));
            if let (true, Err(e)) = (with_body, resp.json::<Vec<u8>>()) {
                out.push(describe(&e));
            }
        }
        Err(e) => out.push(describe(&e)),
    }
}

/// Every credentials secret and session token the emulator knows now.
fn emulator_secrets(emu: &Emulator, into: &mut Vec<String>) {
    for c in emu.accepted_credentials() {
        into.push(c.secret_access_key().to_owned());
        into.extend(c.session_token().map(str::to_owned));
    }
}

/// Drives every error path; returns the secrets the emulator minted or was given.
async fn drive_every_path(out: &mut Vec<String>) -> Vec<String> {
    let emu = Emulator::start().await.unwrap();
    let mut secrets = Vec::new();
    // The verifier knows a different secret: every IAM request is a 403, and API Gateway's
    // message quotes the canonical request, session token included.
    emu.allow_credentials("AKIDSENTINEL", "another-secret", Some(TOKEN.to_string()));
    emu.allow_credentials("AKIDGOOD", GOOD_SECRET, Some(GOOD_TOKEN.to_string()));
    let builder = client_builder(&emu.api_url());
    out.push(format!("{builder:?}"));
    let c = builder.build().unwrap();
    out.push(format!("{c:?}"));
    for name in ["iam", "key", "token"] {
        let api = c.endpoint(name).unwrap();
        out.push(format!("{api:?}"));
        let results = vec![
            api.get("/x").send().await,
            api.get("/x").header("bad name", "v").send().await,
            api.get("/x\r\n").send().await,
            api.get("https://evil.example/x").send().await,
            api.get("/x")
                .header("x-a", "v\r\nx-amz-security-token: t")
                .send()
                .await,
        ];
        emu.api().respond_next(3, Fault::Status(503));
        let retried = api.get("/x").send().await;
        emu.api().respond_next(3, Fault::Status(429));
        let throttled = api.put("/x").text("b").send().await;
        emu.api().respond_next(1, Fault::Hang);
        let timed_out = api
            .get("/x")
            .timeout(Duration::from_millis(100))
            .send()
            .await;
        // Transport: the connection dropped on every attempt.
        emu.api().respond_next(3, Fault::DropConnection);
        let dropped = api.get("/x").send().await;
        assert!(matches!(&dropped, Err(Error::Transport(_))), "{dropped:?}");
        for r in results
            .into_iter()
            .chain([retried, throttled, timed_out, dropped])
        {
            record(out, r, true);
        }
    }
    out.push(format!("{:?}", c.endpoint("nope")));

    // A 403 (which quotes the token) cut at the limit, and cut in the middle of the token: no
    // part of it is kept. Then ResponseTooLarge of a successful echo.
    let whole = client_builder(&emu.api_url()).build().unwrap();
    let Err(Error::Status(forbidden)) = whole.endpoint("iam").unwrap().get("/x").send().await
    else {
        panic!("the sentinel's signature is refused")
    };
    let quoted = String::from_utf8_lossy(forbidden.body()).into_owned();
    let at = quoted
        .find("** redacted **")
        .expect("the 403 quotes the token");
    for limit in [32, at + 6] {
        let small = client_builder(&emu.api_url())
            .max_response_bytes(limit)
            .build()
            .unwrap();
        let cut = small.endpoint("iam").unwrap().get("/x").send().await;
        let Err(Error::Status(e)) = &cut else {
            panic!("{cut:?}")
        };
        assert!(e.body_truncated() && e.body().len() <= limit, "{limit}");
        assert!(
            !String::from_utf8_lossy(e.body()).contains(&TOKEN[..6]),
            "{limit}: {:?}",
            e.body()
        );
        record(out, cut, true);
    }
    let good = |limit: usize| {
        Client::builder()
            .endpoint(Endpoint::new("iam", emu.api_url()).region("us-east-1"))
            .credentials_provider(fixed_credentials("AKIDGOOD", GOOD_SECRET, Some(GOOD_TOKEN)))
            .max_response_bytes(limit)
            .retry(fast_retries())
            .read_env(false)
            .build()
            .unwrap()
    };
    let echo_too_large = good(64).endpoint("iam").unwrap().get("/x").send().await;
    assert!(
        matches!(&echo_too_large, Err(Error::ResponseTooLarge { limit: 64 })),
        "{echo_too_large:?}"
    );
    record(out, echo_too_large, true);
    // A success (its body is the server's echo: not printed), traced at TRACE all the same.
    let ok = good(1 << 20)
        .endpoint("iam")
        .unwrap()
        .get("/ok")
        .send()
        .await;
    assert_eq!(ok.as_ref().map(|r| r.status().as_u16()).ok(), Some(200));
    record(out, ok, false);

    // Decode: a body that is not JSON.
    let garbage = RawServer::start(|_, _| {
        Answer::Send(http_response(
            "200 OK",
            &[("content-type", "text/html")],
            "<html>not json</html>",
        ))
    });
    let gc = client(&garbage.url());
    for name in ["iam", "key", "token"] {
        let resp = gc.endpoint(name).unwrap().get("/x").send().await.unwrap();
        out.push(format!("{resp:?}"));
        let err = resp.json::<serde_json::Value>().unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{err:?}");
        out.push(describe(&err));
    }

    // A failing header provider, and a failing token provider.
    let failing = client_builder(&emu.api_url())
        .header_provider(|_: &str| async {
            Err::<Vec<(String, String)>, BoxError>("the header source is down".into())
        })
        .build()
        .unwrap();
    for name in ["iam", "key", "token"] {
        let r = failing.endpoint(name).unwrap().get("/x").send().await;
        assert!(matches!(&r, Err(Error::InvalidRequest(_))), "{r:?}");
        record(out, r, true);
    }
    let failing = client_builder(&emu.api_url())
        .token_provider(|_: &str| async {
            Err::<String, BoxError>("the token source is down".into())
        })
        .build()
        .unwrap();
    let r = failing.endpoint("token").unwrap().get("/x").send().await;
    assert!(matches!(&r, Err(Error::Credentials(_))), "{r:?}");
    record(out, r, true);

    // Transport errors (closed port).
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let c2 = client(&closed);
    for name in ["iam", "key", "token"] {
        let r = c2.endpoint(name).unwrap().get("/x").send().await;
        record(out, r, true);
    }

    // Cognito failures: refused, throttled and failing past the retries, an unknown pool.
    let cognito = cognito_client(&emu);
    let iam = cognito.endpoint("iam").unwrap();
    for (count, fault) in [
        (1, CognitoFault::NotAuthorized),
        (3, CognitoFault::Throttling),
        (3, CognitoFault::InternalError),
        (1, CognitoFault::ResourceNotFound),
    ] {
        emu.cognito().fail_next(count, fault);
        let r = iam.get("/x").send().await;
        assert!(matches!(&r, Err(Error::Credentials(_))), "{fault:?}: {r:?}");
        record(out, r, true);
    }
    // Credentials Cognito minted, used on every path.
    let ok = iam.get("/minted").send().await;
    assert!(ok.is_ok(), "{ok:?}");
    record(out, ok, false);
    emulator_secrets(&emu, &mut secrets);
    // A cached identity Cognito forgot: dropped, GetId once more, new credentials.
    emu.cognito().forget_identities();
    cognito.invalidate_credentials();
    let ok = iam.get("/again").send().await;
    assert!(ok.is_ok(), "{ok:?}");
    record(out, ok, false);
    emulator_secrets(&emu, &mut secrets);
    for fault in [Fault::Status(503), Fault::DropConnection] {
        emu.api().respond_next(3, fault);
        record(out, iam.get("/x").send().await, true);
    }
    emu.api().respond_next(1, Fault::Hang);
    record(
        out,
        iam.get("/x")
            .timeout(Duration::from_millis(100))
            .send()
            .await,
        true,
    );
    // The minted keys, made unknown to the verifier's secret: InvalidSignatureException, whose
    // message quotes the minted session token.
    for c in emu.accepted_credentials() {
        if c.access_key_id().starts_with("ASIA") {
            emu.allow_credentials(
                c.access_key_id(),
                "not-the-minted-secret",
                c.session_token().map(str::to_owned),
            );
        }
    }
    let r = iam.get("/x").send().await;
    assert_eq!(
        r.as_ref().err().and_then(Error::aws_error_name),
        Some("InvalidSignatureException"),
        "{r:?}"
    );
    record(out, r, true);
    out.push(format!("{cognito:?}"));
    // A new client whose first GetId is refused as an unknown pool.
    let fresh = cognito_client(&emu);
    emu.cognito().fail_next(1, CognitoFault::ResourceNotFound);
    record(
        out,
        fresh.endpoint("iam").unwrap().get("/x").send().await,
        true,
    );
    emulator_secrets(&emu, &mut secrets);
    secrets.retain(|s| !s.is_empty());
    secrets
}

#[test]
fn no_secret_in_any_output() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .finish();
    // One thread, so the subscriber (set for this thread) sees every task.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut out = Vec::new();
    let minted = tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(drive_every_path(&mut out))
    });
    let logs = captured.text();
    assert!(
        logs.len() > 1000,
        "tracing captured output ({} bytes)",
        logs.len()
    );
    assert!(out.len() > 60, "{} outputs", out.len());
    // Two guest identities' credentials, the sentinels' and the allowed key's.
    assert!(minted.len() >= 6, "{} emulator secrets", minted.len());
    let all = format!("{}\n{logs}", out.join("\n"));
    // Every path was driven: the scan below covers what each one prints.
    for needle in [
        "** redacted **",
        "connection closed before message completed",
        "Connection refused",
        "timed out after 100ms",
        "after 3 attempts",
        "larger than the limit of 64 bytes",
        "could not decode the response body as JSON",
        "the header source is down",
        "the token source is down",
        "NotAuthorizedException",
        "TooManyRequestsException",
        "InternalErrorException",
        "ResourceNotFoundException",
        "retrying Cognito",
        "stored identity id unknown to Cognito",
        "InvalidSignatureException",
        "invalid request: ",
    ] {
        assert!(all.contains(needle), "no output has {needle:?}");
    }
    for secret in SENTINELS
        .iter()
        .copied()
        .chain(minted.iter().map(String::as_str))
    {
        if let Some(at) = all.find(secret) {
            let start = all.floor_char_boundary(at.saturating_sub(300));
            let end = all.ceil_char_boundary((at + 50).min(all.len()));
            panic!("{secret} leaked: ...{}...", &all[start..end]);
        }
    }
}

/// Every public type that can hold a secret, built with sentinel secrets (a secret key, a
/// session token, an API key, a bearer token, a query value, an identity id): none appears in
/// its `Debug` or (for errors) `Display`.
#[tokio::test]
async fn every_public_type_hides_its_secrets_in_debug_and_display() {
    use amplify_api::SigV4;
    use amplify_api::credentials::{
        CognitoIdentityProvider, IdentityIdStore, MemoryIdentityIdStore,
    };
    use amplify_api::layer::SigV4Layer;
    use amplify_api::middleware::SigV4Middleware;
    use amplify_api_emulator::Emulator;
    use tower::Layer;

    const QUERY: &str = "QUERYVALUE-sentinel-3d1f";
    const IDENTITY: &str = "us-east-1:IDENTITY-sentinel-77ab";
    let emu = Emulator::start().await.unwrap();
    emu.allow_credentials("AKIDSENTINEL", GOOD_SECRET, Some(GOOD_TOKEN.to_owned()));
    let mut out: Vec<String> = Vec::new();
    let mut debug = |what: &str, text: String| out.push(format!("{what}: {text}"));

    // Builders, endpoints, clients.
    let endpoint = Endpoint::new("key", emu.api_url())
        .auth_mode(AuthMode::ApiKey)
        .api_key(API_KEY);
    debug("Endpoint", format!("{endpoint:?}"));
    let builder = client_builder(&emu.api_url()).credentials_provider(fixed_credentials(
        "AKIDSENTINEL",
        GOOD_SECRET,
        Some(GOOD_TOKEN),
    ));
    debug("ClientBuilder", format!("{builder:?}"));
    let client = builder.build().unwrap();
    debug("Client", format!("{client:?}"));
    let iam = client.endpoint("iam").unwrap();
    debug("EndpointClient", format!("{iam:?}"));
    let request = || {
        iam.get(format!("/x?code={QUERY}"))
            .query("state", QUERY)
            .header("x-api-key", API_KEY)
    };
    debug("RequestBuilder", format!("{:?}", request()));
    let with_bearer = iam
        .get("/x")
        .header("authorization", format!("Bearer {BEARER}"));
    debug("RequestBuilder (bearer)", format!("{with_bearer:?}"));

    // What a request gives back.
    let (built, details) = request().build_with_details().await.unwrap();
    debug("SigningDetails", format!("{details:?}"));
    debug("http::Request headers", format!("{:?}", built.headers()));
    let response = request().send().await.unwrap();
    debug("Response", format!("{response:?}"));
    let streaming = request().send_streaming().await.unwrap();
    debug("StreamingResponse", format!("{streaming:?}"));

    // Errors: a bad path with a query, a refused signature, a timeout.
    for err in [
        iam.get(format!("/a/../b?code={QUERY}"))
            .send()
            .await
            .unwrap_err(),
        iam.get(format!("/a?code={QUERY}#frag"))
            .send()
            .await
            .unwrap_err(),
        iam.get(format!("/cb?code={QUERY}%FF"))
            .send()
            .await
            .unwrap_err(),
        iam.get(format!("/x?code={QUERY}"))
            .header("connection", "close")
            .send()
            .await
            .unwrap_err(),
        client_builder(&emu.api_url())
            .build()
            .unwrap()
            .endpoint("iam")
            .unwrap()
            .get(format!("/x?code={QUERY}"))
            .send()
            .await
            .unwrap_err(),
    ] {
        debug("Error", describe(&err));
    }

    // Signers and what is made from them.
    let sigv4 = SigV4::new(
        fixed_credentials("AKIDSENTINEL", SECRET, Some(TOKEN)),
        "us-east-1",
        "execute-api",
    )
    .unwrap()
    .for_host("127.0.0.1:9")
    .unwrap();
    debug("SigV4", format!("{sigv4:?}"));
    debug(
        "SigV4Layer",
        format!("{:?}", SigV4Layer::new(sigv4.clone())),
    );
    debug(
        "SigV4Service",
        format!("{:?}", SigV4Layer::new(sigv4.clone()).layer(())),
    );
    debug(
        "SigV4Middleware",
        format!("{:?}", SigV4Middleware::new(sigv4.clone())),
    );
    let from_endpoint = SigV4::from_endpoint(&iam).unwrap();
    debug("SigV4 (endpoint)", format!("{from_endpoint:?}"));

    // Cognito: the identity ids, given and minted.
    let store = MemoryIdentityIdStore::default();
    store.save("us-east-1:other-pool", IDENTITY);
    debug("MemoryIdentityIdStore", format!("{store:?}"));
    let provider_builder = CognitoIdentityProvider::builder(emu.identity_pool_id())
        .endpoint(emu.cognito_url())
        .allow_http(true)
        .read_env(false)
        .identity_id_store(store);
    debug(
        "CognitoIdentityProviderBuilder",
        format!("{provider_builder:?}"),
    );
    let provider = provider_builder.build().unwrap();
    provider.fetch().await.unwrap();
    let minted = provider.identity_id().expect("a guest identity");
    debug("CognitoIdentityProvider", format!("{provider:?}"));
    let cognito_sigv4 = SigV4::cognito(provider, "us-east-1", "execute-api").unwrap();
    debug("SigV4 (cognito)", format!("{cognito_sigv4:?}"));

    let all = out.join("\n");
    assert!(out.len() >= 20, "{} outputs", out.len());
    for secret in SENTINELS
        .iter()
        .copied()
        .chain([QUERY, IDENTITY, minted.as_str()])
    {
        for line in &out {
            assert!(!line.contains(secret), "{secret} leaked in {line}");
        }
    }
    assert!(
        all.contains("HopByHopHeader") || all.contains("hop-by-hop"),
        "{all}"
    );
}

/// A server that quotes the request back (its request line with the query, its token) in the
/// error body and in a header of its own: the error shows neither, in any form.
#[tokio::test]
async fn an_answer_echoing_the_query_and_the_token_is_scrubbed() {
    const CODE: &str = "QUERYCODE-sentinel-3d71";
    let server = RawServer::start(|_, request| {
        let token = request
            .lines()
            .find_map(|l| l.strip_prefix("x-amz-security-token: "))
            .unwrap_or_default()
            .to_owned();
        let line = request.lines().next().unwrap_or_default().to_owned();
        let body = format!(r#"{{"message":"denied: {line} token {token}"}}"#);
        Answer::Send(http_response(
            "403 Forbidden",
            &[
                ("x-amzn-ErrorType", "AccessDeniedException"),
                ("x-echo", &format!("seen {token}")),
            ],
            &body,
        ))
    });
    let client = client_builder(&server.url())
        .credentials_provider(fixed_credentials("AKIDECHO", SECRET, Some(TOKEN)))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client
        .endpoint("iam")
        .unwrap()
        .get("/echo")
        .query("code", CODE)
        .query("page", "2")
        .send()
        .await
        .unwrap_err();
    let Error::Status(service) = &err else {
        panic!("{err:?}")
    };
    let shown = format!("{err} {err:?} {}", String::from_utf8_lossy(service.body()));
    let headers = format!("{:?}", service.headers());
    for text in [&shown, &headers] {
        assert!(!text.contains(CODE) && !text.contains(TOKEN), "{text}");
    }
    assert!(shown.contains("page=2"), "short query values stay: {shown}");
    assert!(shown.contains("AccessDeniedException"), "{shown}");
}
