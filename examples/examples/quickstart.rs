//! The main job, offline: a typed client generated from an Amplify config at compile time,
//! guest credentials from Cognito Identity, every verb signed with SigV4 — against the embedded
//! emulator, whose API verifies each signature with its own implementation.
//!
//! ```sh
//! cargo run -p examples --example quickstart
//! ```

use amplify_api::api_client;
use amplify_api_emulator::{Echo, Emulator};

/// The app's REST APIs, read from `examples/amplifyconfiguration.json` at compile time.
#[api_client(config = "amplifyconfiguration.json")]
pub struct Api;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start().await?;
    println!(
        "emulator: API at {}, Cognito Identity at {}",
        emulator.api_url(),
        emulator.cognito_url()
    );

    // The config's values are constants, checked when this example compiled.
    println!(
        "endpoint {:?}: {} (region {}, service {})",
        api::items_api::NAME,
        api::items_api::URL,
        api::items_api::REGION,
        api::items_api::SERVICE
    );

    // Same client as in production, with the endpoint and Cognito pointed at the emulator.
    let api = Api::builder()
        .endpoint_url(api::items_api::NAME, emulator.api_url())
        .identity_pool(emulator.identity_pool_id())
        .cognito_endpoint(emulator.cognito_url())
        .build()?;
    let items = api.items_api();

    let requests = [
        items
            .get("/items")
            .query("limit", "10")
            .query("q", "blue pens"),
        items
            .post("/items")
            .json(&serde_json::json!({"name": "pen", "colour": "blue"})),
        items
            .put("/items/42")
            .json(&serde_json::json!({"name": "pen", "colour": "red"})),
        items
            .patch("/items/42")
            .header("x-trace", "quickstart")
            .text("colour=green"),
        items.delete("/items/42"),
    ];
    for request in requests {
        let response = request.send().await?;
        let seen: Echo = response.json()?;
        let query = if seen.query.is_empty() {
            String::new()
        } else {
            format!("?{}", seen.query)
        };
        println!(
            "{:<6} {}{} -> {} | verified signature by {} for {}/{} | signed headers: {} | body {} B",
            seen.method,
            seen.path,
            query,
            response.status(),
            seen.access_key_id,
            seen.region,
            seen.service,
            seen.signed_headers.join(";"),
            seen.body_len,
        );
    }
    let head = items.head("/items").send().await?;
    println!(
        "HEAD   /items -> {} ({} bytes of body)",
        head.status(),
        head.bytes().len()
    );

    println!(
        "Cognito calls: GetId {}, GetCredentialsForIdentity {} (credentials cached for all {} requests)",
        emulator.cognito().get_id_calls(),
        emulator.cognito().get_credentials_calls(),
        emulator.api().requests_served()
    );
    Ok(())
}
