//! A native `amplifyconfiguration.json` app (iOS, Android, Flutter), offline: the generated client of `examples/amplifyconfiguration.json` against the emulator serving that
//! config (its endpoints, auth modes and identity pool) in one call.
//!
//! ```sh
//! cargo run -p examples --example native_config
//! ```

use amplify_api::api_client;
use amplify_api_emulator::{Echo, Emulator};

/// The app's REST APIs, read from `examples/amplifyconfiguration.json` at compile time.
#[api_client(config = "amplifyconfiguration.json")]
pub struct Api;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo run` runs in the caller's directory: the config by its full path.
    let emu = Emulator::for_config(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/amplifyconfiguration.json"
    ))
    .await?;
    let api: Api = emu.client()?;
    let echo: Echo = api.items_api().get("/items").send().await?.json()?;
    println!(
        "{} {} -> {} (signed for {}/{}, role {})",
        echo.method,
        api::items_api::NAME,
        echo.path,
        echo.region,
        echo.service,
        echo.role_arn
    );
    assert_eq!(echo.path, "/itemsApi/items");
    assert!(
        !echo.access_key_id.is_empty(),
        "signed with the identity pool's credentials"
    );
    Ok(())
}
