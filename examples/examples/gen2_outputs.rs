//! A Gen 2 `amplify_outputs.json` app with its REST API under `custom.API`, offline: the generated client of `examples/configs/amplify_outputs.json` against the emulator serving that
//! config (its endpoints, auth modes and identity pool) in one call.
//!
//! ```sh
//! cargo run -p examples --example gen2_outputs
//! ```

use amplify_api::api_client;
use amplify_api_emulator::{Echo, Emulator};

/// The app's REST APIs, read from `examples/configs/amplify_outputs.json` at compile time.
#[api_client(config = "configs/amplify_outputs.json")]
pub struct Api;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo run` runs in the caller's directory: the config by its full path.
    let emu = Emulator::for_config(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/configs/amplify_outputs.json"
    ))
    .await?;
    let api: Api = emu.client()?;
    let echo: Echo = api.my_rest_api().get("/items").send().await?.json()?;
    println!(
        "{} {} -> {} (signed for {}/{}, role {})",
        echo.method,
        api::my_rest_api::NAME,
        echo.path,
        echo.region,
        echo.service,
        echo.role_arn
    );
    assert_eq!(echo.path, "/myRestApi/items");
    assert!(
        !echo.access_key_id.is_empty(),
        "signed with the identity pool's credentials"
    );
    Ok(())
}
