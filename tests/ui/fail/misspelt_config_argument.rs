//! `confg` for `config`: "did you mean", and the client is generated from the file as if
//! `config` had been written, so the code using it adds no second error.
use amplify_api::api_client;

#[api_client(confg = "fixtures/configs/native.json")]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api.items_api().get("/items");
    let _: &str = api::items_api::URL;
}
