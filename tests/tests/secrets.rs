//! Secrets never leak: every error path is driven with sentinel secrets, and every `Display`,
//! `Debug` and tracing line (at TRACE, all crates) is scanned for them.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use amplify_api::test_util::{CognitoFault, Emulator, Fault};
use amplify_api::{AuthMode, BoxError, Client, Endpoint, RetryPolicy};
use aws_credential_types::Credentials;

const SECRET: &str = "SECRETKEY-sentinel-7f3a";
const TOKEN: &str = "SESSIONTOKEN-sentinel-91c2";
const API_KEY: &str = "APIKEY-sentinel-55d0";
const BEARER: &str = "BEARER-sentinel-0b9e";
const SENTINELS: [&str; 4] = [SECRET, TOKEN, API_KEY, BEARER];

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

fn client(api_url: &str) -> Client {
    Client::builder()
        .endpoint(Endpoint::new("iam", api_url).region("us-east-1"))
        .endpoint(
            Endpoint::new("key", api_url)
                .auth_mode(AuthMode::ApiKey)
                .api_key(API_KEY),
        )
        .endpoint(Endpoint::new("token", api_url).auth_mode(AuthMode::AmazonCognitoUserPools))
        .token_provider(|_: &str| async { Ok::<_, BoxError>(BEARER.to_string()) })
        .credentials_provider(Credentials::new(
            "AKIDSENTINEL",
            SECRET,
            Some(TOKEN.into()),
            None,
            "test",
        ))
        .retry(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .read_env(false)
        .build()
        .unwrap()
}

async fn drive_every_path(out: &mut Vec<String>) {
    let emu = Emulator::start().await.unwrap();
    // The verifier knows a different secret: every IAM request is a 403.
    emu.allow_credentials("AKIDSENTINEL", "another-secret", Some(TOKEN.to_string()));
    let c = client(&emu.api_url());
    out.push(format!("{c:?}"));
    for name in ["iam", "key", "token"] {
        let api = c.endpoint(name).unwrap();
        out.push(format!("{api:?}"));
        let results = vec![
            api.get("/x").send().await,
            api.get("/x").header("bad name", "v").send().await,
            api.get("/x\r\n").send().await,
        ];
        emu.api().respond_next(3, Fault::Status(503));
        let retried = api.get("/x").send().await;
        emu.api().respond_next(1, Fault::Hang);
        let timed_out = api
            .get("/x")
            .timeout(Duration::from_millis(100))
            .send()
            .await;
        for r in results.into_iter().chain([retried, timed_out]) {
            match r {
                Ok(resp) => {
                    out.push(format!("{resp:?}"));
                    if let Err(e) = resp.json::<Vec<u8>>() {
                        out.push(format!("{e} {e:?}"));
                    }
                }
                Err(e) => out.push(format!("{e} {e:?}")),
            }
        }
    }
    out.push(format!("{:?}", c.endpoint("nope")));
    // Transport errors (closed port).
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let c2 = client(&closed);
    out.push(format!(
        "{:?}",
        c2.endpoint("iam").unwrap().get("/x").send().await
    ));
    out.push(format!(
        "{:?}",
        c2.endpoint("key").unwrap().get("/x").send().await
    ));
    // Cognito failures, with credentials Cognito minted.
    let cognito = Client::builder()
        .endpoint(Endpoint::new("iam", emu.api_url()).region("us-east-1"))
        .identity_pool(emu.identity_pool_id())
        .cognito_endpoint(emu.cognito_url())
        .read_env(false)
        .build()
        .unwrap();
    emu.cognito().fail_next(1, CognitoFault::NotAuthorized);
    let e = cognito
        .endpoint("iam")
        .unwrap()
        .get("/x")
        .send()
        .await
        .unwrap_err();
    out.push(format!("{e} {e:?}"));
    out.push(format!("{cognito:?}"));
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
    tracing::subscriber::with_default(subscriber, || runtime.block_on(drive_every_path(&mut out)));
    let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(
        logs.len() > 1000,
        "tracing captured output ({} bytes)",
        logs.len()
    );
    assert!(out.len() > 20, "{} outputs", out.len());
    let all = format!("{}\n{logs}", out.join("\n"));
    for sentinel in SENTINELS {
        if let Some(at) = all.find(sentinel) {
            let start = at.saturating_sub(300);
            panic!(
                "{sentinel} leaked: ...{}...",
                &all[start..(at + 50).min(all.len())]
            );
        }
    }
}
