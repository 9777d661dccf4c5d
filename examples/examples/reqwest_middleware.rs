//! SigV4 for reqwest users: `SigV4Middleware` in a `reqwest_middleware` client, with
//! credentials from any `ProvideCredentials` and a region that must be given.
//!
//! ```sh
//! cargo run -p examples --example reqwest_middleware
//! ```

use amplify_api::SigV4;
use amplify_api::credentials::Credentials;
use amplify_api::middleware::SigV4Middleware;
use amplify_api::test_util::{Echo, Emulator};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start().await?;
    emulator.allow_credentials("AKIDMIDDLEWARE", "middleware-secret", None);
    let credentials = Credentials::new("AKIDMIDDLEWARE", "middleware-secret", None, None, "app");
    let sigv4 = SigV4::new(credentials, "us-east-1", "execute-api")?;
    let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(SigV4Middleware::new(sigv4))
        .build();

    let response = client
        .get(format!("{}/items?limit=10", emulator.api_url()))
        .send()
        .await?;
    let status = response.status();
    let echo: Echo = response.json().await?;
    println!(
        "{status}: {} {}?{} signed by {}",
        echo.method, echo.path, echo.query, echo.access_key_id
    );
    Ok(())
}
