//! A template call on `route!` with a parameter missing: the call as it should be, the
//! missing parameter marked.
use amplify_api::api_client;

#[api_client(
    config = "fixtures/routes/config.json",
    routes = { itemsApi = "fixtures/routes/openapi/items.json" }
)]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api::route!(api.items_api().get("/items/{id}/tags/{tagName}", "42"));
}
