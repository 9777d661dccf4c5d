//! Typed routes with the export's schemas (issue 22 §1) against the emulator: the LambdaCalc
//! Swagger 2 export of the API Gateway developer guide (required query parameters, the `Input`
//! body model, the `Result` response model) and an OpenAPI 3 export with `components.schemas`
//! (optional query and header parameters, error models). The emulator's echo shows what went
//! on the wire: the query values and the body exactly as typed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use amplify_api::{Error, api_client};
use amplify_api_emulator::{Echo, Emulator, Fault};
use common::emulator;

#[api_client(
    config = "fixtures/routes/schemas/config.json",
    routes = {
        lambdaCalc = "fixtures/routes/schemas/lambda-calc-swagger.json",
        ordersApi = "fixtures/routes/schemas/orders-openapi.json",
    }
)]
struct Api;

/// The client, every endpoint at the emulator under its stage path.
fn api(emu: &Emulator) -> Api {
    Api::builder()
        .identity_pool(emu.identity_pool_id())
        .cognito_endpoint(emu.cognito_url())
        .guest_access(true)
        .read_env(false)
        .endpoint_url("lambdaCalc", format!("{}/test", emu.api_url()))
        .endpoint_url("ordersApi", format!("{}/prod", emu.api_url()))
        .build()
        .unwrap()
}

/// The echo of a typed answer (the emulator answers every request with one).
fn echo<T>(response: &amplify_api::TypedResponse<T>) -> Echo {
    response.response().json().unwrap()
}

#[tokio::test]
async fn swagger_2_query_and_body_reach_the_server_as_typed() {
    let emu = emulator().await;
    let api = api(&emu);
    let calc = api.lambda_calc();
    // Required query parameters are arguments, in the export's order: `operand2`,
    // `operator`, `operand1`.
    let response = calc.get_calc("2", "+", "3 &=x").send().await.unwrap();
    let seen = echo(&response);
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("GET", "/test/calc")
    );
    assert_eq!(seen.query, "operand2=2&operator=%2B&operand1=3%20%26%3Dx");
    // The success model is typed: the echo has none of `Result`'s (optional) members.
    let result: api::lambda_calc::Result = response.json().unwrap();
    assert!(result.input.is_none() && result.output.is_none());

    // The body model: its JSON exactly.
    let input = api::lambda_calc::Input {
        a: 1.5,
        b: -2.0,
        op: "mul".to_owned(),
    };
    let seen = echo(&calc.post_calc(&input).send().await.unwrap());
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.headers["content-type"], "application/json");
    assert_eq!(seen.body, r#"{"a":1.5,"b":-2.0,"op":"mul"}"#);
    assert_eq!(seen.query, "");

    // The path route: parameters in their segments, no query.
    let seen = echo(
        &calc
            .get_calc_by_operand1_by_operand2_by_operator("1", "2", "/")
            .send()
            .await
            .unwrap(),
    );
    assert_eq!(seen.path, "/test/calc/1/2/%2F");
    assert_eq!(seen.query, "");
}

#[tokio::test]
async fn openapi_3_optional_parameters_headers_and_error_models() {
    let emu = emulator().await;
    let api = api(&emu);
    let orders = api.orders_api();
    // Required: `customer` (query) on GET; optional: `limit`, `shipped`, `x-request-id`.
    let seen = echo(
        &orders
            .list_orders("ana")
            .limit(25)
            .shipped(false)
            .x_request_id("req-1")
            .send()
            .await
            .unwrap(),
    );
    assert_eq!(seen.query, "customer=ana&limit=25&shipped=false");
    assert_eq!(seen.headers["x-request-id"], "req-1");
    // Without the optional ones, only the required one is sent.
    let seen = echo(&orders.list_orders("bo").send().await.unwrap());
    assert_eq!(seen.query, "customer=bo");
    assert!(!seen.headers.contains_key("x-request-id"));

    // A required header and the body model (its optional member left out).
    let order = api::orders_api::NewOrder {
        sku: "ABC-1".to_owned(),
        // `exclusiveMinimum: true` with `minimum: 0` (draft 4): a positive integer.
        quantity: std::num::NonZeroU64::new(3).unwrap(),
        note: None,
    };
    let seen = echo(&orders.create_order("key-7", &order).send().await.unwrap());
    assert_eq!(seen.headers["idempotency-key"], "key-7");
    assert_eq!(seen.body, r#"{"quantity":3,"sku":"ABC-1"}"#);

    // A path-level optional query parameter; the operation's required one replaces it.
    let seen = echo(
        &orders
            .get_order("o 1")
            .expand("lines")
            .send()
            .await
            .unwrap(),
    );
    assert_eq!(
        (seen.path.as_str(), seen.query.as_str()),
        ("/prod/orders/o%201", "expand=lines")
    );
    let update = api::orders_api::Input { quantity: Some(4) };
    let seen = echo(
        &orders
            .patch_orders_by_order_id("o1", "none", &update)
            .send()
            .await
            .unwrap(),
    );
    assert_eq!(
        (seen.method.as_str(), seen.query.as_str()),
        ("PATCH", "expand=none")
    );
    assert_eq!(seen.body, r#"{"quantity":4}"#);

    // The declared error model of an error answer (API Gateway's `{"message": ...}`).
    emu.api().respond_next(1, Fault::Status(400));
    let err = orders.list_orders("ana").send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    let model: api::orders_api::Error = err.json().unwrap();
    assert_eq!(model.message, "Bad Request");
    let untyped: Error = err.into();
    assert!(matches!(untyped, Error::Status(_)));
    // A success body that is not the model is a decode error, not a panic.
    let response = orders.get_order("o1").send().await.unwrap();
    assert!(matches!(response.json(), Err(Error::Decode(_))));
}

#[tokio::test]
async fn untyped_routes_and_route_macro_stay() {
    let emu = emulator().await;
    let api = api(&emu);
    // `GET /health` declares no parameter or schema: the plain request builder, as before.
    let health: amplify_api::RequestBuilder = api.orders_api().get_health();
    let seen: Echo = health.send().await.unwrap().json().unwrap();
    assert_eq!(seen.path, "/prod/health");
    // A typed request still reaches every builder setting.
    let seen: Echo = api
        .lambda_calc()
        .post_calc(&api::lambda_calc::Input {
            a: 1.0,
            b: 2.0,
            op: "+".to_owned(),
        })
        .with(|b| b.query("trace", "on"))
        .into_untyped()
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(seen.query, "trace=on");
    // `route!` keeps working: a concrete path is the untyped call; a template whose typed
    // method takes only the path's parameters is that method; one whose method takes a body
    // or required query parameters too is the untyped call on the route's path.
    let seen: Echo = api::route!(api.lambda_calc().post("/calc"))
        .json(&serde_json::json!({"a": 1}))
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        (seen.path.as_str(), seen.body.as_str()),
        ("/test/calc", r#"{"a":1}"#)
    );
    let typed =
        api::route!(
            api.lambda_calc()
                .get("/calc/{operand1}/{operand2}/{operator}", "1", "2", "x")
        );
    let seen = echo(&typed.send().await.unwrap());
    assert_eq!(seen.path, "/test/calc/1/2/x");
    let seen: Echo = api::route!(api.orders_api().patch("/orders/{orderId}", "o/1"))
        .send()
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("PATCH", "/prod/orders/o%2F1")
    );
}
