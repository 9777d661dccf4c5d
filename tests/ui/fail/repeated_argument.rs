use amplify_api::api_client;

#[api_client(config = "fixtures/configs/native.json", config = "fixtures/configs/v6.json")]
pub struct Api;

fn main() {}
