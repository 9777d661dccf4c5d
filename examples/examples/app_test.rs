//! An app and its test against the emulator, in one call (the guide "Testing your app", `amplify-api/src/guide/testing.md`, shows its test).
//! `cargo test -p examples --example app_test` runs the test (`.ci/run` runs it with the
//! workspace's tests).

use amplify_api::api_client;

/// The app's REST APIs, from its own config.
#[api_client(config = "amplifyconfiguration.json")]
pub struct Api;

/// The app's code under test: item `id`, from the IAM endpoint.
pub async fn fetch_item(api: &Api, id: u32) -> amplify_api::Result<serde_json::Value> {
    api.items_api()
        .get(format!("/items/{id}"))
        .send()
        .await?
        .json()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("run the test: cargo test -p examples --example app_test");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use amplify_api_emulator::{Echo, Emulator, Fault};

    #[tokio::test]
    async fn every_endpoint_of_the_app_answers() -> Result<(), Box<dyn std::error::Error>> {
        // Every endpoint of the config, each with its own auth mode, and the config's own
        // identity pool: one call.
        let emu = Emulator::for_config("amplifyconfiguration.json").await?;
        let api: Api = emu.client()?;

        let echo: Echo = api.items_api().get("/items").send().await?.json()?; // AWS_IAM
        assert!(echo.headers["authorization"].starts_with("AWS4-HMAC-SHA256"));
        let echo: Echo = api.public_api().get("/status").send().await?.json()?; // API_KEY
        assert!(echo.headers.contains_key("x-api-key"));
        let echo: Echo = api.user_api().get("/me").send().await?.json()?; // user pool
        assert_eq!(echo.headers["authorization"], emu.token());

        // The app's own code, through a failure the test chooses (the 503 is retried); the
        // emulator answers with an echo of what it received.
        emu.api().respond_next(1, Fault::Status(503));
        let item = fetch_item(&api, 42).await?;
        assert_eq!(item["path"], "/itemsApi/items/42");
        assert_eq!(emu.api().requests_served(), 5);
        Ok(())
    }
}
