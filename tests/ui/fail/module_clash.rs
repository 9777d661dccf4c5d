//! The user's own `mod api` beside `struct Api`, whose generated module would be `api`: one
//! error of ours saying to use `module = "..."`.
use amplify_api::api_client;

mod api {}

#[api_client(config = "fixtures/configs/native.json")]
pub struct Api;

fn main() {
    let api = Api::new().unwrap();
    let _ = api.items_api().get("/items");
    let _ = api.endpoint_by_name("userApi");
}
