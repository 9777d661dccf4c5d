//! `module = "..."`: a crate with its own `mod api` beside `struct Api`.
use amplify_api::api_client;

#[allow(dead_code)]
mod api {
    pub const MINE: u8 = 1;
}

#[api_client(config = "fixtures/configs/native.json", module = "amplify")]
pub struct Api;

fn main() {
    assert_eq!(api::MINE, 1);
    assert_eq!(amplify::items_api::NAME, "itemsApi");
    let api = Api::new().unwrap();
    assert_eq!(
        api.endpoint(amplify::Endpoint::ItemsApi).url(),
        amplify::items_api::URL
    );
}
