//! SigV4 for a `tower` stack of your own: `SigV4Layer` over a hyper client, signing with the
//! same credentials cache and clock as an amplify-api client's endpoint.
//!
//! ```sh
//! cargo run -p examples --example tower_layer
//! ```

use amplify_api::layer::SigV4Layer;
use amplify_api::{Client, Endpoint, SigV4};
use amplify_api_emulator::{Echo, Emulator};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::TokioExecutor;
use tower::{Layer, ServiceExt};

#[tokio::main]
async fn main() -> Result<(), amplify_api::BoxError> {
    let emulator = Emulator::start().await?;
    // Guest credentials from the identity pool, shared with the client's own requests.
    let client = Client::builder()
        .endpoint(Endpoint::new("items", emulator.api_url()).region("us-east-1"))
        .identity_pool(emulator.identity_pool_id())
        .cognito_endpoint(emulator.cognito_url())
        .build()?;
    let sigv4 = SigV4::from_endpoint(&client.endpoint("items")?)?;
    let hyper = HyperClient::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let service = SigV4Layer::new(sigv4).layer(hyper);

    let request = http::Request::post(format!("{}/items", emulator.api_url()))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from_static(br#"{"name":"pen"}"#)))?;
    let response = service.oneshot(request).await?;
    let status = response.status();
    let echo: Echo = serde_json::from_slice(&response.into_body().collect().await?.to_bytes())?;
    println!(
        "{status}: signed for {}/{} by {}",
        echo.region, echo.service, echo.access_key_id
    );
    Ok(())
}
