use amplify_api::api_client;

#[api_client(config = "fixtures/configs/native.json", endpoints = ["itemsApi", "itemAPI"])]
pub struct Api;

fn main() {
    // The config's endpoints and a stand-in for the missing name: one error.
    let api = Api::new().unwrap();
    let _ = api.items_api().get("/items");
    let _ = api.item_api().get("/items");
    let _ = api.endpoint(api::Endpoint::UserApi);
}
