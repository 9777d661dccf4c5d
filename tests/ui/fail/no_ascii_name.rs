use amplify_api::api_client;

#[api_client(config = "fixtures/configs/unicode-names.json")]
pub struct Api;

fn main() {
    // `日本` has no Rust name (the error says how to give one); the rest is generated.
    let api = Api::new().unwrap();
    let _ = api.items_api().get("/items");
    let _ = api.endpoint(api::Endpoint::ItemsApi);
}
