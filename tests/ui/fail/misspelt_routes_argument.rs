//! `route` for `routes`: "did you mean", read as `routes`, so the typed methods exist.
use amplify_api::api_client;

#[api_client(
    config = "fixtures/routes/config.json",
    route = { itemsApi = "fixtures/routes/openapi/items.json" }
)]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api.items_api().list_items();
}
