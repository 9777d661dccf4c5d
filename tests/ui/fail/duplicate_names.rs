use amplify_api::api_client;

#[api_client(config = "fixtures/configs/invalid/duplicate-names.json")]
pub struct Api;

fn main() {
    // The first of the two entries is generated: one error.
    let api = Api::new().unwrap();
    let _ = api.items().get("/x");
    let _ = api.endpoint(api::Endpoint::Items);
}
