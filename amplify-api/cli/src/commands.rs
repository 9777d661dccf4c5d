//! The verbs: `call` (send through the library's send path, print like curl), `sign` (print
//! the request the library signs as a curl command) and `endpoints` (list the config's); the
//! user-pool session they use once signed in is `login`'s ([`crate::login`]).

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use amplify_api::{
    Bytes, Client, ClientBuilder, Error, Logins, Method, RequestBuilder, ServiceError,
};
use amplify_api_config::{Format, Model, Options};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::{CallArgs, ConfigArgs, EndpointsArgs, RequestArgs};
use crate::cache;
use crate::discover::find_config;
use crate::login;
use crate::output::{self, CurlBody};
use crate::{ExitCode, Failure};

/// Bodies at least this large get a progress bar (when standard error is a terminal).
const PROGRESS_THRESHOLD: u64 = 4 * 1024 * 1024;

/// The methods a request may use.
const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/// The config the user gave or the app has, read and checked.
pub(crate) struct Config {
    path: PathBuf,
    format: Option<Format>,
    pub(crate) model: Model,
}

impl Config {
    pub(crate) fn load(args: &ConfigArgs) -> Result<Config, Failure> {
        let path = match &args.config {
            Some(path) => path.clone(),
            None => {
                let cwd = std::env::current_dir().map_err(|e| {
                    Failure::usage(format!("cannot read the current directory: {e}"))
                })?;
                find_config(&cwd).map_err(Failure::usage)?
            }
        };
        let format = args.format.as_deref().and_then(Format::from_name);
        let file = path.display().to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Failure::usage(format!("cannot read the config file `{file}`: {e}")))?;
        let model = Model::from_text(&text, format, &Options::default()).map_err(|errors| {
            Failure::usage(
                errors
                    .iter()
                    .map(|e| e.render(&file))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })?;
        Ok(Config {
            path,
            format,
            model,
        })
    }

    /// A client builder for this config, with the command line's Cognito endpoint.
    fn builder(&self, args: &ConfigArgs) -> ClientBuilder {
        let builder = match self.format {
            Some(format) => Client::builder().config_file_as(&self.path, format),
            None => Client::builder().config_file(&self.path),
        };
        match &args.cognito_endpoint {
            Some(url) => builder.cognito_endpoint(url),
            None => builder,
        }
    }
}

/// The exit status and message of a library error.
pub(crate) fn failure(e: Error) -> Failure {
    let code = match &e {
        Error::Credentials(_) => ExitCode::Credentials,
        Error::Transport(_) | Error::Timeout(_) => ExitCode::Transport,
        Error::Status(s) if s.status().is_server_error() => ExitCode::ServerError,
        Error::Status(_) => ExitCode::ClientError,
        Error::Config(_) | Error::UnknownEndpoint(_) | Error::InvalidRequest(_) => ExitCode::Usage,
        _ => ExitCode::Other,
    };
    // The library's `Display`: secrets of the request redacted, no query values.
    let message = match e.aws_error_name() {
        Some(name) if !e.to_string().contains(name) => format!("{name}: {e}"),
        _ => e.to_string(),
    };
    Failure { code, message }
}

/// The closest of `known` to `wanted` (case-insensitive), if close enough to be a typo.
fn closest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = wanted.to_ascii_lowercase();
    known
        .into_iter()
        .map(|k| {
            (
                strsim::damerau_levenshtein(&wanted, &k.to_ascii_lowercase()),
                k,
            )
        })
        // A typo: at most one edit per three characters (at least one).
        .filter(|(edits, k)| *edits <= (k.chars().count() / 3).max(1))
        .min_by_key(|(edits, _)| *edits)
        .map(|(_, k)| k)
}

/// The method, upper-cased, if it is one of [`METHODS`].
fn checked_method(method: &str) -> Result<Method, Failure> {
    let upper = method.to_ascii_uppercase();
    if METHODS.contains(&upper.as_str())
        && let Ok(method) = Method::from_bytes(upper.as_bytes())
    {
        return Ok(method);
    }
    let hint = closest(method, METHODS)
        .map(|m| format!("did you mean `{m}`? "))
        .unwrap_or_default();
    Err(Failure::usage(format!(
        "`{method}` is not an HTTP method; {hint}(one of {})",
        METHODS.join(", ")
    )))
}

/// The path, if it starts with `/`.
fn checked_path(path: &str) -> Result<(), Failure> {
    if path.starts_with('/') {
        return Ok(());
    }
    if path.starts_with("http://") || path.starts_with("https://") {
        return Err(Failure::usage(format!(
            "the path must be relative to the endpoint's URL (`/items`), not `{}`: to send to \
             another URL, give --endpoint-url",
            path.split('?').next().unwrap_or_default()
        )));
    }
    Err(Failure::usage(format!(
        "the path must start with `/`: did you mean `/{}`?",
        path.split('?').next().unwrap_or_default()
    )))
}

/// Where a body comes from.
enum BodySource {
    Inline(String),
    File(PathBuf),
    Stdin,
}

/// The request's body from `-d` / `--data-binary`, and whether it is JSON (`-d`).
fn body_source(args: &RequestArgs) -> Option<(BodySource, bool)> {
    let (raw, json) = match (&args.data, &args.data_binary) {
        (Some(d), _) => (d, true),
        (None, Some(d)) => (d, false),
        (None, None) => return None,
    };
    let source = match raw.strip_prefix('@') {
        Some("-") => BodySource::Stdin,
        Some(path) => BodySource::File(PathBuf::from(path)),
        None => BodySource::Inline(raw.clone()),
    };
    Some((source, json))
}

fn read_body(source: &BodySource) -> Result<Bytes, Failure> {
    match source {
        BodySource::Inline(text) => Ok(Bytes::from(text.clone())),
        BodySource::File(path) => std::fs::read(path)
            .map(Bytes::from)
            .map_err(|e| Failure::usage(format!("cannot read `{}`: {e}", path.display()))),
        BodySource::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| Failure::usage(format!("cannot read standard input: {e}")))?;
            Ok(Bytes::from(buf))
        }
    }
}

/// A request ready to go: the library's builder, and what `-v` says about the endpoint.
struct Prepared {
    request: RequestBuilder,
    source: Option<BodySource>,
    /// For `-v`: the endpoint's name, URL, region, service and auth mode.
    summary: String,
    /// The session `login` kept, if used: refreshed tokens are written back when it drops.
    kept: Option<login::Kept>,
}

/// How a body from a file is given to the library.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Files {
    /// Streamed from disk by the library (`call`: hashed, sent, re-opened for a retry).
    Streamed,
    /// Read into memory (`sign`: its request is an `http::Request<Bytes>`).
    Read,
}

/// The client for `args` (credentials as asked) and the request, not sent yet.
async fn prepare(args: &RequestArgs, files: Files) -> Result<Prepared, Failure> {
    let method = checked_method(&args.method)?;
    checked_path(&args.path)?;
    let config = Config::load(&args.config)?;
    let mut builder = config.builder(&args.config);
    if let Some(url) = &args.endpoint_url {
        builder = builder.endpoint_url(&args.endpoint, url);
    }
    if let Some(pool) = &args.identity_pool {
        builder = builder.identity_pool(pool);
    }
    if let Some(store) = cache::identity_store() {
        // Kept between runs: one Cognito identity per pool, not one per run.
        builder = builder.identity_id_store(store);
    }
    let (with_credentials, kept) = credentials(builder, args, &config).await?;
    builder = with_credentials;
    let client = builder.build().map_err(failure)?;
    if !client.endpoint_names().any(|n| n == args.endpoint) {
        let known: Vec<&str> = client.endpoint_names().collect();
        let hint = closest(&args.endpoint, known.iter().copied())
            .map(|n| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        return Err(Failure::usage(format!(
            "no endpoint named `{}`; {hint}(the config's endpoints: {})",
            args.endpoint,
            known.join(", ")
        )));
    }
    let endpoint = client.endpoint(&args.endpoint).map_err(failure)?;
    let mut request = endpoint.request(method, args.path.clone());
    if let Some(region) = &args.region {
        request = request.region(region);
    }
    if let Some(service) = &args.service {
        request = request.service(service);
    }
    for pair in &args.query {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        request = request.query(key, value);
    }
    let mut has_content_type = false;
    for header in &args.header {
        let (name, value) = header
            .split_once(':')
            .ok_or_else(|| Failure::usage(format!("-H `{header}`: expected `name: value`")))?;
        has_content_type |= name.trim().eq_ignore_ascii_case("content-type");
        request = request.header(name.trim(), value.trim());
    }
    let source = match body_source(args) {
        Some((source, json)) => {
            if json && !has_content_type {
                request = request.header("content-type", "application/json");
            }
            request = match (&source, files) {
                (BodySource::File(path), Files::Streamed) => {
                    if let Err(e) = std::fs::metadata(path) {
                        return Err(Failure::usage(format!(
                            "cannot read `{}`: {e}",
                            path.display()
                        )));
                    }
                    request.body_file(path)
                }
                _ => request.body(read_body(&source)?),
            };
            Some(source)
        }
        None => None,
    };
    let summary = format!(
        "* endpoint `{}`: {} ({}, {}, {})\n",
        endpoint.name(),
        endpoint.url(),
        if endpoint.region().is_empty() {
            "no region"
        } else {
            endpoint.region()
        },
        endpoint.service(),
        endpoint.auth_mode()
    );
    Ok(Prepared {
        request,
        source,
        summary,
        kept,
    })
}

/// The builder's credentials: the AWS chain or a profile (feature `aws-config`), an
/// authenticated identity from `--id-token`, else from the session `login` kept (returned, to
/// write refreshed tokens back), else the config's identity pool (guest). `--role` asks for a
/// signed-in user's role.
async fn credentials(
    builder: ClientBuilder,
    args: &RequestArgs,
    config: &Config,
) -> Result<(ClientBuilder, Option<login::Kept>), Failure> {
    if args.aws_credentials || args.profile.is_some() {
        return Ok((aws_chain(builder, args.profile.as_deref()).await?, None));
    }
    let builder = match &args.role {
        Some(role) => builder.custom_role_arn(role),
        None => builder,
    };
    let Some(token) = &args.id_token else {
        return Ok(match login::kept_session(config, &args.config)? {
            Some(kept) => (
                builder.user_pool_session(kept.session().clone()),
                Some(kept),
            ),
            None => (builder, None),
        });
    };
    let pool = config.model.user_pool_id.as_deref().ok_or_else(|| {
        Failure::usage(
            "--id-token needs the config's Cognito user pool (its `Logins` key), and the config \
             has none",
        )
    })?;
    let logins = Logins::from([(amplify_api::user_pool_login_key(pool), token.clone())]);
    let bearer = token.clone();
    // The same token is the bearer of endpoints whose auth mode sends one (user pools).
    let builder = builder
        .logins_provider(move || {
            let logins = logins.clone();
            async move { Ok(Some(logins)) }
        })
        .token_provider(move |_: &str| {
            let bearer = bearer.clone();
            async move { Ok(bearer) }
        });
    Ok((builder, None))
}

#[cfg(feature = "aws-config")]
async fn aws_chain(
    builder: ClientBuilder,
    profile: Option<&str>,
) -> Result<ClientBuilder, Failure> {
    let mut chain = aws_config::default_provider::credentials::DefaultCredentialsChain::builder();
    if let Some(profile) = profile {
        chain = chain.profile_name(profile);
    }
    Ok(builder.credentials_provider(chain.build().await))
}

#[cfg(not(feature = "aws-config"))]
async fn aws_chain(_: ClientBuilder, _: Option<&str>) -> Result<ClientBuilder, Failure> {
    Err(Failure::usage(
        "--profile and --aws-credentials need the `aws-config` feature (on by default): \
         install with `cargo install amplify-api-cli`",
    ))
}

/// A progress bar on standard error for `len` bytes, if it is a terminal and `len` is large.
fn progress(len: u64, what: &str) -> Option<ProgressBar> {
    if len < PROGRESS_THRESHOLD || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_owned());
    Some(bar)
}

/// `amplify-api call`.
pub(crate) async fn call(args: &CallArgs) -> Result<(), Failure> {
    let limit = match args.max_time {
        Some(secs) => Some(
            Duration::try_from_secs_f64(secs)
                .ok()
                .filter(|d| !d.is_zero())
                .ok_or_else(|| Failure::usage(format!("--max-time {secs}: not a duration")))?,
        ),
        None => None,
    };
    let started = tokio::time::Instant::now();
    let deadline = limit.and_then(|limit| started.checked_add(limit));
    let Prepared {
        mut request,
        summary,
        kept: _kept,
        ..
    } = prepare(&args.request, Files::Streamed).await?;
    if let Some(limit) = limit {
        // The library's total timeout: credentials, every attempt and the response head.
        request = request.timeout(limit);
    }
    if args.verbose {
        write_all(&mut std::io::stderr().lock(), summary.as_bytes())?;
        let show_query = args.show_query;
        request = request.on_attempt(move |sent| {
            // What the library shows of the attempt, secrets redacted.
            let _ = std::io::stderr()
                .lock()
                .write_all(output::attempt(sent, show_query).as_bytes());
        });
    }
    let response = match request.send_streaming().await {
        Ok(response) => response,
        Err(Error::Status(e)) => return print_error_answer(args, &e),
        Err(e) => return Err(failure(e)),
    };
    let (status, headers) = (response.status(), response.headers().clone());
    if args.verbose {
        let head = output::response_head("< ", status, &headers) + "<\n";
        write_all(&mut std::io::stderr().lock(), head.as_bytes())?;
    }
    let pretty = args.pretty || (!args.raw && std::io::stdout().is_terminal());
    let mut out = Output::new(
        args.include
            .then(|| output::response_head("", status, &headers)),
    );
    let bar = headers
        .get("content-length")
        .and_then(|v| v.to_str().ok()?.parse().ok())
        .and_then(|len| progress(len, "download"));
    let mut response = response;
    let mut whole = Vec::new();
    loop {
        let next = match deadline {
            Some(deadline) => tokio::time::timeout_at(deadline, response.chunk())
                .await
                .map_err(|_| {
                    Failure::new(
                        ExitCode::Transport,
                        format!(
                            "timed out after {:?} (--max-time) while reading the body",
                            limit.unwrap_or_default()
                        ),
                    )
                })?,
            None => response.chunk().await,
        };
        let Some(chunk) = next.map_err(failure)? else {
            break;
        };
        if let Some(bar) = &bar {
            bar.inc(chunk.len() as u64);
        }
        if pretty {
            // Pretty-printing needs the whole body.
            whole.extend_from_slice(&chunk);
        } else {
            out.write(&chunk)?;
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if pretty {
        out.write(&output::body(&Bytes::from(whole), true))?;
    }
    out.finish()
}

/// An answer over 299 (the library's error, its body with the request's secrets redacted):
/// printed as curl would (head with `-i`, the body on standard output), then the library's
/// message on standard error and the exit status.
fn print_error_answer(args: &CallArgs, e: &ServiceError) -> Result<(), Failure> {
    if args.verbose {
        let head = output::response_head("< ", e.status(), e.headers()) + "<\n";
        write_all(&mut std::io::stderr().lock(), head.as_bytes())?;
    }
    let pretty = args.pretty || (!args.raw && std::io::stdout().is_terminal());
    let mut out = Output::new(
        args.include
            .then(|| output::response_head("", e.status(), e.headers())),
    );
    out.write(&output::body(e.body(), pretty))?;
    out.finish()?;
    let code = if e.status().is_server_error() {
        ExitCode::ServerError
    } else {
        ExitCode::ClientError
    };
    Err(Failure::new(code, e.to_string()))
}

/// Standard output for a body: the head first (`-i`), and a final newline when it is a
/// terminal and the body did not end with one (so the prompt starts on a line of its own).
struct Output {
    out: std::io::StdoutLock<'static>,
    head: Option<String>,
    last: Option<u8>,
}

impl Output {
    fn new(head: Option<String>) -> Output {
        Output {
            out: std::io::stdout().lock(),
            head,
            last: None,
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        if let Some(head) = self.head.take() {
            write_all(&mut self.out, head.as_bytes())?;
            write_all(&mut self.out, b"\n")?;
        }
        if let Some(&last) = bytes.last() {
            self.last = Some(last);
        }
        write_all(&mut self.out, bytes)
    }

    fn finish(mut self) -> Result<(), Failure> {
        self.write(b"")?;
        if self.last.is_some_and(|b| b != b'\n') && std::io::stdout().is_terminal() {
            write_all(&mut self.out, b"\n")?;
        }
        self.out
            .flush()
            .map_err(|e| Failure::new(ExitCode::Other, format!("cannot write the output: {e}")))
    }
}

fn write_all(out: &mut impl Write, bytes: &[u8]) -> Result<(), Failure> {
    out.write_all(bytes)
        .map_err(|e| Failure::new(ExitCode::Other, format!("cannot write the output: {e}")))
}

/// `amplify-api sign`.
pub(crate) async fn sign(args: &RequestArgs) -> Result<(), Failure> {
    let Prepared {
        request,
        source,
        kept: _kept,
        ..
    } = prepare(args, Files::Read).await?;
    let (request, details) = request.build_with_details().await.map_err(failure)?;
    let (parts, body) = request.into_parts();
    let text;
    let path;
    let curl_body = match &source {
        _ if body.is_empty() => CurlBody::None,
        Some(BodySource::Inline(t)) => {
            text = t.clone();
            CurlBody::Inline(&text)
        }
        Some(BodySource::File(p)) => {
            path = p.display().to_string();
            CurlBody::File(&path)
        }
        Some(BodySource::Stdin) | None => CurlBody::File("-"),
    };
    let mut out = String::new();
    match details.as_ref().and_then(|d| d.expires()) {
        Some(expires) => {
            out.push_str(&format!(
                "# {}\n",
                output::expiry_note(expires, SystemTime::now())
            ));
        }
        None if details.is_some() => out.push_str("# credentials do not expire\n"),
        None => out.push_str("# not signed: the endpoint's auth mode does not sign\n"),
    }
    if matches!(source, Some(BodySource::Stdin)) {
        out.push_str("# the body was read from standard input: pipe the same bytes to curl\n");
    }
    out.push_str(&output::curl_command(
        parts.method.as_str(),
        &parts.uri.to_string(),
        &parts.headers,
        curl_body,
    ));
    out.push('\n');
    write_all(&mut std::io::stdout().lock(), out.as_bytes())
}

/// `amplify-api endpoints`.
pub(crate) async fn endpoints(args: &EndpointsArgs) -> Result<(), Failure> {
    let config = Config::load(&args.config)?;
    // The client applies the environment's URL overrides; one without credentials (no
    // identity pool) cannot be built, and then the config's own values are shown.
    let client = config.builder(&args.config).build().ok();
    let rows: Vec<[String; 6]> = config
        .model
        .endpoints
        .iter()
        .map(|e| {
            let resolved = client.as_ref().and_then(|c| c.endpoint(&e.name).ok());
            let (url, region, service, auth) = match &resolved {
                Some(r) => (
                    r.url().to_owned(),
                    r.region().to_owned(),
                    r.service().to_owned(),
                    r.auth_mode(),
                ),
                None => (e.url.clone(), e.region.clone(), e.service.clone(), e.auth),
            };
            [
                e.name.clone(),
                url,
                region,
                service,
                auth.to_string(),
                e.ident.clone(),
            ]
        })
        .collect();
    let mut out = String::new();
    if args.json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|[name, url, region, service, auth, rust]| {
                serde_json::json!({
                    "name": name, "url": url, "region": region, "service": service,
                    "auth": auth, "rust": rust,
                })
            })
            .collect();
        out = serde_json::to_string_pretty(&list)
            .map_err(|e| Failure::new(ExitCode::Other, e.to_string()))?;
        out.push('\n');
    } else {
        let header = ["NAME", "URL", "REGION", "SERVICE", "AUTH", "RUST"].map(str::to_owned);
        let mut widths = [0; 6];
        for row in std::iter::once(&header).chain(&rows) {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        for row in std::iter::once(&header).chain(&rows) {
            let mut line = String::new();
            for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
                if i + 1 < row.len() {
                    line.push_str(&format!("{cell:<w$}  "));
                } else {
                    line.push_str(cell);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    write_all(&mut std::io::stdout().lock(), out.as_bytes())
}
