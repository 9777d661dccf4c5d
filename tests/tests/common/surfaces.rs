//! Every way a request leaves the crate, as one interface for the harnesses (the botocore oracle,
//! the hostile server): `send()`, `build()` sent by a plain client, the `tower` layer over
//! hyper-util, the `reqwest-middleware` middleware over reqwest, and the command line (when its
//! binary is given). A new surface joins here and so runs through every harness.

use std::time::Duration;

use amplify_api::layer::SigV4Layer;
use amplify_api::middleware::{SigV4Middleware, http_client_builder};
use amplify_api::{AuthMode, Client, Endpoint, EndpointClient, Error, RequestBuilder, SigV4};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use tower::{Layer, ServiceExt};
use tower_http::follow_redirect::FollowRedirectLayer;

use super::fixed_credentials;

/// A way a request leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    /// `RequestBuilder::send`.
    Send,
    /// `RequestBuilder::build`, then sent by a plain reqwest client (redirects off).
    Build,
    /// `SigV4Layer` over hyper-util's client.
    Layer,
    /// `SigV4Middleware` over reqwest (`http_client_builder()`: redirects off).
    Middleware,
}

impl Surface {
    /// Every library surface.
    pub const ALL: [Surface; 4] = [
        Surface::Send,
        Surface::Build,
        Surface::Layer,
        Surface::Middleware,
    ];

    /// Its name in the figures.
    pub fn name(self) -> &'static str {
        match self {
            Surface::Send => "send()",
            Surface::Build => "build()+reqwest",
            Surface::Layer => "SigV4Layer/hyper",
            Surface::Middleware => "SigV4Middleware/reqwest",
        }
    }
}

/// What came back from a request through a surface.
#[derive(Debug)]
pub enum Outcome {
    /// A server answered: status, headers, body.
    Answered {
        /// The status code.
        status: u16,
        /// The headers, names lower-case.
        headers: Vec<(String, String)>,
        /// The body.
        body: Bytes,
        /// `Display` and `Debug` of the error the surface made of the answer (`send()`'s
        /// `Error::Status`), if it made one.
        error: Option<(String, String)>,
    },
    /// The surface refused or failed before an answer: its error, rendered with `Display`
    /// (and `Debug` in `debug`).
    Failed {
        /// `Display` of the error.
        display: String,
        /// `Debug` of the error.
        debug: String,
        /// Whether the crate refused the request before sending it (`Error::InvalidRequest`).
        refused: bool,
        /// Whether the error is the crate's (an `amplify_api::Error`), not the other stack's.
        ours: bool,
    },
}

impl Outcome {
    fn from_error(e: &Error) -> Outcome {
        Outcome::Failed {
            display: e.to_string(),
            debug: format!("{e:?}"),
            refused: matches!(e, Error::InvalidRequest(_)),
            ours: true,
        }
    }

    /// The case could not be made into the plain `http::Request` another stack is given (the
    /// crate's `build()` of it, unsigned, refused it): counted as a case the surface cannot
    /// express, with the reason.
    fn not_expressible(e: &Error) -> Outcome {
        Outcome::Failed {
            display: format!("not expressible as a plain request: {e}"),
            debug: format!("{e:?}"),
            refused: true,
            ours: true,
        }
    }

    fn from_boxed(e: &(dyn std::error::Error + 'static)) -> Outcome {
        let ours = e.downcast_ref::<Error>();
        Outcome::Failed {
            display: e.to_string(),
            debug: format!("{e:?}"),
            refused: ours.is_some_and(|e| matches!(e, Error::InvalidRequest(_))),
            ours: ours.is_some(),
        }
    }
}

/// The clients of one key against one server: a signed IAM endpoint (for `send`/`build`), an
/// unsigned one (the wire request the layer and middleware are given), and the three stacks.
pub struct Stacks {
    signed: EndpointClient,
    unsigned: EndpointClient,
    sigv4: SigV4,
    plain: reqwest::Client,
    hyper: HyperClient<HttpConnector, Full<Bytes>>,
    middleware: reqwest_middleware::ClientWithMiddleware,
    /// The scheme and authority the layer's request is sent to, as written (URL parsing would
    /// lower-case the host): see [`Stacks::with_wire_host_as_written`].
    wire_authority: Option<String>,
    options: StackOptions,
}

/// How the stacks are built: retries for the send path; the total timeout of a call for each
/// stack as its users set one (the client's `timeout`, reqwest's `timeout` under the
/// middleware, `tower`'s `Timeout` around the layer); and whether the layer runs under
/// `tower-http`'s `FollowRedirect` (the middleware's client is the one its docs recommend,
/// redirects off; `tests/tests/redirects.rs` covers it on a client that follows them).
#[derive(Clone, Copy, Debug)]
pub struct StackOptions {
    /// `RetryPolicy::default()` when true, none otherwise.
    pub retries: bool,
    /// The total timeout of a call.
    pub timeout: Option<Duration>,
    /// The layer under `FollowRedirect`.
    pub follow_redirects: bool,
}

impl Stacks {
    /// Stacks signing with `key` (id, secret, session token) for `us-east-1`/`execute-api`
    /// requests to `base_url`.
    pub fn new(base_url: &str, key: (&str, &str, Option<&str>), options: StackOptions) -> Stacks {
        let (id, secret, token) = key;
        let mut builder = Client::builder()
            .endpoint(Endpoint::new("signed", base_url).region("us-east-1"))
            .endpoint(
                Endpoint::new("unsigned", base_url)
                    .region("us-east-1")
                    .auth_mode(AuthMode::None),
            )
            .credentials_provider(fixed_credentials(id, secret, token))
            .read_env(false);
        builder = if options.retries {
            builder.retry(amplify_api::RetryPolicy::default())
        } else {
            builder.retry(amplify_api::RetryPolicy::none())
        };
        if let Some(limit) = options.timeout {
            builder = builder.timeout(limit);
        }
        let client = builder.build().expect("client builds");
        let signed = client.endpoint("signed").expect("signed endpoint");
        // As the docs have it: a signer from the endpoint (its credentials and clock, and only
        // its host), the middleware on a client that does not follow redirects.
        let sigv4 = SigV4::from_endpoint(&signed).expect("a signer");
        Stacks {
            signed,
            unsigned: client.endpoint("unsigned").expect("unsigned endpoint"),
            plain: {
                let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
                match options.timeout {
                    Some(limit) => plain.timeout(limit),
                    None => plain,
                }
                .build()
                .expect("reqwest client")
            },
            hyper: HyperClient::builder(TokioExecutor::new()).build_http(),
            middleware: reqwest_middleware::ClientBuilder::new({
                let http = http_client_builder();
                match options.timeout {
                    Some(limit) => http.timeout(limit),
                    None => http,
                }
                .build()
                .expect("reqwest client")
            })
            .with(SigV4Middleware::new(sigv4.clone()))
            .build(),
            options,
            sigv4,
            wire_authority: None,
        }
    }

    /// The layer's requests go to `base` (`http://LOCALHOST:1234`) as written: the surfaces
    /// that take an `http::Uri` keep a host's case, which URL parsing (and so the client's own
    /// endpoints) lower-cases.
    pub fn with_wire_host_as_written(mut self, base: &str) -> Stacks {
        self.wire_authority = Some(base.trim_end_matches('/').to_owned());
        self
    }

    /// The request `make` builds, sent through `surface`, within `timeout` (a timeout of the
    /// harness is a failure whose message says so).
    pub async fn send(
        &self,
        surface: Surface,
        make: impl Fn(&EndpointClient) -> RequestBuilder,
        timeout: Option<Duration>,
    ) -> Outcome {
        let run = self.send_unbounded(surface, make);
        match timeout {
            // The harness's own bound, a little over the call's: only a call that overran its
            // timeout reaches it.
            Some(limit) => {
                match tokio::time::timeout(limit + Duration::from_millis(1500), run).await {
                    Ok(outcome) => outcome,
                    Err(_) => Outcome::Failed {
                        display: format!("HARNESS TIMEOUT: no outcome within {limit:?}"),
                        debug: String::new(),
                        refused: false,
                        ours: true,
                    },
                }
            }
            None => run.await,
        }
    }

    async fn send_unbounded(
        &self,
        surface: Surface,
        make: impl Fn(&EndpointClient) -> RequestBuilder,
    ) -> Outcome {
        match surface {
            Surface::Send => match make(&self.signed).send().await {
                Ok(resp) => Outcome::Answered {
                    status: resp.status().as_u16(),
                    headers: header_pairs(resp.headers()),
                    body: resp.bytes(),
                    error: None,
                },
                Err(Error::Status(e)) => Outcome::Answered {
                    status: e.status().as_u16(),
                    headers: header_pairs(e.headers()),
                    body: e.body().clone(),
                    error: Some((e.to_string(), format!("{e:?}"))),
                },
                Err(e) => Outcome::from_error(&e),
            },
            Surface::Build => match make(&self.signed).build().await {
                Ok(request) => self.via_reqwest(&self.plain, request).await,
                Err(e) => Outcome::from_error(&e),
            },
            Surface::Layer => match make(&self.unsigned).build().await {
                Ok(request) => {
                    let (mut parts, body) = request.into_parts();
                    if let Some(base) = &self.wire_authority {
                        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                        match format!("{base}{path}").parse() {
                            Ok(uri) => parts.uri = uri,
                            Err(e) => return Outcome::from_boxed(&e),
                        }
                    }
                    self.via_layer(http::Request::from_parts(parts, Full::new(body)))
                        .await
                }
                Err(e) => Outcome::not_expressible(&e),
            },
            Surface::Middleware => match make(&self.unsigned).build().await {
                Ok(request) => match reqwest::Request::try_from(request) {
                    Ok(request) => match self.middleware.execute(request).await {
                        Ok(resp) => answered(resp).await,
                        Err(reqwest_middleware::Error::Middleware(e)) => {
                            Outcome::from_boxed(e.as_ref())
                        }
                        // The middleware's own: it passes reqwest's errors on.
                        Err(reqwest_middleware::Error::Reqwest(e)) => {
                            let mut outcome = Outcome::from_boxed(&e);
                            if let Outcome::Failed { ours, .. } = &mut outcome {
                                *ours = true;
                            }
                            outcome
                        }
                    },
                    Err(e) => Outcome::from_boxed(&e),
                },
                Err(e) => Outcome::not_expressible(&e),
            },
        }
    }

    /// `request` through the layer over hyper, under `FollowRedirect` and `Timeout` as the
    /// options say.
    async fn via_layer(&self, request: http::Request<Full<Bytes>>) -> Outcome {
        let started = std::time::Instant::now();
        let signed = SigV4Layer::new(self.sigv4.clone()).layer(self.hyper.clone());
        let result = match (self.options.follow_redirects, self.options.timeout) {
            (true, Some(limit)) => {
                tower::timeout::Timeout::new(FollowRedirectLayer::new().layer(signed), limit)
                    .oneshot(request)
                    .await
            }
            (true, None) => {
                FollowRedirectLayer::new()
                    .layer(signed)
                    .oneshot(request)
                    .await
            }
            (false, Some(limit)) => {
                tower::timeout::Timeout::new(signed, limit)
                    .oneshot(request)
                    .await
            }
            (false, None) => signed.oneshot(request).await,
        };
        match result {
            Ok(response) => {
                let status = response.status().as_u16();
                let headers = header_pairs(response.headers());
                // `Timeout` bounds the answer's head; a caller bounds its body read too (the
                // layer hands over the inner service's body as it is).
                let collect = response.into_body().collect();
                let collected = match self.options.timeout {
                    // What is left of the call's time, as a caller bounding the whole call.
                    Some(limit) => {
                        match tokio::time::timeout(limit.saturating_sub(started.elapsed()), collect)
                            .await
                        {
                            Ok(collected) => collected,
                            Err(e) => return Outcome::from_boxed(&e),
                        }
                    }
                    None => collect.await,
                };
                match collected {
                    Ok(body) => Outcome::Answered {
                        status,
                        headers,
                        body: body.to_bytes(),
                        error: None,
                    },
                    Err(e) => Outcome::from_boxed(&e),
                }
            }
            Err(e) => Outcome::from_boxed(e.as_ref()),
        }
    }

    async fn via_reqwest(
        &self,
        client: &reqwest::Client,
        request: http::Request<Bytes>,
    ) -> Outcome {
        let request = match reqwest::Request::try_from(request) {
            Ok(request) => request,
            Err(e) => return Outcome::from_boxed(&e),
        };
        match client.execute(request).await {
            Ok(resp) => answered(resp).await,
            Err(e) => Outcome::from_boxed(&e),
        }
    }
}

async fn answered(resp: reqwest::Response) -> Outcome {
    let status = resp.status().as_u16();
    let headers = header_pairs(resp.headers());
    match resp.bytes().await {
        Ok(body) => Outcome::Answered {
            status,
            headers,
            body,
            error: None,
        },
        Err(e) => Outcome::from_boxed(&e),
    }
}

fn header_pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// The command line (`amplify-api call`, the binary at `AMPLIFY_API_CLI`, which `.ci/run`
/// builds) as a surface: a request given by its parts, the way a user types them.
pub struct CliSurface {
    binary: std::path::PathBuf,
    dir: std::path::PathBuf,
    key: (String, String, Option<String>),
    url: String,
}

/// A request by its parts, for the command line.
#[derive(Debug, Default)]
pub struct CliRequest<'a> {
    /// The method.
    pub method: &'a str,
    /// The path (may carry a query).
    pub path: &'a str,
    /// `-q key=value` pairs.
    pub query: Vec<(&'a str, &'a str)>,
    /// `-H 'name: value'` headers.
    pub headers: Vec<(&'a str, &'a str)>,
    /// A body (`--data-binary @file`).
    pub body: Option<&'a [u8]>,
    /// `--max-time`.
    pub max_time: Option<Duration>,
}

impl CliSurface {
    /// The binary named by `AMPLIFY_API_CLI`, calling `url` (the endpoint `api`, AWS_IAM in
    /// us-east-1) with `key` from the environment (`--aws-credentials`); `None` when the
    /// variable is not set.
    pub fn from_env(url: &str, key: (&str, &str, Option<&str>), tag: &str) -> Option<CliSurface> {
        let binary = std::env::var_os("AMPLIFY_API_CLI")?;
        let dir =
            std::env::temp_dir().join(format!("amplify-api-cli-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let config = serde_json::json!({"api": {"plugins": {"awsAPIPlugin": {"api": {
            "endpointType": "REST",
            "endpoint": "http://127.0.0.1:9",
            "region": "us-east-1",
            "authorizationType": "AWS_IAM"
        }}}}});
        std::fs::write(dir.join("amplifyconfiguration.json"), config.to_string())
            .expect("the config is written");
        Some(CliSurface {
            binary: binary.into(),
            dir,
            key: (key.0.to_owned(), key.1.to_owned(), key.2.map(str::to_owned)),
            url: url.to_owned(),
        })
    }

    /// Why `request` cannot be typed on the command line, if it cannot.
    pub fn cannot_express(request: &CliRequest<'_>) -> Option<&'static str> {
        if !request.path.starts_with('/') {
            return Some("a path without a leading `/` (the command line asks for one)");
        }
        if request.query.iter().any(|(k, _)| k.contains('=')) {
            return Some("a query key holding `=` (`-q` splits at the first `=`)");
        }
        if request
            .query
            .iter()
            .any(|(k, v)| k.contains('\0') || v.contains('\0'))
        {
            return Some("a NUL byte in an argument");
        }
        None
    }

    /// Runs `amplify-api call -i --raw` for `request`: the answer (status line, headers, body
    /// from standard output), or a failure with standard error and its exit status.
    pub async fn call(&self, request: &CliRequest<'_>) -> (Outcome, std::process::Output) {
        let mut command = tokio::process::Command::new(&self.binary);
        command
            .current_dir(&self.dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.dir)
            .env("XDG_CACHE_HOME", self.dir.join("cache"))
            .env("AWS_ACCESS_KEY_ID", &self.key.0)
            .env("AWS_SECRET_ACCESS_KEY", &self.key.1)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .args(["call", "api", request.method, request.path])
            .args(["--config", "amplifyconfiguration.json", "--aws-credentials"])
            .args(["--endpoint-url", &self.url, "-i", "--raw"]);
        if let Some(token) = &self.key.2 {
            command.env("AWS_SESSION_TOKEN", token);
        }
        for (k, v) in &request.query {
            command.arg("-q").arg(format!("{k}={v}"));
        }
        for (n, v) in &request.headers {
            command.arg("-H").arg(format!("{n}: {v}"));
        }
        let body_file;
        if let Some(body) = request.body {
            static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            body_file = self.dir.join(format!("body-{n}"));
            std::fs::write(&body_file, body).expect("the body is written");
            command
                .arg("--data-binary")
                .arg(format!("@{}", body_file.display()));
        }
        if let Some(limit) = request.max_time {
            command
                .arg("--max-time")
                .arg(limit.as_secs_f64().to_string());
        }
        let output = command.output().await.expect("the binary runs");
        (cli_outcome(&output), output)
    }
}

impl Drop for CliSurface {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Reads `call -i --raw`'s output: `HTTP/1.1 200 OK`, headers, an empty line, the body.
fn cli_outcome(output: &std::process::Output) -> Outcome {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let out = &output.stdout;
    let head_end = out.windows(2).position(|w| w == b"\n\n");
    let parsed = head_end.and_then(|end| {
        let head = std::str::from_utf8(&out[..end]).ok()?;
        let mut lines = head.lines();
        let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        Some((status, headers, Bytes::copy_from_slice(&out[end + 2..])))
    });
    match parsed {
        Some((status, headers, body)) => Outcome::Answered {
            status,
            headers,
            body,
            error: (!output.status.success()).then(|| (stderr.clone(), stderr)),
        },
        None => Outcome::Failed {
            debug: format!("exit {:?}", output.status.code()),
            refused: output.status.code() == Some(2),
            display: stderr,
            ours: true,
        },
    }
}
