use amplify_api::api_client;

#[api_client(config = "fixtures/configs/plain-http.json")]
pub struct Api;

fn main() {
    // Refused at compile time, not at run time; the client is still there.
    let api = Api::new().unwrap();
    let _ = api.lan_api().get("/x");
    let _ = api.items_api().get("/items");
}
