//! Typed routes (`routes = {..}` on `#[api_client]`) against the emulator: each path parameter
//! is percent-encoded as one segment (a `/`, space, `%` or non-ASCII letter in it never changes
//! the route), a greedy `{proxy+}` keeps its `/`s, `.` and `..` are refused before sending, and
//! the request span is named by the route's template. `route!` sends a checked literal path as
//! the untyped call would, with the template on the span.
//!
//! With the export's schemas (issue 22 §1): the LambdaCalc Swagger 2 export of the API Gateway
//! developer guide (required query parameters, the `Input` body model, the `Result` response
//! model) and an OpenAPI 3 export with `components.schemas` (optional query and header
//! parameters, error models). The emulator's echo shows what went on the wire: the query values
//! and the body exactly as typed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use amplify_api::{Error, TypedRequest, TypedResponse, api_client};
use amplify_api_emulator::{Echo, Emulator, Fault};
use common::spans::spans;
use common::{at_emulator, emulator, send_echo};

#[api_client(
    config = "fixtures/routes/schemas/config.json",
    routes = {
        itemsApi = "fixtures/routes/openapi/items.json",
        usersApi = "fixtures/routes/openapi/users-swagger.json",
        lambdaCalc = "fixtures/routes/schemas/lambda-calc-swagger.json",
        ordersApi = "fixtures/routes/schemas/orders-openapi.json",
    }
)]
struct Api;

/// The client, every endpoint at the emulator (the stage path `/dev` kept, as in the config).
fn api(emu: &Emulator) -> Api {
    let urls = api::Endpoint::ALL
        .iter()
        .map(|e| (e.name(), format!("{}/dev", emu.api_url())));
    at_emulator(Api::builder(), emu, urls).build().unwrap()
}

#[test]
fn parameters_stay_in_their_segment_and_the_span_is_the_template() {
    let mut seen: Vec<Echo> = Vec::new();
    let spans = spans(|| async {
        let emu = emulator().await;
        let api = api(&emu);
        let items = api.items_api();
        seen.push(send_echo(items.get_items_by_id("a/b c%2F ü")).await);
        seen.push(send_echo(items.get_items_by_id_tags_by_tag_name("42", "x/y?z#w")).await);
        seen.push(send_echo(items.get_files_by_proxy("docs/my file%/ü.txt")).await);
        seen.push(send_echo(items.list_items().limit("10").into_typed().into_untyped()).await);
        seen.push(send_echo(api.users_api().patch_users_by_user_id("日本/1")).await);
        seen.push(send_echo(api::route!(api.items_api().del("/items/7"))).await);
    });
    let paths: Vec<(&str, &str)> = seen
        .iter()
        .map(|e| (e.method.as_str(), e.path.as_str()))
        .collect();
    assert_eq!(
        paths,
        [
            ("GET", "/dev/items/a%2Fb%20c%252F%20%C3%BC"),
            ("GET", "/dev/items/42/tags/x%2Fy%3Fz%23w"),
            ("GET", "/dev/files/docs/my%20file%25/%C3%BC.txt"),
            ("GET", "/dev/items"),
            ("PATCH", "/dev/users/%E6%97%A5%E6%9C%AC%2F1"),
            ("DELETE", "/dev/items/7"),
        ]
    );
    assert_eq!(seen[3].query, "limit=10");
    let templates: Vec<(Option<&str>, Option<&str>)> = spans
        .iter()
        .map(|s| {
            (
                s.get("url.template").map(String::as_str),
                s.get("otel.name").map(String::as_str),
            )
        })
        .collect();
    assert_eq!(
        templates,
        [
            (Some("/items/{id}"), Some("GET /items/{id}")),
            (
                Some("/items/{id}/tags/{tagName}"),
                Some("GET /items/{id}/tags/{tagName}")
            ),
            (Some("/files/{proxy+}"), Some("GET /files/{proxy+}")),
            (Some("/items"), Some("GET /items")),
            (Some("/users/{userId}"), Some("PATCH /users/{userId}")),
            (Some("/items/{id}"), Some("DELETE /items/{id}")),
        ]
    );
}

#[tokio::test]
async fn dot_segments_are_refused_before_sending() {
    let emu = emulator().await;
    let api = api(&emu);
    let items = api.items_api();
    for request in [
        items.get_items_by_id("."),
        items.get_items_by_id(".."),
        items.get_files_by_proxy("a/../../admin"),
    ] {
        let err = request.send().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    }
    // Dots inside a value are just text.
    let seen = send_echo(items.get_items_by_id("..a.")).await;
    assert_eq!(seen.path, "/dev/items/..a.");
    assert_eq!(emu.api().requests_served(), 1);
}

#[tokio::test]
async fn the_untyped_methods_remain_without_strict_routes() {
    let emu = emulator().await;
    let api = api(&emu);
    let seen = send_echo(api.items_api().get("/elsewhere")).await;
    assert_eq!(seen.path, "/dev/elsewhere");
    assert_eq!(api.items_api().name(), "itemsApi");
}

/// The echo of a typed answer (the emulator answers every request with one).
fn echo<T>(response: &TypedResponse<T>) -> Echo {
    response.response().json().unwrap()
}

/// Sends `request`, which must succeed: the emulator's echo.
async fn send_typed<T, E>(request: TypedRequest<T, E>) -> Echo {
    echo(&request.send().await.unwrap())
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
        ("GET", "/dev/calc")
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
    let seen = send_typed(calc.post_calc(&input)).await;
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.headers["content-type"], "application/json");
    assert_eq!(seen.body, r#"{"a":1.5,"b":-2.0,"op":"mul"}"#);
    assert_eq!(seen.query, "");

    // The path route: parameters in their segments, no query.
    let seen = send_typed(calc.get_calc_by_operand1_by_operand2_by_operator("1", "2", "/")).await;
    assert_eq!(seen.path, "/dev/calc/1/2/%2F");
    assert_eq!(seen.query, "");
}

#[tokio::test]
async fn openapi_3_optional_parameters_headers_and_error_models() {
    let emu = emulator().await;
    let api = api(&emu);
    let orders = api.orders_api();
    // Required: `customer` (query) on GET; optional: `limit`, `shipped`, `x-request-id`.
    let seen = send_typed(
        orders
            .list_orders("ana")
            .limit(25)
            .shipped(false)
            .x_request_id("req-1")
            .into_typed(),
    )
    .await;
    assert_eq!(seen.query, "customer=ana&limit=25&shipped=false");
    assert_eq!(seen.headers["x-request-id"], "req-1");
    // Without the optional ones, only the required one is sent.
    let seen = send_typed(orders.list_orders("bo").into_typed()).await;
    assert_eq!(seen.query, "customer=bo");
    assert!(!seen.headers.contains_key("x-request-id"));

    // A required header and the body model (its optional member left out).
    let order = api::orders_api::NewOrder {
        sku: "ABC-1".to_owned(),
        // `exclusiveMinimum: true` with `minimum: 0` (draft 4): a positive integer.
        quantity: std::num::NonZeroU64::new(3).unwrap(),
        note: None,
    };
    let seen = send_typed(orders.create_order("key-7", &order)).await;
    assert_eq!(seen.headers["idempotency-key"], "key-7");
    assert_eq!(seen.body, r#"{"quantity":3,"sku":"ABC-1"}"#);

    // A path-level optional query parameter; the operation's required one replaces it.
    let seen = send_typed(orders.get_order("o 1").expand("lines").into_typed()).await;
    assert_eq!(
        (seen.path.as_str(), seen.query.as_str()),
        ("/dev/orders/o%201", "expand=lines")
    );
    let update = api::orders_api::Input { quantity: Some(4) };
    let seen = send_typed(orders.patch_orders_by_order_id("o1", "none", &update)).await;
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
    let seen = send_echo(health).await;
    assert_eq!(seen.path, "/dev/health");
    // A typed request still reaches every builder setting.
    let input = api::lambda_calc::Input {
        a: 1.0,
        b: 2.0,
        op: "+".to_owned(),
    };
    let request = api
        .lambda_calc()
        .post_calc(&input)
        .with(|b| b.query("trace", "on"));
    let seen = send_echo(request.into_untyped()).await;
    assert_eq!(seen.query, "trace=on");
    // `route!` keeps working: a concrete path is the untyped call; a template whose typed
    // method takes only the path's parameters is that method; one whose method takes a body
    // or required query parameters too is the untyped call on the route's path.
    let request = api::route!(api.lambda_calc().post("/calc"));
    let seen = send_echo(request.json(&serde_json::json!({"a": 1}))).await;
    assert_eq!(
        (seen.path.as_str(), seen.body.as_str()),
        ("/dev/calc", r#"{"a":1}"#)
    );
    let typed =
        api::route!(
            api.lambda_calc()
                .get("/calc/{operand1}/{operand2}/{operator}", "1", "2", "x")
        );
    let seen = send_typed(typed).await;
    assert_eq!(seen.path, "/dev/calc/1/2/x");
    let seen = send_echo(api::route!(
        api.orders_api().patch("/orders/{orderId}", "o/1")
    ))
    .await;
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("PATCH", "/dev/orders/o%2F1")
    );
}
