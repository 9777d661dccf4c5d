//! The emulator (Cognito Identity, a Cognito user pool, a SigV4-verifying API, with CORS) as a process of its own,
//! for clients that cannot hold it in-process: the wasm32 tests in Node and headless Chromium,
//! or a browser page built from `examples/wasm-page`. Prints one JSON line with its URLs, then
//! serves until it is killed.
//!
//! ```text
//! cargo run -p examples --example emulator_server
//! {"api_url":"http://127.0.0.1:41234","cognito_url":"http://127.0.0.1:41235",...}
//! ```

use amplify_api_emulator::Emulator;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emu = Emulator::start().await?;
    // A user of the emulated user pool, for sign-in tests from another process.
    let (user, password) = ("wasm-user", "Wasm-Passw0rd!");
    emu.user_pool().add_user(user, password);
    let urls = serde_json::json!({
        "api_url": emu.api_url(),
        "cognito_url": emu.cognito_url(),
        "control_url": emu.control_url(),
        "identity_pool_id": emu.identity_pool_id(),
        "user_pool_url": emu.user_pool_url(),
        "user_pool_id": emu.user_pool_id(),
        "user_pool_client_id": emu.user_pool_client_id(),
        "user": user,
        "password": password,
    });
    println!("{urls}");
    // The emulator serves from its own thread; this one only keeps it alive.
    std::future::pending::<()>().await;
    drop(emu);
    Ok(())
}
