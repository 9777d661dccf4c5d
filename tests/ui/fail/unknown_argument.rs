use amplify_api::api_client;

#[api_client(config = "fixtures/configs/native.json", path = "amplifyconfiguration.json")]
pub struct Api;

fn main() {
    // The whole client is still generated: the macro's error is the only one.
    let api: Api = Api::new().unwrap();
    let _built: Result<Api, amplify_api::Error> = Api::builder().build();
    let _ = api.items_api().get("/items");
    let _ = api.endpoint(api::Endpoint::PublicApi);
    let _ = api.endpoint_by_name("userApi");
    let _: &str = api::items_api::URL;
    let _: &str = api::IDENTITY_POOL_ID;
    let _ = api.client().clone();
}
