//! A method the route does not allow: the methods it does.
use amplify_api::api_client;

#[api_client(
    config = "fixtures/routes/config.json",
    routes = { itemsApi = "fixtures/routes/openapi/items.json" }
)]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api::route!(api.items_api().post("/items/42"));
}
