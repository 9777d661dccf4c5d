use amplify_api::api_client;

#[api_client(config = "fixtures/configs/native.json", path = "amplifyconfiguration.json")]
pub struct Api;

fn main() {
    // Code that builds the client still type-checks: the macro's error is the only one.
    let _new: Result<Api, amplify_api::Error> = Api::new();
    let _built: Result<Api, amplify_api::Error> = Api::builder().build();
}
