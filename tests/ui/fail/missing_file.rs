//! A config file that is not found, with nothing close to it: one error naming the Amplify
//! config files in that directory; the names in `routes` stand in, and every method the
//! client would have still type-checks.
use amplify_api::api_client;

#[api_client(
    config = "fixtures/configs/amplifyconfiguration.json",
    routes = { itemsApi = "fixtures/routes/openapi/items.json" }
)]
pub struct Api;

fn main() {
    let api: Api = Api::new().unwrap();
    let _built: Result<Api, amplify_api::Error> = Api::builder().build();
    let _ = api.client();
    let _ = api.items_api().list_items();
    let _ = api.endpoint_by_name("itemsApi");
}
