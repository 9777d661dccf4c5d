use amplify_api::api_client;

#[api_client(config = "fixtures/configs/invalid/bad-json.json")]
pub struct Api;

fn main() {}
