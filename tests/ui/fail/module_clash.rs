use amplify_api::api_client;

/// The user's own module, beside the struct whose generated module would be `api`.
mod api {}

#[api_client(config = "fixtures/configs/native.json")]
pub struct Api;

fn main() {
    // The client itself does not depend on the name: one error, the name defined twice.
    let api = Api::new().unwrap();
    let _ = api.items_api().get("/items");
    let _ = api.endpoint_by_name("userApi");
}
