//! A client defined in a function body (a test, a doctest): its module is reachable there too.
use amplify_api::api_client;

fn main() {
    #[api_client(config = "fixtures/configs/native.json")]
    struct Api;

    assert_eq!(api::items_api::NAME, "itemsApi");
    let api = Api::new().unwrap();
    assert_eq!(
        api.endpoint(api::Endpoint::ItemsApi).url(),
        api::items_api::URL
    );
}
