use amplify_api::api_client;

#[api_client(format = "native")]
pub struct Api;

fn main() {}
