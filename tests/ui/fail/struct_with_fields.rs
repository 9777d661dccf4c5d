use amplify_api::api_client;

#[api_client(config = "fixtures/configs/native.json")]
pub struct Api {
    retries: u32,
}

fn main() {}
