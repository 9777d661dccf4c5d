//! Amplify config files read into one checked model: the reader behind `amplify-api`'s
//! `#[api_client]` (at compile time) and `Client::from_config_file` (at run time).
//!
//! Reads every format Amplify clients write or take — `aws-exports.js` and its JSON twin
//! (`aws_cloud_logic_custom`), `Amplify.configure` objects of v5 (`API.endpoints`) and v6
//! (`API.REST`), the native `amplifyconfiguration.json` (`api.plugins.awsAPIPlugin`) and Gen 2
//! `amplify_outputs.json` (`custom.API`, `rest_api`) — as JSON or as JavaScript object syntax
//! (comments, unquoted keys, `export default`, `Amplify.configure({...})`). Without a forced
//! [`Format`], every REST container a file has is read and merged, as Amplify v3–v5 did.
//!
//! Two steps, each usable alone:
//! - [`load`]: text -> [`RawConfig`], the entries as written, each value with its JSON path and
//!   line:column ([`Located`]);
//! - [`build_partial`] / [`Model::from_text`]: -> [`Model`], the endpoints checked and
//!   normalized (URL, signing region and service, [`AuthMode`], API key, Rust names), the
//!   identity pool and the user pool.
//!
//! Every problem is a [`ConfigError`] with its JSON path and position;
//! [`ConfigError::render`] gives the message both the macro and the runtime show:
//!
//! ```
//! use amplify_api_config::{Model, Options};
//! let text = r#"{"API": {"REST": {"itemsApi": {"endpoint": "https://api.example.com"}}}}"#;
//! let errors = Model::from_text(text, None, &Options::default()).unwrap_err();
//! let message = errors[0].render("config.json");
//! assert!(message.starts_with(
//!     "`config.json:1:19`, at `API.REST.itemsApi`: no region to sign requests to endpoint \
//!      `itemsApi` for"
//! ));
//! ```
//!
//! [`routes`] reads the route tables of endpoints (OpenAPI 3 / Swagger 2 exports, Gen 1
//! `cli-inputs.json`, Mobile Hub `paths`) with the same reader and diagnostics.
//!
//! No HTTP, no proc-macro: pure functions over text.

mod auth_mode;
#[cfg(test)]
mod fixture_tests;
#[cfg(test)]
mod fuzz_tests;
mod model;
pub mod names;
mod read;
pub mod routes;
mod signing_scope;

pub use auth_mode::{AUTH_MODE_NAMES, AuthMode, UnknownAuthMode};
pub use model::{Endpoint, IdentityPool, Model, Options, build_partial};
pub use names::endpoint_url_env_var;
pub use read::diagnostics::{ConfigError, JsonPath, Located, Pos, Segment};
pub use read::{Format, RawConfig, RawEndpoint, RawIdentityPool, Unreadable, endpoint_names, load};
pub use signing_scope::{
    checked_path_prefix, checked_signing_host, infer_signing_scope, is_loopback, is_region,
};
