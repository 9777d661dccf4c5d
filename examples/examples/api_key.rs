//! An `API_KEY` endpoint: the key from the config is sent as `x-api-key`; no Cognito call.
//!
//! ```sh
//! cargo run -p examples --example api_key
//! ```

use amplify_api::api_client;
use amplify_api_emulator::{Echo, Emulator};

/// The app's REST APIs.
#[api_client(config = "amplifyconfiguration.json")]
pub struct Api;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start().await?;
    emulator.api().require_api_key("da2-exampleexampleexample");
    let api = Api::builder()
        .endpoint_url(api::public_api::NAME, emulator.api_url())
        .identity_pool(emulator.identity_pool_id())
        .cognito_endpoint(emulator.cognito_url())
        .build()?;
    let seen: Echo = api.public_api().get("/news").send().await?.json()?;
    println!(
        "GET /news with x-api-key {:?}",
        seen.headers.get("x-api-key")
    );
    println!("Cognito calls: {}", emulator.cognito().get_id_calls());
    Ok(())
}
