//! Any credentials source: here a hand-written `ProvideCredentials` (a secrets vault, the AWS
//! SDK's chain, a file...) replaces the identity pool.
//!
//! ```sh
//! cargo run -p examples --example custom_credentials
//! ```

use amplify_api::api_client;
use amplify_api::credentials::{Credentials, ProvideCredentials};
use amplify_api_emulator::{Echo, Emulator};

/// The app's REST APIs.
#[api_client(config = "amplifyconfiguration.json")]
pub struct Api;

/// Hands out credentials from wherever the app keeps them.
#[derive(Debug)]
struct Vault;

impl ProvideCredentials for Vault {
    fn provide_credentials<'a>(
        &'a self,
    ) -> aws_credential_types::provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        aws_credential_types::provider::future::ProvideCredentials::ready(Ok(Credentials::new(
            "AKIDVAULTEXAMPLE",
            "vault-secret-key",
            None,
            None,
            "vault",
        )))
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start().await?;
    emulator.allow_credentials("AKIDVAULTEXAMPLE", "vault-secret-key", None);
    let api = Api::builder()
        .endpoint_url(api::items_api::NAME, emulator.api_url())
        .credentials_provider(Vault)
        .build()?;
    let seen: Echo = api.items_api().get("/items").send().await?.json()?;
    println!(
        "signed by {} without any Cognito call ({} calls)",
        seen.access_key_id,
        emulator.cognito().get_id_calls()
    );
    Ok(())
}
