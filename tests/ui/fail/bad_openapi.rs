//! A malformed OpenAPI file: its name, the JSON path and line:column of the problem.
use amplify_api::api_client;

#[api_client(
    config = "fixtures/routes/config.json",
    routes = { itemsApi = "fixtures/routes/invalid/bad-openapi.json" }
)]
pub struct Api;

fn main() {}
