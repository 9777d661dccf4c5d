//! Typed routes (`routes = {..}` on `#[api_client]`) against the emulator: each path parameter
//! is percent-encoded as one segment (a `/`, space, `%` or non-ASCII letter in it never changes
//! the route), a greedy `{proxy+}` keeps its `/`s, `.` and `..` are refused before sending, and
//! the request span is named by the route's template. `route!` sends a checked literal path as
//! the untyped call would, with the template on the span.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is the report

mod common;

use amplify_api::{Error, api_client};
use amplify_api_emulator::{Echo, Emulator};
use common::spans::spans;
use common::{emulator, send_echo};

#[api_client(
    config = "fixtures/routes/config.json",
    routes = {
        itemsApi = "fixtures/routes/openapi/items.json",
        usersApi = "fixtures/routes/openapi/users-swagger.json",
    }
)]
struct Api;

/// The client, every endpoint at the emulator (the stage path `/dev` kept, as in the config).
fn api(emu: &Emulator) -> Api {
    let mut builder = Api::builder()
        .identity_pool(emu.identity_pool_id())
        .cognito_endpoint(emu.cognito_url())
        .guest_access(true)
        .read_env(false);
    for endpoint in api::Endpoint::ALL {
        builder = builder.endpoint_url(endpoint.name(), format!("{}/dev", emu.api_url()));
    }
    builder.build().unwrap()
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
