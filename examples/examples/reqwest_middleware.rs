//! SigV4 for reqwest users: `SigV4Middleware` in a `reqwest_middleware` client, with
//! credentials from any `ProvideCredentials` and a region that must be given. The client is
//! built with redirects off and the signer signs only for the API's host, so no redirect can
//! carry our headers to another origin.
//!
//! ```sh
//! cargo run -p examples --example reqwest_middleware
//! ```

use amplify_api::SigV4;
use amplify_api::credentials::Credentials;
use amplify_api::middleware::SigV4Middleware;
use amplify_api_emulator::{Echo, Emulator};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start().await?;
    emulator.allow_credentials("AKIDMIDDLEWARE", "middleware-secret", None);
    let credentials = Credentials::new("AKIDMIDDLEWARE", "middleware-secret", None, None, "app");
    let api_host = emulator.api_url().trim_start_matches("http://").to_owned();
    let sigv4 = SigV4::new(credentials, "us-east-1", "execute-api")?.for_host(&api_host)?;
    let client = SigV4Middleware::client(sigv4)?;

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
