use amplify_api::api_client;

// `Amplify.configure({...awsExports})`: the spread is named, with what to point `config` at.
#[api_client(config = "fixtures/configs/invalid/spread-only.js")]
pub struct Api;

fn main() {
    let _new: Result<Api, amplify_api::Error> = Api::new();
    let _built: Result<Api, amplify_api::Error> = Api::builder().build();
}
