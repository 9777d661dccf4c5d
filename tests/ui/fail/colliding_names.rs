use amplify_api::api_client;

#[api_client(config = "fixtures/configs/invalid/colliding-names.json")]
pub struct Api;

fn main() {
    // The first of the two is generated; the error is the only one.
    let api = Api::new().unwrap();
    let _ = api.my_api().get("/x");
}
