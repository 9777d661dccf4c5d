//! An in-process emulator of what an Amplify REST client talks to, for tests and examples that
//! run offline: a **Cognito Identity** endpoint (guest and authenticated `GetId` and
//! `GetCredentialsForIdentity`, on the real wire protocol, `CustomRoleArn` checked against the
//! token's roles), a **Cognito user pool** endpoint (SRP and password sign-in with the server
//! side of SRP checked for real, refresh, MFA and new-password challenges: see
//! [`UserPoolControl`]) and an **API** endpoint that checks
//! requests as API Gateway does — SigV4 signatures verified by an independent implementation
//! ([`sigv4_verify`], written from the specification, sharing nothing with the signer), API
//! keys, bearer tokens — and answers every accepted request with an [`Echo`] of what it received.
//! Given an API's route table ([`ApiControl::serve_routes`], the reader the `#[api_client]` macro
//! uses), it answers an unknown path or method as API Gateway does (403 `Missing Authentication
//! Token`), checks each route's own auth mode, and lets a test answer a route with a typed
//! closure ([`ApiControl::answer`]).
//!
//! To test an app, [`Emulator::for_config`] serves every REST endpoint of its Amplify config on
//! a path of its own with the config's auth mode, accepts the config's identity pool id, and
//! [`AppEmulator::client`] is the app's client pointed at it (see the guide
//! `amplify_api::guide::testing`). `amplify-api emulate --config FILE` runs the same as a process.
//!
//! Both listen on `127.0.0.1` on ports of their own, served by the emulator's own thread (so a
//! test that blocks its runtime still gets answers); dropping the [`Emulator`] stops them and
//! every connection.
//!
//! ```no_run
//! use amplify_api_emulator::{Echo, Emulator, Fault};
//! use amplify_api::{Client, Endpoint};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let emu = Emulator::start().await?;
//! let client = Client::builder()
//!     .endpoint(Endpoint::new("items", emu.api_url()).region("us-east-1"))
//!     .identity_pool(emu.identity_pool_id())
//!     .cognito_endpoint(emu.cognito_url())
//!     .build()?;
//! let echo: Echo = client.endpoint("items")?.get("/items").send().await?.json()?;
//! assert_eq!(echo.service, "execute-api");
//! emu.api().respond_next(1, Fault::Status(503)); // the next request fails
//! # Ok(()) }
//! ```

mod api;
mod app;
mod cognito;
mod control;
mod cors;
mod echo;
mod faults;
mod keys;
mod routing;
mod server;
pub mod sigv4_verify;
mod user_pool;
mod util;

use std::sync::Arc;

/// The route model and readers the emulator serves (the config crate's, the same the
/// `#[api_client]` macro reads): `read_openapi`, `RouteTable`, `Method`...
pub use amplify_api_config::routes;
pub use api::{ApiControl, Auth};
pub use app::AppEmulator;
pub use cognito::{
    CognitoControl, DEFAULT_AUTHENTICATED_ROLE, DEFAULT_CREDENTIALS_LIFETIME, UNAUTHENTICATED_ROLE,
};
pub use echo::{Echo, EchoPart};
pub use faults::{CognitoFault, Fault};
pub use routing::{Call, ErrorAnswer, ServedRoutes};
pub use user_pool::{DEFAULT_TOKEN_LIFETIME, UserPoolControl, UserStatus};

use keys::{Key, KeyStore};
use server::Host;
use util::random_uuid;

/// The region of the emulated identity pool.
const REGION: &str = "us-east-1";

/// The running emulator: a Cognito Identity endpoint and an API endpoint. Dropping it stops
/// both.
#[derive(Debug)]
pub struct Emulator {
    api: ApiControl,
    cognito: CognitoControl,
    user_pool: UserPoolControl,
    keys: Arc<KeyStore>,
    identity_pool_id: String,
    api_url: String,
    cognito_url: String,
    user_pool_url: String,
    control_url: String,
    _host: Host,
}

impl Emulator {
    /// Starts both endpoints on `127.0.0.1`, each on a free port, served from a thread of the
    /// emulator's own (it needs no runtime of the caller's).
    pub async fn start() -> std::io::Result<Emulator> {
        let keys = Arc::new(KeyStore::default());
        let identity_pool_id = format!("{REGION}:{}", random_uuid());
        let user_pool = UserPoolControl::new(
            format!("{REGION}_{}", &random_uuid().replace('-', "")[..9]),
            random_uuid().replace('-', "")[..26].to_owned(),
        );
        let issuer = user_pool.state().issuer.clone();
        let api = ApiControl::new(keys.clone(), issuer.clone());
        let cognito = CognitoControl::new(identity_pool_id.clone(), keys.clone(), issuer);
        let (api_listener, api_addr) = server::bind()?;
        let (cognito_listener, cognito_addr) = server::bind()?;
        let (control_listener, control_addr) = server::bind()?;
        let (user_pool_listener, user_pool_addr) = server::bind()?;
        let user_pool_state = user_pool.state();
        let (control_api, control_cognito) = (api.clone(), cognito.clone());
        let api_state = api.state();
        let cognito_state = cognito.state();
        let host = Host::start(vec![
            (
                api_listener,
                server::handler_of_long_bodies(move |request| {
                    api::handle(api_state.clone(), request)
                }),
            ),
            (
                cognito_listener,
                server::handler(move |request| cognito::handle(cognito_state.clone(), request)),
            ),
            (
                user_pool_listener,
                server::handler(move |request| user_pool::handle(user_pool_state.clone(), request)),
            ),
            (
                control_listener,
                server::handler(move |request| {
                    let reply = control::handle(&control_api, &control_cognito, &request);
                    async move { reply }
                }),
            ),
        ])?;
        Ok(Emulator {
            api,
            cognito,
            user_pool,
            keys,
            identity_pool_id,
            api_url: format!("http://{api_addr}"),
            cognito_url: format!("http://{cognito_addr}"),
            user_pool_url: format!("http://{user_pool_addr}"),
            control_url: format!("http://{control_addr}"),
            _host: host,
        })
    }

    /// The API's base URL, `http://127.0.0.1:<port>` (no trailing slash).
    pub fn api_url(&self) -> String {
        self.api_url.clone()
    }

    /// The Cognito Identity endpoint's URL, `http://127.0.0.1:<port>`.
    pub fn cognito_url(&self) -> String {
        self.cognito_url.clone()
    }

    /// The Cognito user pool endpoint's URL (`cognito-idp`), `http://127.0.0.1:<port>`.
    pub fn user_pool_url(&self) -> String {
        self.user_pool_url.clone()
    }

    /// The emulated user pool's id, `us-east-1_<name>`.
    pub fn user_pool_id(&self) -> &str {
        self.user_pool.user_pool_id()
    }

    /// The emulated user pool's app client id.
    pub fn user_pool_client_id(&self) -> &str {
        self.user_pool.client_id()
    }

    /// The user pool's controls: users, groups and roles, app client, faults, counters.
    pub fn user_pool(&self) -> &UserPoolControl {
        &self.user_pool
    }

    /// The control endpoint's URL, `http://127.0.0.1:<port>`: queue faults and read counters
    /// from another process (see the `control` requests in the crate docs:
    /// `POST /faults?count=N&status=S`, `GET /counters`).
    pub fn control_url(&self) -> String {
        self.control_url.clone()
    }

    /// The emulated identity pool, `us-east-1:<uuid>` (guest access allowed).
    pub fn identity_pool_id(&self) -> &str {
        &self.identity_pool_id
    }

    /// The API's controls and counters.
    pub fn api(&self) -> &ApiControl {
        &self.api
    }

    /// Cognito Identity's controls and counters.
    pub fn cognito(&self) -> &CognitoControl {
        &self.cognito
    }

    /// Runs both services' clocks `secs` ahead (negative: behind) of the real one, as if this
    /// machine's clock were `secs` behind (ahead of) the world's: the API's `Date` and signature
    /// window, and the expiry of the credentials Cognito mints.
    pub fn set_clock_skew(&self, secs: i64) {
        self.api.set_date_skew(secs);
        self.cognito.set_date_skew(secs);
    }

    /// Lets the API accept signatures by `access_key_id` with `secret`; with `session_token`,
    /// requests must carry it as `x-amz-security-token` (without, they must carry none).
    /// Credentials that Cognito minted are accepted without this.
    pub fn allow_credentials(
        &self,
        access_key_id: impl Into<String>,
        secret: impl Into<String>,
        session_token: Option<String>,
    ) {
        self.keys.insert(
            access_key_id.into(),
            Key {
                secret: secret.into(),
                token: session_token,
                expires: None,
                role: None,
            },
        );
    }

    /// Every set of credentials the API accepts: those Cognito minted (with their expiry) and
    /// those [`allow_credentials`](Self::allow_credentials) added. For tests that scan output
    /// for leaked secrets: `secret_access_key()` and `session_token()` of each must never appear
    /// in a log line or an error.
    pub fn accepted_credentials(&self) -> Vec<aws_credential_types::Credentials> {
        self.keys
            .all()
            .into_iter()
            .map(|(access_key_id, key)| {
                aws_credential_types::Credentials::new(
                    access_key_id,
                    key.secret,
                    key.token,
                    key.expires,
                    "amplify-api-emulator",
                )
            })
            .collect()
    }
}
