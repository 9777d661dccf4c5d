use amplify_api::api_client;

#[api_client(config = "fixtures/configs/native.json", module = "type")]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api.items_api().get("/items");
}
