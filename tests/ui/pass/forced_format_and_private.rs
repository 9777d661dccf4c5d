//! `format = "..."` forces a reading; a private struct gets a private module; the user's
//! attributes and docs are kept; a custom `builder()` setup replaces the config's.
use amplify_api::api_client;

#[api_client(config = "fixtures/configs/v6.json", format = "v6")]
/// Kept: the user's own doc.
#[must_use]
struct Shop;

fn main() {
    assert_eq!(shop::shop_api::NAME, "shopApi");
    let client = Shop::builder()
        .endpoint_url(shop::shop_api::NAME, "http://127.0.0.1:9/stage")
        .build()
        .unwrap();
    assert_eq!(client.shop_api().url(), "http://127.0.0.1:9/stage");
    // The region stays the config's when the new host names none.
    assert_eq!(client.shop_api().region(), "ca-central-1");
}
