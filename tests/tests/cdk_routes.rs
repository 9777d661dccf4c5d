//! Typed routes from a synthesized CDK app (`backend = "fixtures/cdk.out"`, made by
//! `tests/cdk-app/synth.sh`) and from an Amplify Gen 2 backend's `.amplify/artifacts/cdk.out`
//! found beside its `amplify_outputs.json`: every route of the REST API (nested stack
//! included) and of the HTTP API reaches the emulator with its method, path parameters and its
//! own auth mode — the emulator serves the same synthesized tables and verifies each route's
//! auth (IAM by SigV4, the user pool's token, the API key, none) — and a wrong auth is refused
//! as API Gateway refuses it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use std::path::Path;

use amplify_api::user_pool::UserPoolSession;
use amplify_api::{AuthMode, Error, RetryPolicy, api_client};
use amplify_api_emulator::routes::{RouteTable, read_cloud_assembly};
use amplify_api_emulator::{Echo, Emulator, ServedRoutes};
use common::emulator;

#[api_client(
    config = "fixtures/cdk-outputs/amplify_outputs.json",
    backend = "fixtures/cdk.out"
)]
struct Cdk;

#[api_client(config = "fixtures/gen2/amplify_outputs.json")]
struct Gen2;

const KEY: &str = "cdk-fixture-api-key-0123";
const PASSWORD: &str = "Correct-Horse-9";

/// The table of the API named `name` in the cloud assembly at `dir`, as the macro read it.
fn table(dir: &str, name: &str) -> RouteTable {
    let assembly = read_cloud_assembly(Path::new(dir)).unwrap();
    assembly
        .apis
        .into_iter()
        .find(|api| api.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no API `{name}` in {dir}"))
        .table
}

/// An emulator serving `tables` (prefix, table, whether an HTTP API's) with the key, and the
/// user `alice` signed in.
async fn serving(tables: Vec<(&str, RouteTable, bool)>) -> (Emulator, UserPoolSession) {
    let emu = emulator().await;
    for (prefix, table, http_api) in tables {
        let served = ServedRoutes::new(table).at(prefix).api_key(KEY);
        emu.api()
            .serve_routes(if http_api { served.http_api() } else { served });
    }
    emu.user_pool().add_user("alice", PASSWORD);
    let session = common::signed_in(&emu, "alice", PASSWORD).await;
    (emu, session)
}

/// The CDK app's client at the emulator: the REST API at `/rest`, the HTTP API at `/http`,
/// with the API key and `alice`'s session (the user-pool and JWT routes' token).
async fn cdk() -> (Emulator, UserPoolSession, Cdk) {
    let (emu, session) = serving(vec![
        ("/rest", table("fixtures/cdk.out", "itemsRestApi"), false),
        ("/http", table("fixtures/cdk.out", "itemsHttpApi"), true),
    ])
    .await;
    let api = Cdk::builder()
        .identity_pool(emu.identity_pool_id())
        .cognito_endpoint(emu.cognito_url())
        .retry(RetryPolicy::none())
        .read_env(false)
        .endpoint_url("itemsRestApi", format!("{}/rest", emu.api_url()))
        .endpoint_url("itemsHttpApi", format!("{}/http", emu.api_url()))
        .endpoint_api_key("itemsRestApi", KEY)
        .endpoint_api_key("itemsHttpApi", KEY)
        .user_pool_session(session.clone())
        .build()
        .unwrap();
    (emu, session, api)
}

/// Sends `request` and says what the emulator received: method, path and the auth it carried
/// (`iam`: a SigV4 signature; `token`: `alice`'s ID token; `none`; `+key`: the API key too).
/// A `HEAD` answer has no body: its status and the request count say it arrived.
async fn arrived(
    emu: &Emulator,
    session: &UserPoolSession,
    request: amplify_api::RequestBuilder,
    head: bool,
) -> String {
    if head {
        let before = emu.api().requests_served();
        let response = request.send().await.unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        assert_eq!(emu.api().requests_served(), before + 1);
        return "HEAD (no body)".to_owned();
    }
    let echo: Echo = request.send().await.unwrap().json().unwrap();
    let id_token = session.id_token().await.unwrap();
    let auth = match echo.headers.get("authorization").map(String::as_str) {
        Some(a) if a.starts_with("AWS4-HMAC-SHA256 ") => "iam",
        Some(a) if a == id_token => "token",
        Some(other) => panic!("an unexpected authorization: {other}"),
        None => "none",
    };
    let key = match echo.headers.get("x-api-key").map(String::as_str) {
        Some(KEY) => "+key",
        Some(other) => panic!("an unexpected key: {other}"),
        None => "",
    };
    let query = if echo.query.is_empty() {
        String::new()
    } else {
        format!("?{}", echo.query)
    };
    let body = if echo.body.is_empty() {
        String::new()
    } else {
        format!(" {}", echo.body)
    };
    format!("{} {}{query} {auth}{key}{body}", echo.method, echo.path)
}

#[tokio::test]
async fn every_route_of_the_cdk_rest_api_reaches_the_server() {
    let (emu, session, api) = cdk().await;
    let rest = api.items_rest_api();
    let saw = cdk::items_rest_api::Item {
        name: "saw".to_owned(),
        quantity: 1,
        tags: Vec::new(),
    };
    let mut seen = Vec::new();
    for request in [
        rest.get_health(),
        // A required query parameter is an argument; the `Item` model is the typed body.
        rest.get_items("tools").into_typed().into_untyped(),
        rest.post_items(&saw).into_untyped(),
        rest.get_items_by_id("42")
            .x_request_id("r1")
            .into_typed()
            .into_untyped(),
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
        seen.push(arrived(&emu, &session, request, false).await);
    }
    seen.push(arrived(&emu, &session, rest.head_files_by_proxy("x"), true).await);
    assert_eq!(
        seen,
        [
            "GET /rest/health none",
            "GET /rest/items?category=tools iam",
            "POST /rest/items token {\"name\":\"saw\",\"quantity\":1}",
            "GET /rest/items/42 iam",
            "DELETE /rest/items/a%2Fb none+key",
            "GET /rest/me token",
            "GET /rest/reports token",
            "GET /rest/files/docs/a%20b.txt iam",
            "POST /rest/files/x iam",
            "PUT /rest/files/x iam",
            "PATCH /rest/files/x iam",
            "DELETE /rest/files/x iam",
            "OPTIONS /rest/files/x iam",
            "GET /rest/orders iam",
            "PUT /rest/orders/o-1 iam+key",
            "HEAD (no body)",
        ]
    );
    // The routes as compiled in: `route!` checks a literal path against them.
    let sent = arrived(
        &emu,
        &session,
        cdk::route!(api.items_rest_api().get("/items/7")),
        false,
    )
    .await;
    assert_eq!(sent, "GET /rest/items/7 iam");
}

#[tokio::test]
async fn every_route_of_the_cdk_http_api_reaches_the_server() {
    let (emu, session, api) = cdk().await;
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
        seen.push(arrived(&emu, &session, request, false).await);
    }
    seen.push(arrived(&emu, &session, http.head_status(), true).await);
    assert_eq!(
        seen,
        [
            "GET /http/items iam",
            "POST /http/items/7 token",
            "GET /http/partners/p%20q token",
            "GET /http/status none",
            "GET /http/assets/css/site.css none",
            "DELETE /http/assets/old none",
            "GET /http/ none",
            "POST /http/anything/else none",
            "HEAD (no body)",
        ]
    );
}

#[tokio::test]
async fn a_wrong_auth_is_refused_as_api_gateway_refuses_it() {
    let (_emu, _session, api) = cdk().await;
    let rest = api.items_rest_api();
    let status = |err: Error| {
        let Error::Status(e) = err else {
            panic!("expected a refusal, got {err:?}")
        };
        let body: serde_json::Value = serde_json::from_slice(e.body()).unwrap();
        (
            e.status().as_u16(),
            body["message"].as_str().unwrap_or_default().to_owned(),
        )
    };
    let refused = |request: amplify_api::RequestBuilder| async move {
        status(request.send().await.unwrap_err())
    };
    // An IAM route unsigned; a user-pool route without its token; a key route without the key.
    assert_eq!(
        refused(
            rest.get_items("x")
                .into_typed()
                .into_untyped()
                .auth(AuthMode::None)
        )
        .await,
        (403, "Missing Authentication Token".to_owned())
    );
    assert_eq!(
        refused(rest.get_me().auth(AuthMode::None)).await,
        (401, "Unauthorized".to_owned())
    );
    assert_eq!(
        refused(rest.delete_items_by_id("1").auth(AuthMode::None)).await,
        (403, "Forbidden".to_owned())
    );
    // A path the API does not have, through the untyped client.
    assert_eq!(
        refused(api.endpoint(cdk::Endpoint::ItemsRestApi).get("/nope")).await,
        (403, "Missing Authentication Token".to_owned())
    );
}

#[tokio::test]
async fn a_gen2_backend_is_found_beside_its_amplify_outputs() {
    let (emu, session) = serving(vec![(
        "/dev",
        table("fixtures/gen2/.amplify/artifacts/cdk.out", "myRestApi"),
        false,
    )])
    .await;
    let api = Gen2::builder()
        .identity_pool(emu.identity_pool_id())
        .cognito_endpoint(emu.cognito_url())
        .guest_access(true)
        .retry(RetryPolicy::none())
        .read_env(false)
        .endpoint_url("myRestApi", format!("{}/dev", emu.api_url()))
        .build()
        .unwrap();
    let rest = api.my_rest_api();
    let mut seen = Vec::new();
    for request in [rest.get_items(), rest.delete_items_by_id("9")] {
        seen.push(arrived(&emu, &session, request, false).await);
    }
    assert_eq!(seen, ["GET /dev/items iam", "DELETE /dev/items/9 none"]);
}
