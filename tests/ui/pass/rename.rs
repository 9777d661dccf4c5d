//! `rename = {...}`: a Rust name for an Amplify name without ASCII letters, and for another.
use amplify_api::api_client;

#[api_client(
    config = "fixtures/configs/unicode-names.json",
    rename = { "日本" = "japan", "itemsApi" = "items" }
)]
pub struct Api;

fn main() {
    assert_eq!(api::japan::NAME, "日本");
    assert_eq!(api::Endpoint::Japan.to_string(), "日本");
    assert_eq!("日本".parse::<api::Endpoint>().unwrap(), api::Endpoint::Japan);
    let client = Api::new().unwrap();
    assert_eq!(client.japan().url(), api::japan::URL);
    assert_eq!(client.items().url(), api::items::URL);
    assert_eq!(client.endpoint_by_name("日本").unwrap().url(), api::japan::URL);
}
