use amplify_api::api_client;

#[api_client(config = "fixtures/configs/amplifyconfiguration.json")]
pub struct Api;

fn main() {}
