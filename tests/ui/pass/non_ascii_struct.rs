//! A non-ASCII struct name: its module is its snake_case, `ü`.
#![allow(non_snake_case, uncommon_codepoints)]
use amplify_api::api_client;

#[api_client(config = "fixtures/configs/native.json")]
pub struct Ü;

fn main() {
    assert_eq!(ü::items_api::NAME, "itemsApi");
    let client = Ü::new().unwrap();
    assert_eq!(client.items_api().url(), ü::items_api::URL);
    assert_eq!(client.endpoint(ü::Endpoint::UserApi).url(), ü::user_api::URL);
}
