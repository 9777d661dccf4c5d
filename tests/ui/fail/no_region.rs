use amplify_api::api_client;

#[api_client(config = "fixtures/configs/invalid/no-region.json")]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api.endpoint_by_name("customDomain");
    let _ = api::Endpoint::ALL;
}
