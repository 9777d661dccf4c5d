use amplify_api::api_client;

#[api_client(config = "fixtures/configs/invalid/graphql-only.json")]
pub struct Api;

fn main() {}
