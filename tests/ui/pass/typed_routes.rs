//! Typed routes from each source: an OpenAPI 3 export and a Swagger 2 export (`routes = {..}`),
//! a Gen 1 backend found beside `src/aws-exports.js`, Mobile Hub `paths`; `route!` checks
//! untyped calls; `strict_routes` leaves only the typed methods.
use amplify_api::{RequestBuilder, api_client};

#[api_client(
    config = "fixtures/routes/config.json",
    routes = {
        itemsApi = "fixtures/routes/openapi/items.json",
        "usersApi" = "fixtures/routes/openapi/users-swagger.json",
    }
)]
pub struct Api;

#[api_client(config = "fixtures/routes/gen1/src/aws-exports.js")]
pub struct Gen1;

#[api_client(
    config = "fixtures/routes/gen1/src/aws-exports.js",
    backend = "fixtures/routes/gen1/amplify/backend",
    strict_routes = true
)]
pub struct Strict;

#[api_client(config = "fixtures/routes/mobile-hub/aws-exports.js")]
pub struct MobileHub;

fn typed(api: &Api) -> Vec<RequestBuilder> {
    let items = api.items_api();
    let id = String::from("42");
    vec![
        items.list_items().limit("10").into_typed().into_untyped(),
        items.create_item().body("{\"name\": \"x\"}"),
        items.get_items_by_id(&id),
        items.put_items_by_id("42"),
        items.delete_item(id),
        items.get_items_by_id_tags_by_tag_name("42", "red"),
        items.search_items(),
        items.get_files_by_proxy("a/b.txt"),
        items.options_files_by_proxy("a"),
        items.options_items(),
        // Deref to the untyped endpoint.
        items.get("/not/in/the/table"),
        api.users_api().get_users(),
        api.users_api().get_user("u-1"),
        api.users_api().patch_users_by_user_id("u-1"),
        api.users_api().put_users_by_user_id_avatar("u-1"),
        // Endpoints without a table are untouched.
        api.plain_api().get("/anything"),
        // Checked untyped calls.
        api::route!(api.items_api().get("/items/42")),
        api::route!(api.items_api().del("/items/42?force=1")),
        api::route!(api.items_api().get("/items/{id}", "42")),
        api::route!(api.items_api().post("/files/a/b/c")),
        api::route!(api.users_api().patch("/users/u-1")),
    ]
}

fn main() {
    if let Ok(api) = Api::new() {
        assert_eq!(typed(&api).len(), 21);
    }
    if let Ok(gen1) = Gen1::new() {
        let _ = gen1.orders_api().get_orders();
        let _ = gen1.orders_api().post_orders_by_proxy("1/items");
        let _ = gen1.admin_api().delete_admin();
        let _ = gen1::route!(gen1.orders_api().patch("/orders/7"));
    }
    if let Ok(strict) = Strict::new() {
        let _ = strict.orders_api().get_reports();
        let _ = strict.orders_api().name();
        let _ = strict::route!(strict.orders_api().get("/reports"));
        let _ = strict.endpoint(strict::Endpoint::OrdersApi).get("/untyped");
    }
    if let Ok(hub) = MobileHub::new() {
        let _ = hub.notes_crud().get_notes_123();
        let _ = hub.notes_crud().delete_notes_by_proxy("9");
    }
    assert_eq!(api::items_api::NAME, "itemsApi");
}
