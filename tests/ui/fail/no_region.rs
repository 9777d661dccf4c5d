//! An endpoint with no region anywhere: one error, and its accessor still exists.
use amplify_api::api_client;

#[api_client(config = "fixtures/configs/invalid/no-region.json")]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api.custom_domain().get("/items");
    let _ = api.endpoint_by_name("customDomain");
    let _ = api::Endpoint::ALL;
}
