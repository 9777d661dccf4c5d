use amplify_api::api_client;

#[api_client(config = "fixtures/configs/invalid/unrecognised.json")]
pub struct Api;

fn main() {}
