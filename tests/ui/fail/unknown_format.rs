use amplify_api::api_client;

#[api_client(config = "fixtures/configs/native.json", format = "yaml")]
pub struct Api;

fn main() {}
