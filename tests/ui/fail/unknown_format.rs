use amplify_api::api_client;

#[api_client(config = "fixtures/configs/native.json", format = "yaml")]
pub struct Api;

fn main() {
    // The file is still read (its format detected): one error, the format's.
    let api = Api::new().unwrap();
    let _ = api.items_api().get("/items");
    let _ = api.endpoint(api::Endpoint::UserApi);
}
