//! Auth per route (issue 22, sections 2 and 4): an OpenAPI 3 export mixing `AWS_IAM`
//! (`/orders`), a Cognito user-pool authorizer (`/me`), `NONE` (`/health`) and the API key
//! (`/reports`, and `POST /orders` with IAM) gives each typed route its own auth; the emulator,
//! serving the same table, verifies each (SigV4 by its independent verifier, the user pool's
//! token, the key) and refuses a wrong auth as API Gateway does. A route whose auth the client
//! was not given fails before sending; `.auth(..)` overrides per call on every surface alike.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use amplify_api::user_pool::UserPoolSession;
use amplify_api::{AuthMode, ClientBuilder, Error, InvalidRequestKind, RetryPolicy, api_client};
use amplify_api_emulator::routes::{Method, RouteTable, read_openapi};
use amplify_api_emulator::{Call, Echo, Emulator, ErrorAnswer, ServedRoutes};
use common::emulator;
use common::surfaces::{Outcome, StackOptions, Stacks, Surface};
use serde::{Deserialize, Serialize};

#[api_client(
    config = "fixtures/routes/auth/config.json",
    routes = { shopApi = "fixtures/routes/openapi/shop-auth.json" }
)]
struct Api;

const EXPORT: &str = include_str!("../fixtures/routes/openapi/shop-auth.json");
const KEY: &str = "shop-api-key-0123456789";
const PASSWORD: &str = "Correct-Horse-9";

/// The export's table, as the macro read it.
fn table() -> RouteTable {
    read_openapi(EXPORT).unwrap()
}

/// An emulator serving the export's routes at `/dev`, with the key, and the user `alice`.
async fn shop() -> Emulator {
    let emu = emulator().await;
    emu.api()
        .serve_routes(ServedRoutes::new(table()).at("/dev").api_key(KEY));
    emu.user_pool().add_user("alice", PASSWORD);
    emu
}

/// The generated client at the emulator: guest credentials, and `configure`'s additions.
fn client_for(
    emu: &Emulator,
    configure: impl FnOnce(ClientBuilder<Api>) -> ClientBuilder<Api>,
) -> Api {
    let builder = Api::builder()
        .identity_pool(emu.identity_pool_id())
        .cognito_endpoint(emu.cognito_url())
        .guest_access(true)
        .retry(RetryPolicy::none())
        .read_env(false)
        .endpoint_url("shopApi", format!("{}/dev", emu.api_url()));
    configure(builder).build().unwrap()
}

/// [`shop`], and a client with the API key and `alice` signed in (her session).
async fn signed_in() -> (Emulator, UserPoolSession, Api) {
    let emu = shop().await;
    let session = alice(&emu).await;
    let api = client_for(&emu, |b| {
        b.endpoint_api_key("shopApi", KEY)
            .user_pool_session(session.clone())
    });
    (emu, session, api)
}

/// A user-pool session of `alice`, signed in.
async fn alice(emu: &Emulator) -> UserPoolSession {
    common::signed_in(emu, "alice", PASSWORD).await
}

async fn echo(request: amplify_api::RequestBuilder) -> Echo {
    request.send().await.unwrap().json().unwrap()
}

/// Status, `x-amzn-ErrorType` and message of an API Gateway refusal.
fn refusal(err: &Error) -> (u16, String, String) {
    let Error::Status(e) = err else {
        panic!("expected a refusal, got {err:?}");
    };
    let error_type = e
        .headers()
        .get("x-amzn-errortype")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body: serde_json::Value = serde_json::from_slice(e.body()).unwrap();
    (
        e.status().as_u16(),
        error_type,
        body["message"].as_str().unwrap_or_default().to_owned(),
    )
}

fn missing_token() -> (u16, String, String) {
    (
        403,
        "MissingAuthenticationTokenException".into(),
        "Missing Authentication Token".into(),
    )
}

#[tokio::test]
async fn every_route_is_called_with_its_own_auth_and_the_emulator_verifies_each() {
    let (emu, session, api) = signed_in().await;
    let shop = api.shop_api();

    // AWS_IAM: signed, no key, no user-pool token.
    let orders = echo(shop.list_orders()).await;
    assert!(
        orders.headers["authorization"].starts_with("AWS4-HMAC-SHA256 "),
        "{orders:?}"
    );
    assert!(!orders.access_key_id.is_empty() && !orders.headers.contains_key("x-api-key"));
    let order = echo(shop.get_order("7")).await;
    assert_eq!(order.path, "/dev/orders/7");
    assert!(!order.access_key_id.is_empty());

    // AWS_IAM + API key: both, the key signed with the rest.
    let created = echo(
        shop.create_order()
            .json(&serde_json::json!({"item": "pen"})),
    )
    .await;
    assert!(!created.access_key_id.is_empty());
    assert_eq!(created.headers["x-api-key"], KEY);
    assert!(created.signed_headers.iter().any(|h| h == "x-api-key"));

    // COGNITO_USER_POOLS: the user's ID token, verified by the emulated user pool.
    let me = echo(shop.get_me()).await;
    assert_eq!(me.user, "alice");
    assert_eq!(
        me.headers["authorization"],
        session.id_token().await.unwrap()
    );
    assert!(me.access_key_id.is_empty(), "not signed");

    // NONE: no credentials at all.
    let health = echo(shop.health()).await;
    assert!(!health.headers.contains_key("authorization"));
    assert!(!health.headers.contains_key("x-api-key"));
    assert!(!health.headers.contains_key("x-amz-security-token"));

    // NONE + API key: the key alone.
    let reports = echo(shop.get_reports()).await;
    assert_eq!(reports.headers["x-api-key"], KEY);
    assert!(!reports.headers.contains_key("authorization"));
    assert_eq!(emu.api().requests_served(), 6);

    // `route!` checks an untyped literal path against the table, and sends it with that
    // route's auth too.
    let checked = echo(api::route!(api.shop_api().get("/orders/7"))).await;
    assert!(!checked.access_key_id.is_empty());
    let checked = echo(api::route!(api.shop_api().get("/reports"))).await;
    assert_eq!(checked.headers["x-api-key"], KEY);
    assert!(!checked.headers.contains_key("authorization"));
}

#[tokio::test]
async fn a_wrong_auth_is_refused_as_api_gateway_refuses_it() {
    let (emu, _session, api) = signed_in().await;
    let shop = api.shop_api();
    let unauthorized = || (401, "UnauthorizedException".into(), "Unauthorized".into());
    let forbidden = || (403, "ForbiddenException".into(), "Forbidden".into());
    let cases = [
        // An IAM route without a signature.
        (shop.list_orders().auth(AuthMode::None), missing_token()),
        // A user-pool route with a SigV4 signature instead of a token, or a bad token.
        (shop.get_me().auth(AuthMode::AwsIam), unauthorized()),
        (
            shop.get_me()
                .header("authorization", "eyJhbGciOi.not.a-token"),
            unauthorized(),
        ),
        // A route that needs the key, without it (the override replaces the route's key).
        (shop.get_reports().auth(AuthMode::None), forbidden()),
        // Signed, but the key missing: the authorizer passes, the key check refuses.
        (shop.create_order().auth(AuthMode::AwsIam), forbidden()),
        // The wrong key.
        (
            shop.get_reports().header("x-api-key", "not-the-key"),
            forbidden(),
        ),
    ];
    for (i, (request, expected)) in cases.into_iter().enumerate() {
        let err = request.send().await.unwrap_err();
        assert_eq!(refusal(&err), expected, "case {i}");
    }
    // A signature by a known key with the wrong secret.
    emu.allow_credentials("AKIDSHOPTEST", "the-right-secret", None);
    let wrong = client_for(&emu, |b| {
        b.credentials_provider(common::fixed_credentials(
            "AKIDSHOPTEST",
            "a-wrong-secret",
            None,
        ))
    });
    let err = wrong.shop_api().list_orders().send().await.unwrap_err();
    let (status, error_type, message) = refusal(&err);
    assert_eq!(
        (status, error_type.as_str()),
        (403, "InvalidSignatureException")
    );
    assert!(message.starts_with("The request signature we calculated does not match"));
    // The override works the other way too: a public route signed when asked (its `NONE`
    // accepts it unverified).
    let signed = echo(shop.health().auth(AuthMode::AwsIam)).await;
    assert!(signed.headers["authorization"].starts_with("AWS4-HMAC-SHA256 "));
}

#[tokio::test]
async fn an_http_api_answers_a_route_it_lacks_with_not_found() {
    // The same table served as an HTTP API (API Gateway v2): no route is 404, not 403, and
    // carries no `x-amzn-ErrorType`; its routes still check their auth.
    let emu = emulator().await;
    emu.api().serve_routes(
        ServedRoutes::new(table())
            .at("/dev")
            .api_key(KEY)
            .http_api(),
    );
    let api = client_for(&emu, |b| b.endpoint_api_key("shopApi", KEY));
    let untyped = api.client().endpoint("shopApi").unwrap();
    for (method, path) in [
        (http::Method::GET, "/nope"),
        (http::Method::DELETE, "/health"),
    ] {
        let err = untyped.request(method, path).send().await.unwrap_err();
        assert_eq!(
            refusal(&err),
            (404, String::new(), "Not Found".into()),
            "{path}"
        );
    }
    let health: Echo = echo(api.shop_api().health()).await;
    assert_eq!(health.path, "/dev/health");
    let err = api
        .shop_api()
        .list_orders()
        .auth(AuthMode::None)
        .send()
        .await
        .unwrap_err();
    assert_eq!(refusal(&err), missing_token());
}

#[tokio::test]
async fn an_unknown_path_or_method_is_api_gateways_missing_authentication_token() {
    let emu = shop().await;
    let api = client_for(&emu, |b| b.endpoint_api_key("shopApi", KEY));
    let untyped = api.client().endpoint("shopApi").unwrap();
    for (method, path) in [
        (http::Method::GET, "/nope"),
        (http::Method::GET, "/orders/7/extra"),
        (http::Method::DELETE, "/health"),
        (http::Method::POST, "/me"),
    ] {
        let err = untyped.request(method, path).send().await.unwrap_err();
        assert_eq!(refusal(&err), missing_token(), "{path}");
    }
    // Unsigned, the same: API Gateway answers before any authorizer.
    let err = untyped
        .get("/nope")
        .auth(AuthMode::None)
        .send()
        .await
        .unwrap_err();
    assert_eq!(refusal(&err), missing_token());
    // A token where a signature would be: API Gateway reads it as one, and says so.
    let err = untyped
        .get("/nope")
        .header("authorization", "Bearer not-a-signature")
        .send()
        .await
        .unwrap_err();
    let (status, error_type, message) = refusal(&err);
    assert_eq!(
        (status, error_type.as_str()),
        (403, "IncompleteSignatureException")
    );
    assert!(
        message.starts_with("Invalid key=value pair (missing equal-sign) in Authorization header"),
        "{message}"
    );
    assert!(
        !message.contains("not-a-signature"),
        "the token is not echoed"
    );
    // Outside the served stage too.
    let outside = amplify_api::Client::builder()
        .endpoint(
            amplify_api::Endpoint::new("root", emu.api_url())
                .region("us-east-1")
                .auth_mode(AuthMode::None),
        )
        .read_env(false)
        .build()
        .unwrap();
    let err = outside
        .endpoint("root")
        .unwrap()
        .get("/prod/orders")
        .send()
        .await
        .unwrap_err();
    assert_eq!(refusal(&err), missing_token());
}

#[tokio::test]
async fn a_route_whose_auth_the_client_lacks_fails_before_sending() {
    let emu = shop().await;
    // No token provider, no API key.
    let api = client_for(&emu, |b| b);
    let err = api.shop_api().get_me().send().await.unwrap_err();
    assert_eq!(err.invalid_request_kind(), Some(InvalidRequestKind::Auth));
    assert_eq!(
        err.to_string(),
        "invalid request: route `GET /me` of endpoint `shopApi` uses AMAZON_COGNITO_USER_POOLS \
         (user-pool token) (its route table), but the client has no token provider for \
         AMAZON_COGNITO_USER_POOLS; call `.token_provider(..)` (or \
         `.endpoint_token_provider(\"shopApi\", ..)`) on the builder; nothing was sent"
    );
    let err = api.shop_api().get_reports().build().await.unwrap_err();
    assert_eq!(err.invalid_request_kind(), Some(InvalidRequestKind::Auth));
    assert!(
        err.to_string().contains(
            "route `GET /reports` of endpoint `shopApi` uses NONE (no credentials) + API key \
             (its route table), but the endpoint has no API key; give the config's `apiKey` or \
             call `.endpoint_api_key(\"shopApi\", ..)` on the builder"
        ),
        "{err}"
    );
    let err = api
        .shop_api()
        .health()
        .auth(AuthMode::AwsLambda)
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("request `GET /health` to endpoint `shopApi` uses AWS_LAMBDA"),
        "{err}"
    );
    assert_eq!(emu.api().requests_served(), 0, "nothing reached the API");
    // A caller's own `Authorization` is what the mode would add: sent, and checked there.
    let err = api
        .shop_api()
        .get_me()
        .header("authorization", "not-a-token")
        .send()
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 401);
    assert_eq!(emu.api().requests_served(), 1);
}

#[derive(Debug, Deserialize, Serialize, PartialEq)]
struct NewOrder {
    item: String,
    quantity: u32,
}

#[derive(Debug, Deserialize, Serialize, PartialEq)]
struct Order {
    id: String,
    item: String,
    quantity: u32,
}

#[tokio::test]
async fn typed_answers_take_the_typed_request_after_the_routes_auth() {
    let emu = shop().await;
    emu.api()
        .answer(Method::Post, "/orders", |new: NewOrder| {
            if new.quantity == 0 {
                return Err(ErrorAnswer::new(
                    400,
                    &serde_json::json!({"message": "quantity must be positive"}),
                ));
            }
            Ok(Order {
                id: "o-1".into(),
                item: new.item,
                quantity: new.quantity,
            })
        })
        .unwrap();
    emu.api()
        .answer_call(Method::Get, "/orders/{id}", |call: Call<()>| {
            Ok::<_, ErrorAnswer>(Order {
                id: call.param("id").unwrap_or_default().to_owned(),
                item: call.query("item").unwrap_or("none").to_owned(),
                quantity: 1,
            })
        })
        .unwrap();
    let err = emu
        .api()
        .answer(Method::Get, "/a/{x+}/b", |(): ()| Ok::<_, ErrorAnswer>(()))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("only the last segment may be greedy")
    );

    let api = client_for(&emu, |b| b.endpoint_api_key("shopApi", KEY));
    let shop = api.shop_api();
    let order: Order = shop
        .create_order()
        .json(&NewOrder {
            item: "pen".into(),
            quantity: 3,
        })
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        order,
        Order {
            id: "o-1".into(),
            item: "pen".into(),
            quantity: 3
        }
    );
    let err = shop
        .create_order()
        .json(&NewOrder {
            item: "pen".into(),
            quantity: 0,
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        refusal(&err),
        (400, String::new(), "quantity must be positive".into())
    );
    let err = shop
        .create_order()
        .json(&serde_json::json!({"itme": "pen"}))
        .send()
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).2, "Invalid request body");
    let order: Order = shop
        .get_order("a b/c")
        .query("item", "ink")
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!((order.id.as_str(), order.item.as_str()), ("a b/c", "ink"));
    // The answer runs only after the route's auth passed.
    let err = shop
        .create_order()
        .auth(AuthMode::None)
        .json(&NewOrder {
            item: "pen".into(),
            quantity: 1,
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(refusal(&err), missing_token());
}

#[tokio::test]
async fn the_app_emulator_serves_the_macros_route_table() {
    let emu = Emulator::for_config("fixtures/routes/auth/config.json")
        .await
        .unwrap()
        .routes("shopApi", table())
        .unwrap();
    let err = Emulator::for_config("fixtures/routes/auth/config.json")
        .await
        .unwrap()
        .routes("shopAPI", table())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the config has no endpoint `shopAPI`; its endpoints are `shopApi`"
    );
    let api: Api = emu
        .builder::<Api>()
        .guest_access(true)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let shop = api.shop_api();
    assert!(!echo(shop.list_orders()).await.access_key_id.is_empty());
    assert_eq!(
        echo(shop.get_me()).await.headers["authorization"],
        emu.token()
    );
    assert!(
        !echo(shop.health())
            .await
            .headers
            .contains_key("authorization")
    );
    let err = shop.get_me().auth(AuthMode::None).send().await.unwrap_err();
    let (status, _, message) = refusal(&err);
    assert_eq!(status, 401);
    assert!(message.starts_with("Unauthorized (amplify-api-emulator: endpoint `shopApi`"));
    let err = api
        .client()
        .endpoint("shopApi")
        .unwrap()
        .get("/nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 403);
    assert!(refusal(&err).2.starts_with("Missing Authentication Token"));
}

/// The per-call override is one decision of the send path: `send()` and `build()` (sent by a
/// plain client) put the same request on the wire and get the same answer or refusal.
#[tokio::test]
async fn the_auth_override_is_the_same_on_send_and_build() {
    let emu = emulator().await;
    emu.allow_credentials("AKIDROUTEAUTH", "route-auth-secret", None);
    emu.api()
        .require_for("/open", amplify_api_emulator::Auth::None);
    let stacks = Stacks::new(
        &emu.api_url(),
        ("AKIDROUTEAUTH", "route-auth-secret", None),
        StackOptions {
            retries: false,
            timeout: None,
            follow_redirects: false,
        },
    );
    let mut seen = Vec::new();
    for surface in [Surface::Send, Surface::Build] {
        // Unsigned on an IAM endpoint: refused by the IAM route, accepted by the open one.
        let refused = stacks
            .send(surface, |e| e.get("/items").auth(AuthMode::None), None)
            .await;
        let open = stacks
            .send(surface, |e| e.get("/open/x").auth(AuthMode::None), None)
            .await;
        // A mode the client has nothing for: refused before sending, the same words.
        let no_key = stacks
            .send(surface, |e| e.get("/items").auth(AuthMode::ApiKey), None)
            .await;
        seen.push((surface, refused, open, no_key));
    }
    let summary = |o: &Outcome| match o {
        Outcome::Answered { status, body, .. } => {
            let echo: serde_json::Value = serde_json::from_slice(body).unwrap();
            format!(
                "{status} {} {}",
                echo["message"].as_str().unwrap_or_default(),
                echo["headers"]["authorization"].as_str().unwrap_or("-")
            )
        }
        Outcome::Failed {
            display, refused, ..
        } => format!("refused={refused} {display}"),
    };
    let rows: Vec<[String; 3]> = seen
        .iter()
        .map(|(_, a, b, c)| [summary(a), summary(b), summary(c)])
        .collect();
    assert_eq!(rows[0], rows[1], "send() and build() differ");
    assert_eq!(rows[0][0], "403 Missing Authentication Token -");
    assert_eq!(rows[0][1], "200  -");
    assert!(
        rows[0][2].starts_with(
            "refused=true invalid request: request `GET /items` to endpoint `signed` uses API_KEY"
        ),
        "{}",
        rows[0][2]
    );
    assert_eq!(emu.api().requests_served(), 4);
}
