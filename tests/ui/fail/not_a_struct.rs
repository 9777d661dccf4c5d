use amplify_api::api_client;

#[api_client(config = "fixtures/configs/native.json")]
pub fn api() {}

fn main() {}
