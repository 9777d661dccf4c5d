use amplify_api::api_client;

#[api_client(config = "fixtures/configs/invalid/one-bad-entry.json", endpoints = ["brokenApi"])]
pub struct Api;

fn main() {
    // The good entry is generated, the bad one stood in for: one error, about the bad entry.
    let api = Api::new().unwrap();
    let _ = api.items_api().get("/items");
    let _ = api.broken_api().get("/x");
    let _: &str = api::items_api::URL;
    let _ = api.endpoint(api::Endpoint::ItemsApi);
}
