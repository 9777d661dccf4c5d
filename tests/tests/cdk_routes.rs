//! Typed routes from a synthesized CDK app (`backend = "fixtures/cdk.out"`, made by
//! `tests/cdk-app/synth.sh`) and from an Amplify Gen 2 backend's `.amplify/artifacts/cdk.out`
//! found beside its `amplify_outputs.json`: every route of the REST API (nested stack
//! included) and of the HTTP API reaches the emulator with its method and path parameters.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use amplify_api::api_client;
use amplify_api_emulator::Emulator;
use common::{emulator, send_echo};

#[api_client(
    config = "fixtures/cdk-outputs/amplify_outputs.json",
    backend = "fixtures/cdk.out"
)]
struct Cdk;

#[api_client(config = "fixtures/gen2/amplify_outputs.json")]
struct Gen2;

/// The emulator's API URL with the stage path `/prod`, as a deployed stage has.
fn stage(emu: &Emulator) -> String {
    format!("{}/prod", emu.api_url())
}

fn cdk(emu: &Emulator) -> Cdk {
    let mut builder = Cdk::builder()
        .identity_pool(emu.identity_pool_id())
        .cognito_endpoint(emu.cognito_url())
        .guest_access(true)
        .read_env(false);
    for endpoint in cdk::Endpoint::ALL {
        builder = builder.endpoint_url(endpoint.name(), stage(emu));
    }
    builder.build().unwrap()
}

/// Sends `request` and returns the method and path the emulator received (a `HEAD` answer has
/// no body: its method and the request count say it arrived).
async fn arrived(emu: &Emulator, request: amplify_api::RequestBuilder, head: bool) -> String {
    if head {
        let before = emu.api().requests_served();
        let response = request.send().await.unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        assert_eq!(emu.api().requests_served(), before + 1);
        return "HEAD (no body)".to_owned();
    }
    let echo = send_echo(request).await;
    format!("{} {}", echo.method, echo.path)
}

#[tokio::test]
async fn every_route_of_the_cdk_rest_api_reaches_the_server() {
    let emu = emulator().await;
    let api = cdk(&emu);
    let rest = api.items_rest_api();
    let mut seen = Vec::new();
    for request in [
        rest.get_health(),
        rest.get_items().query("category", "tools"),
        rest.post_items()
            .json(&serde_json::json!({"name": "saw", "quantity": 1})),
        rest.get_items_by_id("42").header("x-request-id", "r1"),
        rest.delete_items_by_id("a/b"),
        rest.get_me(),
        rest.get_reports(),
        rest.get_files_by_proxy("docs/a b.txt"),
        rest.post_files_by_proxy("x"),
        rest.put_files_by_proxy("x"),
        rest.patch_files_by_proxy("x"),
        rest.delete_files_by_proxy("x"),
        rest.options_files_by_proxy("x"),
        // The nested stack's routes.
        rest.get_orders(),
        rest.put_orders_by_order_id("o-1"),
    ] {
        seen.push(arrived(&emu, request, false).await);
    }
    seen.push(arrived(&emu, rest.head_files_by_proxy("x"), true).await);
    assert_eq!(
        seen,
        [
            "GET /prod/health",
            "GET /prod/items",
            "POST /prod/items",
            "GET /prod/items/42",
            "DELETE /prod/items/a%2Fb",
            "GET /prod/me",
            "GET /prod/reports",
            "GET /prod/files/docs/a%20b.txt",
            "POST /prod/files/x",
            "PUT /prod/files/x",
            "PATCH /prod/files/x",
            "DELETE /prod/files/x",
            "OPTIONS /prod/files/x",
            "GET /prod/orders",
            "PUT /prod/orders/o-1",
            "HEAD (no body)",
        ]
    );
    // The routes as compiled in: `route!` checks a literal path against them.
    let echo = send_echo(cdk::route!(api.items_rest_api().get("/items/7"))).await;
    assert_eq!(echo.path, "/prod/items/7");
}

#[tokio::test]
async fn every_route_of_the_cdk_http_api_reaches_the_server() {
    let emu = emulator().await;
    let api = cdk(&emu);
    let http = api.items_http_api();
    let mut seen = Vec::new();
    for request in [
        http.get_items(),
        http.post_items_by_id("7"),
        http.get_partners_by_partner_id("p q"),
        http.get_status(),
        http.get_assets_by_proxy("css/site.css"),
        http.delete_assets_by_proxy("old"),
        // `$default`: every method on every path.
        http.get_root(),
        http.post_by_proxy("anything/else"),
    ] {
        seen.push(arrived(&emu, request, false).await);
    }
    seen.push(arrived(&emu, http.head_status(), true).await);
    assert_eq!(
        seen,
        [
            "GET /prod/items",
            "POST /prod/items/7",
            "GET /prod/partners/p%20q",
            "GET /prod/status",
            "GET /prod/assets/css/site.css",
            "DELETE /prod/assets/old",
            "GET /prod/",
            "POST /prod/anything/else",
            "HEAD (no body)",
        ]
    );
}

#[tokio::test]
async fn a_gen2_backend_is_found_beside_its_amplify_outputs() {
    let emu = emulator().await;
    let api = Gen2::builder()
        .identity_pool(emu.identity_pool_id())
        .cognito_endpoint(emu.cognito_url())
        .guest_access(true)
        .read_env(false)
        .endpoint_url("myRestApi", stage(&emu))
        .build()
        .unwrap();
    let rest = api.my_rest_api();
    let mut seen = Vec::new();
    for request in [rest.get_items(), rest.delete_items_by_id("9")] {
        seen.push(arrived(&emu, request, false).await);
    }
    assert_eq!(seen, ["GET /prod/items", "DELETE /prod/items/9"]);
}
