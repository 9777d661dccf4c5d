//! One call serves a whole app: every REST endpoint of an Amplify config on a path of its own,
//! each with the config's auth mode, and the config's own identity pool accepted.

use std::path::{Path, PathBuf};

// `FromClient`: what `ClientBuilder::build` asks of the client type (`Client`, or a generated one).
use amplify_api::__private::FromClient;
use amplify_api::{AuthMode, BoxError, ClientBuilder};

use amplify_api_config::routes::RouteTable;

use crate::{Auth, Emulator, ServedRoutes};

/// What a config's endpoint is served as.
#[derive(Clone, Debug)]
struct Served {
    name: String,
    auth: AuthMode,
    api_key: Option<String>,
}

/// An [`Emulator`] serving the endpoints of one Amplify config (from
/// [`Emulator::for_config`]): endpoint `name` at `{api_url}/{name}`, with the config's auth
/// mode (`AWS_IAM` verified by SigV4, `API_KEY` by the config's key, user-pool, OIDC and
/// Lambda endpoints by [`token`](Self::token), `NONE` open), and the config's identity pool.
///
/// It dereferences to the [`Emulator`] (faults, counters, clock, user pool). Dropping it
/// stops the emulator.
#[derive(Debug)]
pub struct AppEmulator {
    emulator: Emulator,
    config: PathBuf,
    endpoints: Vec<Served>,
    token: String,
    /// The route tables given ([`routes`](Self::routes)), by endpoint name.
    routes: Vec<(String, RouteTable)>,
}

impl Emulator {
    /// Starts an emulator serving every REST endpoint of the Amplify config at `path` (any
    /// format the client reads: `aws-exports.js`, `amplifyconfiguration.json`,
    /// `amplify_outputs.json`...), each on its own path with its own auth mode, and accepting
    /// the config's identity pool id. [`AppEmulator::client`] is then the app's client pointed
    /// at it.
    ///
    /// For a client generated with `#[api_client(config = "…")]`, pass the same path (tests
    /// run in the package's directory, where the macro reads it).
    ///
    /// # Errors
    /// The config's problems (file, JSON path, line:column, as the client words them) as
    /// [`InvalidData`](std::io::ErrorKind::InvalidData); an I/O error reading the file or
    /// starting the servers.
    pub async fn for_config(path: impl AsRef<Path>) -> std::io::Result<AppEmulator> {
        let config = path.as_ref().to_path_buf();
        let text = std::fs::read_to_string(&config).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("cannot read the config file `{}`: {e}", config.display()),
            )
        })?;
        let options = amplify_api_config::Options {
            without_rust_names: true,
            ..Default::default()
        };
        let model =
            amplify_api_config::Model::from_text(&text, None, &options).map_err(|errors| {
                let file = config.display().to_string();
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    errors
                        .iter()
                        .map(|e| e.render(&file))
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
            })?;
        let emulator = Emulator::start().await?;
        if let Some(pool) = &model.identity_pool {
            emulator.cognito().accept_identity_pool(pool.id.clone());
        }
        let endpoints: Vec<Served> = model
            .endpoints
            .iter()
            .map(|e| Served {
                name: e.name.clone(),
                auth: e.auth,
                api_key: e.api_key.clone(),
            })
            .collect();
        let app = AppEmulator {
            emulator,
            config,
            endpoints,
            token: format!("emulator-token-{}", crate::util::random_uuid()),
            routes: Vec::new(),
        };
        app.require_all();
        Ok(app)
    }
}

impl AppEmulator {
    /// Sets each endpoint's rule on its path, with a hint for refusals.
    fn require_all(&self) {
        for e in &self.endpoints {
            let (auth, expected) = match e.auth {
                AuthMode::ApiKey => (
                    Auth::ApiKey(e.api_key.clone().unwrap_or_default()),
                    format!(
                        "API_KEY: an `x-api-key` header with the config's key (`apiKey` in the \
                         config, or `.endpoint_api_key(\"{}\", key)` on the builder)",
                        e.name
                    ),
                ),
                AuthMode::AmazonCognitoUserPools
                | AuthMode::OpenIdConnect
                | AuthMode::AwsLambda => (
                    Auth::Bearer(self.token.clone()),
                    format!(
                        "{}: `Authorization` with the emulator's token (`AppEmulator::token`, \
                         given by `AppEmulator::builder`; or `.endpoint_token_provider(\"{}\", ..)`)",
                        e.auth.as_str(),
                        e.name
                    ),
                ),
                AuthMode::None => (Auth::None, "NONE".to_owned()),
                _ => (
                    Auth::Iam,
                    "AWS_IAM: a SigV4 signature by credentials from the identity pool \
                     (`.identity_pool(..)` and `.cognito_endpoint(emu.cognito_url())`, which \
                     `AppEmulator::builder` sets)"
                        .to_owned(),
                ),
            };
            let hint = format!(
                "amplify-api-emulator: endpoint `{}` at `/{}` expects {expected}",
                e.name, e.name
            );
            self.emulator.api().require_for_with_hint(
                format!("/{}/", e.name),
                auth.clone(),
                Some(hint.clone()),
            );
            self.emulator
                .api()
                .require_for_with_hint(format!("/{}", e.name), auth, Some(hint));
        }
        for (name, table) in &self.routes {
            let Some(e) = self.endpoints.iter().find(|e| &e.name == name) else {
                continue;
            };
            let mut served = ServedRoutes::new(table.clone())
                .at(&format!("/{name}"))
                .token(&self.token)
                .hint(format!(
                    "amplify-api-emulator: endpoint `{name}` at `/{name}` serves the routes it \
                     was given; each checks its own auth mode"
                ));
            if let Some(key) = &e.api_key {
                served = served.api_key(key);
            }
            self.emulator.api().serve_routes(served);
        }
    }

    /// Serves endpoint `name`'s routes from `table` (read by the config crate's readers, as
    /// `#[api_client(routes = {..})]` reads them): at `{api_url}/{name}`, a path or method the
    /// table lacks is API Gateway's 403 `Missing Authentication Token`, and each operation
    /// checks its own auth mode (see [`ServedRoutes`]; user-pool, OIDC and Lambda operations
    /// take [`token`](Self::token), operations that need the API key the config's `apiKey`,
    /// those the table says nothing of the endpoint's mode). Without tables, every path of an
    /// endpoint is echoed.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// use amplify_api_emulator::{Emulator, routes::read_openapi};
    /// let table = read_openapi(&std::fs::read_to_string("openapi/items.json")?)
    ///     .map_err(|e| format!("{e:?}"))?;
    /// let emu = Emulator::for_config("src/amplify_outputs.json")
    ///     .await?
    ///     .routes("itemsApi", table)?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// A name that is not an endpoint of the config (`InvalidInput`, listing them).
    pub fn routes(mut self, name: &str, table: RouteTable) -> std::io::Result<AppEmulator> {
        if !self.endpoints.iter().any(|e| e.name == name) {
            let names: Vec<String> = self
                .endpoints
                .iter()
                .map(|e| format!("`{}`", e.name))
                .collect();
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "the config has no endpoint `{name}`; its endpoints are {}",
                    names.join(", ")
                ),
            ));
        }
        self.routes.retain(|(n, _)| n != name);
        self.routes.push((name.to_owned(), table));
        self.require_all();
        Ok(self)
    }

    /// The running emulator (also reached through `Deref`).
    pub fn emulator(&self) -> &Emulator {
        &self.emulator
    }

    /// Where endpoint `name` of the config is served (`{api_url}/{name}`), if the config has it.
    pub fn endpoint_url(&self, name: &str) -> Option<String> {
        self.endpoints
            .iter()
            .any(|e| e.name == name)
            .then(|| format!("{}/{name}", self.emulator.api_url()))
    }

    /// The endpoints' Amplify names, in config order.
    pub fn endpoint_names(&self) -> impl Iterator<Item = &str> {
        self.endpoints.iter().map(|e| e.name.as_str())
    }

    /// The token user-pool, OIDC and Lambda endpoints accept as `Authorization`.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Makes user-pool, OIDC and Lambda endpoints accept `token` (the one the test's client
    /// sends) instead of [`token`](Self::token)'s.
    pub fn set_token(&mut self, token: impl Into<String>) {
        self.token = token.into();
        self.require_all();
    }

    /// The app's client builder from the config, pointed at the emulator: each endpoint's URL,
    /// the Cognito Identity endpoint, and a token provider giving [`token`](Self::token) to
    /// token endpoints. The config's identity pool and API keys stay as they are; the
    /// environment's `AMPLIFY_API_*` overrides are not read. Add what the test needs, then
    /// `build()`.
    pub fn builder<A>(&self) -> ClientBuilder<A> {
        let token = self.token.clone();
        let mut builder = ClientBuilder::<A>::new()
            .config_file(&self.config)
            .read_env(false)
            .cognito_endpoint(self.emulator.cognito_url())
            .token_provider(move |_endpoint: &str| {
                let token = token.clone();
                async move { Ok::<_, BoxError>(token) }
            });
        for e in &self.endpoints {
            builder =
                builder.endpoint_url(&e.name, format!("{}/{}", self.emulator.api_url(), e.name));
        }
        builder
    }

    /// The app's client (`emu.client::<Api>()` for a generated `Api`, or
    /// `emu.client::<amplify_api::Client>()`), pointed at the emulator: [`builder`](Self::builder),
    /// built.
    ///
    /// # Errors
    /// What [`ClientBuilder::build`] reports.
    pub fn client<A: FromClient>(&self) -> Result<A, amplify_api::Error> {
        self.builder::<A>().build()
    }
}

impl std::ops::Deref for AppEmulator {
    type Target = Emulator;

    fn deref(&self) -> &Emulator {
        &self.emulator
    }
}
