use amplify_api::api_client;

#[api_client(config = "/etc/amplify/amplifyconfiguration.json")]
pub struct Api;

fn main() {}
