//! An endpoint name in `routes = {..}` the config does not have: a "did you mean".
use amplify_api::api_client;

#[api_client(
    config = "fixtures/routes/config.json",
    routes = { itemApi = "fixtures/routes/openapi/items.json" }
)]
pub struct Api;

fn main() {}
