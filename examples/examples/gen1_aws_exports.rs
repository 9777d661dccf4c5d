//! A Gen 1 `aws-exports.js` app, offline: the generated client of `examples/configs/aws-exports.js` against the emulator serving that
//! config (its endpoints, auth modes and identity pool) in one call.
//!
//! ```sh
//! cargo run -p examples --example gen1_aws_exports
//! ```

use amplify_api::api_client;
use amplify_api_emulator::{Echo, Emulator};

/// The app's REST APIs, read from `examples/configs/aws-exports.js` at compile time.
#[api_client(config = "configs/aws-exports.js")]
pub struct Api;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // `cargo run` runs in the caller's directory: the config by its full path.
    let emu = Emulator::for_config(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/configs/aws-exports.js"
    ))
    .await?;
    let api: Api = emu.client()?;
    let echo: Echo = api.notes_api().get("/items").send().await?.json()?;
    println!(
        "{} {} -> {} (signed for {}/{}, role {})",
        echo.method,
        api::notes_api::NAME,
        echo.path,
        echo.region,
        echo.service,
        echo.role_arn
    );
    assert_eq!(echo.path, "/notesApi/items");
    assert!(
        !echo.access_key_id.is_empty(),
        "signed with the identity pool's credentials"
    );
    Ok(())
}
