use amplify_api::api_client;

#[api_client(config = "fixtures/configs/native.json")]
pub struct Api {
    retries: u32,
}

fn main() {
    // The client replaces the struct all the same: one error, about the field.
    let api = Api::new().unwrap();
    let _ = api.items_api().get("/items");
}
