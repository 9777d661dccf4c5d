use amplify_api::api_client;

#[api_client(
    config = "fixtures/configs/unicode-names.json",
    rename = { "日本" = "japan", "itemApi" = "items" }
)]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api.japan().get("/x");
    let _ = api.items_api().get("/items");
}
