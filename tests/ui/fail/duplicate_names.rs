use amplify_api::api_client;

#[api_client(config = "fixtures/configs/invalid/duplicate-names.json")]
pub struct Api;

fn main() {}
