use amplify_api::api_client;

#[api_client(config = "fixtures/configs/invalid/graphql-only.json")]
pub struct Api;

fn main() {
    // A client without endpoints is still generated: one error.
    let api = Api::new().unwrap();
    let _ = api.endpoint_by_name("todoGraphQl");
    let _: &[api::Endpoint] = api::Endpoint::ALL;
}
