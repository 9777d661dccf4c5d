use amplify_api::api_client;

#[api_client(config = "fixtures/configs/native.json", endpoints = ["itemsApi", "itemAPI"])]
pub struct Api;

fn main() {}
