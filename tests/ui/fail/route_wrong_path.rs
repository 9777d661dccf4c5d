//! A path no route of the table matches: the closest routes, with their methods.
use amplify_api::api_client;

#[api_client(
    config = "fixtures/routes/config.json",
    routes = { itemsApi = "fixtures/routes/openapi/items.json" }
)]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api::route!(api.items_api().get("/itmes/42"));
}
