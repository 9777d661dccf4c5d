//! The verbs: `call` (sign with the library, send with reqwest, print like curl), `sign` (print
//! the signed request as a curl command) and `endpoints` (list the config's).

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use amplify_api::{AwsErrorInfo, Bytes, Client, ClientBuilder, Error, Logins, Method};
use amplify_api_config::{Format, Model, Options};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::{CallArgs, ConfigArgs, EndpointsArgs, RequestArgs};
use crate::discover::find_config;
use crate::output::{self, CurlBody};
use crate::{ExitCode, Failure};

/// Bodies at least this large get a progress bar (when standard error is a terminal).
const PROGRESS_THRESHOLD: u64 = 4 * 1024 * 1024;

/// The pieces of an upload: how often the progress bar moves.
const UPLOAD_CHUNK: usize = 256 * 1024;

/// The config the user gave or the app has, read and checked.
struct Config {
    path: PathBuf,
    format: Option<Format>,
    model: Model,
}

impl Config {
    fn load(args: &ConfigArgs) -> Result<Config, Failure> {
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
fn failure(e: Error) -> Failure {
    let code = match &e {
        Error::Credentials(_) => ExitCode::Credentials,
        Error::Transport(_) | Error::Timeout(_) => ExitCode::Transport,
        Error::Status(s) if s.status().is_server_error() => ExitCode::ServerError,
        Error::Status(_) => ExitCode::ClientError,
        Error::Config(_) | Error::UnknownEndpoint(_) | Error::InvalidRequest(_) => ExitCode::Usage,
        _ => ExitCode::Other,
    };
    let message = match e.aws_error_name() {
        Some(name) if !e.to_string().contains(name) => format!("{name}: {e}"),
        _ => e.to_string(),
    };
    Failure { code, message }
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

/// The request as the library builds and signs it, with what was signed.
struct Built {
    request: http::Request<Bytes>,
    details: Option<amplify_api::SigningDetails>,
    source: Option<BodySource>,
    /// For `-v`: the endpoint's name, region, service and auth mode.
    summary: String,
}

/// The client for `args` (credentials as asked), and the request signed.
async fn build(args: &RequestArgs) -> Result<Built, Failure> {
    let config = Config::load(&args.config)?;
    let mut builder = config.builder(&args.config);
    if let Some(url) = &args.endpoint_url {
        builder = builder.endpoint_url(&args.endpoint, url);
    }
    builder = credentials(builder, args, &config.model).await?;
    let client = builder.build().map_err(failure)?;
    let endpoint = client.endpoint(&args.endpoint).map_err(failure)?;
    let method = Method::from_bytes(args.method.to_ascii_uppercase().as_bytes())
        .map_err(|_| Failure::usage(format!("`{}` is not an HTTP method", args.method)))?;
    let mut request = endpoint.request(method, args.path.clone());
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
        request = request.header(name.trim(), value);
    }
    let source = match body_source(args) {
        Some((source, json)) => {
            if json && !has_content_type {
                request = request.header("content-type", "application/json");
            }
            request = request.body(read_body(&source)?);
            Some(source)
        }
        None => None,
    };
    let summary = format!(
        "* endpoint `{}`: {} ({}, {}, {})",
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
    let (request, details) = request.build_with_details().await.map_err(failure)?;
    Ok(Built {
        request,
        details,
        source,
        summary,
    })
}

/// The builder's credentials: the AWS chain or a profile (feature `aws-config`), an
/// authenticated identity from `--id-token`, else the config's identity pool (guest).
async fn credentials(
    builder: ClientBuilder,
    args: &RequestArgs,
    model: &Model,
) -> Result<ClientBuilder, Failure> {
    if args.aws_credentials || args.profile.is_some() {
        return aws_chain(builder, args.profile.as_deref()).await;
    }
    let Some(token) = &args.id_token else {
        return Ok(builder);
    };
    let pool = model.user_pool_id.as_deref().ok_or_else(|| {
        Failure::usage(
            "--id-token needs the config's Cognito user pool (its `Logins` key), and the config \
             has none",
        )
    })?;
    let logins = Logins::from([(amplify_api::user_pool_login_key(pool), token.clone())]);
    let bearer = token.clone();
    // The same token is the bearer of endpoints whose auth mode sends one (user pools).
    Ok(builder
        .logins_provider(move || {
            let logins = logins.clone();
            async move { Ok(Some(logins)) }
        })
        .token_provider(move |_: &str| {
            let bearer = bearer.clone();
            async move { Ok(bearer) }
        }))
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
        "--profile and --aws-credentials need the `aws-config` feature: install with \
         `cargo install amplify-api --features cli,aws-config`",
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
    let Built {
        request,
        details,
        summary,
        ..
    } = build(&args.request).await?;
    let mut stderr = std::io::stderr().lock();
    let (parts, body) = request.into_parts();
    if args.verbose {
        let mut out = format!("{summary}\n");
        if let Some(details) = &details {
            out.push_str(&output::signing_details(details));
        }
        let target = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let host = parts.uri.authority().map_or("", |a| a.as_str());
        out.push_str(&output::request_head(
            parts.method.as_str(),
            &target,
            host,
            &parts.headers,
        ));
        write_all(&mut stderr, out.as_bytes())?;
    }
    let mut http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("amplify-api-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(secs) = args.max_time {
        let limit = Duration::try_from_secs_f64(secs)
            .map_err(|_| Failure::usage(format!("--max-time {secs}: not a duration")))?;
        http = http.timeout(limit);
    }
    let http = http.build().map_err(|e| {
        Failure::new(
            ExitCode::Other,
            format!("cannot build the HTTP client: {e}"),
        )
    })?;
    let url = parts.uri.to_string();
    let mut req = http
        .request(parts.method.clone(), &url)
        .headers(parts.headers);
    req = match progress(body.len() as u64, "upload") {
        Some(bar) => {
            let chunks: Vec<Bytes> = (0..body.len())
                .step_by(UPLOAD_CHUNK)
                .map(|at| body.slice(at..body.len().min(at + UPLOAD_CHUNK)))
                .collect();
            let stream = futures_util::stream::iter(chunks.into_iter().map(move |chunk| {
                bar.inc(chunk.len() as u64);
                Ok::<Bytes, std::io::Error>(chunk)
            }));
            req.body(reqwest::Body::wrap_stream(stream))
        }
        None => req.body(body),
    };
    let mut response = req.send().await.map_err(transport)?;
    let status = response.status();
    let headers = response.headers().clone();
    if args.verbose {
        write_all(
            &mut stderr,
            output::response_head("< ", status, &headers).as_bytes(),
        )?;
        write_all(&mut stderr, b"<\n")?;
    }
    let bar = response
        .content_length()
        .and_then(|len| progress(len, "download"));
    let mut received = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        if let Some(bar) = &bar {
            bar.inc(chunk.len() as u64);
        }
        received.extend_from_slice(&chunk);
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let received = Bytes::from(received);
    let pretty = args.pretty || (!args.raw && std::io::stdout().is_terminal());
    let mut stdout = std::io::stdout().lock();
    if args.include {
        write_all(
            &mut stdout,
            output::response_head("", status, &headers).as_bytes(),
        )?;
        write_all(&mut stdout, b"\n")?;
    }
    write_all(&mut stdout, &output::body(&received, pretty))?;
    stdout
        .flush()
        .map_err(|e| Failure::new(ExitCode::Other, format!("cannot write the output: {e}")))?;
    if status.is_success() {
        return Ok(());
    }
    let info = AwsErrorInfo::parse(&headers, &received);
    let mut message = format!(
        "HTTP {} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or_default()
    );
    if let Some(name) = &info.name {
        message.push_str(&format!(": {name}"));
    }
    if let Some(text) = &info.message {
        message.push_str(&format!(": {text}"));
    }
    if let Some(id) = &info.request_id {
        message.push_str(&format!(" (request id {id})"));
    }
    let code = if status.is_server_error() {
        ExitCode::ServerError
    } else {
        ExitCode::ClientError
    };
    Err(Failure::new(code, message))
}

/// A transport failure (connect, TLS, reset, timeout), without the URL's query.
fn transport(e: reqwest::Error) -> Failure {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else {
        "transport error"
    };
    let e = e.without_url();
    let mut message = format!("{what}: {e}");
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    Failure::new(ExitCode::Transport, message)
}

fn write_all(out: &mut impl Write, bytes: &[u8]) -> Result<(), Failure> {
    out.write_all(bytes)
        .map_err(|e| Failure::new(ExitCode::Other, format!("cannot write the output: {e}")))
}

/// `amplify-api sign`.
pub(crate) async fn sign(args: &RequestArgs) -> Result<(), Failure> {
    let Built {
        request,
        details,
        source,
        ..
    } = build(args).await?;
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
