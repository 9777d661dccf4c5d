//! The command line's arguments (clap).

use std::path::PathBuf;

use amplify_api_config::Format;
use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand};

/// What `--help` says about exit statuses (kept beside [`crate::ExitCode`]'s values).
const EXIT_STATUSES: &str = "\
Exit status:
  0  the server answered 2xx (call), or the command succeeded
  2  usage or config error (bad arguments, no config found, unreadable config, unknown endpoint)
  3  credentials error (Cognito Identity, the user pool's sign-in or the AWS chain failed)
  4  the server answered 4xx (or another status that is not 2xx or 5xx)
  5  the server answered 5xx
  6  transport error (connection refused or reset, TLS, timeout)
  1  anything else (writing the output failed)

Requests go through the amplify-api library's send path: its retries (idempotent methods, 5xx,
throttling, connection failures), a re-send after a clock correction or an expired session
token, and its redaction of secrets in error bodies.
The guest identity id is kept between runs in the user's cache directory
(`<cache>/amplify-api/`, readable by the user only), so a run does not create a new identity;
so is the user-pool session `login` keeps (tokens, refresh token included; `logout` deletes it).

Config: unless --config is given, the first of amplify_outputs.json, amplifyconfiguration.json
and src/aws-exports.js found in the current directory or above it, as the app has it.
Environment: AMPLIFY_API_<NAME>_URL overrides an endpoint's URL, AWS_ENDPOINT_URL_COGNITO_IDENTITY
the Cognito Identity endpoint, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER the user pool's.";

/// Call the REST APIs of an Amplify app by their Amplify names, signed with the app's own
/// identity pool (as a guest, or as the user signed in with `login`); list them; print signed
/// requests as curl commands.
#[derive(Debug, Parser)]
#[command(name = "amplify-api", version, after_help = EXIT_STATUSES)]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Send a request to an endpoint and print the response body (like curl).
    #[command(after_help = EXIT_STATUSES)]
    Call(CallArgs),
    /// Sign a request without sending it and print it as a curl command (it carries the
    /// temporary credentials' session token and signature: share it only as you would them).
    #[command(after_help = EXIT_STATUSES)]
    Sign(RequestArgs),
    /// List the config's endpoints: name, URL, region, service, auth mode, Rust accessor.
    #[command(after_help = EXIT_STATUSES)]
    Endpoints(EndpointsArgs),
    /// Sign in to the config's Cognito user pool (SRP: the password never leaves the machine)
    /// and keep the session (tokens, refresh token included) in the user's cache directory,
    /// readable by the user only: `call` and `sign` then act as this user (authenticated
    /// identity, bearer token of user-pool endpoints), refreshing the tokens when due.
    #[command(after_help = EXIT_STATUSES)]
    Login(LoginArgs),
    /// Forget the session `login` kept (delete its token file).
    #[command(after_help = EXIT_STATUSES)]
    Logout(ConfigOnlyArgs),
    /// Show the signed-in user: name, groups, identity id and the IAM role in use (never a
    /// token).
    #[command(after_help = EXIT_STATUSES)]
    Whoami(WhoamiArgs),
    /// Run the emulator (Cognito Identity, a user pool, the config's endpoints with their auth
    /// modes) until interrupted; print its URLs and the environment pointing an app at it, as
    /// one JSON line and as shell lines.
    Emulate(EmulateArgs),
}

/// `emulate`.
#[derive(Debug, Args)]
pub(crate) struct EmulateArgs {
    /// The Amplify config whose endpoints are served (default: discovered from the current
    /// directory upwards; none found: a bare emulator, `AWS_IAM` on every path).
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
}

/// Where the config is and how to read it.
#[derive(Debug, Args)]
pub(crate) struct ConfigArgs {
    /// The Amplify config file (default: discovered from the current directory upwards).
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Read the config as this format instead of detecting it.
    #[arg(long, value_name = "FORMAT", value_parser = PossibleValuesParser::new(Format::ALL.map(Format::name)))]
    pub(crate) format: Option<String>,
    /// Send Cognito Identity calls here (an emulator, a VPC endpoint).
    #[arg(long, value_name = "URL")]
    pub(crate) cognito_endpoint: Option<String>,
    /// Send Cognito user pool calls (`login`, token refresh) here (default: the environment's
    /// AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, else the pool's region).
    #[arg(long, value_name = "URL")]
    pub(crate) user_pool_endpoint: Option<String>,
}

/// `login`.
#[derive(Debug, Args)]
pub(crate) struct LoginArgs {
    /// The user's name (or email, as the pool allows); asked for when not given.
    #[arg(short = 'u', long, value_name = "NAME")]
    pub(crate) username: Option<String>,
    /// Read the password from standard input (its first line) instead of a prompt (needs
    /// --username).
    #[arg(long, requires = "username")]
    pub(crate) password_stdin: bool,
    /// The authenticator app's code, if the pool asks for one (SOFTWARE_TOKEN_MFA); asked for
    /// on a terminal when not given.
    #[arg(long, value_name = "CODE")]
    pub(crate) totp: Option<String>,
    /// Config options.
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
}

/// `logout`.
#[derive(Debug, Args)]
pub(crate) struct ConfigOnlyArgs {
    /// Config options.
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
}

/// `whoami`.
#[derive(Debug, Args)]
pub(crate) struct WhoamiArgs {
    /// The IAM role that `call --role ARN` would ask for.
    #[arg(long, value_name = "ARN")]
    pub(crate) role: Option<String>,
    /// Config options.
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
}

/// `endpoints`.
#[derive(Debug, Args)]
pub(crate) struct EndpointsArgs {
    /// Config options.
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
    /// Print JSON (one object per endpoint) instead of a table.
    #[arg(long)]
    pub(crate) json: bool,
}

/// A request: what `call` sends and `sign` signs.
#[derive(Debug, Args)]
pub(crate) struct RequestArgs {
    /// The endpoint's Amplify name (see `amplify-api endpoints`).
    pub(crate) endpoint: String,
    /// The HTTP method: GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS (any case).
    pub(crate) method: String,
    /// The path, relative to the endpoint's URL, starting with `/` (may carry a query).
    pub(crate) path: String,
    /// A query parameter `key=value` (repeatable; percent-encoded for you).
    #[arg(short = 'q', long = "query", value_name = "K=V")]
    pub(crate) query: Vec<String>,
    /// A header `name: value` (repeatable; signed).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub(crate) header: Vec<String>,
    /// A body: JSON text (sent as application/json unless -H gives a content type), `@FILE`
    /// for a file's contents, `@-` for standard input.
    #[arg(
        short = 'd',
        long = "data",
        value_name = "JSON|@FILE",
        conflicts_with = "data_binary"
    )]
    pub(crate) data: Option<String>,
    /// A body from a file, sent as is (`@FILE`, `@-` for standard input; no content type added).
    #[arg(long = "data-binary", value_name = "@FILE")]
    pub(crate) data_binary: Option<String>,
    /// Send the request to this URL instead of the endpoint's configured one.
    #[arg(long, value_name = "URL")]
    pub(crate) endpoint_url: Option<String>,
    /// Sign for this region instead of the endpoint's.
    #[arg(long, value_name = "REGION")]
    pub(crate) region: Option<String>,
    /// Sign for this service (`execute-api`, `lambda`...) instead of the endpoint's.
    #[arg(long, value_name = "SERVICE")]
    pub(crate) service: Option<String>,
    /// Take guest (or authenticated) credentials from this Cognito identity pool instead of
    /// the config's.
    #[arg(long, value_name = "ID")]
    pub(crate) identity_pool: Option<String>,
    /// Credentials from this profile of the AWS shared config (the `aws-config` feature).
    #[arg(long, value_name = "NAME", conflicts_with = "id_token")]
    pub(crate) profile: Option<String>,
    /// Credentials from the AWS SDK's default chain (environment, profile, SSO, IMDS...; the
    /// `aws-config` feature) instead of the config's identity pool.
    #[arg(long, conflicts_with = "id_token")]
    pub(crate) aws_credentials: bool,
    /// A Cognito user pool ID token: the identity pool's authenticated identity (its `Logins`
    /// key is the config's user pool) and the bearer token of user-pool endpoints. Wins over
    /// the session `login` kept.
    #[arg(
        long,
        value_name = "JWT",
        env = "AMPLIFY_API_ID_TOKEN",
        hide_env_values = true
    )]
    pub(crate) id_token: Option<String>,
    /// For a signed-in user (`login` or --id-token): ask the identity pool for this IAM role's
    /// credentials (`CustomRoleArn`; one of the roles of the user's groups).
    #[arg(long, value_name = "ARN")]
    pub(crate) role: Option<String>,
    /// Config options.
    #[command(flatten)]
    pub(crate) config: ConfigArgs,
}

/// `call`.
#[derive(Debug, Args)]
pub(crate) struct CallArgs {
    /// The request.
    #[command(flatten)]
    pub(crate) request: RequestArgs,
    /// Print the status line and response headers before the body.
    #[arg(short = 'i', long)]
    pub(crate) include: bool,
    /// Print on standard error the endpoint (URL, region, service, auth mode); for each
    /// attempt the library makes (a retry or a re-send after a clock correction is shown
    /// again): the canonical request, the string to sign, the signed headers, when the
    /// credentials expire, the request line and headers; then the final response's status
    /// line and headers. Hidden (shown as `** redacted **`): the signature in `authorization` (its
    /// algorithm, access key id, scope and signed headers are shown), a bearer token, the
    /// values of `x-amz-security-token` and `x-api-key`, wherever they appear. Query values
    /// are shown as `…` unless --show-query is given. The secret access key is never sent,
    /// so never shown.
    #[arg(short = 'v', long)]
    pub(crate) verbose: bool,
    /// With -v: show query values in the request line and the canonical request (they may hold
    /// secrets: codes, tokens, signatures).
    #[arg(long, requires = "verbose")]
    pub(crate) show_query: bool,
    /// Print the body as received (no pretty-printing of JSON on a terminal).
    #[arg(long, conflicts_with = "pretty")]
    pub(crate) raw: bool,
    /// Pretty-print a JSON body even when standard output is not a terminal.
    #[arg(long)]
    pub(crate) pretty: bool,
    /// Give up after this many seconds: the whole call, credentials (Cognito), retries and
    /// the body included.
    #[arg(long, value_name = "SECS")]
    pub(crate) max_time: Option<f64>,
}
