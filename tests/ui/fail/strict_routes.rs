//! `strict_routes = true`: an endpoint with a route table has no untyped `get(path)`.
use amplify_api::api_client;

#[api_client(
    config = "fixtures/routes/config.json",
    routes = { itemsApi = "fixtures/routes/openapi/items.json" },
    strict_routes = true
)]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api.items_api().get_items_by_id("42");
    let _ = api.plain_api().get("/still/untyped");
    let _ = api.items_api().get("/items/42");
}
