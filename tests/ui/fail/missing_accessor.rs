use amplify_api::api_client;

#[api_client(config = "fixtures/configs/native.json")]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api.item_api().get("/items");
}
