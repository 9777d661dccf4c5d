//! The `amplify-api` binary, run for real (`std::process::Command`) against the emulator running
//! in this test process: every verb, option and exit status, the `-v` output checked against
//! what the emulator's independent verifier computes, config discovery, `sign`'s curl command
//! replayed, and what the library's send path gives the CLI (retries, clock-skew re-send,
//! redaction, the total timeout, the kept guest identity).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use amplify_api_emulator::sigv4_verify::{self, WireRequest};
use amplify_api_emulator::{CognitoFault, Echo, Emulator, Fault};

const BIN: &str = env!("CARGO_BIN_EXE_amplify-api");
const USER_POOL: &str = "us-east-1_TeStPoOl1";
const API_KEY: &str = "da2-clitestkeyclitestkey";

/// The binary, with the user's cache directory (`XDG_CACHE_HOME`) in this run's temp dir, so no
/// test writes an identity id into the real one.
fn bin() -> Command {
    cached(Command::new(BIN))
}

/// `cmd` with the user's cache directory in this run's temp dir.
fn cached(mut cmd: Command) -> Command {
    cmd.env(
        "XDG_CACHE_HOME",
        std::env::temp_dir().join(format!("amplify-api-cli-cache-{}", std::process::id())),
    );
    cmd
}

/// A fresh directory under the system's temp dir.
fn temp_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "amplify-api-cli-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A native `amplifyconfiguration.json` for the emulator: `itemsApi` (IAM), `publicApi`
/// (API key), `userApi` (user pools), its identity pool and a user pool.
fn native_config(emu: &Emulator) -> String {
    let url = emu.api_url();
    format!(
        r#"{{
  "api": {{ "plugins": {{ "awsAPIPlugin": {{
    "itemsApi": {{ "endpointType": "REST", "endpoint": "{url}", "region": "us-east-1", "authorizationType": "AWS_IAM" }},
    "publicApi": {{ "endpointType": "REST", "endpoint": "{url}", "region": "us-east-1", "authorizationType": "API_KEY", "apiKey": "{API_KEY}" }},
    "userApi": {{ "endpointType": "REST", "endpoint": "{url}", "region": "us-east-1", "authorizationType": "AMAZON_COGNITO_USER_POOLS" }}
  }} }} }},
  "auth": {{ "plugins": {{ "awsCognitoAuthPlugin": {{
    "CredentialsProvider": {{ "CognitoIdentity": {{ "Default": {{ "PoolId": "{pool}", "Region": "us-east-1" }} }} }},
    "CognitoUserPool": {{ "Default": {{ "PoolId": "{USER_POOL}", "AppClientId": "abc", "Region": "us-east-1" }} }}
  }} }} }}
}}"#,
        pool = emu.identity_pool_id()
    )
}

/// A directory holding `amplifyconfiguration.json` for `emu`, and its path.
fn config_dir(emu: &Emulator) -> (PathBuf, PathBuf) {
    let dir = temp_dir();
    let file = dir.join("amplifyconfiguration.json");
    std::fs::write(&file, native_config(emu)).unwrap();
    (dir, file)
}

/// Runs the binary in `cwd` with `args`, the emulator's Cognito endpoint in the environment
/// (as `AWS_ENDPOINT_URL_COGNITO_IDENTITY`), no AWS credentials from the machine.
fn run_in(emu: &Emulator, cwd: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    run_with(emu, cwd, args, stdin, &[])
}

/// [`run_in`] with more environment variables.
fn run_with(
    emu: &Emulator,
    cwd: &Path,
    args: &[&str],
    stdin: Option<&[u8]>,
    env: &[(&str, &str)],
) -> Output {
    let mut cmd = bin();
    cmd.args(args)
        .current_dir(cwd)
        .env("AWS_ENDPOINT_URL_COGNITO_IDENTITY", emu.cognito_url())
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env_remove("AMPLIFY_API_ID_TOKEN")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        let mut pipe = child.stdin.take().unwrap();
        if let Some(bytes) = stdin {
            // A command may finish without reading all of its input (a refused sign-in):
            // the broken pipe is not the test's concern, its output is.
            let _ = pipe.write_all(bytes);
        }
    }
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The exit status, with the output shown when it is not `expected`.
fn assert_status(out: &Output, expected: i32) {
    assert_eq!(
        out.status.code(),
        Some(expected),
        "stdout:\n{}\nstderr:\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

fn echo(out: &Output) -> Echo {
    assert_status(out, 0);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)))
}

/// The lines of `-v`'s block `* <title>:` (each `*   line`), joined.
fn verbose_block(stderr: &str, title: &str) -> String {
    let mut lines = stderr.lines().skip_while(|l| *l != format!("* {title}:"));
    lines
        .next()
        .unwrap_or_else(|| panic!("no `{title}` in:\n{stderr}"));
    lines
        .map_while(|l| l.strip_prefix("*   "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// No secret of any credentials the emulator accepts appears in `s`.
fn assert_no_secrets(emu: &Emulator, s: &str) {
    for creds in emu.accepted_credentials() {
        assert!(
            !s.contains(creds.secret_access_key()),
            "secret key in:\n{s}"
        );
        if let Some(token) = creds.session_token() {
            assert!(!s.contains(token), "session token in:\n{s}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn call_verbose_prints_what_the_emulator_verified() {
    let emu = Emulator::start().await.unwrap();
    emu.api().require_iam();
    let (dir, _) = config_dir(&emu);
    let out = run_in(
        &emu,
        &dir,
        &[
            "call",
            "itemsApi",
            "post",
            "/items/a b",
            "-q",
            "q=x y",
            "-q",
            "flag",
            "-H",
            "x-trace: t-1",
            "-d",
            r#"{"name":"pen"}"#,
            "-v",
            "--show-query",
        ],
        None,
    );
    let echo = echo(&out);
    let stderr = text(&out.stderr);
    assert_eq!(
        (echo.method.as_str(), echo.path.as_str()),
        ("POST", "/items/a%20b")
    );
    assert_eq!(echo.query, "q=x%20y&flag=");
    assert_eq!(echo.body, r#"{"name":"pen"}"#);
    assert_eq!(echo.headers["content-type"], "application/json");
    assert_eq!(echo.headers["x-trace"], "t-1");
    assert!(echo.signed_headers.contains(&"x-trace".to_owned()));

    // What the emulator's own verifier (sharing nothing with the signer) computes for what it
    // received, against what `-v` printed.
    let wire = WireRequest {
        method: echo.method.clone(),
        path: echo.path.clone(),
        query: echo.query.clone(),
        headers: echo.headers.clone().into_iter().collect(),
        body: echo.body.clone().into_bytes(),
    };
    let expected = sigv4_verify::canonical_request(&wire, &echo.signed_headers, true);
    let token = &echo.headers["x-amz-security-token"];
    let shown = verbose_block(&stderr, "canonical request");
    assert_eq!(
        shown,
        expected.replace(
            &format!("x-amz-security-token:{token}"),
            "x-amz-security-token:** redacted **"
        )
    );
    let amz_date = &echo.headers["x-amz-date"];
    let scope = format!("{}/us-east-1/execute-api/aws4_request", &amz_date[..8]);
    assert_eq!(
        verbose_block(&stderr, "string to sign"),
        sigv4_verify::string_to_sign(amz_date, &scope, &expected)
    );
    assert!(
        stderr.contains(&format!(
            "* signed headers: {}",
            echo.signed_headers.join(";")
        )),
        "{stderr}"
    );
    assert!(stderr.contains("* credentials expire at "), "{stderr}");
    assert!(
        stderr.contains("> POST /items/a%20b?q=x%20y&flag= HTTP/1.1"),
        "{stderr}"
    );
    assert!(stderr.contains("< HTTP/1.1 200 OK"), "{stderr}");
    // The signature, the token and the secret key are never shown; the rest of
    // `authorization` is.
    let (before, signature) = echo.headers["authorization"]
        .rsplit_once("Signature=")
        .unwrap();
    assert!(
        stderr.contains(&format!(
            "> authorization: {before}Signature=** redacted **\n"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("> x-amz-security-token: ** redacted **\n"),
        "{stderr}"
    );
    assert!(!stderr.contains(signature), "{stderr}");
    assert_no_secrets(&emu, &stderr);

    // Without --show-query, query values are hidden in the request line and the canonical
    // request; the help says so.
    let out = run_in(
        &emu,
        &dir,
        &[
            "call",
            "itemsApi",
            "GET",
            "/cb",
            "-q",
            "code=s3cr3t-code",
            "-q",
            "flag",
            "-v",
        ],
        None,
    );
    assert_status(&out, 0);
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("s3cr3t-code"), "{stderr}");
    assert!(
        stderr.contains("> GET /cb?code=…&flag= HTTP/1.1"),
        "{stderr}"
    );
    assert_eq!(
        verbose_block(&stderr, "canonical request")
            .lines()
            .nth(2)
            .unwrap(),
        "code=…&flag="
    );
    let help = text(&run_in(&emu, &dir, &["call", "--help"], None).stdout);
    // As one line: the help is wrapped to the terminal's width.
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for promise in [
        "Hidden (shown as `** redacted **`)",
        "Query values are shown as `…` unless --show-query",
        "x-amz-security-token",
        "x-api-key",
    ] {
        assert!(help.contains(promise), "{help}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bodies_from_text_files_and_stdin() {
    let emu = Emulator::start().await.unwrap();
    let (dir, _) = config_dir(&emu);
    let file = dir.join("body.bin");
    std::fs::write(&file, b"\x00\x01binary\xff").unwrap();
    let path = file.to_str().unwrap();

    let e = echo(&run_in(
        &emu,
        &dir,
        &[
            "call",
            "itemsApi",
            "PUT",
            "/f",
            "--data-binary",
            &format!("@{path}"),
        ],
        None,
    ));
    assert_eq!(e.body_len, 9);
    assert!(!e.headers.contains_key("content-type"), "{:?}", e.headers);

    std::fs::write(&file, br#"{"from":"file"}"#).unwrap();
    let e = echo(&run_in(
        &emu,
        &dir,
        &["call", "itemsApi", "POST", "/f", "-d", &format!("@{path}")],
        None,
    ));
    assert_eq!(
        (e.body.as_str(), e.headers["content-type"].as_str()),
        (r#"{"from":"file"}"#, "application/json")
    );

    let e = echo(&run_in(
        &emu,
        &dir,
        &[
            "call",
            "itemsApi",
            "POST",
            "/s",
            "-d",
            "@-",
            "-H",
            "content-type: text/plain",
        ],
        Some(b"from stdin"),
    ));
    assert_eq!(
        (e.body.as_str(), e.headers["content-type"].as_str()),
        ("from stdin", "text/plain")
    );

    // A body of several MiB goes up and comes back (no progress bar: stderr is not a terminal).
    let big = vec![b'x'; 5 * 1024 * 1024];
    std::fs::write(&file, &big).unwrap();
    let out = run_in(
        &emu,
        &dir,
        &[
            "call",
            "itemsApi",
            "POST",
            "/big",
            "--data-binary",
            &format!("@{path}"),
        ],
        None,
    );
    assert_eq!(echo(&out).body_len, big.len());
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn include_pretty_and_raw() {
    let emu = Emulator::start().await.unwrap();
    let (dir, _) = config_dir(&emu);
    let out = run_in(&emu, &dir, &["call", "itemsApi", "GET", "/i", "-i"], None);
    assert_status(&out, 0);
    let stdout = text(&out.stdout);
    let (head, body) = stdout.split_once("\n\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200 OK\n"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    serde_json::from_str::<Echo>(body).unwrap();

    // Not a terminal: raw by default; --pretty indents; --raw keeps it.
    let raw = text(&run_in(&emu, &dir, &["call", "itemsApi", "GET", "/i"], None).stdout);
    assert_eq!(raw.lines().count(), 1, "{raw}");
    let pretty = text(
        &run_in(
            &emu,
            &dir,
            &["call", "itemsApi", "GET", "/i", "--pretty"],
            None,
        )
        .stdout,
    );
    assert!(
        pretty.lines().count() > 5 && pretty.contains("\n  \"method\": \"GET\""),
        "{pretty}"
    );
    let kept = text(
        &run_in(
            &emu,
            &dir,
            &["call", "itemsApi", "GET", "/i", "--raw"],
            None,
        )
        .stdout,
    );
    assert_eq!(kept.lines().count(), 1, "{kept}");
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_statuses() {
    let emu = Emulator::start().await.unwrap();
    let (dir, _) = config_dir(&emu);
    let call = |extra: &[&str]| {
        let mut args = vec!["call", "itemsApi", "GET", "/x"];
        args.extend_from_slice(extra);
        run_in(&emu, &dir, &args, None)
    };

    emu.api().respond_next(1, Fault::Status(403));
    let out = call(&[]);
    assert_status(&out, 4);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("answered 403 Forbidden AccessDeniedException: Forbidden"),
        "{stderr}"
    );
    assert!(
        text(&out.stdout).contains("Forbidden"),
        "the body is printed too"
    );

    // A POST is not retried (a GET would be: see `retries_and_clock_skew_come_from_the_library`).
    emu.api().respond_next(1, Fault::Status(503));
    let out = run_in(&emu, &dir, &["call", "itemsApi", "POST", "/x"], None);
    assert_status(&out, 5);
    assert!(
        text(&out.stderr).contains("ServiceUnavailableException"),
        "{}",
        text(&out.stderr)
    );

    // Nothing listens on a port just released.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let out = call(&["--endpoint-url", &format!("http://{closed}")]);
    assert_status(&out, 6);
    assert!(
        text(&out.stderr).contains("failed: "),
        "{}",
        text(&out.stderr)
    );

    emu.api().respond_next(1, Fault::Hang);
    let out = call(&["--max-time", "0.5"]);
    assert_status(&out, 6);
    assert!(
        text(&out.stderr).contains("timed out"),
        "{}",
        text(&out.stderr)
    );

    for args in [
        &["call", "nope", "GET", "/"][..],
        &["call", "itemsApi", "GET", "/", "-H", "no colon"],
        &["call", "itemsApi", "GE T", "/"],
        &["call", "itemsApi", "GET", "/", "-d", "x"],
        &[
            "call",
            "itemsApi",
            "GET",
            "/",
            "--config",
            "/nonexistent/amplify_outputs.json",
        ],
        &["call"],
        &["frobnicate"],
    ] {
        let out = run_in(&emu, &dir, args, None);
        assert_status(&out, 2);
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    let out = run_in(&emu, &dir, &["call", "nope", "GET", "/"], None);
    assert!(
        text(&out.stderr).contains("itemsApi"),
        "lists the known names: {}",
        text(&out.stderr)
    );

    let help = text(&run_in(&emu, &dir, &["call", "--help"], None).stdout);
    for line in [
        "0  the server answered 2xx",
        "2  usage or config error",
        "3  credentials error",
        "4  the server answered 4xx",
        "5  the server answered 5xx",
        "6  transport error",
    ] {
        assert!(help.contains(line), "{help}");
    }

    // Last: the emulator's Cognito keeps refusing from here on.
    emu.cognito().fail_next(10, CognitoFault::NotAuthorized);
    let out = call(&[]);
    assert_status(&out, 3);
    assert!(
        text(&out.stderr).contains("NotAuthorizedException"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn config_is_discovered_from_a_nested_directory() {
    let emu = Emulator::start().await.unwrap();
    let root = temp_dir();
    let nested = root.join("app/src/components");
    std::fs::create_dir_all(&nested).unwrap();
    let out = run_in(&emu, &nested, &["call", "itemsApi", "GET", "/"], None);
    assert_status(&out, 2);
    assert!(
        text(&out.stderr).contains("no Amplify config found"),
        "{}",
        text(&out.stderr)
    );

    // Gen 1 JavaScript in `<app>/src/aws-exports.js`.
    let exports = format!(
        "const awsmobile = {{\n  aws_cognito_identity_pool_id: '{pool}',\n  aws_cognito_region: 'us-east-1',\n  aws_cloud_logic_custom: [{{ name: 'jsApi', endpoint: '{url}', region: 'us-east-1' }}],\n}};\nexport default awsmobile;\n",
        pool = emu.identity_pool_id(),
        url = emu.api_url()
    );
    std::fs::write(root.join("app/src/aws-exports.js"), exports).unwrap();
    assert_eq!(
        echo(&run_in(
            &emu,
            &nested,
            &["call", "jsApi", "GET", "/js"],
            None
        ))
        .path,
        "/js"
    );

    // Gen 2 `amplify_outputs.json` nearer wins.
    let outputs = format!(
        r#"{{"version":"1.3","auth":{{"aws_region":"us-east-1","identity_pool_id":"{pool}","unauthenticated_identities_enabled":true}},
           "custom":{{"API":{{"gen2Api":{{"endpoint":"{url}","region":"us-east-1","apiName":"gen2Api"}}}}}}}}"#,
        pool = emu.identity_pool_id(),
        url = emu.api_url()
    );
    std::fs::write(
        root.join("app/src/components/amplify_outputs.json"),
        outputs,
    )
    .unwrap();
    let e = echo(&run_in(
        &emu,
        &nested,
        &["call", "gen2Api", "GET", "/g2"],
        None,
    ));
    assert_eq!(
        (e.path.as_str(), e.service.as_str()),
        ("/g2", "execute-api")
    );

    // --config and --format win over discovery.
    let (_, file) = config_dir(&emu);
    let f = file.to_str().unwrap();
    assert_eq!(
        echo(&run_in(
            &emu,
            &nested,
            &[
                "call", "itemsApi", "GET", "/c", "--config", f, "--format", "native"
            ],
            None
        ))
        .path,
        "/c"
    );
    assert_status(
        &run_in(
            &emu,
            &nested,
            &[
                "call", "itemsApi", "GET", "/c", "--config", f, "--format", "gen2",
            ],
            None,
        ),
        2,
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn overrides_from_flags_and_environment() {
    let emu = Emulator::start().await.unwrap();
    let (dir, file) = config_dir(&emu);
    // The config points at nothing; flags and variables point at the emulator.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    std::fs::write(
        &file,
        native_config(&emu).replace(&emu.api_url(), &format!("http://{dead}")),
    )
    .unwrap();
    assert_status(
        &run_in(&emu, &dir, &["call", "itemsApi", "GET", "/"], None),
        6,
    );
    let e = echo(&run_in(
        &emu,
        &dir,
        &[
            "call",
            "itemsApi",
            "GET",
            "/o",
            "--endpoint-url",
            &emu.api_url(),
        ],
        None,
    ));
    assert_eq!(e.path, "/o");

    let out = bin()
        .args([
            "call",
            "itemsApi",
            "GET",
            "/env",
            "--cognito-endpoint",
            &emu.cognito_url(),
        ])
        .current_dir(&dir)
        .env("AMPLIFY_API_ITEMSAPI_URL", emu.api_url())
        .env(
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY",
            format!("http://{dead}"),
        )
        .output()
        .unwrap();
    assert_eq!(echo(&out).path, "/env");
    let calls = emu.cognito().get_credentials_calls();
    assert!(calls >= 1, "{calls}");
}

#[tokio::test(flavor = "multi_thread")]
async fn id_token_api_key_and_profile_credentials() {
    let emu = Emulator::start().await.unwrap();
    let (dir, _) = config_dir(&emu);
    let e = echo(&run_in(
        &emu,
        &dir,
        &[
            "call",
            "itemsApi",
            "GET",
            "/auth",
            "--id-token",
            "jwt-for-test",
        ],
        None,
    ));
    assert_eq!(e.path, "/auth");
    let logins = emu
        .cognito()
        .last_logins()
        .expect("an authenticated identity");
    assert_eq!(
        logins
            .get(&amplify_api::user_pool_login_key(USER_POOL))
            .map(String::as_str),
        Some("jwt-for-test")
    );

    // A user-pools endpoint gets the token as its bearer; -v redacts it.
    emu.api().require_bearer("jwt-for-test-bearer");
    let out = run_in(
        &emu,
        &dir,
        &[
            "call",
            "userApi",
            "GET",
            "/u",
            "--id-token",
            "jwt-for-test-bearer",
            "-v",
        ],
        None,
    );
    assert_eq!(echo(&out).headers["authorization"], "jwt-for-test-bearer");
    assert!(
        !text(&out.stderr).contains("jwt-for-test-bearer"),
        "{}",
        text(&out.stderr)
    );

    emu.api().require_api_key(API_KEY);
    let out = run_in(&emu, &dir, &["call", "publicApi", "GET", "/k", "-v"], None);
    assert_eq!(echo(&out).headers["x-api-key"], API_KEY);
    assert!(
        text(&out.stderr).contains("> x-api-key: ** redacted **"),
        "{}",
        text(&out.stderr)
    );
    assert!(!text(&out.stderr).contains(API_KEY));

    emu.api().require_iam();
    let home = temp_dir();
    std::fs::write(
        home.join("credentials"),
        "[cli-test]\naws_access_key_id = AKIDCLITEST\naws_secret_access_key = cli-test-secret\n",
    )
    .unwrap();
    std::fs::write(
        home.join("config"),
        "[profile cli-test]\nregion = us-east-1\n",
    )
    .unwrap();
    emu.allow_credentials("AKIDCLITEST", "cli-test-secret", None);
    let out = bin()
        .args(["call", "itemsApi", "GET", "/p", "--profile", "cli-test"])
        .current_dir(&dir)
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    if cfg!(feature = "aws-config") {
        assert_eq!(echo(&out).access_key_id, "AKIDCLITEST");
    } else {
        assert_status(&out, 2);
        assert!(
            text(&out.stderr).contains("aws-config"),
            "{}",
            text(&out.stderr)
        );
    }
}

/// Splits a command printed by `sign` (words, `'…'` quoting with `'\''`, `\` line breaks).
fn shell_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                let w = word.get_or_insert_with(String::new);
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    w.push(q);
                }
            }
            '\\' if chars.peek() == Some(&'\n') => {
                chars.next();
            }
            '\\' => word
                .get_or_insert_with(String::new)
                .push(chars.next().unwrap()),
            ' ' | '\n' => words.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_prints_a_curl_command_that_is_accepted() {
    let emu = Emulator::start().await.unwrap();
    emu.api().require_iam();
    let (dir, _) = config_dir(&emu);
    let file = dir.join("payload.json");
    std::fs::write(&file, br#"{"it's":"a file"}"#).unwrap();
    let http = reqwest::Client::new();
    for body_args in [
        vec!["-d", r#"{"it's":"inline"}"#],
        vec![
            "--data-binary",
            &*Box::leak(format!("@{}", file.display()).into_boxed_str()),
        ],
        vec![],
    ] {
        let mut args = vec![
            "sign",
            "itemsApi",
            "POST",
            "/signed/x y",
            "-q",
            "k=v w",
            "-H",
            "x-trace: 1",
        ];
        args.extend(&body_args);
        let out = run_in(&emu, &dir, &args, None);
        assert_status(&out, 0);
        let stdout = text(&out.stdout);
        let (note, command) = stdout.split_once('\n').unwrap();
        assert!(note.starts_with("# credentials expire at "), "{stdout}");
        let words = shell_words(command);
        assert_eq!(&words[..3], ["curl", "-X", "POST"], "{command}");
        let mut request = http.request(reqwest::Method::POST, &words[3]);
        let mut rest = words[4..].iter();
        let mut expected_body = Vec::new();
        while let Some(flag) = rest.next() {
            let value = rest.next().unwrap();
            match flag.as_str() {
                "-H" => {
                    let (name, v) = value.split_once(':').unwrap();
                    if !v.trim().is_empty() {
                        request = request.header(name, v.trim());
                    }
                }
                "--data-raw" => expected_body = value.clone().into_bytes(),
                "--data-binary" => {
                    expected_body = std::fs::read(value.strip_prefix('@').unwrap()).unwrap()
                }
                other => panic!("unexpected {other} in {command}"),
            }
        }
        let response = request.body(expected_body.clone()).send().await.unwrap();
        assert_eq!(response.status(), 200, "{command}");
        let e: Echo = response.json().await.unwrap();
        assert_eq!(
            (e.path.as_str(), e.query.as_str()),
            ("/signed/x%20y", "k=v%20w")
        );
        assert_eq!(e.body.as_bytes(), expected_body);
        assert!(e.signed_headers.contains(&"x-trace".to_owned()));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn endpoints_lists_names_urls_scopes_modes_and_accessors() {
    let emu = Emulator::start().await.unwrap();
    let (dir, _) = config_dir(&emu);
    let out = run_in(&emu, &dir, &["endpoints"], None);
    assert_status(&out, 0);
    let table = text(&out.stdout);
    let lines: Vec<Vec<&str>> = table
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    let url = emu.api_url();
    assert_eq!(
        lines[0],
        ["NAME", "URL", "REGION", "SERVICE", "AUTH", "RUST"]
    );
    assert_eq!(
        lines[1],
        [
            "itemsApi",
            &url,
            "us-east-1",
            "execute-api",
            "AWS_IAM",
            "items_api"
        ]
    );
    assert_eq!(
        lines[2],
        [
            "publicApi",
            &url,
            "us-east-1",
            "execute-api",
            "API_KEY",
            "public_api"
        ]
    );
    assert_eq!(
        lines[3],
        [
            "userApi",
            &url,
            "us-east-1",
            "execute-api",
            "AMAZON_COGNITO_USER_POOLS",
            "user_api"
        ]
    );
    assert!(!table.contains(API_KEY), "the API key is not listed");

    let out = run_in(&emu, &dir, &["endpoints", "--json"], None);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["rust"], "items_api");
    assert_eq!(list[2]["auth"], "AMAZON_COGNITO_USER_POOLS");

    // The environment's URL override shows.
    let out = bin()
        .arg("endpoints")
        .current_dir(&dir)
        .env(
            "AMPLIFY_API_ITEMSAPI_URL",
            "https://abc.execute-api.eu-west-1.amazonaws.com/prod",
        )
        .output()
        .unwrap();
    let table = text(&out.stdout);
    assert!(
        table.contains("https://abc.execute-api.eu-west-1.amazonaws.com/prod  eu-west-1"),
        "{table}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invalid_signature_answer_never_prints_the_session_token() {
    let emu = Emulator::start().await.unwrap();
    emu.api().require_iam();
    let (dir, _) = config_dir(&emu);
    let token = "IQoJb3JpZ2luX2VjSENTINELTOKENcli0123456789";
    emu.allow_credentials("AKIDCLISIG", "the-right-secret", Some(token.to_owned()));
    // Signed with the wrong secret: API Gateway (and the emulator) answer 403
    // InvalidSignatureException quoting the canonical request, `x-amz-security-token:<token>`
    // included.
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDCLISIG"),
        ("AWS_SECRET_ACCESS_KEY", "a-wrong-secret"),
        ("AWS_SESSION_TOKEN", token),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_CONFIG_FILE", "/nonexistent"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
    ];
    for extra in [&[][..], &["-v"], &["-i", "--pretty"]] {
        let mut args = vec!["call", "itemsApi", "GET", "/sig", "--aws-credentials"];
        args.extend_from_slice(extra);
        let out = run_with(&emu, &dir, &args, None, &env);
        assert_status(&out, 4);
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert!(
            stderr.contains("InvalidSignatureException"),
            "{extra:?}: {stderr}"
        );
        // The canonical request is quoted, the token in it redacted, on both streams.
        assert!(
            stdout.contains("x-amz-security-token:** redacted **"),
            "{extra:?}: {stdout}"
        );
        assert!(
            stderr.contains("x-amz-security-token:** redacted **"),
            "{extra:?}: {stderr}"
        );
        for (name, s) in [("stdout", &stdout), ("stderr", &stderr)] {
            assert!(!s.contains(token), "{extra:?}: token on {name}:\n{s}");
            assert!(!s.contains("a-wrong-secret"), "{extra:?}: secret on {name}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_guest_identity_is_kept_between_runs() {
    let emu = Emulator::start().await.unwrap();
    let (dir, _) = config_dir(&emu);
    let cache = temp_dir();
    let env = [("XDG_CACHE_HOME", cache.to_str().unwrap())];
    for _ in 0..2 {
        assert_status(
            &run_with(&emu, &dir, &["call", "itemsApi", "GET", "/id"], None, &env),
            0,
        );
    }
    assert_eq!(emu.cognito().get_id_calls(), 1, "one identity for two runs");
    assert_eq!(emu.cognito().get_credentials_calls(), 2);
    let file = amplify_api::credentials::FileIdentityIdStore::new(cache.join("amplify-api"))
        .path_for(emu.identity_pool_id());
    let id = std::fs::read_to_string(&file).unwrap();
    assert!(id.starts_with("us-east-1:"), "{id}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
    // Another cache directory: another identity.
    let other = temp_dir();
    let env = [("XDG_CACHE_HOME", other.to_str().unwrap())];
    assert_status(
        &run_with(&emu, &dir, &["call", "itemsApi", "GET", "/id"], None, &env),
        0,
    );
    assert_eq!(emu.cognito().get_id_calls(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn identity_pool_flag_replaces_the_configs() {
    let emu = Emulator::start().await.unwrap();
    let (dir, file) = config_dir(&emu);
    std::fs::write(
        &file,
        native_config(&emu).replace(
            emu.identity_pool_id(),
            "us-east-1:00000000-0000-0000-0000-000000000000",
        ),
    )
    .unwrap();
    let out = run_in(&emu, &dir, &["call", "itemsApi", "GET", "/p"], None);
    assert_status(&out, 3);
    let e = echo(&run_in(
        &emu,
        &dir,
        &[
            "call",
            "itemsApi",
            "GET",
            "/p",
            "--identity-pool",
            emu.identity_pool_id(),
        ],
        None,
    ));
    assert_eq!(e.path, "/p");
}

#[tokio::test(flavor = "multi_thread")]
async fn typos_in_the_endpoint_method_and_path_get_a_suggestion() {
    let emu = Emulator::start().await.unwrap();
    let (dir, _) = config_dir(&emu);
    for (args, says) in [
        (
            &["call", "itemApi", "GET", "/"][..],
            "no endpoint named `itemApi`; did you mean `itemsApi`?",
        ),
        (
            &["call", "ITEMSAPI", "GET", "/"],
            "did you mean `itemsApi`?",
        ),
        (
            &["sign", "publcApi", "GET", "/"],
            "did you mean `publicApi`?",
        ),
        (
            &["call", "itemsApi", "GTE", "/"],
            "`GTE` is not an HTTP method; did you mean `GET`?",
        ),
        (
            &["call", "itemsApi", "FETCH", "/"],
            "one of GET, HEAD, POST",
        ),
        (
            &["call", "itemsApi", "GET", "items/1?x=secret"],
            "the path must start with `/`: did you mean `/items/1`?",
        ),
        (
            &["call", "itemsApi", "GET", "https://example.com/items"],
            "give --endpoint-url",
        ),
    ] {
        let out = run_in(&emu, &dir, args, None);
        assert_status(&out, 2);
        let stderr = text(&out.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("secret"), "{stderr}");
    }
    // Any case of a method is fine.
    assert_eq!(
        echo(&run_in(
            &emu,
            &dir,
            &["call", "itemsApi", "patch", "/m"],
            None
        ))
        .method,
        "PATCH"
    );
    assert_eq!(emu.cognito().get_id_calls(), 1, "nothing sent for a typo");
}

#[tokio::test(flavor = "multi_thread")]
async fn retries_and_clock_skew_come_from_the_library() {
    let emu = Emulator::start().await.unwrap();
    emu.api().require_iam();
    let (dir, _) = config_dir(&emu);
    // A GET answered 503 once is retried (the old CLI exited 5).
    emu.api().respond_next(1, Fault::Status(503));
    let out = run_in(&emu, &dir, &["call", "itemsApi", "GET", "/r", "-v"], None);
    assert_eq!(echo(&out).path, "/r");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("* attempt 2 (a retry or a re-send)"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("* canonical request:").count(),
        2,
        "{stderr}"
    );

    // This machine's clock 15 minutes behind the world's: the first signature is refused, the
    // library corrects its clock from the answer's `Date` and signs again.
    emu.set_clock_skew(900);
    let out = run_in(
        &emu,
        &dir,
        &["call", "itemsApi", "GET", "/skew", "-v"],
        None,
    );
    assert_eq!(echo(&out).path, "/skew");
    assert!(
        text(&out.stderr).contains("* attempt 2 (a retry or a re-send)"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn max_time_covers_the_cognito_call() {
    let emu = Emulator::start().await.unwrap();
    let (dir, _) = config_dir(&emu);
    // A Cognito endpoint that accepts connections and never answers.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            held.push(socket);
        }
    });
    let cache = temp_dir();
    let started = std::time::Instant::now();
    let out = tokio::task::spawn_blocking({
        let (emu_dir, cache) = (dir.clone(), cache.clone());
        let cognito = emu.cognito_url();
        move || {
            bin()
                .args(["call", "itemsApi", "GET", "/t", "--max-time", "1"])
                .current_dir(&emu_dir)
                .env("AWS_ENDPOINT_URL_COGNITO_IDENTITY", &cognito)
                .env("XDG_CACHE_HOME", &cache)
                .args(["--cognito-endpoint", &url])
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    let took = started.elapsed();
    holder.abort();
    assert_status(&out, 6);
    assert!(
        text(&out.stderr).contains("timed out after 1s"),
        "{}",
        text(&out.stderr)
    );
    assert!(took < std::time::Duration::from_secs(8), "{took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn output_ends_with_a_newline_on_a_terminal() {
    let emu = Emulator::start().await.unwrap();
    let (dir, _) = config_dir(&emu);
    // Not a terminal: the body exactly as received (no newline added).
    let out = run_in(
        &emu,
        &dir,
        &["call", "itemsApi", "GET", "/nl", "--raw"],
        None,
    );
    assert_status(&out, 0);
    assert!(out.stdout.ends_with(b"}"), "{}", text(&out.stdout));
    // A terminal (a pseudo-terminal from util-linux's `script`): a newline after the body.
    let command = format!("{BIN} call itemsApi GET /nl --raw");
    let out = tokio::task::spawn_blocking({
        let (dir, cognito) = (dir.clone(), emu.cognito_url());
        move || {
            cached(Command::new("script"))
                .args(["-q", "-e", "-c", &command, "/dev/null"])
                .current_dir(&dir)
                .env("AWS_ENDPOINT_URL_COGNITO_IDENTITY", cognito)
                .stdin(Stdio::null())
                .output()
                .unwrap()
        }
    });
    let out = out.await.unwrap();
    assert_status(&out, 0);
    let shown = text(&out.stdout);
    assert!(shown.ends_with("}\r\n"), "{shown:?}");
    assert!(shown.contains("\"path\":\"/nl\""), "{shown:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn region_and_service_flags_set_the_signing_scope() {
    let emu = Emulator::start().await.unwrap();
    emu.api().require_iam();
    let (dir, _) = config_dir(&emu);
    let e = echo(&run_in(
        &emu,
        &dir,
        &[
            "call",
            "itemsApi",
            "GET",
            "/scope",
            "--region",
            "eu-west-1",
            "--service",
            "lambda",
        ],
        None,
    ));
    assert_eq!(
        (e.region.as_str(), e.service.as_str()),
        ("eu-west-1", "lambda")
    );
    let out = run_in(
        &emu,
        &dir,
        &["call", "itemsApi", "GET", "/", "--region", "not a region"],
        None,
    );
    assert_status(&out, 2);
}

// `login`, `logout`, `whoami`, and `call` / `sign` as the signed-in user.

const LOGIN_PASSWORD: &str = "Sentinel-Password-4417";
const ADMIN_ROLE: &str = "arn:aws:iam::123456789012:role/admins";
const EDITOR_ROLE: &str = "arn:aws:iam::123456789012:role/editors";

/// A directory holding `amplifyconfiguration.json` for `emu` with its own user pool and app
/// client, and a cache directory of its own (the token file of each test apart).
struct LoginSetup {
    dir: PathBuf,
    cache: PathBuf,
}

impl LoginSetup {
    fn new(emu: &Emulator) -> LoginSetup {
        let dir = temp_dir();
        let config = native_config(emu)
            .replace(USER_POOL, emu.user_pool_id())
            .replace(
                "\"AppClientId\": \"abc\"",
                &format!("\"AppClientId\": \"{}\"", emu.user_pool_client_id()),
            );
        std::fs::write(dir.join("amplifyconfiguration.json"), config).unwrap();
        let cache = temp_dir();
        LoginSetup { dir, cache }
    }

    /// Runs the binary with the emulator's user pool endpoint in the environment.
    fn run(&self, emu: &Emulator, args: &[&str], stdin: Option<&[u8]>) -> Output {
        let cache = self.cache.display().to_string();
        let pool = emu.user_pool_url();
        run_with(
            emu,
            &self.dir,
            args,
            stdin,
            &[
                ("XDG_CACHE_HOME", cache.as_str()),
                ("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", pool.as_str()),
            ],
        )
    }

    fn login(&self, emu: &Emulator, user: &str, password: &str) -> Output {
        self.run(
            emu,
            &["login", "--username", user, "--password-stdin"],
            Some(format!("{password}\n").as_bytes()),
        )
    }

    /// The token file `login` writes.
    fn token_file(&self, emu: &Emulator) -> PathBuf {
        let safe = |s: &str| -> String {
            s.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect()
        };
        self.cache.join("amplify-api").join(format!(
            "{}.{}.user-pool-session.json",
            safe(emu.user_pool_id()),
            safe(emu.user_pool_client_id())
        ))
    }

    fn kept(&self, emu: &Emulator) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(self.token_file(emu)).unwrap()).unwrap()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn login_call_logout_round_trip() {
    use amplify_api_emulator::{Auth, DEFAULT_AUTHENTICATED_ROLE, UNAUTHENTICATED_ROLE};
    let emu = Emulator::start().await.unwrap();
    emu.user_pool().add_user("alice", LOGIN_PASSWORD);
    emu.api().require_for("/u", Auth::UserPool);
    let setup = LoginSetup::new(&emu);

    let out = setup.login(&emu, "alice", LOGIN_PASSWORD);
    assert_status(&out, 0);
    assert!(
        text(&out.stderr).contains("Signed in as alice"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        emu.user_pool().password_auth_calls(),
        0,
        "SRP, not the password"
    );
    let file = setup.token_file(&emu);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&file), 0o600, "the token file is the user's only");
        assert_eq!(mode(file.parent().unwrap()), 0o700);
    }
    let kept = setup.kept(&emu);
    assert!(
        kept["refresh_token"].is_string(),
        "the refresh token is kept"
    );

    // `call` is the user's: authenticated credentials (the ID token as `Logins`) and the
    // bearer token of a user-pool endpoint.
    let iam = echo(&setup.run(&emu, &["call", "itemsApi", "GET", "/x"], None));
    assert_eq!(iam.role_arn, DEFAULT_AUTHENTICATED_ROLE);
    let logins = emu.cognito().last_logins().expect("Logins sent");
    assert_eq!(
        logins
            .get(&amplify_api::user_pool_login_key(emu.user_pool_id()))
            .map(String::as_str),
        kept["id_token"].as_str()
    );
    let users = echo(&setup.run(&emu, &["call", "userApi", "GET", "/u"], None));
    assert_eq!(users.user, "alice");
    assert_eq!(emu.user_pool().initiate_auth_calls(), 1, "no new sign-in");

    // --id-token wins over the kept session: another user's token, from the library.
    emu.user_pool().add_user("bob", LOGIN_PASSWORD);
    let bob = amplify_api::user_pool::UserPoolSession::builder(
        emu.user_pool_id(),
        emu.user_pool_client_id(),
    )
    .endpoint(emu.user_pool_url())
    .build()
    .unwrap();
    bob.sign_in("bob", LOGIN_PASSWORD).await.unwrap();
    let bob_token = bob.id_token().await.unwrap();
    let users = echo(&setup.run(
        &emu,
        &["call", "userApi", "GET", "/u", "--id-token", &bob_token],
        None,
    ));
    assert_eq!(users.user, "bob");
    echo(&setup.run(
        &emu,
        &["call", "itemsApi", "GET", "/x", "--id-token", &bob_token],
        None,
    ));
    assert_eq!(
        emu.cognito()
            .last_logins()
            .unwrap()
            .get(&amplify_api::user_pool_login_key(emu.user_pool_id()))
            .map(String::as_str),
        Some(bob_token.as_str())
    );

    let out = setup.run(&emu, &["logout"], None);
    assert_status(&out, 0);
    assert!(!file.exists(), "logout removes the tokens");
    let guest = echo(&setup.run(&emu, &["call", "itemsApi", "GET", "/x"], None));
    assert_eq!(guest.role_arn, UNAUTHENTICATED_ROLE, "a guest again");
    let out = setup.run(&emu, &["whoami"], None);
    assert_status(&out, 3);
    assert!(text(&out.stderr).contains("not signed in"));
    let out = setup.run(&emu, &["logout"], None);
    assert_status(&out, 0);
    assert!(text(&out.stderr).contains("Not signed in"));
}

#[tokio::test(flavor = "multi_thread")]
async fn whoami_and_role_by_group() {
    let emu = Emulator::start().await.unwrap();
    emu.user_pool().add_user("dana", LOGIN_PASSWORD);
    emu.user_pool().set_user_groups(
        "dana",
        &["admins", "editors"],
        &[ADMIN_ROLE, EDITOR_ROLE],
        Some(EDITOR_ROLE),
    );
    let setup = LoginSetup::new(&emu);
    // The user pool endpoint from the flag (the environment's is unreachable).
    let pool = emu.user_pool_url();
    let out = run_with(
        &emu,
        &setup.dir,
        &[
            "login",
            "-u",
            "dana",
            "--password-stdin",
            "--user-pool-endpoint",
            &pool,
        ],
        Some(format!("{LOGIN_PASSWORD}\n").as_bytes()),
        &[
            ("XDG_CACHE_HOME", &setup.cache.display().to_string()),
            (
                "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
                "http://127.0.0.1:9",
            ),
        ],
    );
    assert_status(&out, 0);
    assert!(
        text(&out.stderr).contains("(groups: admins, editors)"),
        "{}",
        text(&out.stderr)
    );

    let out = setup.run(&emu, &["whoami"], None);
    assert_status(&out, 0);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("user:        dana\n"), "{stdout}");
    assert!(
        stdout.contains("groups:      admins, editors\n"),
        "{stdout}"
    );
    assert!(stdout.contains("identity id: us-east-1:"), "{stdout}");
    assert!(
        stdout.contains(&format!("the token's preferred role {EDITOR_ROLE}")),
        "{stdout}"
    );
    let out = setup.run(&emu, &["whoami", "--role", ADMIN_ROLE], None);
    assert!(
        text(&out.stdout).contains(&format!("role:        {ADMIN_ROLE} (--role)")),
        "{}",
        text(&out.stdout)
    );

    // The pool's choice (the preferred role), then the role asked for.
    let e = echo(&setup.run(&emu, &["call", "itemsApi", "GET", "/x"], None));
    assert_eq!(e.role_arn, EDITOR_ROLE);
    let e = echo(&setup.run(
        &emu,
        &["call", "itemsApi", "GET", "/x", "--role", ADMIN_ROLE],
        None,
    ));
    assert_eq!(e.role_arn, ADMIN_ROLE);
    let out = setup.run(
        &emu,
        &[
            "call",
            "itemsApi",
            "GET",
            "/x",
            "--role",
            "arn:aws:iam::123456789012:role/not-yours",
        ],
        None,
    );
    assert_status(&out, 3);
    assert!(
        text(&out.stderr).contains("not among the roles"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_password_challenges_and_totp() {
    use amplify_api_emulator::UserStatus;
    let emu = Emulator::start().await.unwrap();
    emu.user_pool().add_user("alice", LOGIN_PASSWORD);
    let setup = LoginSetup::new(&emu);

    let out = setup.login(&emu, "alice", "Wrong-Password-1");
    assert_status(&out, 3);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("sign-in failed: NotAuthorizedException: Incorrect username or password."),
        "{stderr}"
    );
    assert!(!stderr.contains("Wrong-Password-1"));
    assert!(!setup.token_file(&emu).exists(), "nothing kept");

    let out = setup.run(&emu, &["login", "--password-stdin"], Some(b"x\n"));
    assert_status(&out, 2);
    assert!(text(&out.stderr).contains("--username"));

    emu.user_pool().add_user("new", LOGIN_PASSWORD);
    emu.user_pool()
        .set_user_status("new", UserStatus::ForceChangePassword);
    let out = setup.login(&emu, "new", LOGIN_PASSWORD);
    assert_status(&out, 3);
    assert!(
        text(&out.stderr).contains("NEW_PASSWORD_REQUIRED challenge"),
        "{}",
        text(&out.stderr)
    );

    emu.user_pool().add_user("mfa", LOGIN_PASSWORD);
    emu.user_pool().require_totp("mfa", "123456");
    let out = setup.login(&emu, "mfa", LOGIN_PASSWORD);
    assert_status(&out, 2);
    assert!(
        text(&out.stderr).contains("--totp"),
        "{}",
        text(&out.stderr)
    );
    let login = |code: &str| {
        setup.run(
            &emu,
            &["login", "-u", "mfa", "--password-stdin", "--totp", code],
            Some(format!("{LOGIN_PASSWORD}\n").as_bytes()),
        )
    };
    let out = login("000000");
    assert_status(&out, 3);
    assert!(
        text(&out.stderr).contains("CodeMismatchException"),
        "{}",
        text(&out.stderr)
    );
    assert_status(&login("123456"), 0);
    assert!(setup.token_file(&emu).exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn kept_tokens_are_refreshed_and_written_back() {
    let emu = Emulator::start().await.unwrap();
    emu.user_pool().add_user("alice", LOGIN_PASSWORD);
    let setup = LoginSetup::new(&emu);
    assert_status(&setup.login(&emu, "alice", LOGIN_PASSWORD), 0);
    // The kept tokens made due (an hour old, a minute left), without sleeping.
    let age = |issued: i64, expires: i64| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let mut kept = setup.kept(&emu);
        kept["issued_at"] = (now + issued).into();
        kept["expires_at"] = (now + expires).into();
        std::fs::write(setup.token_file(&emu), kept.to_string()).unwrap();
        kept
    };
    let before = age(-3540, 60);
    echo(&setup.run(&emu, &["call", "itemsApi", "GET", "/x"], None));
    assert_eq!(emu.user_pool().refresh_calls(), 1, "refreshed when due");
    let after = setup.kept(&emu);
    assert_ne!(after["id_token"], before["id_token"], "written back");
    assert_eq!(after["refresh_token"], before["refresh_token"]);
    // The next run uses the refreshed tokens: no refresh.
    echo(&setup.run(&emu, &["call", "itemsApi", "GET", "/x"], None));
    assert_eq!(emu.user_pool().refresh_calls(), 1);

    // A refused refresh token once the tokens expired: a clear message, the file removed.
    emu.user_pool().revoke_refresh_tokens();
    age(-3601, -1);
    let out = setup.run(&emu, &["call", "itemsApi", "GET", "/x"], None);
    assert_status(&out, 3);
    assert!(
        text(&out.stderr).contains("amplify-api login"),
        "{}",
        text(&out.stderr)
    );
    assert!(!setup.token_file(&emu).exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn no_password_refresh_or_id_token_in_any_output() {
    use amplify_api_emulator::Auth;
    let emu = Emulator::start().await.unwrap();
    emu.user_pool().add_user("alice", LOGIN_PASSWORD);
    emu.api().require_for("/u", Auth::UserPool);
    let setup = LoginSetup::new(&emu);
    let mut outputs = vec![
        setup.login(&emu, "alice", "Wrong-Sentinel-Password-9"),
        setup.login(&emu, "alice", LOGIN_PASSWORD),
    ];
    let kept = setup.kept(&emu);
    for args in [
        &["call", "itemsApi", "GET", "/x", "-v", "-i"][..],
        &["call", "userApi", "GET", "/u", "-v", "-i"],
        &["sign", "itemsApi", "GET", "/x"],
        &["whoami"],
        &["logout"],
        &["whoami"],
    ] {
        outputs.push(setup.run(&emu, args, None));
    }
    let secrets = [
        "Wrong-Sentinel-Password-9".to_owned(),
        LOGIN_PASSWORD.to_owned(),
        kept["id_token"].as_str().unwrap().to_owned(),
        kept["access_token"].as_str().unwrap().to_owned(),
        kept["refresh_token"].as_str().unwrap().to_owned(),
    ];
    assert!(!emu.user_pool().issued_refresh_tokens().is_empty());
    for (i, out) in outputs.iter().enumerate() {
        // The user-pool endpoint's echo (its stdout) is the server's: it echoes the bearer.
        let stdout = if i == 3 {
            String::new()
        } else {
            text(&out.stdout)
        };
        let all = format!("{stdout}\n{}", text(&out.stderr));
        for secret in secrets
            .iter()
            .chain(&emu.user_pool().issued_refresh_tokens())
        {
            assert!(!all.contains(secret.as_str()), "a secret in:\n{all}");
        }
    }
}

/// `emulate --config FILE` prints its URLs as JSON and shell lines, and an app pointed at it by
/// those variables (here the CLI itself) calls the config's endpoints through it; the test
/// stops it.
#[test]
fn emulate_serves_the_configs_endpoints_until_stopped() {
    use std::io::BufRead;
    let dir = temp_dir();
    let file = dir.join("amplifyconfiguration.json");
    // A config for production: its URLs are not the emulator's, its pool is its own.
    let config = r#"{
  "api": { "plugins": { "awsAPIPlugin": {
    "itemsApi": { "endpointType": "REST", "endpoint": "https://abc.execute-api.us-east-1.amazonaws.com/prod", "region": "us-east-1", "authorizationType": "AWS_IAM" },
    "publicApi": { "endpointType": "REST", "endpoint": "https://def.execute-api.us-east-1.amazonaws.com/prod", "region": "us-east-1", "authorizationType": "API_KEY", "apiKey": "da2-emulatekeyemulatekey" }
  } } },
  "auth": { "plugins": { "awsCognitoAuthPlugin": {
    "CredentialsProvider": { "CognitoIdentity": { "Default": { "PoolId": "us-east-1:12345678-aaaa-bbbb-cccc-1234567890ab", "Region": "us-east-1" } } }
  } } }
}"#;
    std::fs::write(&file, config).unwrap();
    /// Stops the emulator process however the test ends.
    struct Stop(std::process::Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Stop(
        bin()
            .args(["emulate", "--config", file.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut lines = std::io::BufReader::new(child.0.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let urls: serde_json::Value = serde_json::from_str(&first).unwrap();
    let mut exports = Vec::new();
    for _ in 0..urls["env"].as_object().unwrap().len() {
        exports.push(lines.next().unwrap().unwrap());
    }
    let items_url = urls["endpoints"]["itemsApi"].as_str().unwrap().to_owned();
    assert_eq!(
        items_url,
        format!("{}/itemsApi", urls["api_url"].as_str().unwrap())
    );
    assert!(
        exports.contains(&format!("export AMPLIFY_API_ITEMSAPI_URL='{items_url}'")),
        "{exports:?}"
    );
    // The app: the CLI, pointed at the emulator only by the printed variables.
    let env = urls["env"].as_object().unwrap();
    let mut call = bin();
    call.current_dir(&dir).env_remove("AWS_ACCESS_KEY_ID");
    for (name, value) in env {
        call.env(name, value.as_str().unwrap());
    }
    let iam = call
        .args(["call", "itemsApi", "GET", "/orders"])
        .output()
        .unwrap();
    let keyed = {
        let mut call = bin();
        call.current_dir(&dir);
        for (name, value) in env {
            call.env(name, value.as_str().unwrap());
        }
        call.args(["call", "publicApi", "GET", "/list"])
            .output()
            .unwrap()
    };
    drop(child);
    let iam = echo(&iam);
    assert_eq!(iam.path, "/itemsApi/orders");
    assert!(iam.headers["authorization"].starts_with("AWS4-HMAC-SHA256"));
    let keyed = echo(&keyed);
    assert_eq!(keyed.headers["x-api-key"], "da2-emulatekeyemulatekey");
}
