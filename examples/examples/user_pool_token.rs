//! An `AMAZON_COGNITO_USER_POOLS` endpoint: the app's token provider supplies the user's ID
//! token, sent as `Authorization`.
//!
//! ```sh
//! cargo run -p examples --example user_pool_token
//! ```

use amplify_api::{BoxError, api_client};
use amplify_api_emulator::{Echo, Emulator};

/// The app's REST APIs.
#[api_client(config = "amplifyconfiguration.json")]
pub struct Api;

/// Stands in for the app's sign-in: returns the current ID token (refreshing it as needed).
async fn current_id_token(_endpoint: String) -> Result<String, BoxError> {
    Ok("eyJraWQiOiJleGFtcGxlIn0.user-id-token".to_string())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start().await?;
    emulator
        .api()
        .require_bearer("eyJraWQiOiJleGFtcGxlIn0.user-id-token");
    let api = Api::builder()
        .endpoint_url(api::user_api::NAME, emulator.api_url())
        .identity_pool(emulator.identity_pool_id())
        .cognito_endpoint(emulator.cognito_url())
        .token_provider(|endpoint: &str| current_id_token(endpoint.to_owned()))
        .build()?;
    let seen: Echo = api.user_api().get("/me").send().await?.json()?;
    println!(
        "GET /me with Authorization {:?}",
        seen.headers.get("authorization")
    );
    Ok(())
}
