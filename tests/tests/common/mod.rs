//! Shared set-up of the integration tests: an emulator and a client pointed at it.
#![allow(dead_code, unreachable_pub)]

use amplify_api::test_util::Emulator;
use amplify_api::{Client, ClientBuilder, Endpoint};

/// The endpoint name the tests use.
pub const ECHO: &str = "echo";

/// Starts an emulator on 127.0.0.1:0 (stopped when dropped).
pub async fn emulator() -> Emulator {
    Emulator::start().await.expect("emulator starts")
}

/// A builder with one IAM endpoint, `echo`, at the emulator, and guest credentials from its
/// identity pool.
pub fn builder(emu: &Emulator) -> ClientBuilder {
    Client::builder()
        .endpoint(Endpoint::new(ECHO, emu.api_url()).region("us-east-1"))
        .identity_pool(emu.identity_pool_id())
        .cognito_endpoint(emu.cognito_url())
        .read_env(false)
}

/// [`builder`], built.
pub fn client(emu: &Emulator) -> Client {
    builder(emu).build().expect("client builds")
}
