use amplify_api::api_client;

#[api_client(config = "fixtures/configs/invalid/no-region.json")]
pub struct Api;

fn main() {}
