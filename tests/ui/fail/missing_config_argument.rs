use amplify_api::api_client;

#[api_client(format = "native", endpoints = ["itemsApi"])]
pub struct Api;

fn main() {
    // The config cannot be read: every method the client would have still type-checks, and
    // the accessors of `endpoints = [...]`; the macro's error is the only one.
    let api: Api = Api::new().unwrap();
    let _built: Result<Api, amplify_api::Error> = Api::builder().build();
    let _ = api.client();
    let _ = api.items_api().get("/items");
    let _ = api.endpoint(api::Endpoint::ItemsApi);
    let _ = api.endpoint_by_name("itemsApi");
    let _: &str = api::items_api::URL;
}
